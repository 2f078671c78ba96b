import type { ActorRef, Language } from '@app/domain';
import { NationsRepository } from './nations.repository';
import { useFreshDatabase } from '../testing/fresh-database';

const db = useFreshDatabase('nations');
let nations: NationsRepository;

beforeAll(() => {
  nations = new NationsRepository(db.dataSource);
});

const anna: ActorRef = { id: 'sec-anna', name: 'Anna Secretariat', role: 'secretariat' };
const count = async (table: 'directory_changes', nation: string): Promise<number> => {
  const [row] = await db.dataSource.query<{ n: string }[]>(`SELECT count(*) AS n FROM ${table} WHERE nation = $1`, [
    nation,
  ]);
  return Number(row?.n);
};

describe('NationsRepository.updateDirector records the change with its actor', () => {
  it('writes the directory row and one change row (before, after, actor, the same instant)', async () => {
    const before = await nations.get('FRA');
    const updated = await nations.updateDirector(
      'FRA',
      {
        name: 'Jeanne Dupont',
        email: 'jeanne.dupont@defense.example',
        alternateEmail: 'deputy@defense.example',
        language: 'fr',
      },
      anna,
    );
    expect(updated?.director).toEqual({
      name: 'Jeanne Dupont',
      email: 'jeanne.dupont@defense.example',
      alternateEmail: 'deputy@defense.example',
    });
    expect(await nations.changes('FRA')).toEqual([
      {
        id: expect.any(String),
        nation: 'FRA',
        contact: 'director',
        actor: anna,
        at: updated?.updatedAt,
        before: { name: null, email: before?.director.email, alternateEmail: null, language: 'fr' },
        after: {
          name: 'Jeanne Dupont',
          email: 'jeanne.dupont@defense.example',
          alternateEmail: 'deputy@defense.example',
          language: 'fr',
        },
      },
    ]);
  });

  it('lists changes newest first, each starting where the previous one ended; an unchanged PUT is recorded too', async () => {
    const bob: ActorRef = { id: 'sec-bob', role: 'secretariat' };
    const contact = { name: 'Hans Weber', email: 'hans.weber@bmvg.example', language: 'en' as Language };
    await nations.updateDirector('DEU', contact, anna);
    await nations.updateDirector('DEU', { ...contact, email: 'h.weber@bmvg.example' }, bob);
    await nations.updateDirector('DEU', { ...contact, email: 'h.weber@bmvg.example' }, anna);
    const changes = (await nations.changes('DEU')) ?? [];
    expect(changes.map((c) => [c.actor.id, c.before?.email, c.after.email])).toEqual([
      ['sec-anna', 'h.weber@bmvg.example', 'h.weber@bmvg.example'],
      ['sec-bob', 'hans.weber@bmvg.example', 'h.weber@bmvg.example'],
      ['sec-anna', 'director.deu@mod.example', 'hans.weber@bmvg.example'],
    ]);
    expect(changes[0]?.after.language).toBe('en');
    expect(changes[2]?.before?.language).toBe('en'); // DEU corresponds in English from the seed
  });

  it('queues concurrent changes of one nation: one starts from what the other wrote', async () => {
    const [a, b] = await Promise.all([
      nations.updateDirector('ITA', { name: 'A', email: 'a@difesa.example', language: 'en' }, anna),
      nations.updateDirector('ITA', { name: 'B', email: 'b@difesa.example', language: 'en' }, anna),
    ]);
    expect([a?.director.email, b?.director.email]).toEqual(['a@difesa.example', 'b@difesa.example']);
    const [last, first] = (await nations.changes('ITA')) ?? [];
    expect(first?.before?.email).toBe('director.ita@mod.example');
    expect(last?.before).toEqual(first?.after);
    expect((await nations.get('ITA'))?.director.email).toBe(last?.after.email);
  });

  it('writes neither row when the change row is refused after the directory row was updated', async () => {
    const before = await nations.get('ESP');
    // The UPDATE of nations succeeds; the INSERT of the change fails its CHECK (a change nobody made).
    await expect(
      nations.updateDirector(
        'ESP',
        { name: 'X', email: 'x@defensa.example', language: 'en' },
        { id: '', role: 'secretariat' },
      ),
    ).rejects.toThrow(/directory_changes_actor_check|check constraint/);
    expect(await nations.get('ESP')).toEqual(before);
    expect(await count('directory_changes', 'ESP')).toBe(0);
  });

  it('writes neither row for an input the directory refuses', async () => {
    const before = await nations.get('PRT');
    await expect(
      nations.updateDirector('PRT', { name: 'X', email: 'x@defesa.example', language: 'pt' as Language }, anna),
    ).rejects.toThrow(/check constraint/);
    expect(await nations.get('PRT')).toEqual(before);
    expect(await count('directory_changes', 'PRT')).toBe(0);
  });

  it('answers null for an unknown nation and writes nothing; a known nation without changes has none', async () => {
    expect(await nations.updateDirector('XXX', { name: 'n', email: 'n@x.example', language: 'en' }, anna)).toBeNull();
    expect(await count('directory_changes', 'XXX')).toBe(0);
    expect(await nations.changes('XXX')).toBeNull();
    expect(await nations.changes('BEL')).toEqual([]);
  });

  it('keeps the change log append-only', async () => {
    await expect(db.dataSource.query(`UPDATE directory_changes SET after = '{}' WHERE nation = 'FRA'`)).rejects.toThrow(
      /append-only \(UPDATE on directory_changes refused\)/,
    );
    await expect(db.dataSource.query(`DELETE FROM directory_changes WHERE nation = 'FRA'`)).rejects.toThrow(
      /append-only \(DELETE on directory_changes refused\)/,
    );
    expect(await count('directory_changes', 'FRA')).toBe(1);
  });
});
