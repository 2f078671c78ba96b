import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
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
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SmtpAbortedError';
  }
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

  /** Sends a message composed beforehand to `to` (see `send` for the errors and `signal`). */
  sendComposed(to: string[], raw: Buffer, signal?: AbortSignal): Promise<SentMail> {
    const from = addressparser(this.config.MAIL_FROM, { flatten: true })[0]?.address ?? this.config.MAIL_FROM;
    return this.deliver({ envelope: { from, to }, raw }, signal);
  }

  /**
   * Sends one message; throws `SmtpTransientError` (retry), `SmtpPermanentError` (5xx, refused) or,
   * when `signal` fires first, `SmtpAbortedError`: the pool closes the connection that was delivering
   * it, so a server that was not answering never receives the rest of it.
   */
  send(mail: OutgoingMail, signal?: AbortSignal): Promise<SentMail> {
    return this.deliver(this.options(mail), signal);
  }

  private async deliver(options: SendMailOptions, signal?: AbortSignal): Promise<SentMail> {
    try {
      const info = await this.transport.sendMail({ ...(signal ? { signal } : {}), ...options });
      return {
        messageId: info.messageId,
        accepted: info.accepted.map(String),
        rejected: info.rejected.map(String),
        response: info.response,
        acceptedAt: new Date(),
      };
    } catch (err) {
      if (signal?.aborted) throw new SmtpAbortedError(`SMTP send called off: ${String(signal.reason)}`, { cause: err });
      throw classifySmtpError(err);
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
