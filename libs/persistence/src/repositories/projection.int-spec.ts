import { useProjectedDatabase } from '../testing/fresh-database';
import { director, ScriptedRecommendation, SECRETARIAT, wgMember } from '../testing/lifecycle';

const db = useProjectedDatabase('projection');

const count = async (table: string, reference: string): Promise<number> => {
  const rows = await db.dataSource.query<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM ${table} WHERE reference = $1`,
    [reference],
  );
  return rows[0]?.n ?? -1;
};

describe('ProjectionRepository.persist', () => {
  it('applied twice with the same input leaves one row and one event', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0101', { title: 'Twice' }, '2026-01-05T09:00:00.000Z');
    const input = rec.projection('2026-01-05T09:00:00.000Z');

    expect(await db.projection.apply(input)).toEqual({ inserted: 1, viewApplied: true, version: 1 });
    expect(await db.projection.apply(input)).toEqual({ inserted: 0, viewApplied: false, version: 1 });

    expect(await count('recommendations', rec.reference)).toBe(1);
    expect(await count('events', rec.reference)).toBe(1);
    expect(await count('revisions', rec.reference)).toBe(1);
    expect((await db.queries.get(rec.reference))?.title).toBe('Twice');
  });

  it('concurrent retries of the same input still write everything once', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0102', {}, '2026-01-05T09:00:00.000Z');
    rec.revise({ body: 'Second text' }, 'tightened', '2026-01-06T09:00:00.000Z');
    const input = rec.projection('2026-01-06T09:00:00.000Z');
    const results = await Promise.all(Array.from({ length: 5 }, () => db.projection.apply(input)));
    expect(results.reduce((n, r) => n + r.inserted, 0)).toBe(2);
    expect(await count('events', rec.reference)).toBe(2);
    expect(await count('revisions', rec.reference)).toBe(2);
  });

  it('derives revisions, positions, responses and progress from a whole lifecycle, and the view follows the events', async () => {
    const rec = new ScriptedRecommendation(
      'DIPB-2026-0103',
      { workingGroup: 'SCS', nations: ['FRA', 'DEU'], title: 'Secure supply chains' },
      '2026-02-01T09:00:00.000Z',
    );
    await db.projection.apply(rec.projection('2026-02-01T09:00:00.000Z'));
    rec.revise({ summary: 'Revised summary' }, 'after WG comments', '2026-02-02T09:00:00.000Z');
    rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, '2026-02-03T09:00:00.000Z');
    rec.command(
      wgMember('FRA', 'SCS'),
      { type: 'consensus-position', position: 'concur', comment: 'Agreed' },
      '2026-02-04T09:00:00.000Z',
    );
    await db.projection.apply(rec.projection('2026-02-04T09:00:00.000Z'));
    expect((await db.queries.get(rec.reference))?.stage).toBe('wg-consensus');
    const pending = await db.dataSource.query<{ pending_nations: string[] }[]>(
      'SELECT pending_nations FROM recommendations WHERE reference = $1',
      [rec.reference],
    );
    expect(pending[0]?.pending_nations).toEqual(['DEU']);

    rec.advance('2026-02-17T09:00:01.000Z'); // WG silence holds → senior approval opens
    rec.advance('2026-03-03T09:00:02.000Z'); // approval silence holds → approved
    rec.command(SECRETARIAT, { type: 'submit' }, '2026-03-04T09:00:00.000Z');
    rec.command(
      director('FRA'),
      { type: 'respond', nation: 'FRA', decision: 'under-consideration', comment: 'Studying' },
      '2026-03-10T09:00:00.000Z',
    );
    rec.command(
      director('FRA'),
      {
        type: 'respond',
        nation: 'FRA',
        decision: 'accepted',
        comment: 'Yes',
        plannedCompletion: '2027-01-01T00:00:00Z',
      },
      '2026-03-20T09:00:00.000Z',
    );
    rec.command(
      director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'not-accepted', comment: 'No' },
      '2026-03-21T09:00:00.000Z',
    );
    rec.command(
      director('FRA'),
      {
        type: 'report-progress',
        nation: 'FRA',
        status: 'implemented',
        comment: 'Done',
        evidenceUrl: 'https://mod.example/r',
      },
      '2026-06-01T09:00:00.000Z',
    );
    const input = rec.projection('2026-06-01T09:00:00.000Z');
    await db.projection.apply(input);
    await db.projection.apply(input);

    const view = await db.queries.get(rec.reference);
    expect(view?.stage).toBe('closed');
    expect(view?.outcome?.acceptanceRate).toBe(0.5);
    // The row's state is the workflow's own, folded by the same evolve from the same events.
    expect((await db.queries.state(rec.reference))?.state).toEqual(rec.state);
    expect(view?.summary).toBe('Revised summary');
    expect(await count('events', rec.reference)).toBe(rec.events.length);
    expect(await count('revisions', rec.reference)).toBe(2);
    expect(await count('positions', rec.reference)).toBe(1);
    expect(await count('national_responses', rec.reference)).toBe(3);
    expect(await count('progress_reports', rec.reference)).toBe(1);

    const revisions = await db.queries.revisions(rec.reference);
    expect(revisions?.map((r) => [r.number, r.summary, r.note])).toEqual([
      [1, 'Summary', 'Raised'],
      [2, 'Revised summary', 'after WG comments'],
    ]);
    expect((await db.queries.revision(rec.reference, 2))?.by.id).toBe('sec-1');
    expect(await db.queries.revision(rec.reference, 3)).toBeNull();

    const events = await db.queries.events(rec.reference);
    expect(events?.map((e) => e.seq)).toEqual(rec.events.map((e) => e.seq));
    expect(events?.[0]).toEqual(rec.events[0]);
    expect(events?.map((e) => e.type)).toContain('closed');

    // The planned completion as the answer gave it (here an instant; a date stays a date).
    const responses = await db.dataSource.query<
      { nation: string; decision: string; planned_completion: string | null }[]
    >(`SELECT nation, decision, planned_completion FROM national_responses WHERE reference = $1 ORDER BY event_seq`, [
      rec.reference,
    ]);
    expect(responses.map((r) => [r.nation, r.decision, r.planned_completion])).toEqual([
      ['FRA', 'under-consideration', null],
      ['FRA', 'accepted', '2027-01-01T00:00:00.000Z'],
      ['DEU', 'not-accepted', null],
    ]);
  });

  it('refuses a batch that skips events, and writes nothing of it; a retry of an older batch changes nothing', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0104', {}, '2026-01-05T09:00:00.000Z');
    const first = rec.projection('2026-01-05T09:00:00.000Z');
    rec.revise({ title: 'Newer title' }, 'n', '2026-01-06T09:00:00.000Z');
    const second = rec.projection('2026-01-06T09:00:00.000Z');
    await expect(db.projection.apply(second)).rejects.toThrow(
      'DIPB-2026-0104: event #2 follows #0; events #1..#1 are missing',
    );
    expect(await count('events', rec.reference)).toBe(0);
    expect(await count('recommendations', rec.reference)).toBe(0);
    await db.projection.apply(first);
    await db.projection.apply(second);
    await db.projection.apply(first); // a late retry of the first batch
    const view = await db.queries.get(rec.reference);
    expect(view?.title).toBe('Newer title');
    expect(view?.revision).toBe(2);
    expect(await count('events', rec.reference)).toBe(2);
  });

  it('stores each text once, by hash, and refuses a text that is not what its hash says', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0107', { body: 'x'.repeat(200_000) }, '2026-01-05T09:00:00.000Z');
    await db.projection.apply(rec.projection());
    rec.revise({ title: 'Retitled' }, 'n', '2026-01-06T09:00:00.000Z');
    await db.projection.apply(rec.projection());
    const texts = await db.dataSource.query<{ n: number }[]>(
      `SELECT count(*)::int AS n FROM texts t JOIN revisions r ON r.text_hash = t.hash WHERE r.reference = $1`,
      [rec.reference],
    );
    expect(texts[0]?.n).toBe(2);
    // The event log carries the hash, never the text.
    const [raised] = await db.dataSource.query<{ data: Record<string, unknown> }[]>(
      `SELECT data FROM events WHERE reference = $1 AND seq = 1`,
      [rec.reference],
    );
    expect(raised?.data).not.toHaveProperty('body');
    expect(raised?.data.textHash).toMatch(/^[0-9a-f]{64}$/);
    await expect(
      db.dataSource.query(`INSERT INTO texts (hash, title, summary, body) VALUES ($1, 'T', 'S', 'B')`, [
        '0'.repeat(64),
      ]),
    ).rejects.toThrow(/texts_hash_matches/);
    await expect(
      db.dataSource.query(`UPDATE texts SET body = 'tampered' WHERE hash = $1`, [raised?.data.textHash]),
    ).rejects.toThrow(/immutable/);
  });

  it('keeps the event log append-only', async () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0105', {}, '2026-01-05T09:00:00.000Z');
    await db.projection.apply(rec.projection('2026-01-05T09:00:00.000Z'));
    await expect(db.dataSource.query(`DELETE FROM events WHERE reference = $1`, [rec.reference])).rejects.toThrow(
      /append-only/,
    );
    await expect(
      db.dataSource.query(`UPDATE events SET type = 'closed' WHERE reference = $1`, [rec.reference]),
    ).rejects.toThrow(/append-only/);
  });

  it('refuses events of another recommendation', async () => {
    const a = new ScriptedRecommendation('DIPB-2026-0106', {}, '2026-01-05T09:00:00.000Z');
    const input = a.projection('2026-01-05T09:00:00.000Z');
    await expect(db.projection.apply({ ...input, reference: 'DIPB-2026-0999' })).rejects.toThrow(
      /belongs to DIPB-2026-0106/,
    );
  });

  it('answers null for an unknown reference', async () => {
    expect(await db.queries.get('DIPB-1999-0001')).toBeNull();
    expect(await db.queries.revisions('DIPB-1999-0001')).toBeNull();
    expect(await db.queries.events('DIPB-1999-0001')).toBeNull();
    expect(await db.queries.notifications('DIPB-1999-0001')).toBeNull();
  });
});
