import { isIP } from 'node:net';
import { Agent, errors, request } from 'undici';
import { DestinationRules, type DestinationConfig, type DestinationRefusal } from './destinations';

export interface WebhookSenderConfig extends DestinationConfig {
  connectTimeoutMs: number;
  timeoutMs: number;
  maxResponseBytes: number;
}

/** What one POST came to: the status (null when no answer came), how long it took, and why it failed. */
export interface WebhookExchange {
  status: number | null;
  latencyMs: number;
  error: string | null;
}

/**
 * The one way webhooks leave the service: undici, with the destination rules at connect time (every
 * resolved address checked), a connect timeout, one deadline for the whole exchange, no redirect
 * followed (undici's `request` follows none), and at most `maxResponseBytes` of the answer read.
 */
export class WebhookSender {
  readonly rules: DestinationRules;
  private readonly agent: Agent;

  constructor(private readonly config: WebhookSenderConfig) {
    this.rules = new DestinationRules(config);
    this.agent = new Agent({
      connect: { timeout: config.connectTimeoutMs, lookup: this.rules.guardedLookup() },
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
      // A receiver's slow answer holds one connection, never another subscription's.
      connections: 8,
      keepAliveTimeout: 10_000,
    });
  }

  async post(
    url: string,
    headers: Record<string, string>,
    body: string,
    signal?: AbortSignal,
  ): Promise<WebhookExchange> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(this.config.timeoutMs);
    const abort = signal ? AbortSignal.any([signal, deadline]) : deadline;
    const took = () => performance.now() - started;
    const refusal = this.addressRefused(url);
    if (refusal)
      return { status: null, latencyMs: took(), error: `destination refused: ${refusal.message} (${refusal.rule})` };
    try {
      const answer = await request(url, {
        method: 'POST',
        headers: { ...headers, 'user-agent': 'dipb-webhooks/1' },
        body,
        dispatcher: this.agent,
        signal: abort,
      });
      // Read what the log may keep, then let the rest go.
      await answer.body.dump({ limit: this.config.maxResponseBytes }).catch(() => undefined);
      const status = answer.statusCode;
      const error =
        status >= 300 && status < 400
          ? `redirect to ${String(answer.headers.location ?? '?').slice(0, 200)} not followed`
          : status >= 200 && status < 300
            ? null
            : `answered ${status}`;
      return { status, latencyMs: took(), error };
    } catch (err) {
      return { status: null, latencyMs: took(), error: describe(err, deadline.aborted, this.config.timeoutMs) };
    }
  }

  /**
   * A URL naming an IP address is connected to without a lookup, so the guarded lookup never sees it:
   * its address is checked here, by the same rules (a subscription made under laxer ones reaches nothing now refused).
   */
  private addressRefused(url: string): DestinationRefusal | null {
    let host: string;
    try {
      host = new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
    } catch {
      return null;
    }
    return isIP(host) ? this.rules.addressAllowed(host, false) : null;
  }

  close(): Promise<void> {
    return this.agent.close();
  }

  /** Nest calls it when the application stops: open connections are closed. */
  onApplicationShutdown(): Promise<void> {
    return this.close();
  }
}

function describe(err: unknown, timedOut: boolean, timeoutMs: number): string {
  if (timedOut || err instanceof errors.HeadersTimeoutError || err instanceof errors.BodyTimeoutError)
    return `no answer within ${timeoutMs} ms`;
  if (err instanceof errors.ConnectTimeoutError) return 'connect timed out';
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause : err;
  const e = cause as { code?: string; message?: string };
  return `${e.code ? `${e.code}: ` : ''}${e.message ?? String(cause)}`.slice(0, 500);
}

/** The sender's settings from the service's configuration. */
export function webhookSenderConfig(c: {
  WEBHOOK_ALLOWED_DESTINATIONS: string;
  WEBHOOK_ALLOW_LOOPBACK: boolean;
  WEBHOOK_ALLOW_HTTP: boolean;
  WEBHOOK_CONNECT_TIMEOUT_MS: number;
  WEBHOOK_TIMEOUT_MS: number;
  WEBHOOK_MAX_RESPONSE_BYTES: number;
}): WebhookSenderConfig {
  return {
    allowed: c.WEBHOOK_ALLOWED_DESTINATIONS,
    allowLoopback: c.WEBHOOK_ALLOW_LOOPBACK,
    allowHttp: c.WEBHOOK_ALLOW_HTTP,
    connectTimeoutMs: c.WEBHOOK_CONNECT_TIMEOUT_MS,
    timeoutMs: c.WEBHOOK_TIMEOUT_MS,
    maxResponseBytes: c.WEBHOOK_MAX_RESPONSE_BYTES,
  };
}
