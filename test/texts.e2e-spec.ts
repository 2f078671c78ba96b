import { NATION_CODES, TEXT_LIMITS, type RecommendationView } from '@app/domain';
import { call, eventually, header, MailDevClient, messageId } from '@app/testing';
import { temporal } from '@temporalio/proto';
import { e2eStack, events, expectOk, waitForStage } from './lifecycle.helpers';

/**
 * A text as long as the API accepts (200,000 characters), through a whole 32-nation lifecycle with
 * follow-up. The text is stored once in PostgreSQL and named by its hash; the workflow's history
 * (every run) stays small, and every email that circulates the text carries all of it.
 */
describe('a 200,000-character text through a whole 32-nation lifecycle', () => {
  const s = e2eStack();

  it('closes with every email right and under 1 MiB of history over all runs', async () => {
    const head = '## Recommendation\n\nBEGIN-OF-TEXT ';
    const tail = ' END-OF-TEXT';
    const filler = 'Allies should pool demand for propellant and energetics, and share forecasts. ';
    const body =
      (head + filler.repeat(Math.ceil(TEXT_LIMITS.body / filler.length))).slice(0, TEXT_LIMITS.body - tail.length) +
      tail;
    expect(body).toHaveLength(200_000);
    const raised = await call<RecommendationView>(s.api, 'POST', '/api/v1/recommendations', {
      token: s.who.secretariat,
      body: {
        title: 'A long text',
        summary: 'Two hundred thousand characters, circulated whole.',
        body,
        workingGroup: 'SCS',
        language: 'en',
        policy: {
          consensusSilence: 'PT15S',
          approvalSilence: 'PT15S',
          silenceReminders: [],
          responseDue: 'PT5M',
          responseReminders: ['PT4M'],
          followUpEvery: 'PT5M',
          followUpReminder: 'PT4M',
          autoSubmit: true,
        },
      },
    });
    expect(raised.status).toBe(201);
    const ref = raised.body.reference;
    expect(raised.body.body).toBe(body);
    const post = (path: string, token: string, b: unknown) =>
      call<RecommendationView>(s.api, 'POST', `/api/v1/recommendations/${ref}${path}`, { token, body: b });
    // Silences long enough for 32 calls of 200,000 characters each to go out while their rounds are open.
    expectOk(await post('/consensus', s.who.secretariat, { silence: 'PT15S' }));
    await waitForStage(s.api, s.who.secretariat, ref, 'submitted', 60_000);

    // Every nation answers: three decline, the rest accept and then report implementation.
    const declining = new Set(['ALB', 'ISL', 'MNE']);
    for (const nation of NATION_CODES) {
      const decision = declining.has(nation) ? 'not-accepted' : 'accepted';
      expectOk(
        await post(`/nations/${nation}/response`, await s.who.director(nation), {
          decision,
          comment: `${decision} by ${nation}`,
        }),
      );
    }
    let last: RecommendationView | undefined;
    for (const nation of NATION_CODES.filter((n) => !declining.has(n))) {
      last = expectOk(
        await post(`/nations/${nation}/progress`, await s.who.director(nation), {
          status: 'implemented',
          comment: `Done in ${nation}`,
        }),
      );
    }
    expect(last?.stage).toBe('closed');
    expect(last?.outcome).toMatchObject({ acceptanceRate: 29 / 32, implementationRate: 1 });
    expect(last?.body).toBe(body);

    // Every email, once: the calls and the submission carry the whole text.
    const mail = new MailDevClient();
    const all = await eventually(async () => {
      const got = await mail.forReference(ref);
      return got.filter((m) => header(m, 'x-dipb-notification') === 'closed').length === 33 ? got : undefined;
    }, 60_000);
    const count = (kind: string) => all.filter((m) => header(m, 'x-dipb-notification') === kind).length;
    expect([
      count('consensus-call'),
      count('approval-call'),
      count('approved'),
      count('submission'),
      count('closed'),
    ]).toEqual([32, 32, 1, 32, 33]);
    expect(new Set(all.map(messageId)).size).toBe(all.length);
    const fullText = ['consensus-call', 'approval-call', 'submission'].flatMap((kind) =>
      all.filter((m) => header(m, 'x-dipb-notification') === kind),
    );
    const whole = fullText.filter(
      (m) => (m.text ?? '').includes('BEGIN-OF-TEXT') && (m.text ?? '').includes('END-OF-TEXT'),
    );
    expect(whole).toHaveLength(96);
    // Each director is written to in the language the directory gives (read now: other suites change France's).
    const nations = await call<{ code: string; language: string; director: { email: string } }[]>(
      s.api,
      'GET',
      '/api/v1/nations',
      { token: s.who.secretariat },
    );
    const france = nations.body.find((n) => n.code === 'FRA');
    const toFrance = all.find(
      (m) => header(m, 'x-dipb-notification') === 'submission' && m.to[0]?.address === france?.director.email,
    );
    expect(france?.language).toMatch(/^(en|fr)$/);
    expect(toFrance).toBeDefined();
    expect(toFrance && header(toFrance, 'content-language')).toBe(france?.language);

    // The history of every run, as the server keeps it: small, whatever the text.
    const runs: number[] = [];
    for await (const run of s.temporal.client.workflow.list({ query: `WorkflowId = '${ref}'` })) {
      const history = await s.temporal.client.workflow.getHandle(ref, run.runId).fetchHistory();
      runs.push(temporal.api.history.v1.History.encode(history).finish().length);
    }
    const total = runs.reduce((a, b) => a + b, 0);
    const trail = await events(s.api, s.who.secretariat, ref);
    process.stdout.write(
      `[texts] ${ref}: ${trail.length} audit events, ${all.length} emails; history ${runs.length} run(s), ${(total / 1024).toFixed(0)} KiB in all\n`,
    );
    expect(total).toBeLessThan(1024 * 1024);
  }, 240_000);
});
