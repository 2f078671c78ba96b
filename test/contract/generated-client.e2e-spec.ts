import { readFileSync } from 'node:fs';
import createClient from 'openapi-fetch';
import { EVENT_TYPES } from '@app/domain';
import { LIST_LIMIT } from '@app/persistence';
import {
  eventually,
  startApi,
  startWorker,
  tokenFor,
  WebhookReceiver,
  type ReceivedWebhook,
  type RunningApi,
  type RunningWorker,
} from '@app/testing';
import { OPENAPI_FILE } from '@app/testing/openapi';
import type { components, paths } from './generated/dipb-api';

/*
 * Another system's view of the service: a client generated from the committed document
 * (openapi-typescript types, openapi-fetch calls) drives a whole small lifecycle against the real
 * API, worker, Temporal, PostgreSQL and SMTP. No casts here (lint forbids them in this folder):
 * every body is typed by the document alone, and `tsc --noEmit` checks this file under strict.
 */

type Recommendation = components['schemas']['RecommendationDto'];
type Problem = components['schemas']['ProblemDto'];
type WebhookEvent = components['schemas']['WebhookEvent'];

/** A delivery's body is the document's `WebhookEvent`: its constants hold and its type is one the document lists. */
function isWebhookEvent(e: ReceivedWebhook['event']): e is ReceivedWebhook['event'] & WebhookEvent {
  return (
    e.specversion === '1.0' &&
    e.datacontenttype === 'application/json' &&
    EVENT_TYPES.some((t) => e.type === `int.nato.dipb.${t}`) &&
    EVENT_TYPES.some((t) => e.data.type === t)
  );
}

interface Answer<T, E> {
  data?: T;
  error?: E;
  response: Response;
}

/** The body of a successful answer, or a failure that says what the service answered. */
function ok<T, E>(answer: Answer<T, E>, status = 200): T {
  if (answer.response.status !== status || answer.data === undefined) {
    throw new Error(`expected ${status}, got ${answer.response.status}: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

/** The problem of a failed answer. */
function problem<T>(answer: Answer<T, Problem>, status: number): Problem {
  if (answer.response.status !== status || answer.error === undefined) {
    throw new Error(
      `expected ${status}, got ${answer.response.status}: ${JSON.stringify(answer.data ?? answer.error)}`,
    );
  }
  expect(answer.response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  return answer.error;
}

describe('a client generated from the OpenAPI document', () => {
  let api: RunningApi;
  let worker: RunningWorker;
  const client = (token?: string) =>
    createClient<paths>({ baseUrl: api.url, headers: token ? { authorization: `Bearer ${token}` } : {} });

  beforeAll(async () => {
    [api, worker] = await Promise.all([startApi(), startWorker()]);
  }, 60_000);

  afterAll(async () => {
    await worker?.stop();
    await api?.close();
  });

  it('is generated from the document the API serves at /docs-json', async () => {
    const served: unknown = await (await fetch(`${api.url}/docs-json`)).json();
    expect(served).toEqual(JSON.parse(readFileSync(OPENAPI_FILE, 'utf8')));
  });

  it('drives a recommendation from raise to closed, with typed answers and typed problems', async () => {
    const secretariat = client(await tokenFor({ sub: 'sec-contract', roles: ['secretariat'] }));
    const director = async (nation: 'FRA' | 'DEU') =>
      client(await tokenFor({ sub: `nad-${nation}`, roles: ['director'], nation }));
    const stage = async (reference: string, wanted: Recommendation['stage']): Promise<Recommendation> =>
      eventually(async () => {
        const got = ok(
          await secretariat.GET('/api/v1/recommendations/{ref}', { params: { path: { ref: reference } } }),
        );
        return got.stage === wanted ? got : undefined;
      }, 30_000);

    // Raise, with an Idempotency-Key: a retry answers the same recommendation.
    const key = `contract-${Date.now().toString(36)}`;
    const body: components['schemas']['RaiseRecommendationDto'] = {
      title: 'Contract test: a shared stockpile of propellant',
      summary: 'Driven by a generated client.',
      body: '## Recommendation\n\nShare the stockpile.',
      workingGroup: 'SCS',
      language: 'en',
      nations: ['FRA', 'DEU'],
      policy: {
        consensusSilence: 'PT2S',
        approvalSilence: 'PT2S',
        silenceReminders: ['PT1S'],
        responseDue: 'PT60S',
        responseReminders: ['PT30S'],
      },
    };
    const raised = ok(
      await secretariat.POST('/api/v1/recommendations', { body, params: { header: { 'Idempotency-Key': key } } }),
      201,
    );
    expect(raised.stage).toBe('drafting');
    expect(raised.policy.consensusSilence).toBe('PT2S');
    const again = ok(
      await secretariat.POST('/api/v1/recommendations', { body, params: { header: { 'Idempotency-Key': key } } }),
      201,
    );
    expect(again.reference).toBe(raised.reference);
    const ref = { path: { ref: raised.reference } };

    // A command that does not fit the stage: 409, typed as the document's problem.
    const early = problem(await secretariat.POST('/api/v1/recommendations/{ref}/submission', { params: ref }), 409);
    expect(early.status).toBe(409);
    expect(early.detail).toContain('drafting');

    // An invalid body: 400 naming every bad field.
    const invalid = problem(
      await secretariat.POST('/api/v1/recommendations/{ref}/revisions', { params: ref, body: { note: '', title: '' } }),
      400,
    );
    expect(invalid.errors?.map((e) => e.field).sort()).toEqual(['note', 'title']);

    // Revise, then let WG silence and senior silence hold by themselves.
    const revised = ok(
      await secretariat.POST('/api/v1/recommendations/{ref}/revisions', {
        params: ref,
        body: { summary: 'Driven by a generated client, revised.', note: 'Clearer' },
      }),
    );
    expect(revised.revision).toBe(2);
    const called = ok(await secretariat.POST('/api/v1/recommendations/{ref}/consensus', { params: ref, body: {} }));
    expect(called.consensus?.revision).toBe(2);
    await stage(raised.reference, 'approved');

    // Submit to the directors; each answers for its own nation.
    const submitted = ok(await secretariat.POST('/api/v1/recommendations/{ref}/submission', { params: ref }));
    expect(submitted.submission?.revision).toBe(2);
    const fra = await director('FRA');
    const foreign = problem(
      await fra.POST('/api/v1/recommendations/{ref}/nations/{nation}/response', {
        params: { path: { ref: raised.reference, nation: 'DEU' } },
        body: { decision: 'accepted', comment: 'Not ours to say' },
      }),
      403,
    );
    expect(foreign.detail).toMatch(/DEU/);
    ok(
      await fra.POST('/api/v1/recommendations/{ref}/nations/{nation}/response', {
        params: { path: { ref: raised.reference, nation: 'FRA' } },
        body: { decision: 'accepted', comment: 'France will take part', plannedCompletion: '2027-06-30T00:00:00Z' },
      }),
    );
    const answered = ok(
      await (
        await director('DEU')
      ).POST('/api/v1/recommendations/{ref}/nations/{nation}/response', {
        params: { path: { ref: raised.reference, nation: 'DEU' } },
        body: { decision: 'not-accepted', comment: 'Stockpiles are national' },
      }),
    );
    expect(answered.stage).toBe('follow-up');
    expect(answered.nations.map((n) => [n.code, n.state])).toEqual([
      ['FRA', 'accepted'],
      ['DEU', 'not-accepted'],
    ]);

    // France implements: every nation is final, so the recommendation closes.
    const closed = ok(
      await fra.POST('/api/v1/recommendations/{ref}/nations/{nation}/progress', {
        params: { path: { ref: raised.reference, nation: 'FRA' } },
        body: { status: 'implemented', comment: 'Stockpile shared', evidenceUrl: 'https://mod.example/fr/stockpile' },
      }),
    );
    expect(closed.stage).toBe('closed');
    expect(closed.outcome?.acceptanceRate).toBe(0.5);
    expect(closed.outcome?.implementationRate).toBe(1);

    // The reads, typed: revisions, the audit trail, the outbox, the list.
    const revisions = ok(await secretariat.GET('/api/v1/recommendations/{ref}/revisions', { params: ref }));
    expect(revisions.map((r) => [r.number, r.by.id])).toEqual([
      [1, 'sec-contract'],
      [2, 'sec-contract'],
    ]);
    const second = ok(
      await secretariat.GET('/api/v1/recommendations/{ref}/revisions/{n}', {
        params: { path: { ref: raised.reference, n: 2 } },
      }),
    );
    expect(second.summary).toBe('Driven by a generated client, revised.');
    const trail = await eventually(async () => {
      const events = ok(await secretariat.GET('/api/v1/recommendations/{ref}/events', { params: ref }));
      return events.some((e) => e.type === 'closed') ? events : undefined;
    });
    expect(trail[0]?.type).toBe('raised');
    expect(trail.map((e) => e.seq)).toEqual(trail.map((_, i) => i + 1));
    expect(trail.find((e) => e.type === 'national-response' && e.actor.nation === 'DEU')?.actor.role).toBe('director');
    const outbox = ok(await secretariat.GET('/api/v1/recommendations/{ref}/notifications', { params: ref }));
    expect(
      outbox
        .filter((n) => n.kind === 'submission')
        .map((n) => n.recipient.nation)
        .sort(),
    ).toEqual(['DEU', 'FRA']);
    const page = ok(
      await secretariat.GET('/api/v1/recommendations', {
        params: { query: { stage: 'closed', workingGroup: 'SCS', limit: 1 } },
      }),
    );
    expect(page.items).toHaveLength(1);
    expect(page.total).toBeGreaterThanOrEqual(1);

    // Closed is closed: the workflow has completed, and the answer still says why in the domain's words.
    const late = problem(
      await secretariat.POST('/api/v1/recommendations/{ref}/withdrawal', { params: ref, body: { reason: 'Too late' } }),
      409,
    );
    expect(late.detail).toContain('closed');
  }, 120_000);

  it('gets the problems the document promises: 401, 404, 400 for a page over the limit', async () => {
    const anonymous = client();
    const unauthenticated = problem(await anonymous.GET('/api/v1/nations'), 401);
    expect(unauthenticated.type).toBe('https://dipb.example/problems/unauthenticated');

    const observer = client(await tokenFor({ sub: 'obs-contract', roles: ['observer'] }));
    const missing = problem(
      await observer.GET('/api/v1/recommendations/{ref}', { params: { path: { ref: 'DIPB-2026-999999' } } }),
      404,
    );
    expect(missing.detail).toBe('no recommendation DIPB-2026-999999');

    const tooMany = problem(
      await observer.GET('/api/v1/recommendations', { params: { query: { limit: LIST_LIMIT.max + 1 } } }),
      400,
    );
    expect(tooMany.errors).toEqual([{ field: 'limit', message: `must be a whole number from 1 to ${LIST_LIMIT.max}` }]);
    const most = ok(await observer.GET('/api/v1/recommendations', { params: { query: { limit: LIST_LIMIT.max } } }));
    expect(most.items.length).toBeLessThanOrEqual(LIST_LIMIT.max);

    const changes = problem(
      await observer.GET('/api/v1/nations/{code}/changes', { params: { path: { code: 'XYZ' } } }),
      404,
    );
    expect(changes.detail).toContain('no nation XYZ');
  });

  it('gets an ETag on reads and 304 when it still matches', async () => {
    const observer = client(await tokenFor({ sub: 'obs-contract', roles: ['observer'] }));
    const first = await observer.GET('/api/v1/nations');
    expect(ok(first)).toHaveLength(32);
    const etag = first.response.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    // fetch() revalidates with cache 'no-cache'; its default mode would add Cache-Control: no-cache, which always gets 200.
    const again = await observer.GET('/api/v1/nations', {
      params: { header: { 'If-None-Match': etag ?? '' } },
      cache: 'no-cache',
    });
    expect(again.response.status).toBe(304);
    expect(again.data).toBeUndefined();
    const changed = await observer.GET('/api/v1/nations', {
      params: { header: { 'If-None-Match': 'W/"0-stale"' } },
      cache: 'no-cache',
    });
    expect(ok(changed)).toHaveLength(32);
  });

  it('reads the probes: ready with every dependency up; 503 problem with Retry-After when Temporal is away', async () => {
    const ready = ok(await client().GET('/health/ready'));
    expect(ready.details).toEqual({ postgres: { status: 'up' }, temporal: { status: 'up' } });
    expect(ok(await client().GET('/health/live')).status).toBe('ok');

    // An API whose Temporal address answers nothing.
    const address = process.env.TEMPORAL_ADDRESS;
    process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
    let orphan: RunningApi | undefined;
    try {
      orphan = await startApi();
    } finally {
      process.env.TEMPORAL_ADDRESS = address;
    }
    try {
      const down = await createClient<paths>({ baseUrl: orphan.url }).GET('/health/ready');
      const unavailable = problem(down, 503);
      expect(unavailable.detail).toBe('not ready: temporal did not answer; retry later');
      expect(down.response.headers.get('retry-after')).toBe('5');
    } finally {
      await orphan.close();
    }
  });

  it('follows the change feed page by page, and subscribes a webhook whose deliveries match the WebhookEvent schema', async () => {
    const secretariat = client(await tokenFor({ sub: 'sec-contract', roles: ['secretariat'] }));
    const receiver = await WebhookReceiver.start();
    try {
      const body: components['schemas']['CreateWebhookDto'] = {
        url: receiver.url,
        eventTypes: ['raised', 'revised'],
        description: 'Contract test',
      };
      const created = ok(await secretariat.POST('/api/v1/webhooks', { body }), 201);
      receiver.secrets = [created.secret];
      const raised = ok(
        await secretariat.POST('/api/v1/recommendations', {
          body: {
            title: 'Contract test: the feed',
            summary: 'Followed by a generated client.',
            body: 'Text.',
            workingGroup: 'SI',
            language: 'fr',
            nations: ['BEL'],
          },
        }),
        201,
      );
      ok(
        await secretariat.POST('/api/v1/recommendations/{ref}/revisions', {
          params: { path: { ref: raised.reference } },
          body: { summary: 'Suivi par un client généré.', note: 'Plus clair' },
        }),
      );

      // The feed, one event a page, resuming from each page's position: the trail, in order, once.
      const seen: components['schemas']['FeedEventDto'][] = [];
      let after: string | undefined;
      for (;;) {
        const page = ok(
          await secretariat.GET('/api/v1/events', {
            params: { query: { reference: raised.reference, limit: 1, ...(after ? { after } : {}) } },
          }),
        );
        seen.push(...page.items);
        after = page.position;
        if (page.items.length < 1) break;
      }
      expect(seen.slice(0, 2).map((e) => [e.seq, e.type])).toEqual([
        [1, 'raised'],
        [2, 'revised'],
      ]);
      expect(seen.map((e) => e.seq)).toEqual(seen.map((_, i) => i + 1));
      const bad = problem(await secretariat.GET('/api/v1/events', { params: { query: { after: 'nope' } } }), 400);
      expect(bad.detail).toMatch(/position/);

      // The two events pushed, read as the document's webhook payload (the predicate checks what the type promises).
      await eventually(() => receiver.appliedFor(raised.reference).length === 2, 30_000);
      const received = receiver.applied.filter((w) => w.event.data.reference === raised.reference).map((w) => w.event);
      const delivered: WebhookEvent[] = received.filter(isWebhookEvent);
      expect(delivered).toHaveLength(2);
      expect(delivered.map((e) => [e.specversion, e.type, e.subject, e.data.seq])).toEqual([
        ['1.0', 'int.nato.dipb.raised', raised.reference, 1],
        ['1.0', 'int.nato.dipb.revised', raised.reference, 2],
      ]);
      expect(delivered.map((e) => e.data.position)).toEqual(seen.slice(0, 2).map((e) => e.position));
      const listed = ok(await secretariat.GET('/api/v1/webhooks'));
      expect(listed.find((h) => h.id === created.id)).not.toHaveProperty('secret');
      const deleted = await secretariat.DELETE('/api/v1/webhooks/{id}', { params: { path: { id: created.id } } });
      expect(deleted.response.status).toBe(204);
      problem(await secretariat.GET('/api/v1/webhooks/{id}', { params: { path: { id: created.id } } }), 404);
    } finally {
      await receiver.close();
    }
  });
});
