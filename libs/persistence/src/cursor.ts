import { BadRequestException } from '@nestjs/common';

/** A position in the list's order (priority DESC, created_at DESC, reference DESC): the last row of the page before. */
export interface ListCursor {
  priority: boolean;
  /** created_at to the microsecond, ISO 8601 UTC. */
  createdAt: string;
  reference: string;
}

/** A cursor a client altered or made up: the caller's fault, so a 400. */
export class InvalidCursorError extends BadRequestException {
  constructor() {
    super('cursor is not one this API returned');
  }
}

const INSTANT_US = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

/** Opaque to clients: base64url of a small JSON array. */
export function encodeCursor(cursor: ListCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt, cursor.reference, cursor.priority]), 'utf8').toString(
    'base64url',
  );
}

export function decodeCursor(value: string): ListCursor {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(value)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  // Two items: a cursor given out before priority existed, when every recommendation was not priority.
  if (!Array.isArray(parsed) || (parsed.length !== 2 && parsed.length !== 3)) throw new InvalidCursorError();
  const [createdAt, reference, priority = false] = parsed as unknown[];
  if (
    typeof createdAt !== 'string' ||
    !INSTANT_US.test(createdAt) ||
    typeof reference !== 'string' ||
    reference.length > 100 ||
    typeof priority !== 'boolean'
  ) {
    throw new InvalidCursorError();
  }
  return { priority, createdAt, reference };
}

/**
 * A place in the change feed: the last event read, as (transaction id, event id), or the horizon a
 * reader has read everything below (`id` 0). Opaque to clients: base64url of `tx.id`.
 */
export interface FeedPosition {
  /** The writing transaction's id (xid8), in decimal. */
  tx: string;
  /** The event's id, in decimal. */
  id: string;
}

export const FEED_START: FeedPosition = { tx: '0', id: '0' };

export class InvalidFeedPositionError extends BadRequestException {
  constructor() {
    super('after is not a position this API returned');
  }
}

export function encodeFeedPosition(p: FeedPosition): string {
  return Buffer.from(`${p.tx}.${p.id}`, 'utf8').toString('base64url');
}

export function decodeFeedPosition(value: string): FeedPosition {
  if (!/^[A-Za-z0-9_-]{1,60}$/.test(value)) throw new InvalidFeedPositionError();
  const match = /^(\d{1,20})\.(\d{1,19})$/.exec(Buffer.from(value, 'base64url').toString('utf8'));
  if (!match) throw new InvalidFeedPositionError();
  return { tx: match[1]!, id: match[2]! };
}
