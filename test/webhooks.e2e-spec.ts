import { call, eventually, WebhookReceiver, type HttpResult } from '@app/testing';
import { e2eStack, expectOk, raise, untilSent, type Stack } from './lifecycle.helpers';

interface Subscription {
  id: string;
  url: string;
  active: boolean;
  position: string;
  failures: number;
  previousSecretUntil: string | null;
  secret?: string;
}
interface Delivery {
  webhookId: string;
  attempt: number;
  status: number | null;
  delivered: boolean;
  error: string | null;
  latencyMs: number;
  position: string;
}
interface Problem {
  type: string;
  title: string;
  detail: string;
  errors?: { field: string; message: string }[];
}
interface TrailEvent {
  seq: number;
  type: string;
}

/** A recommendation that goes quiet by itself: called, objected to, back in drafting once the notice is sent. */
async function quietRecommendation(s: Stack, title: string): Promise<{ ref: string; trail: TrailEvent[] }> {
  const raised = await raise(s.api, s.who.secretariat, { title, nations: ['FRA', 'DEU'] });
  const ref = raised.reference;
  expectOk(
    await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
      token: s.who.secretariat,
      body: { silence: 'PT60S' },
    }),
  );
  await untilSent(s.api, s.who.secretariat, ref, 'consensus-call', 2, 30_000);
  expectOk(
    await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
      token: await s.who.wg('DEU'),
      body: { position: 'object', comment: 'DEU objects' },
    }),
  );
  const trail = (await untilSent(s.api, s.who.secretariat, ref, 'objection', 1, 30_000)) as TrailEvent[];
  return { ref, trail };
}

/**
 * Webhooks through the real API, worker, Temporal and PostgreSQL, to a real receiver on loopback that
 * verifies every delivery with the `standardwebhooks` package's own verifier and applies each
 * `webhook-id` once.
 */
describe('webhooks', () => {
  const receivers: WebhookReceiver[] = [];
  const made: string[] = [];
  // Before the stack's own hooks, so it runs first: the subscriptions go while the API is still up.
  afterAll(async () => {
    for (const id of made) await call(s.api, 'DELETE', `/api/v1/webhooks/${id}`, { token: s.who.secretariat });
    for (const r of receivers) await r.close();
  });
  const s = e2eStack();

  const subscribe = async (receiver: WebhookReceiver, body: Record<string, unknown> = {}): Promise<Subscription> => {
    const res = await call<Subscription>(s.api, 'POST', '/api/v1/webhooks', {
      token: s.who.secretariat,
      body: { url: receiver.url, eventTypes: ['*'], description: 'test receiver', ...body },
    });
    expect(res.status).toBe(201);
    made.push(res.body.id);
    receiver.secrets = [res.body.secret!];
    return res.body;
  };
  const receiver = async (): Promise<WebhookReceiver> => {
    const r = await WebhookReceiver.start();
    receivers.push(r);
    return r;
  };
  const log = async (id: string): Promise<Delivery[]> => {
    const res = await call<{ items: Delivery[] }>(s.api, 'GET', `/api/v1/webhooks/${id}/deliveries?limit=200`, {
      token: s.who.secretariat,
    });
    expect(res.status).toBe(200);
    return res.body.items.reverse();
  };

  it('refuses bad input with a problem naming it, and creates nothing', async () => {
    const before = await call<Subscription[]>(s.api, 'GET', '/api/v1/webhooks', { token: s.who.secretariat });
    const post = (body: Record<string, unknown>, token = s.who.secretariat): Promise<HttpResult<Problem>> =>
      call<Problem>(s.api, 'POST', '/api/v1/webhooks', { token, body });
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ url: 'not a url', eventTypes: ['*'] }, 'url', /absolute http\(s\) URL/],
      [{ url: 'ftp://127.0.0.1/x', eventTypes: ['*'] }, 'url', /http or https, not ftp/],
      [{ url: 'http://user:pw@127.0.0.1/x', eventTypes: ['*'] }, 'url', /user name or password/],
      [
        { url: 'https://10.9.8.7/hooks', eventTypes: ['*'] },
        'url',
        /none of the allowed networks.*WEBHOOK_ALLOWED_DESTINATIONS/,
      ],
      [{ url: 'https://169.254.169.254/latest', eventTypes: ['*'] }, 'url', /WEBHOOK_ALLOWED_DESTINATIONS/],
      [{ url: 'http://10.9.8.7/hooks', eventTypes: ['*'] }, 'url', /must be https.*WEBHOOK_ALLOW_HTTP/],
      [
        { url: 'http://127.0.0.1/x', eventTypes: ['national-response', 'no-such-type'] },
        'eventTypes',
        /"no-such-type"/,
      ],
      [{ url: 'http://127.0.0.1/x', eventTypes: [] }, 'eventTypes', /at least one event type/],
      [{ url: 'http://127.0.0.1/x', eventTypes: ['*', 'raised'] }, 'eventTypes', /stands alone/],
      [{ url: 'http://127.0.0.1/x', eventTypes: ['*'], filter: { nation: 'XXX' } }, 'filter.nation', /nation/],
      [{ url: 'http://127.0.0.1/x', eventTypes: ['*'], secret: 'mine' }, 'secret', /should not exist/],
    ];
    for (const [body, field, message] of cases) {
      const res = await post(body);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
      const named = res.body.errors?.find((e) => e.field === field);
      expect({ body, named: named?.message }).toEqual({ body, named: expect.stringMatching(message) });
    }
    // The destination rule has a problem type of its own.
    expect((await post({ url: 'https://10.9.8.7/hooks', eventTypes: ['*'] })).body.type).toMatch(
      /destination-not-allowed$/,
    );
    // Only the secretariat manages subscriptions.
    expect((await post({ url: 'http://127.0.0.1/x', eventTypes: ['*'] }, s.who.observer)).status).toBe(403);
    expect((await post({ url: 'http://127.0.0.1/x', eventTypes: ['*'] }, await s.who.director('FRA'))).status).toBe(
      403,
    );
    const after = await call<Subscription[]>(s.api, 'GET', '/api/v1/webhooks', { token: s.who.secretariat });
    expect(after.body).toEqual(before.body);

    // Unknown subscription, malformed id, bad position, bad log cursor.
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await call(s.api, 'GET', `/api/v1/webhooks/${unknown}`, { token: s.who.secretariat })).status).toBe(404);
    expect((await call(s.api, 'GET', '/api/v1/webhooks/nope', { token: s.who.secretariat })).status).toBe(404);
    const r = await receiver();
    const sub = await subscribe(r);
    const bad = await call<Problem>(s.api, 'POST', `/api/v1/webhooks/${sub.id}/redeliveries`, {
      token: s.who.secretariat,
      body: { after: 'bm90LWEtcG9zaXRpb24' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors?.[0]).toEqual({ field: 'after', message: expect.stringMatching(/not a position/) });
    const cursor = await call<Problem>(s.api, 'GET', `/api/v1/webhooks/${sub.id}/deliveries?before=x`, {
      token: s.who.secretariat,
    });
    expect(cursor.status).toBe(400);
    const patch = await call<Problem>(s.api, 'PATCH', `/api/v1/webhooks/${sub.id}`, {
      token: s.who.secretariat,
      body: { url: 'https://10.9.8.7/hooks' },
    });
    expect(patch.status).toBe(400);
    // A field given as null is named, not taken for "left out" (it was a 500 before the fuzz found it).
    for (const field of ['eventTypes', 'url', 'filter', 'active', 'description']) {
      const nulled = await call<Problem>(s.api, 'PATCH', `/api/v1/webhooks/${sub.id}`, {
        token: s.who.secretariat,
        body: { [field]: null },
      });
      expect({ field, status: nulled.status }).toEqual({ field, status: 400 });
      // Every error names that field (an array's several rules each say so).
      expect([...new Set(nulled.body.errors?.map((e) => e.field))]).toEqual([field]);
    }
    expect(
      (await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${sub.id}`, { token: s.who.secretariat })).body.url,
    ).toBe(r.url);
  });

  it('delivers every event in feed order, signed and as CloudEvents, each applied once; the secret is shown once', async () => {
    const r = await receiver();
    const sub = await subscribe(r);
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    const shown = await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${sub.id}`, { token: s.who.secretariat });
    expect(shown.body).not.toHaveProperty('secret');
    expect(JSON.stringify(shown.body)).not.toContain(sub.secret!.slice(6));

    const { ref, trail } = await quietRecommendation(s, `Webhooks in order ${Date.now()}`);
    await eventually(() => r.appliedFor(ref).length >= trail.length, 30_000);
    expect(r.appliedFor(ref)).toEqual(trail.map((e) => e.seq));

    // Every delivery verified with the secret, as a CloudEvent carrying the feed's event.
    expect(r.received.every((w) => w.verifiedBy.includes(0))).toBe(true);
    const first = r.applied.find((w) => w.event.data.reference === ref)!;
    expect(first.contentType).toMatch(/^application\/cloudevents\+json/);
    expect(first.event).toMatchObject({
      specversion: '1.0',
      id: `${ref}.1`,
      source: `/api/v1/recommendations/${ref}`,
      type: 'int.nato.dipb.raised',
      subject: ref,
      datacontenttype: 'application/json',
      data: { reference: ref, seq: 1, type: 'raised' },
    });
    expect(first.id).toBe(first.event.id);

    // In the feed's order across recommendations too: what arrived is the feed after the subscription's start.
    const feed = await call<{ items: { position: string; reference: string; seq: number }[] }>(
      s.api,
      'GET',
      `/api/v1/events?after=${sub.position}&limit=500`,
      { token: s.who.secretariat },
    );
    const order = feed.body.items.map((e) => `${e.reference}.${e.seq}`);
    const arrived = r.applied.map((w) => w.id);
    expect(arrived).toEqual(order.slice(0, arrived.length));

    // The log has one delivered attempt per event, and the audit trail the creation.
    const entries = await log(sub.id);
    expect(entries.filter((d) => d.delivered).map((d) => d.webhookId)).toEqual(arrived);
    expect(entries.every((d) => d.attempt === 1 && d.status === 204 && d.error === null)).toBe(true);
    const changes = await call<{ action: string; actor: { id: string } }[]>(
      s.api,
      'GET',
      `/api/v1/webhooks/${sub.id}/changes`,
      { token: s.who.secretariat },
    );
    expect(changes.body.map((c) => [c.action, c.actor.id])).toEqual([['created', 'sec-anna']]);
    expect(JSON.stringify(changes.body)).not.toContain(sub.secret!.slice(6));
  });

  it('tries the same event again after 500s and a receiver that does not answer, and skips nothing', async () => {
    const r = await receiver();
    // Two 500s, then no answer at all (the 3 s timeout), then 204 for good.
    r.answer = (n) => (n <= 2 ? 500 : n === 3 ? 'hang' : 204);
    const sub = await subscribe(r, {
      eventTypes: ['raised', 'consensus-called', 'consensus-position', 'consensus-broken'],
    });
    const { ref, trail } = await quietRecommendation(s, `Webhooks retried ${Date.now()}`);
    const selected = trail.filter((e) =>
      ['raised', 'consensus-called', 'consensus-position', 'consensus-broken'].includes(e.type),
    );
    await eventually(() => r.appliedFor(ref).length >= selected.length, 60_000);
    expect(r.appliedFor(ref)).toEqual(selected.map((e) => e.seq));
    const entries = await log(sub.id);
    const firstId = entries[0]!.webhookId;
    expect(entries.slice(0, 4).map((d) => [d.webhookId, d.attempt, d.status, d.delivered])).toEqual([
      [firstId, 1, 500, false],
      [firstId, 2, 500, false],
      [firstId, 3, null, false],
      [firstId, 4, 204, true],
    ]);
    expect(entries[0]!.error).toBe('answered 500');
    expect(entries[2]!.error).toBe('no answer within 3000 ms');
    expect(entries[2]!.latencyMs).toBeGreaterThanOrEqual(2900);
    r.release();
    // Only the types asked for.
    const asked = ['raised', 'consensus-called', 'consensus-position', 'consensus-broken'];
    expect(r.received.filter((w) => !asked.includes(w.event.data.type))).toEqual([]);
    const now = await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${sub.id}`, { token: s.who.secretariat });
    expect(now.body.failures).toBe(0);
  });

  it('waits for a slow receiver: one event at a time, in order, each answer awaited', async () => {
    const r = await receiver();
    // 700 ms per answer: well within the 3 s timeout, slow enough that a second POST would overlap.
    r.answer = () => ({ status: 204, afterMs: 700 });
    await subscribe(r, { eventTypes: ['raised', 'consensus-called', 'consensus-position', 'consensus-broken'] });
    const { ref, trail } = await quietRecommendation(s, `Webhooks slow ${Date.now()}`);
    const selected = trail.filter((e) =>
      ['raised', 'consensus-called', 'consensus-position', 'consensus-broken'].includes(e.type),
    );
    await eventually(() => r.appliedFor(ref).length >= selected.length, 30_000);
    expect(r.appliedFor(ref)).toEqual(selected.map((e) => e.seq));
    expect(r.maxInFlight).toBe(1);
    const gaps = r.received.slice(1).map((w, i) => w.at - r.received[i]!.at);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(690);
  });

  it('signs with both secrets during a rotation, then with the new one only', async () => {
    const r = await receiver();
    const sub = await subscribe(r, { eventTypes: ['raised'] });
    const old = sub.secret!;
    const rotated = await call<Subscription>(s.api, 'POST', `/api/v1/webhooks/${sub.id}/secret`, {
      token: s.who.secretariat,
    });
    expect(rotated.status).toBe(200);
    const fresh = rotated.body.secret!;
    expect(fresh).not.toBe(old);
    expect(rotated.body.previousSecretUntil).not.toBeNull();
    r.secrets = [old, fresh];
    const during = await raise(s.api, s.who.secretariat, { title: `Rotation overlap ${Date.now()}` });
    await eventually(() => r.appliedFor(during.reference).length === 1, 30_000);
    const overlapping = r.applied.find((w) => w.event.data.reference === during.reference)!;
    expect(overlapping.signature.split(' ')).toHaveLength(2);
    expect(overlapping.verifiedBy).toEqual([0, 1]);

    // After the overlap (5 s in tests) the old secret signs nothing.
    await eventually(async () => {
      const res = await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${sub.id}`, { token: s.who.secretariat });
      return res.body.previousSecretUntil === null;
    }, 15_000);
    const later = await raise(s.api, s.who.secretariat, { title: `Rotation done ${Date.now()}` });
    await eventually(() => r.appliedFor(later.reference).length === 1, 30_000);
    const after = r.applied.find((w) => w.event.data.reference === later.reference)!;
    expect(after.signature.split(' ')).toHaveLength(1);
    expect(after.verifiedBy).toEqual([1]);
    const changes = await call<{ action: string }[]>(s.api, 'GET', `/api/v1/webhooks/${sub.id}/changes`, {
      token: s.who.secretariat,
    });
    expect(changes.body.map((c) => c.action)).toEqual(['created', 'secret-rotated']);
    expect(JSON.stringify(changes.body)).not.toContain(fresh.slice(6));
  });

  it('delivers again from a position, and stops while off and resumes in order when on again', async () => {
    const r = await receiver();
    const sub = await subscribe(r, { eventTypes: ['*'] });
    const { ref, trail } = await quietRecommendation(s, `Redelivery ${Date.now()}`);
    await eventually(() => r.appliedFor(ref).length >= trail.length, 30_000);
    const seen = r.received.length;

    // Redeliver from the third event of this recommendation: the rest arrive again, same ids, in order.
    const third = r.applied.find((w) => w.event.data.reference === ref && w.event.data.seq === 3)!;
    const moved = await call<Subscription>(s.api, 'POST', `/api/v1/webhooks/${sub.id}/redeliveries`, {
      token: s.who.secretariat,
      body: { after: third.event.data.position },
    });
    expect(moved.status).toBe(200);
    expect(moved.body.position).toBe(third.event.data.position);
    await eventually(
      () => r.received.slice(seen).filter((w) => w.event.data.reference === ref).length >= trail.length - 3,
      30_000,
    );
    const again = r.received
      .slice(seen)
      .filter((w) => w.event.data.reference === ref)
      .map((w) => w.event.data.seq);
    expect(again).toEqual(trail.slice(3).map((e) => e.seq));
    // Applied once each all the same.
    expect(r.appliedFor(ref)).toEqual(trail.map((e) => e.seq));

    // Off: a new recommendation is not delivered while off; on again, it arrives, in order.
    const off = await call<Subscription>(s.api, 'PATCH', `/api/v1/webhooks/${sub.id}`, {
      token: s.who.secretariat,
      body: { active: false },
    });
    expect(off.body.active).toBe(false);
    const quiet = await raise(s.api, s.who.secretariat, { title: `While off ${Date.now()}` });
    // The feed has it: only then is its absence at the receiver a fact, not a race.
    await eventually(async () => {
      const feed = await call<{ items: unknown[] }>(s.api, 'GET', `/api/v1/events?reference=${quiet.reference}`, {
        token: s.who.secretariat,
      });
      return feed.body.items.length > 0;
    });
    const position = (
      await call<Subscription>(s.api, 'GET', `/api/v1/webhooks/${sub.id}`, { token: s.who.secretariat })
    ).body.position;
    expect(r.appliedFor(quiet.reference)).toEqual([]);
    const on = await call<Subscription>(s.api, 'PATCH', `/api/v1/webhooks/${sub.id}`, {
      token: s.who.secretariat,
      body: { active: true },
    });
    expect(on.body.active).toBe(true);
    expect(on.body.position).toBe(position);
    await eventually(() => r.appliedFor(quiet.reference).length > 0, 30_000);
    expect(r.appliedFor(quiet.reference)[0]).toBe(1);
    const changes = await call<{ action: string }[]>(s.api, 'GET', `/api/v1/webhooks/${sub.id}/changes`, {
      token: s.who.secretariat,
    });
    expect(changes.body.map((c) => c.action)).toEqual(['created', 'redelivery', 'changed', 'changed']);
  });
});
