import type { QueryRunner } from 'typeorm';
import { sleep } from '../../../testing/src/wait';
import { decodeFeedPosition, encodeFeedPosition } from '../cursor';
import { useFreshDatabase } from '../testing/fresh-database';
import { ChangeFeedRepository, type FeedFilter } from './change-feed.repository';

const db = useFreshDatabase('feed');
const ALL: FeedFilter = { scope: { kind: 'all' } };
let feed: ChangeFeedRepository;
let run = 0;

beforeAll(() => {
  feed = new ChangeFeedRepository(db.dataSource);
});

/** Appends one event; its id comes from the events' sequence, taken now (before any commit). */
async function append(q: QueryRunner | undefined, reference: string, seq: number): Promise<string> {
  const runner = q ?? db.dataSource;
  const [row]: [{ id: string }] = await runner.query(
    `INSERT INTO events (reference, seq, type, at, actor, revision, data)
     VALUES ($1, $2, 'revised', now(), '{"id": "system", "role": "system"}', 1, '{}') RETURNING id::text AS id`,
    [reference, seq],
  );
  return row.id;
}

async function open(): Promise<QueryRunner> {
  const q = db.dataSource.createQueryRunner();
  await q.connect();
  await q.startTransaction();
  return q;
}

/** Reads the feed from `from` to its end for now. */
async function drain(from: string | null) {
  const seen: { reference: string; seq: number; position: string }[] = [];
  let position = from;
  for (;;) {
    const page = await feed.read(position === null ? null : decodeFeedPosition(position), 50, ALL);
    seen.push(...page.items);
    position = page.position;
    if (page.items.length < 50) return { seen, position };
  }
}

describe('ChangeFeedRepository.read', () => {
  it('holds back an event committed while an earlier transaction is still open, and gives both, in order, once it ends', async () => {
    const tag = `HOLD-${++run}`;
    const { position: start } = await drain(null);
    const first = await open();
    const firstId = await append(first, `${tag}-A`, 1);
    // Committed at once, after the first took a smaller id: a reader going by id would pass the first.
    const secondId = await append(undefined, `${tag}-B`, 1);
    expect(BigInt(secondId)).toBeGreaterThan(BigInt(firstId));
    const naive = await db.dataSource.query<{ id: string }[]>('SELECT id::text AS id FROM events WHERE id >= $1', [
      firstId,
    ]);
    expect(naive.map((r) => r.id)).toEqual([secondId]);

    const during = await drain(start);
    expect(during.seen).toEqual([]);
    await first.commitTransaction();
    await first.release();
    const after = await drain(during.position);
    expect(after.seen.map((e) => e.reference)).toEqual([`${tag}-A`, `${tag}-B`]);
    // And nothing again from there.
    expect((await drain(after.position)).seen).toEqual([]);
  });

  it('never gives an event of a transaction that rolled back', async () => {
    const tag = `ROLLBACK-${++run}`;
    const { position: start } = await drain(null);
    const q = await open();
    await append(q, `${tag}-A`, 1);
    await append(undefined, `${tag}-B`, 1);
    await q.rollbackTransaction();
    await q.release();
    expect((await drain(start)).seen.map((e) => e.reference)).toEqual([`${tag}-B`]);
  });

  it('gives a reader tailing it every event of eight concurrent writers exactly once, in order, where a reader by id skips some', async () => {
    const tag = `TAIL-${++run}`;
    const { position: start } = await drain(null);
    const committed = new Set<string>();
    const rolledBack = new Set<string>();
    let writing = true;
    // Eight writers: transactions of one to three events, committed after a random 0–30 ms (one in eight rolls back).
    const writers = Array.from({ length: 8 }, async (_, w) => {
      let seq = 0;
      for (let t = 0; t < 30; t++) {
        const q = await open();
        const refs: string[] = [];
        for (let k = 0; k <= (t + w) % 3; k++) {
          const reference = `${tag}-${w}`;
          await append(q, reference, ++seq);
          refs.push(`${reference}/${seq}`);
        }
        await sleep(Math.random() * 30);
        if ((t + w) % 8 === 3) {
          await q.rollbackTransaction();
          refs.forEach((r) => rolledBack.add(r));
        } else {
          await q.commitTransaction();
          refs.forEach((r) => committed.add(r));
        }
        await q.release();
      }
    });
    // The feed's reader, and beside it the reader this feed must not be: "everything with a larger id".
    const seen: string[] = [];
    const positions: string[] = [];
    let position = start;
    const tailing = (async () => {
      while (writing || seen.length < committed.size) {
        const page = await feed.read(decodeFeedPosition(position), 20, ALL);
        for (const e of page.items)
          if (e.reference.startsWith(tag)) {
            seen.push(`${e.reference}/${e.seq}`);
            positions.push(e.position);
          }
        position = page.position;
        await sleep(2);
      }
    })();
    const naive = new Set<string>();
    let lastId = 0n;
    const naiveTailing = (async () => {
      while (writing) {
        const rows = await db.dataSource.query<{ id: string; reference: string; seq: number }[]>(
          'SELECT id::text AS id, reference, seq FROM events WHERE id > $1 AND reference LIKE $2 ORDER BY id LIMIT 20',
          [lastId.toString(), `${tag}-%`],
        );
        for (const r of rows) {
          naive.add(`${r.reference}/${r.seq}`);
          lastId = BigInt(r.id);
        }
        await sleep(2);
      }
    })();
    await Promise.all(writers);
    writing = false;
    await Promise.race([
      Promise.all([tailing, naiveTailing]),
      sleep(30_000).then(() => {
        throw new Error(`the reader saw ${seen.length} of ${committed.size} events in 30 s`);
      }),
    ]);

    const skippedByNaive = [...committed].filter((e) => !naive.has(e)).length;
    process.stdout.write(
      `[change feed] ${committed.size} events committed by 8 writers (${rolledBack.size} rolled back); the feed's reader saw ${seen.length} (${new Set(seen).size} distinct); a reader by id skipped ${skippedByNaive}\n`,
    );
    // The hazard happened: a reader by id passed events that committed after a larger id.
    expect(skippedByNaive).toBeGreaterThan(0);
    // Every committed event once, none rolled back, in the feed's order.
    expect(seen).toHaveLength(new Set(seen).size);
    expect(new Set(seen)).toEqual(committed);
    const order = positions.map((p) => decodeFeedPosition(p));
    for (let i = 1; i < order.length; i++) {
      const [a, b] = [order[i - 1]!, order[i]!];
      expect(BigInt(b.tx) > BigInt(a.tx) || (b.tx === a.tx && BigInt(b.id) > BigInt(a.id))).toBe(true);
    }
    // Within a writer, its events in the order it wrote them.
    for (let w = 0; w < 8; w++) {
      const mine = seen.filter((e) => e.startsWith(`${tag}-${w}/`)).map((e) => Number(e.split('/')[1]));
      expect(mine).toEqual([...mine].sort((x, y) => x - y));
    }
  }, 60_000);

  it('refuses a position it did not give', () => {
    expect(() => decodeFeedPosition('not a position')).toThrow('after is not a position this API returned');
    expect(() => decodeFeedPosition(Buffer.from('12.x').toString('base64url'))).toThrow();
    expect(decodeFeedPosition(encodeFeedPosition({ tx: '1234', id: '56' }))).toEqual({ tx: '1234', id: '56' });
  });
});
