import { hashText } from './repositories/texts.repository';
import { director, ScriptedRecommendation, SECRETARIAT, wgMember } from './testing/lifecycle';
import { deriveRows, pendingNationsOf, ProjectionError } from './projection.rows';

describe('pendingNationsOf', () => {
  it('is the silent nations in a round, the unsettled ones after submission, nobody otherwise', () => {
    const rec = new ScriptedRecommendation(
      'DIPB-2026-0001',
      { nations: ['FRA', 'DEU', 'ITA'], workingGroup: 'IC' },
      '2026-01-01T00:00:00.000Z',
    );
    expect(pendingNationsOf(rec.view('2026-01-01T00:00:00.000Z'))).toEqual([]);
    rec.command(SECRETARIAT, { type: 'call-consensus', silence: 'P1D' }, '2026-01-01T01:00:00.000Z');
    rec.command(
      wgMember('DEU', 'IC'),
      { type: 'consensus-position', position: 'concur', comment: '' },
      '2026-01-01T02:00:00.000Z',
    );
    expect(pendingNationsOf(rec.view('2026-01-01T02:00:00.000Z'))).toEqual(['FRA', 'ITA']);
    rec.advance('2026-01-02T01:00:01.000Z').advance('2026-01-16T02:00:00.000Z');
    rec.command(SECRETARIAT, { type: 'submit' }, '2026-01-17T00:00:00.000Z');
    rec.command(
      director('ITA'),
      { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'no' },
      '2026-01-18T00:00:00.000Z',
    );
    expect(pendingNationsOf(rec.view('2026-01-18T00:00:00.000Z'))).toEqual(['FRA', 'DEU']);
  });
});

describe('deriveRows', () => {
  it('turns raise and revise into revisions 1 and 2, naming their texts by hash', () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0002', { title: 'T1' }, '2026-01-01T00:00:00.000Z');
    rec.revise({ title: 'T2' }, 'why', '2026-01-02T00:00:00.000Z');
    const rows = deriveRows(rec.events);
    expect(rows.revisions.map((r) => [r.number, r.textHash, r.note, r.createdAt])).toEqual([
      [1, hashText({ title: 'T1', summary: 'Summary', body: 'Body' }), 'Raised', '2026-01-01T00:00:00.000Z'],
      [2, hashText({ title: 'T2', summary: 'Summary', body: 'Body' }), 'why', '2026-01-02T00:00:00.000Z'],
    ]);
    expect(rows.positions).toEqual([]);
  });

  it('names the event when its data is malformed', () => {
    const rec = new ScriptedRecommendation('DIPB-2026-0003', {}, '2026-01-01T00:00:00.000Z');
    rec.revise({ title: 'T2' }, 'why', '2026-01-02T00:00:00.000Z');
    const revised = rec.events[1];
    if (!revised) throw new Error('no revised event');
    expect(() => deriveRows([{ ...revised, data: { ...revised.data, number: 'two' } }])).toThrow(
      new ProjectionError('event DIPB-2026-0003#2 (revised): data.number must be an integer'),
    );
  });
});
