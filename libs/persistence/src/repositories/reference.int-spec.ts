import { ReferenceRepository } from './reference.repository';
import { useFreshDatabase } from '../testing/fresh-database';

const db = useFreshDatabase('reference');
let references: ReferenceRepository;

beforeAll(() => {
  references = new ReferenceRepository(db.dataSource);
});

describe('ReferenceRepository.next', () => {
  it('starts each year at 0001', async () => {
    expect(await references.next(2030)).toBe('DIPB-2030-0001');
    expect(await references.next(2030)).toBe('DIPB-2030-0002');
    expect(await references.next(2031)).toBe('DIPB-2031-0001');
  });

  it('gives 20 parallel callers 20 distinct consecutive references', async () => {
    const got = await Promise.all(Array.from({ length: 20 }, () => references.next(2026)));
    expect([...got].sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `DIPB-2026-${String(i + 1).padStart(4, '0')}`),
    );
  });

  it('gives a number back when the transaction that took it rolls back', async () => {
    await expect(
      db.dataSource.transaction(async (m) => {
        expect(await references.next(2040, m)).toBe('DIPB-2040-0001');
        throw new Error('raise failed');
      }),
    ).rejects.toThrow('raise failed');
    expect(await references.next(2040)).toBe('DIPB-2040-0001');
  });
});
