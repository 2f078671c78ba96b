/** Output: prefixed lines on the terminal (`up`) or one log file per process (`test`). */
import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { logsDir } from './paths';

export type LogMode = 'terminal' | 'files';
let logMode: LogMode = 'terminal';
export function setLogMode(mode: LogMode): void {
  logMode = mode;
}
export function getLogMode(): LogMode {
  return logMode;
}

const COLOURS = [36, 35, 33, 32, 34, 91, 96, 95];
const colourOf = new Map<string, number>();
function prefixFor(name: string): string {
  if (!process.stdout.isTTY) return `[${name}] `;
  if (!colourOf.has(name)) colourOf.set(name, COLOURS[colourOf.size % COLOURS.length]!);
  return `\x1b[${colourOf.get(name)}m[${name.padEnd(8)}]\x1b[0m `;
}

/** A line writer for one named source, following the log mode. */
export function logSink(name: string): { write(line: string): void; file?: string; close(): void } {
  if (logMode === 'files') {
    mkdirSync(logsDir, { recursive: true });
    const file = join(logsDir, `${name}.log`);
    const stream: WriteStream = createWriteStream(file, { flags: 'a' });
    // A process's last lines may arrive after it was reported stopped (its children's): they are dropped.
    let open = true;
    return {
      write: (line) => open && stream.write(line + '\n'),
      file,
      close: () => {
        open = false;
        stream.end();
      },
    };
  }
  const prefix = prefixFor(name);
  return { write: (line) => process.stdout.write(prefix + line + '\n'), close: () => undefined };
}

/** A status line from the scripts themselves (always on the terminal). */
export function say(message: string): void {
  process.stdout.write(`${prefixFor('stack')}${message}\n`);
}

/** Calls `write` with each line of `stream` as it arrives. */
export function pipeLines(stream: NodeJS.ReadableStream | null, write: (line: string) => void): void {
  if (!stream) return;
  let buffered = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) write(line.replace(/\r$/, ''));
  });
  stream.on('end', () => {
    if (buffered) write(buffered);
  });
}
