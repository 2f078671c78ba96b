import type { RecommendationText } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';

/**
 * The hash a text is stored under: sha256 of `title NUL summary NUL body` in UTF-8, hex. NUL cannot
 * occur in a text (the API refuses it), so the three parts cannot run into each other. PostgreSQL
 * computes the same (`dipb_text_hash`) and refuses a row whose hash does not match.
 */
export function hashText(text: RecommendationText): string {
  return createHash('sha256').update(`${text.title}\u0000${text.summary}\u0000${text.body}`, 'utf8').digest('hex');
}

export interface StoredText extends RecommendationText {
  hash: string;
}

interface TextRow {
  hash: string;
  title: string;
  summary: string;
  body: string;
}

/**
 * Revision texts, stored once and addressed by hash (the claim check): the API stores a text before
 * the command that introduces it, so the workflow, its events and its activities carry only the hash.
 */
@Injectable()
export class TextsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Stores a text (a text already there is kept as it is) and returns its hash. */
  async store(text: RecommendationText, m: EntityManager = this.dataSource.manager): Promise<string> {
    const hash = hashText(text);
    await m.query(
      `INSERT INTO texts (hash, title, summary, body) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING`,
      [hash, text.title, text.summary, text.body],
    );
    return hash;
  }

  async get(hash: string, m: EntityManager = this.dataSource.manager): Promise<StoredText | null> {
    const rows = await m.query<TextRow[]>('SELECT hash, title, summary, body FROM texts WHERE hash = $1', [hash]);
    return rows[0] ?? null;
  }

  /** The text of one revision of a recommendation. */
  async ofRevision(
    reference: string,
    revision: number,
    m: EntityManager = this.dataSource.manager,
  ): Promise<StoredText | null> {
    const rows = await m.query<TextRow[]>(
      `SELECT t.hash, t.title, t.summary, t.body
         FROM revisions r JOIN texts t ON t.hash = r.text_hash
        WHERE r.reference = $1 AND r.number = $2`,
      [reference, revision],
    );
    return rows[0] ?? null;
  }

  /** The current text of a recommendation, as its read model names it. */
  async current(reference: string, m: EntityManager = this.dataSource.manager): Promise<StoredText | null> {
    const rows = await m.query<TextRow[]>(
      `SELECT t.hash, t.title, t.summary, t.body
         FROM recommendations r JOIN texts t ON t.hash = r.text_hash
        WHERE r.reference = $1`,
      [reference],
    );
    return rows[0] ?? null;
  }
}
