import { ProjectionRebuildRepository } from './projection-rebuild.repository';
import { useProjectedDatabase } from '../testing/fresh-database';
import { director, ScriptedRecommendation, SECRETARIAT, wgMember } from '../testing/lifecycle';

const db = useProjectedDatabase('rebuild');
let rebuild: ProjectionRebuildRepository;

/** A recommendation projected as the worker would: raised, agreed, approved, submitted, FRA accepted. */
async function projected(reference: string): Promise<ScriptedRecommendation> {
  const rec = new ScriptedRecommendation(
    reference,
    { title: 'Pool propellant demand', nations: ['FRA', 'DEU'] },
    '2026-01-05T09:00:00.000Z',
  );
  await db.projection.apply(rec.projection('2026-01-05T09:00:00.000Z'));
  rec.revise({ body: 'Second text' }, 'tightened', '2026-01-06T09:00:00.000Z');
  rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P14D' }, '2026-01-07T09:00:00.000Z');
  rec.command(
    wgMember('FRA', 'IC'),
    { type: 'consensus-position', position: 'concur', comment: 'Yes' },
    '2026-01-08T09:00:00.000Z',
  );
  await db.projection.apply(rec.projection('2026-01-08T09:00:00.000Z'));
  rec.advance('2026-01-21T09:00:01.000Z');
  rec.advance('2026-02-04T09:00:02.000Z');
  rec.command(SECRETARIAT, { type: 'submit' }, '2026-02-05T09:00:00.000Z');
  rec.command(
    director('FRA'),
    { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'Oui' },
    '2026-02-06T09:00:00.000Z',
  );
  rec.command(
    SECRETARIAT,
    { type: 'move-deadline', nation: 'DEU', dueAt: '2026-09-01T00:00:00.000Z', reason: 'asked for time' },
    '2026-02-07T09:00:00.000Z',
  );
  await db.projection.apply(rec.projection('2026-02-07T09:00:00.000Z'));
  return rec;
}

beforeAll(() => {
  rebuild = new ProjectionRebuildRepository(db.dataSource);
});

const now = Date.parse('2026-02-08T00:00:00Z');

describe('projection rebuild from the event log', () => {
  it('finds nothing to change in a read model the workflow projected', async () => {
    await projected('DIPB-2026-0501');
    expect(await rebuild.rebuild({ reference: 'DIPB-2026-0501', now })).toEqual({
      checked: ['DIPB-2026-0501'],
      differences: [],
      written: [],
    });
  });

  it('names every corrupted field, restores them with write, and leaves the event log alone', async () => {
    const rec = await projected('DIPB-2026-0502');
    const before = await db.queries.get(rec.reference);
    const eventsBefore = await db.queries.events(rec.reference);
    // Deliberate damage, as a bad hand edit would do.
    await db.dataSource.query(
      `UPDATE recommendations SET stage = 'drafting', pending_nations = '{}', view = jsonb_set(view, '{title}', '"Wrong title"') WHERE reference = $1`,
      [rec.reference],
    );
    await db.dataSource.query(`UPDATE revisions SET note = 'tampered' WHERE reference = $1 AND number = 2`, [
      rec.reference,
    ]);
    await db.dataSource.query(`DELETE FROM national_responses WHERE reference = $1`, [rec.reference]);

    const found = await rebuild.rebuild({ reference: rec.reference, now });
    expect(found.written).toEqual([]);
    expect(found.differences.map((d) => d.path).sort()).toEqual(
      [
        'national_responses[#9]',
        'recommendations.pendingNations',
        'recommendations.stage',
        'revisions[2]',
        'view.title',
      ].sort(),
    );
    expect(found.differences.find((d) => d.path === 'recommendations.stage')).toMatchObject({
      stored: 'drafting',
      derived: 'submitted',
    });

    const fixed = await rebuild.rebuild({ reference: rec.reference, write: true, now });
    expect(fixed.written).toEqual([rec.reference]);
    expect(await rebuild.rebuild({ reference: rec.reference, now })).toMatchObject({ differences: [] });

    const after = await db.queries.get(rec.reference);
    expect(after).toMatchObject({ title: before?.title, stage: 'submitted', revision: 2 });
    expect(after?.nations.find((n) => n.code === 'FRA')?.response).toMatchObject({
      decision: 'accepted',
      comment: 'Oui',
    });
    expect(after?.nations.find((n) => n.code === 'DEU')?.nextDue).toBe('2026-09-01T00:00:00.000Z');
    expect((await db.queries.list({ nation: 'DEU', stage: 'submitted' })).items.map((i) => i.reference)).toContain(
      rec.reference,
    );
    expect(await db.queries.events(rec.reference)).toEqual(eventsBefore);
  });

  it('rebuilds the state the projection stores (the one the delivery checks) from the events', async () => {
    const rec = await projected('DIPB-2026-0504');
    await db.dataSource.query(`UPDATE recommendations SET stage = 'withdrawn' WHERE reference = $1`, [rec.reference]);
    await rebuild.rebuild({ reference: rec.reference, write: true, now });
    const stored = await db.queries.state(rec.reference);
    expect(stored?.state?.stage).toBe('submitted');
    expect(stored?.state?.textHash).toBe(rec.state.textHash);
    expect(stored?.state?.tracks.map((t) => [t.code, t.state, t.chase?.dueAt])).toEqual(
      rec.state.tracks.map((t) => [t.code, t.state, t.chase?.dueAt]),
    );
  });

  it('re-creates a recommendation row that was lost, from its events', async () => {
    const rec = await projected('DIPB-2026-0503');
    await db.dataSource.query('DELETE FROM recommendations WHERE reference = $1', [rec.reference]);
    const all = await rebuild.rebuild({ write: true, now });
    expect(all.checked).toEqual(expect.arrayContaining(['DIPB-2026-0501', 'DIPB-2026-0502', 'DIPB-2026-0503']));
    expect(all.written).toEqual([rec.reference]);
    expect((await db.queries.get(rec.reference))?.stage).toBe('submitted');
  });
});
