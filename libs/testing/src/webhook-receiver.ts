import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { Webhook } from 'standardwebhooks';

/** One POST as the receiver saw it, checked with the `standardwebhooks` package's own verifier. */
export interface ReceivedWebhook {
  id: string;
  timestamp: string;
  signature: string;
  contentType: string;
  body: string;
  /** The CloudEvent, parsed. */
  event: {
    specversion: string;
    id: string;
    source: string;
    type: string;
    subject: string;
    time: string;
    datacontenttype: string;
    data: { reference: string; seq: number; type: string; position: string; data: Record<string, unknown> };
  };
  /** Which of the receiver's secrets verified it (indexes into `secrets`); empty when none did. */
  verifiedBy: number[];
  /** What the receiver answered (or `hang`). */
  answered: number | 'hang';
  at: number;
}

/**
 * What to answer the n-th request (from 1): a status, a status after a while (a slow receiver), or never
 * (the connection held open).
 */
export type Answer = (
  n: number,
  webhook: Omit<ReceivedWebhook, 'answered'>,
) => number | 'hang' | { status: number; afterMs: number };

/**
 * A real receiver on loopback, as an integrator would write one: it verifies every delivery with the
 * `standardwebhooks` verifier (which no one here wrote) against the secrets it was given, and applies
 * each `webhook-id` once, whatever the wire brings twice.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  /** Applied once each, in the order first received. */
  readonly applied: ReceivedWebhook[] = [];
  secrets: string[] = [];
  /** Requests being handled now, and the most there ever were at once. */
  inFlight = 0;
  maxInFlight = 0;
  answer: Answer = () => 204;
  private readonly seen = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private readonly hung = new Set<ServerResponse>();
  private readonly server = createServer((req, res) => void this.handle(req, res));
  private port = 0;

  constructor() {
    // Once, for the server's life: its connections, to cut them when it goes down.
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.once('close', () => this.sockets.delete(s));
    });
  }

  static async start(): Promise<WebhookReceiver> {
    const r = new WebhookReceiver();
    await r.listen(0);
    return r;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hooks`;
  }

  /** Listens (again) on its port, or a new one the first time. */
  async listen(port = this.port): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => {
        this.server.off('error', reject);
        resolve();
      });
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Down: the port closed and every connection cut, as a receiver that crashed. */
  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.hung.clear();
    await closed;
  }

  async close(): Promise<void> {
    if (this.server.listening) await this.down();
  }

  /** Answers what it held (hung requests) with `status`. */
  release(status = 204): void {
    for (const res of this.hung) res.writeHead(status).end();
    this.hung.clear();
  }

  /** The applied events of one recommendation, as `reference.seq`. */
  appliedFor(reference: string): number[] {
    return this.applied.filter((w) => w.event.data.reference === reference).map((w) => w.event.data.seq);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const headers = {
      'webhook-id': String(req.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
    };
    const verifiedBy = this.secrets.flatMap((secret, i) => {
      try {
        new Webhook(secret).verify(body, headers);
        return [i];
      } catch {
        return [];
      }
    });
    const base = {
      id: headers['webhook-id'],
      timestamp: headers['webhook-timestamp'],
      signature: headers['webhook-signature'],
      contentType: String(req.headers['content-type'] ?? ''),
      body,
      event: JSON.parse(body) as ReceivedWebhook['event'],
      verifiedBy,
      at: Date.now(),
    };
    const answer = verifiedBy.length === 0 ? 401 : this.answer(this.received.length + 1, base);
    const answered = typeof answer === 'object' ? answer.status : answer;
    const webhook: ReceivedWebhook = { ...base, answered };
    this.received.push(webhook);
    if (answered === 'hang') {
      this.hung.add(res);
      return;
    }
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (typeof answer === 'object') await new Promise((resolve) => setTimeout(resolve, answer.afterMs));
    this.inFlight -= 1;
    if (answered >= 200 && answered < 300 && !this.seen.has(webhook.id)) {
      this.seen.add(webhook.id);
      this.applied.push(webhook);
    }
    res.writeHead(answered).end();
  }
}
