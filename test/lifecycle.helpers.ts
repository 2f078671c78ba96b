import { Client, Connection } from '@temporalio/client';
import type { NationCode, PolicyInput, RecommendationView, WorkingGroup } from '@app/domain';
import {
  call,
  eventually,
  startApi,
  startWorker,
  tokenFor,
  type HttpResult,
  type RunningApi,
  type RunningWorker,
} from '@app/testing';

/** Second-scale deadlines: a whole lifecycle runs in seconds against the real servers. */
export const FAST_POLICY: PolicyInput = {
  consensusSilence: 'PT3S',
  approvalSilence: 'PT3S',
  silenceReminders: ['PT1S'],
  responseDue: 'PT8S',
  responseReminders: ['PT4S'],
  overdueEvery: 'PT2S',
  escalateAfter: 2,
  followUpEvery: 'PT6S',
  followUpReminder: 'PT3S',
  autoSubmit: false,
};

export interface Callers {
  secretariat: string;
  wg(nation: NationCode, wg?: WorkingGroup): Promise<string>;
  senior(nation: NationCode): Promise<string>;
  director(nation: NationCode): Promise<string>;
  observer: string;
}

export async function callers(): Promise<Callers> {
  return {
    secretariat: await tokenFor({ sub: 'sec-anna', name: 'Anna Secretariat', roles: ['secretariat'] }),
    wg: (nation, wg = 'IC') => tokenFor({ sub: `wg-${nation}`, roles: ['wg-member'], nation, workingGroups: [wg] }),
    senior: (nation) => tokenFor({ sub: `senior-${nation}`, roles: ['senior-rep'], nation }),
    director: (nation) => tokenFor({ sub: `nad-${nation}`, roles: ['director'], nation }),
    observer: await tokenFor({ sub: 'obs-1', roles: ['observer'] }),
  };
}

export async function temporalClient(): Promise<{ client: Client; close: () => Promise<void> }> {
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7243' });
  return {
    client: new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' }),
    close: () => connection.close(),
  };
}

/** The API (in this process) and a worker, the callers' tokens and a Temporal client: set by `e2eStack()`'s hooks. */
export interface Stack {
  api: RunningApi;
  worker: RunningWorker | undefined;
  who: Callers;
  temporal: { client: Client; close: () => Promise<void> };
}

/**
 * Registers the hooks of an end-to-end spec: beforeAll starts the API and a worker (with `workerEnv`),
 * afterAll stops the worker (the one a test put in its place included), the API, and the client.
 * Read the fields in the tests; a spec's own hooks, declared after, run after these.
 */
export function e2eStack(opts: { workerEnv?: () => Promise<NodeJS.ProcessEnv>; timeoutMs?: number } = {}): Stack {
  const s = {} as Stack;
  beforeAll(async () => {
    [s.api, s.worker] = await Promise.all([startApi(), startWorker(await opts.workerEnv?.())]);
    s.who = await callers();
    s.temporal = await temporalClient();
  }, opts.timeoutMs);
  afterAll(async () => {
    await s.worker?.stop();
    await s.api?.close();
    await s.temporal?.close();
  });
  return s;
}

export async function raise(
  api: RunningApi,
  token: string,
  overrides: Record<string, unknown> = {},
): Promise<RecommendationView> {
  const res = await call<RecommendationView>(api, 'POST', '/api/v1/recommendations', {
    token,
    body: {
      title: 'Secure the supply of 155 mm shells',
      summary: 'Allies should pool demand for propellant and energetics.',
      body: '## Recommendation\n\nPool demand for propellant.',
      workingGroup: 'IC',
      language: 'en',
      nations: ['FRA', 'DEU', 'USA'],
      policy: FAST_POLICY,
      rapporteur: 'rapporteur@dipb.example',
      ...overrides,
    },
  });
  if (res.status !== 201) throw new Error(`raise answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** The nation's director, through the API: its answer (`response`) or a progress report (`progress`); 200 expected. */
export async function byDirector(
  s: Stack,
  reference: string,
  nation: NationCode,
  what: 'response' | 'progress',
  body: Record<string, unknown>,
): Promise<RecommendationView> {
  return expectOk(
    await call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${reference}/nations/${nation}/${what}`, {
      token: await s.who.director(nation),
      body,
    }),
  );
}

export function expectOk(res: HttpResult<RecommendationView>): RecommendationView {
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Waits until the read model shows the recommendation in `stage` (the process moves by its own timers). */
export function waitForStage(
  api: RunningApi,
  token: string,
  reference: string,
  stage: string,
  timeoutMs = 30_000,
): Promise<RecommendationView> {
  return eventually(async () => {
    const res = await call<RecommendationView>(api, 'GET', `/api/v1/recommendations/${reference}`, { token });
    return res.status === 200 && res.body.stage === stage ? res.body : undefined;
  }, timeoutMs);
}

export interface EventLine {
  seq: number;
  type: string;
  at: string;
  actor: { id: string; role: string; onBehalfOf?: string };
  data: Record<string, unknown>;
}

export async function events(api: RunningApi, token: string, reference: string): Promise<EventLine[]> {
  const res = await call<EventLine[]>(api, 'GET', `/api/v1/recommendations/${reference}/events`, { token });
  if (res.status !== 200) throw new Error(`events answered ${res.status}`);
  return res.body;
}

/** The trail, once it records at least `count` notifications of `kind` sent. */
export function untilSent(
  api: RunningApi,
  token: string,
  reference: string,
  kind: string,
  count: number,
  timeoutMs: number,
): Promise<EventLine[]> {
  return eventually(async () => {
    const got = await events(api, token, reference);
    return got.filter((e) => e.type === 'notification-sent' && e.data.kind === kind).length >= count ? got : undefined;
  }, timeoutMs);
}
