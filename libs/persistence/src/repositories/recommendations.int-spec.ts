import { decodeCursor } from '../cursor';
import { LIST_TOTAL_CAP, type ListQuery } from './recommendations.repository';
import { useProjectedDatabase } from '../testing/fresh-database';
import { director, ScriptedRecommendation, SECRETARIAT } from '../testing/lifecycle';

const db = useProjectedDatabase('queries');

let n = 0;
const at = (minutes: number): string => new Date(Date.UTC(2026, 0, 1, 8, 0) + minutes * 60_000).toISOString();

async function raise(
  input: ConstructorParameters<typeof ScriptedRecommendation>[1],
  minute = n,
): Promise<ScriptedRecommendation> {
  n++;
  const rec = new ScriptedRecommendation(`DIPB-2026-${String(n).padStart(4, '0')}`, input, at(minute));
  await db.projection.apply(rec.projection(at(minute)));
  return rec;
}

const refs = async (q: ListQuery): Promise<string[]> =>
  (await db.queries.list({ limit: 100, ...q })).items.map((i) => i.reference);

describe('RecommendationsRepository.list', () => {
  beforeAll(async () => {
    // 0001: EN, IC, drafting, FRA+DEU
    await raise({
      title: 'Industrial capacity for artillery ammunition',
      summary: 'Ramp up production lines',
      nations: ['FRA', 'DEU'],
    });
    // 0002: FR, SCS, submitted to FRA+ITA, then FRA overdue
    const fr = await raise({
      title: 'Sécurité des chaînes d’approvisionnement',
      summary: 'Les chaînes critiques de matières premières',
      body: 'Renforcer la résilience des fournisseurs',
      workingGroup: 'SCS',
      language: 'fr',
      nations: ['FRA', 'ITA'],
      policy: {
        consensusSilence: 'PT1H',
        approvalSilence: 'PT1H',
        silenceReminders: ['PT10M'],
        responseDue: 'P1D',
        responseReminders: ['PT1H'],
      },
    });
    fr.command(SECRETARIAT, { type: 'call-consensus' }, at(10));
    fr.advance(at(80));
    fr.advance(at(150));
    fr.command(SECRETARIAT, { type: 'submit' }, at(160));
    fr.command(director('ITA'), { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'no' }, at(170));
    fr.advance(at(160 + 24 * 60 + 1));
    await db.projection.apply(fr.projection(at(160 + 24 * 60 + 1)));
    // 0003: EN, SI, drafting, USA only
    await raise({
      title: 'Interoperability of connectors',
      body: 'Common standards for supply of spare parts',
      workingGroup: 'SI',
      nations: ['USA'],
    });
  });

  it('filters by stage, working group, target nation, pending nation and overdue', async () => {
    expect(await refs({ stage: 'follow-up' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ stage: 'drafting' })).toEqual(['DIPB-2026-0003', 'DIPB-2026-0001']);
    expect(await refs({ workingGroup: 'SI' })).toEqual(['DIPB-2026-0003']);
    expect(await refs({ nation: 'FRA' })).toEqual(['DIPB-2026-0002', 'DIPB-2026-0001']);
    expect(await refs({ nation: 'ITA' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ pendingNation: 'FRA' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ pendingNation: 'ITA' })).toEqual([]);
    expect(await refs({ overdue: true })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ overdue: false })).toEqual(['DIPB-2026-0003', 'DIPB-2026-0001']);
    expect(await refs({ nation: 'FRA', workingGroup: 'IC', stage: 'drafting' })).toEqual(['DIPB-2026-0001']);
    const page = await db.queries.list({ overdue: true, limit: 10 });
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({
      stage: 'follow-up',
      pendingNations: ['FRA'],
      overdue: true,
      workingGroup: 'SCS',
      language: 'fr',
    });
  });

  it('counts the total exactly up to the cap, and says when it is only a lower bound', async () => {
    const all = await db.queries.list({ limit: 1 });
    expect(all).toMatchObject({ total: 3, totalIsExact: true });
    db.queries.totalCap = 2;
    try {
      expect(await db.queries.list({ limit: 1 })).toMatchObject({ total: 2, totalIsExact: false });
      expect(await db.queries.list({ nation: 'FRA', limit: 1 })).toMatchObject({ total: 2, totalIsExact: true });
      expect(await db.queries.list({ stage: 'follow-up', limit: 1 })).toMatchObject({ total: 1, totalIsExact: true });
    } finally {
      db.queries.totalCap = LIST_TOTAL_CAP;
    }
  });

  it('searches title, summary and body in English and French, with or without accents', async () => {
    expect(await refs({ q: 'sécurité' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ q: 'securite' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ q: 'chaînes' })).toEqual(['DIPB-2026-0002']);
    expect(await refs({ q: 'chaine' })).toEqual(['DIPB-2026-0002']); // French stemming: singular finds plural
    expect(await refs({ q: 'fournisseur' })).toEqual(['DIPB-2026-0002']); // in the body
    expect(await refs({ q: 'ramping line' })).toEqual(['DIPB-2026-0001']); // English stemming: Ramp up … lines
    expect(await refs({ q: 'standard' })).toEqual(['DIPB-2026-0003']);
    expect(await refs({ q: 'supply' })).toEqual(['DIPB-2026-0003']);
    expect(await refs({ q: 'artillery ammunition' })).toEqual(['DIPB-2026-0001']);
    expect(await refs({ q: 'artillery -ammunition' })).toEqual([]);
    expect(await refs({ q: 'nothing-like-this' })).toEqual([]);
    expect(await refs({ q: 'securite', stage: 'drafting' })).toEqual([]);
  });

  it('pages with a cursor while new rows are inserted: no duplicates, no gaps', async () => {
    const before = (await db.queries.list({ limit: 100 })).items.map((i) => i.reference);
    for (let i = 0; i < 23; i++) await raise({ title: `Bulk ${i}` }, 1000 + (i % 5)); // equal created_at on purpose
    const expected = (await db.queries.list({ limit: 100 })).items.map((i) => i.reference);
    expect(expected).toHaveLength(before.length + 23);

    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await db.queries.list({ limit: 4, ...(cursor ? { cursor } : {}) });
      expect(page.total).toBe(expected.length + pages); // one row is inserted after each page
      seen.push(...page.items.map((i) => i.reference));
      cursor = page.nextCursor ?? undefined;
      // A newer row arrives between two pages: it belongs before the first page, so it never shows up here.
      await raise({ title: `Late ${pages}` }, 5000 + pages);
      pages++;
    } while (cursor);
    expect(seen).toEqual(expected);
    expect(new Set(seen).size).toBe(seen.length);
    expect(pages).toBe(Math.ceil(expected.length / 4));
  });

  it('rejects a cursor it did not issue, and clamps the limit', async () => {
    await expect(db.queries.list({ limit: 10, cursor: 'not a cursor' })).rejects.toThrow(
      'cursor is not one this API returned',
    );
    await expect(
      db.queries.list({ limit: 10, cursor: Buffer.from('["x","y"]').toString('base64url') }),
    ).rejects.toThrow(/cursor/);
    expect((await db.queries.list({ limit: 1000 })).items.length).toBeLessThanOrEqual(100);
    const one = await db.queries.list({ limit: 0 });
    expect(one.items).toHaveLength(1);
    expect(decodeCursor(one.nextCursor ?? '').reference).toBe(one.items[0]?.reference);
  });

  it('lists priority recommendations first, filters them, and pages across them without a gap', async () => {
    // Raised long before everything else: only their priority can bring them to the top.
    const older = await raise({ title: 'Priority: energetics', priority: true }, -100);
    const oldest = await raise({ title: 'Priority: raw materials', priority: true }, -200);
    const all = (await db.queries.list({ limit: 100 })).items;
    expect(all.slice(0, 2).map((i) => [i.reference, i.priority])).toEqual([
      [older.reference, true],
      [oldest.reference, true],
    ]);
    expect(all.slice(2).every((i) => !i.priority)).toBe(true);
    expect(await refs({ priority: true })).toEqual([older.reference, oldest.reference]);
    expect(await refs({ priority: false })).toEqual(all.slice(2).map((i) => i.reference));

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await db.queries.list({ limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((i) => i.reference));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(all.map((i) => i.reference));
    // A cursor given out before priority existed (two items) still pages, among the others.
    const legacy = Buffer.from(
      JSON.stringify([
        decodeCursor((await db.queries.list({ limit: 3 })).nextCursor ?? '').createdAt,
        'DIPB-9999-9999',
      ]),
    ).toString('base64url');
    expect((await db.queries.list({ limit: 100, cursor: legacy })).items.every((i) => !i.priority)).toBe(true);
  });
});
