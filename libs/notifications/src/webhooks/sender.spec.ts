import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebhookSender, type WebhookSenderConfig } from './sender';

/**
 * The HTTP edge of webhooks against a real local receiver (node:http on 127.0.0.1, an ephemeral port):
 * each fault is made by the receiver, and the receiver's own count of requests proves it happened.
 */

const TIMEOUT_MS = 300;
const MB = 1024 * 1024;

const config = (more: Partial<WebhookSenderConfig> = {}): WebhookSenderConfig => ({
  allowed: '',
  allowLoopback: true,
  allowHttp: false,
  connectTimeoutMs: 1_000,
  timeoutMs: TIMEOUT_MS,
  maxResponseBytes: 16_384,
  ...more,
});

interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}

const seen: Seen[] = [];
const held: ServerResponse[] = [];
/** Requests the receiver got, counted as they arrive (before their body is read). */
let arrived = 0;
/** Endless answers whose connection the sender cut. */
let endlessCut = 0;

function receive(req: IncomingMessage, res: ServerResponse): void {
  arrived += 1;
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    seen.push({
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: Buffer.concat(chunks).toString(),
    });
    switch (req.url ?? '') {
      case '/ok':
        res.writeHead(200, { 'content-type': 'text/plain' }).end('thanks');
        return;
      case '/no-content':
        res.writeHead(204).end();
        return;
      case '/fail':
        res.writeHead(500, { 'content-type': 'text/plain' }).end('down for maintenance');
        return;
      case '/moved':
        res.writeHead(302, { location: `${base}/elsewhere` }).end();
        return;
      case '/silent':
        // Accepted, read, and never answered.
        held.push(res);
        return;
      case '/huge': {
        // 5 MB announced and sent.
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(5 * MB) });
        res.end(Buffer.alloc(5 * MB, 'x'));
        return;
      }
      case '/endless': {
        // 5 MB in chunks, no length, and the answer never ends: only a reader that stops early returns.
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        held.push(res);
        let sent = 0;
        const chunk = Buffer.alloc(64 * 1024, 'y');
        const more = () => {
          while (sent < 5 * MB && !res.destroyed) {
            sent += chunk.length;
            if (!res.write(chunk)) return void res.once('drain', more);
          }
        };
        res.on('close', () => (endlessCut += 1));
        more();
        return;
      }
      default:
        res.writeHead(404).end();
    }
  });
}

let server: Server;
let base: string;
let port: number;
let closedPort: number;
let sender: WebhookSender;
let strict: WebhookSender;

const listen = (s: Server): Promise<number> =>
  new Promise((done) => s.listen(0, '127.0.0.1', () => done((s.address() as AddressInfo).port)));

beforeAll(async () => {
  server = createServer(receive);
  port = await listen(server);
  base = `http://127.0.0.1:${port}`;
  // A port that was just free: nothing listens on it.
  const gone = createServer();
  closedPort = await listen(gone);
  await new Promise((done) => gone.close(done));
  sender = new WebhookSender(config());
  strict = new WebhookSender(config({ allowLoopback: false }));
});

afterAll(async () => {
  for (const res of held) res.destroy();
  await Promise.all([sender.close(), strict.close()]);
  server.closeAllConnections();
  await new Promise((done) => server.close(done));
});

beforeEach(() => {
  seen.length = 0;
  arrived = 0;
});

const headers = { 'content-type': 'application/cloudevents+json; charset=utf-8', 'webhook-id': 'DIPB-2026-0014.12' };
const body = '{"specversion":"1.0","id":"DIPB-2026-0014.12"}';

describe('WebhookSender', () => {
  it('delivers on a 2xx: the status, no error, and the request as sent', async () => {
    const ok = await sender.post(`${base}/ok`, headers, body);
    expect(ok).toEqual({ status: 200, latencyMs: expect.any(Number), error: null });
    expect(ok.latencyMs).toBeGreaterThan(0);
    const none = await sender.post(`${base}/no-content`, headers, body);
    expect(none).toMatchObject({ status: 204, error: null });
    expect(seen.map((s) => `${s.method} ${s.path}`)).toEqual(['POST /ok', 'POST /no-content']);
    expect(seen[0]?.body).toBe(body);
    expect(seen[0]?.headers).toMatchObject({
      'content-type': 'application/cloudevents+json; charset=utf-8',
      'webhook-id': 'DIPB-2026-0014.12',
      'user-agent': 'dipb-webhooks/1',
    });
  });

  it('fails on a 500, naming the status', async () => {
    expect(await sender.post(`${base}/fail`, headers, body)).toMatchObject({ status: 500, error: 'answered 500' });
    expect(seen).toHaveLength(1);
  });

  it('does not follow a redirect: one request, and the failure says where it pointed', async () => {
    const moved = await sender.post(`${base}/moved`, headers, body);
    expect(moved).toMatchObject({ status: 302, error: `redirect to ${base}/elsewhere not followed` });
    expect(arrived).toBe(1);
    expect(seen.map((s) => s.path)).toEqual(['/moved']);
  });

  it('gives up on a receiver that accepts and never answers, after timeoutMs', async () => {
    const silent = await sender.post(`${base}/silent`, headers, body);
    expect(silent).toMatchObject({ status: null, error: `no answer within ${TIMEOUT_MS} ms` });
    expect(silent.latencyMs).toBeGreaterThanOrEqual(TIMEOUT_MS - 1);
    expect(silent.latencyMs).toBeLessThan(TIMEOUT_MS + 2_000);
    // The receiver had the request.
    expect(seen.map((s) => s.path)).toEqual(['/silent']);
  });

  it('gives up on a caller abort at once, with no answer', async () => {
    const abort = new AbortController();
    const pending = sender.post(`${base}/silent`, headers, body, abort.signal);
    setTimeout(() => abort.abort(new Error('worker shutting down')), 50);
    const aborted = await pending;
    expect(aborted.status).toBeNull();
    expect(aborted.error).not.toBeNull();
    expect(aborted.error).not.toContain('no answer within');
    expect(aborted.latencyMs).toBeLessThan(TIMEOUT_MS);
  });

  it('delivers on a 200 with a 5 MB answer without reading it all', async () => {
    const huge = await sender.post(`${base}/huge`, headers, body);
    expect(huge).toMatchObject({ status: 200, error: null });
    const endless = await sender.post(`${base}/endless`, headers, body);
    expect(endless).toMatchObject({ status: 200, error: null });
    // An answer read to its end would have lasted until the deadline.
    expect(endless.latencyMs).toBeLessThan(TIMEOUT_MS);
    expect(seen.map((s) => s.path)).toEqual(['/huge', '/endless']);
    // The connection was cut before the endless answer was all sent.
    await new Promise((done) => setTimeout(done, 50));
    expect(endlessCut).toBe(1);
  });

  it('refuses, at connect time, a loopback destination when loopback is not allowed: the receiver sees nothing', async () => {
    for (const url of [
      `http://127.0.0.1:${port}/ok`,
      `http://localhost:${port}/ok`,
      `http://[::ffff:127.0.0.1]:${port}/ok`,
    ]) {
      const refused = await strict.post(url, headers, body);
      expect(refused.status).toBeNull();
      expect(refused.error).toContain('destination refused');
      expect(refused.error).toContain('WEBHOOK_ALLOW_LOOPBACK');
    }
    expect(arrived).toBe(0);
    expect(seen).toEqual([]);
    // The same receiver, allowed.
    expect(await sender.post(`http://localhost:${port}/ok`, headers, body)).toMatchObject({ status: 200, error: null });
    expect(seen).toHaveLength(1);
  });

  it('fails with ECONNREFUSED on a port nothing listens on', async () => {
    const refused = await sender.post(`http://127.0.0.1:${closedPort}/ok`, headers, body);
    expect(refused.status).toBeNull();
    expect(refused.error).toMatch(/^ECONNREFUSED: /);
  });
});
