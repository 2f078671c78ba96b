import type { Language } from '@app/domain';
import {
  SmtpAbortedError,
  SmtpPermanentError,
  SmtpTransientError,
  type MailerService,
  type SendControl,
  type SentMail,
} from '../mailer.service';
import type { ResolvedRecipient } from '../recipient-directory';
import type { ComposedMail } from './compose-message';

/** A message composed ahead of its due instant (`prepare`) for `addresses`: only the SMTP exchange is left. */
export interface PreparedMail {
  raw: Buffer;
  addresses: string[];
  language: Language;
}

/** One way to get the message to its recipient: its addresses, and the send. */
export interface Attempt {
  addresses: string[];
  language: Language;
  send: (control: SendControl) => Promise<SentMail>;
}

/** What the attempts came to. */
export type Sending =
  | { kind: 'sent'; attempt: Attempt; sent: SentMail; refusals: string[] }
  | { kind: 'called-off'; reason: string; atData: boolean }
  | { kind: 'unavailable'; error: SmtpTransientError }
  | { kind: 'refused'; refusals: string[]; tried: string[][] };

/** One failed send, classified: called off, refused for good by those addresses, or SMTP unavailable now. */
type SendFailure =
  | { kind: 'called-off'; reason: string; atData: boolean }
  | { kind: 'refused'; message: string }
  | { kind: 'unavailable'; error: SmtpTransientError };

/** The message prepared ahead on the claimed row, unless its recipient's directory entry changed since. */
export function preparedOf(row: {
  raw: Buffer | null;
  address: string | null;
  language: Language | null;
  directory_changed: boolean;
}): PreparedMail | null {
  if (!row.raw || !row.address || row.directory_changed) return null;
  return { raw: row.raw, addresses: row.address.split(', '), language: row.language ?? 'en' };
}

/**
 * Each attempt in turn: the message prepared ahead first, as composed; then each address of the
 * directory, with the message composed now (once, on the first such attempt).
 */
export async function* attemptsInTurn(
  mailer: MailerService,
  prepared: PreparedMail | null,
  recipient: () => Promise<ResolvedRecipient>,
  mail: () => Promise<ComposedMail>,
): AsyncGenerator<Attempt> {
  if (prepared) {
    const { addresses, raw, language } = prepared;
    yield { addresses, language, send: (control) => mailer.sendComposed(addresses, raw, control) };
  }
  const to = await recipient();
  for (const addresses of to.attempts) {
    if (prepared && addresses.join(', ') === prepared.addresses.join(', ')) continue; // tried prepared
    yield {
      addresses,
      language: to.language,
      send: async (control) => mailer.send({ ...(await mail()), to: addresses }, control),
    };
  }
}

/** Sends through each attempt until one is taken; a refusal moves on to the next, anything else stops. */
export async function sendInTurn(attempts: AsyncIterable<Attempt>, control: SendControl): Promise<Sending> {
  const refusals: string[] = [];
  const tried: string[][] = [];
  for await (const attempt of attempts) {
    tried.push(attempt.addresses);
    let sent: SentMail;
    try {
      sent = await attempt.send(control);
    } catch (err) {
      const failure = classifySendFailure(err);
      if (failure.kind === 'called-off') return failure;
      if (failure.kind === 'unavailable') return failure;
      refusals.push(`${attempt.addresses.join(', ')}: ${failure.message}`);
      continue;
    }
    return { kind: 'sent', attempt, sent, refusals };
  }
  return { kind: 'refused', refusals, tried };
}

function classifySendFailure(err: unknown): SendFailure {
  if (err instanceof SmtpAbortedError) return { kind: 'called-off', reason: err.reason, atData: err.atData };
  if (err instanceof SmtpPermanentError) return { kind: 'refused', message: err.message };
  // Anything else (rendering included) is retried later, like SMTP being unavailable.
  const error = err instanceof SmtpTransientError ? err : new SmtpTransientError(String(err), null, { cause: err });
  return { kind: 'unavailable', error };
}
