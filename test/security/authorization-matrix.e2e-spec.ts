import type { PolicyInput, RecommendationView } from '@app/domain';
import { call, startApi, startWorker, tokenFor, type RunningApi, type RunningWorker } from '@app/testing';
import { FAST_POLICY, expectOk, raise, waitForStage } from '../lifecycle.helpers';

/**
 * Every route of the API (docs/openapi.json) × every kind of caller → the status they get, from ONE table, against the real
 * API, worker, Temporal and PostgreSQL. Command routes are aimed at recommendations in the stage that
 * makes each cell meaningful: the guard's 403 (role), the domain's 403 (nation, working group) and 409 (stage).
 */

const CALLERS = [
  'none',
  'secretariat',
  'wgRightWg',
  'wgWrongWg',
  'seniorRep',
  'directorOwn',
  'directorOther',
  'observer',
] as const;
type Caller = (typeof CALLERS)[number];

// Recommendations the table aims at, each raised for FRA and DEU in working group IC.
type Fixture =
  'drafting' | 'toCall' | 'consensus' | 'approval' | 'approved' | 'submitted' | 'accepted' | 'toWithdraw' | 'toClose';

interface Row {
  route: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: (ref: (f: Fixture) => string) => string;
  body?: (caller: Caller) => unknown;
  /** Expected status per caller; callers not named get `otherwise`. */
  expect: Partial<Record<Caller, number>>;
  otherwise: number;
  /** A Server-Sent Events stream: its status and type are read, then it is closed. */
  stream?: boolean;
}

const ANY_ROLE = { none: 401 } as const;
const reads = (route: string, path: Row['path']): Row => ({
  route,
  method: 'GET',
  path,
  expect: ANY_ROLE,
  otherwise: 200,
});
const secretariatOnly = (route: string, path: Row['path'], body: Row['body'], ok = 200): Row => ({
  route,
  method: 'POST',
  path,
  body,
  expect: { none: 401, secretariat: ok },
  otherwise: 403,
});

const stamp = Date.now().toString(36);

/** The webhook subscriptions the table aims at (made in beforeAll, off so they deliver nothing): one to change, one to delete. */
const HOOKS = { kept: '', doomed: '', position: '' };
const secretariatManages = (
  method: Row['method'],
  route: string,
  path: () => string,
  body?: Row['body'],
  ok = 200,
): Row => ({
  route: `${method} ${route}`,
  method,
  path,
  ...(body ? { body } : {}),
  expect: { none: 401, secretariat: ok },
  otherwise: 403,
});

const TABLE: Row[] = [
  reads('GET /api/v1/recommendations', () => '/api/v1/recommendations?stage=drafting&limit=5'),
  reads('GET /api/v1/recommendations/{ref}', (r) => `/api/v1/recommendations/${r('drafting')}`),
  reads('GET /api/v1/recommendations/{ref}/revisions', (r) => `/api/v1/recommendations/${r('drafting')}/revisions`),
  reads(
    'GET /api/v1/recommendations/{ref}/revisions/{n}',
    (r) => `/api/v1/recommendations/${r('drafting')}/revisions/1`,
  ),
  reads('GET /api/v1/recommendations/{ref}/events', (r) => `/api/v1/recommendations/${r('drafting')}/events`),
  reads('GET /api/v1/events', () => '/api/v1/events?limit=5'),
  { ...reads('GET /api/v1/events/stream', () => '/api/v1/events/stream'), stream: true },
  secretariatManages(
    'POST',
    '/api/v1/webhooks',
    () => '/api/v1/webhooks',
    () => ({ url: 'http://127.0.0.1:9/matrix', eventTypes: ['raised'] }),
    201,
  ),
  secretariatManages('GET', '/api/v1/webhooks', () => '/api/v1/webhooks'),
  secretariatManages('GET', '/api/v1/webhooks/{id}', () => `/api/v1/webhooks/${HOOKS.kept}`),
  secretariatManages(
    'PATCH',
    '/api/v1/webhooks/{id}',
    () => `/api/v1/webhooks/${HOOKS.kept}`,
    (c) => ({ description: `changed by ${c}` }),
  ),
  secretariatManages('POST', '/api/v1/webhooks/{id}/secret', () => `/api/v1/webhooks/${HOOKS.kept}/secret`),
  secretariatManages(
    'POST',
    '/api/v1/webhooks/{id}/redeliveries',
    () => `/api/v1/webhooks/${HOOKS.kept}/redeliveries`,
    () => ({ after: HOOKS.position }),
  ),
  secretariatManages('GET', '/api/v1/webhooks/{id}/deliveries', () => `/api/v1/webhooks/${HOOKS.kept}/deliveries`),
  secretariatManages('GET', '/api/v1/webhooks/{id}/changes', () => `/api/v1/webhooks/${HOOKS.kept}/changes`),
  secretariatManages('DELETE', '/api/v1/webhooks/{id}', () => `/api/v1/webhooks/${HOOKS.doomed}`, undefined, 204),
  reads('GET /api/v1/nations', () => '/api/v1/nations'),
  reads('GET /api/v1/nations/{code}/changes', () => '/api/v1/nations/LUX/changes'),
  reads('GET /api/v1/calendar/{year}', () => '/api/v1/calendar/2027'),
  {
    route: 'GET /api/v1/calendar/changes',
    method: 'GET',
    path: () => '/api/v1/calendar/changes',
    expect: { none: 401, secretariat: 200 },
    otherwise: 403,
  },
  {
    route: 'PUT /api/v1/calendar/closure-days/{date}',
    method: 'PUT',
    path: () => '/api/v1/calendar/closure-days/2031-06-03',
    body: () => ({ reason: 'Matrix closure' }),
    expect: { none: 401, secretariat: 200 },
    otherwise: 403,
  },
  {
    // A day that was never closed: the secretariat passes the guard and meets the 404.
    route: 'DELETE /api/v1/calendar/closure-days/{date}',
    method: 'DELETE',
    path: () => '/api/v1/calendar/closure-days/2031-06-04',
    expect: { none: 401, secretariat: 404 },
    otherwise: 403,
  },
  reads('GET /api/v1/reports/overview', () => '/api/v1/reports/overview'),
  reads('GET /api/v1/me', () => '/api/v1/me'),
  { route: 'GET /health/live', method: 'GET', path: () => '/health/live', expect: {}, otherwise: 200 },
  { route: 'GET /health/ready', method: 'GET', path: () => '/health/ready', expect: {}, otherwise: 200 },
  secretariatOnly(
    'POST /api/v1/recommendations',
    () => '/api/v1/recommendations',
    (c) => raiseBody(`matrix ${stamp} ${c}`),
    201,
  ),
  {
    route: 'PUT /api/v1/nations/{code}/director',
    method: 'PUT',
    path: () => '/api/v1/nations/LUX/director',
    body: () => ({ name: 'Directeur LUX', email: 'director.lux@mod.example', language: 'fr' }),
    expect: { none: 401, secretariat: 200 },
    otherwise: 403,
  },
  {
    route: 'PUT /api/v1/nations/{code}/senior-rep',
    method: 'PUT',
    path: () => '/api/v1/nations/LUX/senior-rep',
    body: () => ({ name: 'Représentant LUX', email: 'senior.lux@mod.example' }),
    expect: { none: 401, secretariat: 200 },
    otherwise: 403,
  },
  {
    route: 'PUT /api/v1/nations/{code}/wg-delegates/{wg}',
    method: 'PUT',
    path: () => '/api/v1/nations/LUX/wg-delegates/IC',
    body: () => ({ name: 'Délégué LUX', email: 'wg-ic.lux@mod.example' }),
    expect: { none: 401, secretariat: 200 },
    otherwise: 403,
  },
  {
    route: 'POST /api/v1/nations/directory/import',
    method: 'POST',
    path: () => '/api/v1/nations/directory/import',
    // JSON is not CSV: the secretariat gets 415 (the guard's 401/403 come first for everyone else).
    body: () => ({ csv: 'nation,contact' }),
    expect: { none: 401, secretariat: 415 },
    otherwise: 403,
  },
  secretariatOnly(
    'POST {ref}/revisions (drafting)',
    (r) => `/api/v1/recommendations/${r('drafting')}/revisions`,
    (c) => ({ title: `Revised by ${c} ${stamp}`, note: 'matrix' }),
  ),
  secretariatOnly(
    'POST {ref}/consensus (drafting)',
    (r) => `/api/v1/recommendations/${r('toCall')}/consensus`,
    () => ({ silence: 'P1D' }),
  ),
  {
    route: 'POST {ref}/consensus/positions (wg-consensus)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('consensus')}/consensus/positions`,
    body: () => ({ position: 'concur', comment: 'Agreed' }),
    expect: { none: 401, wgRightWg: 200, wgWrongWg: 403 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/consensus/positions (drafting)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('drafting')}/consensus/positions`,
    body: () => ({ position: 'concur', comment: 'Agreed' }),
    expect: { none: 401, wgRightWg: 409, wgWrongWg: 409 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/approval/positions (senior-approval)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('approval')}/approval/positions`,
    body: () => ({ position: 'concur', comment: 'Approved' }),
    expect: { none: 401, seniorRep: 200 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/approval/positions (drafting)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('drafting')}/approval/positions`,
    body: () => ({ position: 'concur', comment: 'Approved' }),
    expect: { none: 401, seniorRep: 409 },
    otherwise: 403,
  },
  secretariatOnly(
    'POST {ref}/submission (approved)',
    (r) => `/api/v1/recommendations/${r('approved')}/submission`,
    () => ({}),
  ),
  secretariatOnly(
    'POST {ref}/submission (drafting)',
    (r) => `/api/v1/recommendations/${r('drafting')}/submission`,
    () => ({}),
    409,
  ),
  {
    route: 'POST {ref}/nations/FRA/response (submitted)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('submitted')}/nations/FRA/response`,
    body: (c) => ({ decision: 'under-consideration', comment: `Considering (${c})` }),
    expect: { none: 401, directorOwn: 200, secretariat: 200, directorOther: 403 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/nations/FRA/response (drafting)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('drafting')}/nations/FRA/response`,
    body: () => ({ decision: 'accepted', comment: 'Yes' }),
    expect: { none: 401, directorOwn: 409, secretariat: 409, directorOther: 409 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/nations/FRA/progress (FRA accepted)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('accepted')}/nations/FRA/progress`,
    body: (c) => ({ status: 'in-progress', percent: c === 'secretariat' ? 20 : 10, comment: `Under way (${c})` }),
    expect: { none: 401, directorOwn: 200, secretariat: 200, directorOther: 403 },
    otherwise: 403,
  },
  {
    route: 'POST {ref}/nations/FRA/progress (drafting)',
    method: 'POST',
    path: (r) => `/api/v1/recommendations/${r('drafting')}/nations/FRA/progress`,
    body: () => ({ status: 'in-progress', percent: 10, comment: 'Under way' }),
    expect: { none: 401, directorOwn: 409, secretariat: 409, directorOther: 409 },
    otherwise: 403,
  },
  secretariatOnly(
    'POST {ref}/withdrawal (drafting)',
    (r) => `/api/v1/recommendations/${r('toWithdraw')}/withdrawal`,
    () => ({ reason: 'Superseded' }),
  ),
  secretariatOnly(
    'POST {ref}/closure (submitted)',
    (r) => `/api/v1/recommendations/${r('toClose')}/closure`,
    () => ({ reason: 'Superseded' }),
  ),
  secretariatOnly(
    'POST {ref}/closure (drafting)',
    (r) => `/api/v1/recommendations/${r('drafting')}/closure`,
    () => ({ reason: 'Superseded' }),
    409,
  ),
];

const MATRIX_POLICY: PolicyInput = {
  ...FAST_POLICY,
  consensusSilence: 'PT2S',
  approvalSilence: 'PT2S',
  responseDue: 'P30D',
  responseReminders: ['P1D'],
  followUpEvery: 'P180D',
  followUpReminder: 'P14D',
};

function raiseBody(title: string): Record<string, unknown> {
  return {
    title,
    summary: 'Matrix fixture',
    body: 'Text',
    workingGroup: 'IC',
    language: 'en',
    nations: ['FRA', 'DEU'],
    policy: MATRIX_POLICY,
  };
}

describe('authorization matrix: every route × every caller, one table', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  const tokens = {} as Record<Exclude<Caller, 'none'>, string>;
  const refs = {} as Record<Fixture, string>;

  const post = (path: string, token: string, body: unknown = {}) =>
    call<RecommendationView>(api, 'POST', path, { token, body });

  /** Raises one recommendation and walks it to `stage` through the API; returns its reference. */
  async function fixture(
    upTo: 'drafting' | 'consensus' | 'approval' | 'approved' | 'submitted' | 'accepted',
    policy: PolicyInput = MATRIX_POLICY,
  ): Promise<string> {
    const ref = (await raise(api, tokens.secretariat, { nations: ['FRA', 'DEU'], policy })).reference;
    if (upTo === 'drafting') return ref;
    expectOk(
      await post(`/api/v1/recommendations/${ref}/consensus`, tokens.secretariat, {
        silence: upTo === 'consensus' ? 'P1D' : 'PT2S',
      }),
    );
    if (upTo === 'consensus') return ref;
    await waitForStage(api, tokens.secretariat, ref, 'senior-approval');
    if (upTo === 'approval') return ref;
    await waitForStage(api, tokens.secretariat, ref, 'approved');
    if (upTo === 'approved') return ref;
    expectOk(await post(`/api/v1/recommendations/${ref}/submission`, tokens.secretariat));
    if (upTo === 'submitted') return ref;
    expectOk(
      await post(`/api/v1/recommendations/${ref}/nations/FRA/response`, tokens.directorOwn, {
        decision: 'accepted',
        comment: 'Oui',
      }),
    );
    return ref;
  }

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker()]);
    tokens.secretariat = await tokenFor({ sub: 'm-sec', roles: ['secretariat'] });
    tokens.wgRightWg = await tokenFor({
      sub: 'm-wg-fra-ic',
      roles: ['wg-member'],
      nation: 'FRA',
      workingGroups: ['IC'],
    });
    tokens.wgWrongWg = await tokenFor({
      sub: 'm-wg-fra-scs',
      roles: ['wg-member'],
      nation: 'FRA',
      workingGroups: ['SCS'],
    });
    tokens.seniorRep = await tokenFor({ sub: 'm-senior-fra', roles: ['senior-rep'], nation: 'FRA' });
    tokens.directorOwn = await tokenFor({ sub: 'm-nad-fra', roles: ['director'], nation: 'FRA' });
    tokens.directorOther = await tokenFor({ sub: 'm-nad-deu', roles: ['director'], nation: 'DEU' });
    tokens.observer = await tokenFor({ sub: 'm-obs', roles: ['observer'] });
    const approvalHolds = { ...MATRIX_POLICY, approvalSilence: 'P1D' };
    const [drafting, toCall, consensus, approval, approved, submitted, accepted, toWithdraw, toClose] =
      await Promise.all([
        fixture('drafting'),
        fixture('drafting'),
        fixture('consensus'),
        fixture('approval', approvalHolds),
        fixture('approved'),
        fixture('submitted'),
        fixture('accepted'),
        fixture('drafting'),
        fixture('submitted'),
      ]);
    Object.assign(refs, { drafting, toCall, consensus, approval, approved, submitted, accepted, toWithdraw, toClose });
    for (const key of ['kept', 'doomed'] as const) {
      const made = await call<{ id: string; position: string }>(api, 'POST', '/api/v1/webhooks', {
        token: tokens.secretariat,
        body: { url: 'http://127.0.0.1:9/matrix', eventTypes: ['raised'] },
      });
      HOOKS[key] = made.body.id;
      HOOKS.position = made.body.position;
      await call(api, 'PATCH', `/api/v1/webhooks/${made.body.id}`, {
        token: tokens.secretariat,
        body: { active: false },
      });
    }
  }, 120_000);

  afterAll(async () => {
    // The subscriptions made here, the table's own included, gone with their loops.
    if (api) {
      const hooks = await call<{ id: string }[]>(api, 'GET', '/api/v1/webhooks', { token: tokens.secretariat });
      for (const h of hooks.body) await call(api, 'DELETE', `/api/v1/webhooks/${h.id}`, { token: tokens.secretariat });
    }
    await worker?.stop();
    await api?.close();
  });

  /** A stream's answer: its status and headers (and the body of a refusal), then the stream closed. */
  async function streamStatus(path: string, token: string | undefined) {
    const abort = new AbortController();
    const res = await fetch(`${api.url}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      signal: abort.signal,
    });
    const body: unknown = res.ok ? null : await res.json();
    abort.abort();
    return { status: res.status, headers: res.headers, body };
  }

  it('answers every cell as the table says', async () => {
    const cells = TABLE.flatMap((row) =>
      CALLERS.map((caller) => ({ row, caller, expected: row.expect[caller] ?? row.otherwise })),
    );
    expect(TABLE).toHaveLength(46);
    expect(cells).toHaveLength(46 * 8); // 368 cells

    const results: string[] = [];
    // In table order, one at a time: a row's successful command must not change the stage another caller of that row meets.
    for (const { row, caller, expected } of cells) {
      const res = row.stream
        ? await streamStatus(
            row.path((f) => refs[f]),
            caller === 'none' ? undefined : tokens[caller],
          )
        : await call(
            api,
            row.method,
            row.path((f) => refs[f]),
            {
              ...(caller === 'none' ? {} : { token: tokens[caller] }),
              ...(row.body ? { body: row.body(caller) } : {}),
            },
          );
      const got = `${row.route} as ${caller}: ${res.status}`;
      results.push(
        res.status === expected ? got : `${got} (expected ${expected}: ${JSON.stringify(res.body).slice(0, 200)})`,
      );
      if (res.status >= 400) expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const wrong = results.filter((r) => r.includes('(expected'));
    console.log(`authorization matrix: ${cells.length} cells, ${cells.length - wrong.length} as expected`);
    expect(wrong).toEqual([]);
  });

  it('records the secretariat answering for a nation as on its behalf, and a director as themself', async () => {
    const res = await call<Array<{ type: string; actor: { id: string; role: string; onBehalfOf?: string } }>>(
      api,
      'GET',
      `/api/v1/recommendations/${refs.submitted}/events`,
      { token: tokens.observer },
    );
    const answers = res.body.filter((e) => e.type === 'national-response');
    expect(answers.map((e) => e.actor)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'm-nad-fra', role: 'director' }),
        expect.objectContaining({ id: 'm-sec', role: 'secretariat', onBehalfOf: 'FRA' }),
      ]),
    );
  });
});
