/**
 * 6. The fixed cost of a request: the cheapest authenticated route (`GET /api/v1/me`: JWT, guards,
 * rate limit, logging, tracing, serialisation) against a bare `node:http` server in a process of
 * its own answering a JSON body of the same size, same client, same run.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { call, freePort } from '../../libs/testing/src';
import { againstFloor, latency, log, tokens, type AgainstFloor, type BenchStack, type Latency } from './common';

export interface OverheadResult extends AgainstFloor {
  samples: number;
  api: Latency;
  bare: Latency;
}

/** A bare HTTP server answering every request with `body`, in a process of its own (as the API is). */
async function bareServer(port: number, body: string): Promise<ChildProcess> {
  const code = `require('node:http').createServer((req, res) => { res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }); res.end(${JSON.stringify(body)}); }).listen(${port}, '127.0.0.1', () => console.log('listening'));`;
  const child = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  process.once('exit', () => child.kill('SIGKILL'));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (c) => reject(new Error(`bare server exited with ${c}`)));
  });
  return child;
}

async function timeEach(samples: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < Math.min(100, samples); i++) await fn();
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

export async function benchOverhead(stack: BenchStack, { samples = 2000 } = {}): Promise<OverheadResult> {
  const t = await tokens(['FRA']);
  const token = t.director.get('FRA')!;
  const sample = await call(stack.api, 'GET', '/api/v1/me', { token });
  if (sample.status !== 200) throw new Error(`GET /api/v1/me answered ${sample.status}`);
  const port = await freePort();
  const bare = await bareServer(port, JSON.stringify(sample.body));
  try {
    log(`overhead: GET /api/v1/me vs a bare node:http server, ${samples} sequential requests each`);
    const api = await timeEach(samples, async () => {
      if ((await call(stack.api, 'GET', '/api/v1/me', { token })).status !== 200) throw new Error('me failed');
    });
    const bareUrl = { url: `http://127.0.0.1:${port}`, close: () => Promise.resolve() };
    const floor = await timeEach(samples, async () => {
      if ((await call(bareUrl, 'GET', '/', { token })).status !== 200) throw new Error('bare failed');
    });
    const a = latency(api);
    const b = latency(floor);
    return { samples, api: a, bare: b, ...againstFloor(a, b) };
  } finally {
    bare.kill('SIGTERM');
  }
}
