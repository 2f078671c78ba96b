import { eventConcernsNation, type NationCode } from '@app/domain';
import { call, readSse, waitFor, type SseReader } from '@app/testing';
import { e2eStack, expectOk, raise, untilSent } from './lifecycle.helpers';

interface FeedItem {
  reference: string;
  seq: number;
  type: string;
  data: Record<string, unknown>;
  position: string;
}
interface FeedPage {
  items: FeedItem[];
  position: string;
}

/**
 * The change feed through the real API, worker, Temporal and PostgreSQL: a recommendation's events as
 * its trail has them, paged by position without a gap or a repeat, filtered, and scoped to the caller:
 * a nation's director sees its part and never another nation's position or messages.
 */
describe('the change feed (GET /api/v1/events)', () => {
  const s = e2eStack();

  const feed = async (token: string, query: string): Promise<FeedPage> => {
    const res = await call<FeedPage>(s.api, 'GET', `/api/v1/events${query}`, { token });
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Every event the query gives, page after page from the start. */
  const all = async (token: string, query: string, limit = 500): Promise<FeedItem[]> => {
    const got: FeedItem[] = [];
    let after = '';
    for (;;) {
      const page = await feed(token, `?limit=${limit}${query}${after ? `&after=${after}` : ''}`);
      got.push(...page.items);
      after = page.position;
      if (page.items.length < limit) return got;
    }
  };

  it("gives a recommendation's trail in order, paged without gap or repeat, each nation its own part", async () => {
    const nations: NationCode[] = ['FRA', 'DEU', 'USA'];
    const raised = await raise(s.api, s.who.secretariat, { title: `Feed ${Date.now()}`, nations });
    const ref = raised.reference;
    expectOk(
      await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
        token: s.who.secretariat,
        body: { silence: 'PT60S' },
      }),
    );
    await untilSent(s.api, s.who.secretariat, ref, 'consensus-call', 3, 30_000);
    for (const [nation, position] of [
      ['FRA', 'concur'],
      ['DEU', 'object'],
    ] as const)
      expectOk(
        await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
          token: await s.who.wg(nation),
          body: { position, comment: `${nation} says ${position}` },
        }),
      );
    // The objection broke the round (back to drafting); once its notice to the rapporteur is sent, nothing more happens.
    const trail = await untilSent(s.api, s.who.secretariat, ref, 'objection', 1, 30_000);

    // The secretariat: the whole trail of it, in its order; the observer the same.
    const bySecretariat = await all(s.who.secretariat, `&reference=${ref}`);
    expect(bySecretariat.map((e) => e.seq)).toEqual(trail.map((e) => e.seq));
    expect((await all(s.who.observer, `&reference=${ref}`)).map((e) => e.seq)).toEqual(trail.map((e) => e.seq));
    // Two at a time, resuming from each page's position: the same events, none twice.
    expect((await all(s.who.secretariat, `&reference=${ref}`, 2)).map((e) => e.seq)).toEqual(trail.map((e) => e.seq));

    // Each nation's director: the events its rule gives, and never another nation's position or message.
    for (const nation of nations) {
      const part = (await all(await s.who.director(nation), `&reference=${ref}`)).map((e) => e.seq);
      const rule = trail.filter((e) => eventConcernsNation({ targetNations: nations, data: e.data }, nation));
      expect(part).toEqual(rule.map((e) => e.seq));
      expect(part.length).toBeGreaterThan(0);
      const others = nations.filter((n) => n !== nation);
      for (const e of trail.filter((x) => part.includes(x.seq))) {
        expect(others).not.toContain(e.data.nation);
        expect(others).not.toContain((e.data.recipient as { nation?: string } | undefined)?.nation);
      }
    }
    const deuByFrance = (await all(await s.who.director('FRA'), `&reference=${ref}`)).filter(
      (e) => e.type === 'consensus-position',
    );
    expect(deuByFrance.map((e) => e.data.nation)).toEqual(['FRA']);
    // A director of a nation the recommendation does not target sees none of it.
    expect(await all(await s.who.director('ITA'), `&reference=${ref}`)).toEqual([]);

    // Filters: the secretariat asking for one nation's part gets what that nation's director gets.
    expect((await all(s.who.secretariat, `&reference=${ref}&nation=DEU`)).map((e) => e.seq)).toEqual(
      (await all(await s.who.director('DEU'), `&reference=${ref}`)).map((e) => e.seq),
    );
    const positions = await all(s.who.secretariat, `&reference=${ref}&type=consensus-position,consensus-broken`);
    expect(positions.map((e) => e.type).sort()).toEqual([
      'consensus-broken',
      'consensus-position',
      'consensus-position',
    ]);
    expect(await all(s.who.secretariat, `&reference=${ref}&workingGroup=SCS`)).toEqual([]);
    expect((await all(s.who.secretariat, `&reference=${ref}&workingGroup=IC`)).length).toBe(trail.length);

    // Read to its end, its position gives nothing more until something happens; then just that.
    const last = bySecretariat.at(-1)!;
    expect((await feed(s.who.secretariat, `?reference=${ref}&after=${last.position}`)).items).toEqual([]);
    expectOk(
      await call(s.api, 'POST', `/api/v1/recommendations/${ref}/revisions`, {
        token: s.who.secretariat,
        body: { summary: 'Pool demand for propellant, energetics and fuzes.', note: 'After the objection' },
      }),
    );
    const next = await feed(s.who.secretariat, `?reference=${ref}&after=${last.position}`);
    expect(next.items.map((e) => [e.seq, e.type])).toEqual([[last.seq + 1, 'revised']]);
  });

  it('pushes events live as the workflow commits them, each stream scoped like the feed', async () => {
    const raised = await raise(s.api, s.who.secretariat, { title: `Live ${Date.now()}`, nations: ['FRA', 'DEU'] });
    const ref = raised.reference;
    const url = `${s.api.url}/api/v1/events/stream?reference=${ref}`;
    const bySecretariat = await readSse(url, { authorization: `Bearer ${s.who.secretariat}` });
    const byGermany = await readSse(url, { authorization: `Bearer ${await s.who.director('DEU')}` });
    try {
      expect(bySecretariat.res.status).toBe(200);
      const types = (r: SseReader) => r.messages.map((m) => m.event);
      await waitFor('the raise on the stream', () => types(bySecretariat).includes('raised'));
      expectOk(
        await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
          token: s.who.secretariat,
          body: { silence: 'PT60S' },
        }),
      );
      await waitFor('the call for consensus pushed', () => types(bySecretariat).includes('consensus-called'));
      for (const nation of ['FRA', 'DEU'] as const)
        expectOk(
          await call(s.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
            token: await s.who.wg(nation),
            body: { position: 'concur' },
          }),
        );
      // Germany's own position reaches its stream, after France's was committed: France's never does.
      const nationOf = (m: { data: string }) => (JSON.parse(m.data) as { data: { nation?: string } }).data.nation;
      await waitFor("Germany's position on its stream", () =>
        byGermany.messages.some((m) => m.event === 'consensus-position' && nationOf(m) === 'DEU'),
      );
      expect(byGermany.messages.filter((m) => nationOf(m) === 'FRA')).toEqual([]);
      await waitFor(
        "both positions on the secretariat's stream",
        () => bySecretariat.messages.filter((m) => m.event === 'consensus-position').length === 2,
      );
      // The stream carries what the feed has, in its order, with its positions as ids.
      const page = await feed(s.who.secretariat, `?reference=${ref}&limit=500`);
      const streamed = bySecretariat.messages.map((m) => m.id);
      expect(streamed).toEqual(page.items.slice(0, streamed.length).map((e) => e.position));
    } finally {
      await bySecretariat.stop();
      await byGermany.stop();
    }
  });

  it('refuses what it cannot read, naming it, as RFC 9457 problems', async () => {
    for (const [query, field] of [
      ['?after=not-a-position', 'after'],
      ['?limit=0', 'limit'],
      ['?limit=501', 'limit'],
      ['?type=raised,bogus', 'bogus'],
      ['?nation=XXX', 'nation'],
      ['?workingGroup=ZZ', 'workingGroup'],
      ['?reference=nope', 'reference'],
    ]) {
      const res = await call(s.api, 'GET', `/api/v1/events${query}`, { token: s.who.secretariat });
      expect([query, res.status]).toEqual([query, 400]);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(JSON.stringify(res.body)).toContain(field);
    }
    expect((await call(s.api, 'GET', '/api/v1/events')).status).toBe(401);
  });
});
