import { NATION_CODES, type RecommendationView } from '@app/domain';
import { call, eventually, type HttpResult } from '@app/testing';
import { events } from '../lifecycle.helpers';
import { checkInvariants, expectedKinds, FAULT_POLICY, say, scenario } from './faults.helpers';

/** The same command from several clients at once: one wins, the rest get the same answer or a 409, nothing is doubled. */
describe('faults: the same command sent concurrently from several clients', () => {
  const s = scenario();
  const CLIENTS = 6;

  /** Sends one command from CLIENTS clients at once (some with the same Idempotency-Key, some without). */
  async function burst(
    path: string,
    token: string,
    body: unknown,
    tag: string,
  ): Promise<HttpResult<RecommendationView>[]> {
    return Promise.all(
      Array.from({ length: CLIENTS }, (_, i) =>
        call<RecommendationView>(s.d.api, 'POST', path, {
          token,
          body,
          headers: i % 2 === 0 ? { 'idempotency-key': `${tag}-shared` } : {},
        }),
      ),
    );
  }

  function verdict(what: string, results: HttpResult<RecommendationView>[]): void {
    const statuses = results.map((r) => r.status);
    const winners = results.filter((r) => r.status === 200);
    // Everyone who got a 200 got the same recommendation; the others a 409 that names the stage.
    const views = new Set(winners.map((r) => `${r.body.stage}`));
    const okay = winners.length >= 1 && statuses.every((s) => s === 200 || s === 409) && views.size === 1;
    say(
      `[concurrent] ${what}: ${statuses.join(' ')} — ${okay ? 'ok' : 'FAILED'} (one outcome, the rest the same answer or 409)`,
    );
    expect(okay).toBe(true);
  }

  it('records each command once, whoever sent it first', async () => {
    const nations = ['HUN', 'ROU', 'SVK'] as const;
    // Raise: the same Idempotency-Key from every client gives one recommendation.
    const key = `concurrent-raise-${Date.now()}`;
    const raises = await Promise.all(
      Array.from({ length: CLIENTS }, () =>
        call<RecommendationView>(s.d.api, 'POST', '/api/v1/recommendations', {
          token: s.d.who.secretariat,
          headers: { 'idempotency-key': key },
          body: {
            title: 'Concurrent clients',
            summary: 'Same command, many clients.',
            body: 'Body.',
            workingGroup: 'IC',
            language: 'en',
            nations,
            policy: FAULT_POLICY,
          },
        }),
      ),
    );
    const refsRaised = new Set(raises.filter((r) => r.status === 201 || r.status === 200).map((r) => r.body.reference));
    say(
      `[concurrent] raise ×${CLIENTS} with one Idempotency-Key: ${raises.map((r) => r.status).join(' ')} → ${refsRaised.size} recommendation(s)`,
    );
    expect(refsRaised.size).toBe(1);
    const ref = [...refsRaised][0]!;

    verdict(
      'call for consensus ×6',
      await burst(
        `/api/v1/recommendations/${ref}/consensus`,
        s.d.who.secretariat,
        { silence: 'PT2S' },
        `${ref}-consensus`,
      ),
    );
    await eventually(
      async () =>
        (await events(s.d.api, s.d.who.secretariat, ref)).filter(
          (e) => e.type === 'notification-sent' && e.data.kind === 'response-reminder',
        ).length === 3,
      60_000,
      500,
    );
    for (const [i, nation] of nations.entries()) {
      const decision = i === 0 ? 'not-accepted' : 'accepted';
      verdict(
        `response ${nation} ×6`,
        await burst(
          `/api/v1/recommendations/${ref}/nations/${nation}/response`,
          await s.d.who.director(nation),
          { decision, comment: decision },
          `${ref}-${nation}`,
        ),
      );
    }
    for (const nation of nations.slice(1)) {
      verdict(
        `progress ${nation} ×6`,
        await burst(
          `/api/v1/recommendations/${ref}/nations/${nation}/progress`,
          await s.d.who.director(nation),
          { status: 'implemented', comment: 'Done' },
          `${ref}-p-${nation}`,
        ),
      );
    }
    const trail = await events(s.d.api, s.d.who.secretariat, ref);
    await checkInvariants(s.d, [ref], {
      scenario: 'concurrent',
      stage: 'closed',
      kinds: expectedKinds(3),
      maxLatenessMs: 15_000,
    });
    // One event per command: the duplicates left no trace. Keyed on what the command is (type, who,
    // which nation and round, what was decided), never on its timestamps, so a double recording shows.
    const commands = trail.filter((e) => e.actor.role !== 'system');
    const keys = commands.map((e) =>
      JSON.stringify([
        e.type,
        e.actor.id,
        e.data.nation ?? null,
        e.data.round ?? null,
        e.data.decision ?? e.data.status ?? e.data.position ?? null,
      ]),
    );
    const single = new Set(keys).size === keys.length;
    say(
      `[concurrent] invariant: each command recorded once: ${single ? 'ok' : 'FAILED'} (${keys.length} command events: ${commands.map((e) => e.type).join(', ')})`,
    );
    expect(single).toBe(true);
  });
  it('takes 32 positions given at the same instant on one recommendation, each once', async () => {
    const raised = await call<RecommendationView>(s.d.api, 'POST', '/api/v1/recommendations', {
      token: s.d.who.secretariat,
      body: {
        title: 'Everyone at once',
        summary: 'Thirty-two delegates answer in the same second.',
        body: 'Body.',
        workingGroup: 'IC',
        language: 'en',
        policy: { ...FAULT_POLICY, consensusSilence: 'P14D' },
      },
    });
    const ref = raised.body.reference;
    await call(s.d.api, 'POST', `/api/v1/recommendations/${ref}/consensus`, {
      token: s.d.who.secretariat,
      body: { silence: 'P14D' },
    });
    const results = await Promise.all(
      NATION_CODES.map(async (nation) =>
        call<RecommendationView>(s.d.api, 'POST', `/api/v1/recommendations/${ref}/consensus/positions`, {
          token: await s.d.who.wg(nation),
          body: { position: 'concur', comment: `${nation} concurs` },
        }),
      ),
    );
    const trail = await events(s.d.api, s.d.who.secretariat, ref);
    const positions = trail.filter((e) => e.actor.role === 'wg-member');
    const statuses = [...new Set(results.map((r) => r.status))];
    const okay =
      statuses.length === 1 &&
      statuses[0] === 200 &&
      positions.length === 32 &&
      new Set(positions.map((e) => e.actor.id)).size === 32;
    say(
      `[concurrent] invariant: 32 positions at once on one workflow, each answered and recorded once: ${okay ? 'ok' : 'FAILED'} (statuses ${statuses.join(',')}; ${positions.length} position events)`,
    );
    await call(s.d.api, 'POST', `/api/v1/recommendations/${ref}/withdrawal`, {
      token: s.d.who.secretariat,
      body: { reason: 'benchmark of concurrency' },
    });
    expect(okay).toBe(true);
  });
});
