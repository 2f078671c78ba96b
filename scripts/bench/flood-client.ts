/**
 * The hostile side of the flood part, in a process of its own (as an attacker is on a machine of its
 * own): it takes a catalogue of requests over IPC, sends them round-robin at a fixed concurrency until
 * the count is reached or the time is up, and answers with the statuses it got, by kind.
 */

/** One hostile request, as the bench describes it. */
export interface HostileRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  /** The body as text, or `size` bytes of `fill` (an oversized payload, built once). */
  body?: string | { fill: string; size: number; prefix?: string };
}

export interface FloodOrder {
  url: string;
  requests: number;
  concurrency: number;
  seconds: number;
  catalogue: HostileRequest[];
}

export interface FloodReport {
  sent: number;
  wallMs: number;
  /** kind → status (or `error:<code>` when no answer came) → count. */
  byKind: Record<string, Record<string, number>>;
  /** One example per 5xx (kind, path, body start), to name the fault. */
  examples5xx: Array<{ kind: string; method: string; path: string; status: number; body: string }>;
}

function bodyOf(r: HostileRequest): string | Buffer | undefined {
  if (r.body === undefined || typeof r.body === 'string') return r.body;
  const { fill, size, prefix = '' } = r.body;
  return Buffer.concat([Buffer.from(prefix), Buffer.alloc(size, fill)]);
}

async function flood(order: FloodOrder): Promise<FloodReport> {
  const prepared = order.catalogue.map((r) => ({ ...r, payload: bodyOf(r) }));
  const byKind: FloodReport['byKind'] = {};
  const examples5xx: FloodReport['examples5xx'] = [];
  const count = (kind: string, key: string) => {
    const k = (byKind[kind] ??= {});
    k[key] = (k[key] ?? 0) + 1;
  };
  const deadline = performance.now() + order.seconds * 1000;
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: order.concurrency }, async () => {
      while (next < order.requests && performance.now() < deadline) {
        const r = prepared[next++ % prepared.length]!;
        try {
          const res = await fetch(`${order.url}${r.path}`, {
            method: r.method,
            headers: r.headers,
            body: r.payload,
            redirect: 'manual',
          });
          const text = await res.text();
          count(r.kind, String(res.status));
          // Every 5xx other than 503 as an example (up to 20), and the first 503.
          const example = res.status >= 500 && (res.status !== 503 || !examples5xx.some((e) => e.status === 503));
          if (example && examples5xx.length < 20)
            examples5xx.push({
              kind: r.kind,
              method: r.method,
              path: r.path,
              status: res.status,
              body: text.slice(0, 300),
            });
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause;
          count(r.kind, `error:${cause?.code ?? (err instanceof Error ? err.name : 'unknown')}`);
        }
      }
    }),
  );
  return { sent: Math.min(next, order.requests), wallMs: performance.now() - started, byKind, examples5xx };
}

process.on('message', (order: FloodOrder) => {
  flood(order).then(
    (report) => process.send?.(report, () => process.exit(0)),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
});
process.send?.('ready');
