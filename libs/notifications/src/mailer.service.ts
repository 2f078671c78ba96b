import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Readable } from 'node:stream';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import addressparser from 'nodemailer/lib/addressparser';
import MailComposer from 'nodemailer/lib/mail-composer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';

export interface OutgoingMail {
  to: string[];
  subject: string;
  text: string;
  html: string;
  /** `<…@…>`; the same for every attempt at the same notification. */
  messageId: string;
  headers: Record<string, string>;
  language: string;
  /** Inline images (`cid`) or files; none for the recommendation messages. */
  attachments?: { filename: string; content: Buffer; contentType: string; cid?: string }[];
}

export interface SentMail {
  messageId: string;
  accepted: string[];
  rejected: string[];
  response: string;
  /** When the SMTP server accepted the message. */
  acceptedAt: Date;
}

/** SMTP could not take the message now (unreachable, timeout, 4xx): retry later, with backoff. */
export class SmtpTransientError extends Error {
  readonly retryable = true;
  constructor(
    message: string,
    readonly responseCode: number | null,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmtpTransientError';
  }
}

/** The send was called off (its AbortSignal fired) before the server took the message; the connection was closed. */
export class SmtpAbortedError extends Error {
  /** Called off by the last check, when the server was ready for the body (354); otherwise by the signal. */
  readonly atData: boolean;
  constructor(
    /** Why: the matter was settled meanwhile (as the caller said). */
    readonly reason: string,
    options?: { cause?: unknown; atData?: boolean },
  ) {
    super(`SMTP send called off${options?.atData ? ' at DATA' : ''}: ${reason}`, options);
    this.name = 'SmtpAbortedError';
    this.atData = options?.atData ?? false;
  }
}

/**
 * How a send is called off. `signal`: at once, whatever the SMTP exchange is waiting for (the connection
 * is closed). `lastCheck`: asked when the server has answered DATA with 354, before a byte of the message
 * goes; it answers why the message is no longer owed, or null to send it. Once it has said null the
 * message is on its way, and `signal` no longer calls it off: what the server then accepts is sent.
 */
export interface SendControl {
  signal?: AbortSignal;
  lastCheck?: () => Promise<string | null>;
}

/** The options of one send, with the last check the `stream` plugin places before the message's body. */
type GatedOptions = SendMailOptions & { lastCheck?: () => Promise<void> };

/** The message, read only once the last check has let it go. */
async function* afterLastCheck(input: Readable, lastCheck: () => Promise<void>): AsyncGenerator<Buffer> {
  try {
    await lastCheck();
  } catch (err) {
    input.destroy();
    throw err;
  }
  for await (const chunk of input) yield chunk as Buffer;
}

/** The server refused for good (5xx), typically the recipient: sending the same again will not help. */
export class SmtpPermanentError extends Error {
  readonly retryable = false;
  constructor(
    message: string,
    readonly responseCode: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'SmtpPermanentError';
  }
}

interface NodemailerError extends Error {
  code?: string;
  responseCode?: number;
  response?: string;
}

export function classifySmtpError(err: unknown): SmtpTransientError | SmtpPermanentError {
  const e = (err instanceof Error ? err : new Error(String(err))) as NodemailerError;
  const detail = e.response ?? e.message;
  if (typeof e.responseCode === 'number' && e.responseCode >= 500) {
    return new SmtpPermanentError(`SMTP refused (${e.responseCode}): ${detail}`, e.responseCode, { cause: err });
  }
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  return new SmtpTransientError(`SMTP unavailable${e.code ? ` (${e.code})` : ''}: ${detail}`, code, { cause: err });
}

/** Nodemailer over SMTP, pooled; host, port, TLS and credentials from the validated config. */
@Injectable()
export class MailerService implements OnModuleDestroy {
  private readonly transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.transport = createTransport({
      pool: true,
      host: config.SMTP_HOST,
      port: config.SMTP_PORT,
      secure: config.SMTP_SECURE,
      auth: config.SMTP_USER ? { user: config.SMTP_USER, pass: config.SMTP_PASS ?? '' } : undefined,
      maxConnections: config.SMTP_POOL_SIZE,
      maxMessages: 500,
      // Bounded, so an activity attempt fails (and is retried) rather than hanging on a dead server.
      connectionTimeout: Math.min(10, config.SMTP_TIMEOUT_SECONDS) * 1000,
      greetingTimeout: Math.min(10, config.SMTP_TIMEOUT_SECONDS) * 1000,
      socketTimeout: config.SMTP_TIMEOUT_SECONDS * 1000,
    });
    // The pool pipes the message into the connection once the server has answered DATA (354), never
    // before; a stream that reads its source only after the last check puts that check at that instant.
    this.transport.use('stream', (mail, done) => {
      const { lastCheck } = mail.data as GatedOptions;
      if (lastCheck)
        mail.message.processFunc((input) => Readable.from(afterLastCheck(input, lastCheck), { objectMode: false }));
      done();
    });
  }

  get from(): string {
    return this.config.MAIL_FROM;
  }

  private options(mail: OutgoingMail): SendMailOptions {
    return {
      from: this.config.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      messageId: mail.messageId,
      // Every message is automatic (RFC 3834: out-of-office replies must not answer it); replies reach the secretariat.
      replyTo: this.config.SECRETARIAT_EMAIL,
      headers: { 'Auto-Submitted': 'auto-generated', ...mail.headers, 'Content-Language': mail.language },
      ...(mail.attachments ? { attachments: mail.attachments } : {}),
    };
  }

  /**
   * The message composed (RFC 5322) as `send` would send it, ahead of time: what is left at the due
   * instant is the SMTP transaction (`sendComposed`). `date` is when it is due to go.
   */
  compose(mail: OutgoingMail, date: Date): Promise<Buffer> {
    return new MailComposer({ ...this.options(mail), date }).compile().build();
  }

  /** Sends a message composed beforehand to `to` (see `send` for the errors and `control`). */
  sendComposed(to: string[], raw: Buffer, control: SendControl = {}): Promise<SentMail> {
    const from = addressparser(this.config.MAIL_FROM, { flatten: true })[0]?.address ?? this.config.MAIL_FROM;
    return this.deliver({ envelope: { from, to }, raw }, control);
  }

  /**
   * Sends one message; throws `SmtpTransientError` (retry), `SmtpPermanentError` (5xx, refused) or,
   * when it is called off (`control`), `SmtpAbortedError`: the connection that was delivering it is
   * closed before the end of its body, so the server never takes it.
   */
  send(mail: OutgoingMail, control: SendControl = {}): Promise<SentMail> {
    return this.deliver(this.options(mail), control);
  }

  private async deliver(options: SendMailOptions, control: SendControl): Promise<SentMail> {
    let calledOff: string | null = null;
    let onItsWay = false;
    // The pool's own signal follows the caller's until the last check has let the message go.
    const abort = new AbortController();
    const follow = () => {
      if (!onItsWay) abort.abort(control.signal?.reason);
    };
    if (control.signal?.aborted) follow();
    control.signal?.addEventListener('abort', follow, { once: true });
    const lastCheck = async () => {
      calledOff = control.signal?.aborted ? String(control.signal.reason) : ((await control.lastCheck?.()) ?? null);
      if (calledOff !== null) throw new SmtpAbortedError(calledOff, { atData: true });
      onItsWay = true;
    };
    const gated: GatedOptions = { ...options, signal: abort.signal, lastCheck };
    try {
      const info = await this.transport.sendMail(gated);
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
        acceptedAt: new Date(),
      };
    } catch (err) {
      if (calledOff !== null) throw new SmtpAbortedError(calledOff, { cause: err, atData: true });
      if (abort.signal.aborted) throw new SmtpAbortedError(String(abort.signal.reason), { cause: err });
      throw classifySmtpError(err);
    } finally {
      control.signal?.removeEventListener('abort', follow);
    }
  }

  /** Whether the SMTP server answers (for readiness checks and tests). */
  async verify(): Promise<boolean> {
    try {
      return await this.transport.verify();
    } catch {
      return false;
    }
  }

  onModuleDestroy(): void {
    this.transport.close();
  }
}
