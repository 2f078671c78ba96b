/** MailDev: SMTP for the apps, a web UI and REST API (`/email`) for people and tests. */
import { mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { waitFor } from '../../libs/testing/src/wait';
import { isPortOpen } from './network';
import { say } from './output';
import { dataDir, repoRoot } from './paths';
import { ManagedProcess, noop, type ServiceHandle } from './processes';

export interface MailOptions {
  smtpPort: number;
  webPort: number;
  /** Where received mail is kept; under `.data/` when relative. */
  mailDir: string;
  /** Empty the mail directory before starting. */
  fresh?: boolean;
  name?: string;
}

export interface MailHandle extends ServiceHandle {
  readonly smtpPort: number;
  readonly webUrl: string;
  readonly apiUrl: string;
}

/** Starts (or reuses) MailDev: SMTP on smtpPort, web UI and REST API (`/email`) on webPort. */
export async function startMail(opts: MailOptions): Promise<MailHandle> {
  const webUrl = `http://localhost:${opts.webPort}`;
  const apiUrl = `http://127.0.0.1:${opts.webPort}`;
  if (await isPortOpen(opts.smtpPort)) {
    say(`Mail: something already answers SMTP on ${opts.smtpPort}; reusing it`);
    return { started: false, smtpPort: opts.smtpPort, webUrl, apiUrl, stop: noop, start: noop };
  }
  const mailDir = resolve(dataDir, opts.mailDir);
  if (opts.fresh) rmSync(mailDir, { recursive: true, force: true });
  mkdirSync(mailDir, { recursive: true });
  const bin = join(repoRoot, 'node_modules', 'maildev', 'dist', 'bin', 'maildev.js');
  const proc = new ManagedProcess(opts.name ?? 'maildev', process.execPath, [
    bin,
    '--smtp',
    String(opts.smtpPort),
    '--ip',
    '127.0.0.1',
    '--web',
    String(opts.webPort),
    '--web-ip',
    '127.0.0.1',
    '--mail-directory',
    mailDir,
  ]);
  const start = async () => {
    proc.start();
    const abort = () => proc.exitedReason();
    await waitFor(`MailDev SMTP on ${opts.smtpPort}`, () => isPortOpen(opts.smtpPort), { timeoutMs: 30_000, abort });
    await waitFor(`MailDev web on ${opts.webPort}`, () => isPortOpen(opts.webPort), { timeoutMs: 30_000, abort });
  };
  await start();
  return { started: true, smtpPort: opts.smtpPort, webUrl, apiUrl, stop: () => proc.stop(), start, process: proc };
}
