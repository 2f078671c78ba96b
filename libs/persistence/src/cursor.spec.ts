import { decodeCursor, encodeCursor, InvalidCursorError } from './cursor';

describe('list cursor', () => {
  it('round-trips and is URL-safe', () => {
    for (const priority of [true, false]) {
      const cursor = { priority, createdAt: '2026-01-01T08:00:00.123456Z', reference: 'DIPB-2026-0042' };
      const encoded = encodeCursor(cursor);
      expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
      expect(decodeCursor(encoded)).toEqual(cursor);
    }
  });

  it('reads a cursor given out before priority existed as one among the others', () => {
    const before = Buffer.from('["2026-01-01T08:00:00.123456Z","DIPB-2026-0042"]').toString('base64url');
    expect(decodeCursor(before)).toEqual({
      priority: false,
      createdAt: '2026-01-01T08:00:00.123456Z',
      reference: 'DIPB-2026-0042',
    });
  });

  it.each([
    ['not base64url', 'a b'],
    ['not JSON', Buffer.from('{oops').toString('base64url')],
    ['the wrong shape', Buffer.from('{"createdAt":"x"}').toString('base64url')],
    ['a bad instant', Buffer.from('["2026-01-01","DIPB-2026-0001"]').toString('base64url')],
    ['a non-string reference', Buffer.from('["2026-01-01T08:00:00.123456Z",7]').toString('base64url')],
    ['a non-boolean priority', Buffer.from('["2026-01-01T08:00:00.123456Z","DIPB-2026-0001",1]').toString('base64url')],
    ['too many items', Buffer.from('["2026-01-01T08:00:00.123456Z","DIPB-2026-0001",true,0]').toString('base64url')],
    ['empty', ''],
  ])('refuses %s with a 400', (_, value) => {
    expect(() => decodeCursor(value)).toThrow(InvalidCursorError);
    try {
      decodeCursor(value);
    } catch (e) {
      expect((e as InvalidCursorError).getStatus()).toBe(400);
    }
  });
});
