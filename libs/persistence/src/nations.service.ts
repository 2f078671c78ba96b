import type { ActorRef, Language, NationCode } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DirectorContact, WgMemberEmails } from './entities';

/** A nation of the directory, as the API shows it and as mail looks it up. */
export interface NationRecord {
  code: NationCode;
  name: { en: string; fr: string };
  /** The director's language of correspondence. */
  language: Language;
  director: { name: string | null; email: string; alternateEmail: string | null };
  seniorRepEmail: string | null;
  wgMemberEmails: WgMemberEmails;
  updatedAt: string;
}

export interface DirectorUpdate {
  name: string;
  email: string;
  alternateEmail?: string | null;
  language: Language;
}

/** One accepted change of a nation's director contact: who made it, when, from what to what. */
export interface DirectoryChange {
  id: string;
  nation: NationCode;
  actor: ActorRef;
  at: string;
  before: DirectorContact;
  after: DirectorContact;
}

interface Row {
  code: NationCode;
  name_en: string;
  name_fr: string;
  language: Language;
  director_name: string | null;
  director_email: string;
  director_alternate_email: string | null;
  senior_rep_email: string | null;
  wg_member_emails: WgMemberEmails;
  updated_at: Date;
}

const COLUMNS =
  'code, name_en, name_fr, language, director_name, director_email, director_alternate_email, senior_rep_email, wg_member_emails, updated_at';

interface ChangeRow {
  id: string;
  nation: NationCode;
  actor: ActorRef;
  at: Date;
  before: DirectorContact;
  after: DirectorContact;
}

function contactOf(r: Row): DirectorContact {
  return {
    name: r.director_name,
    email: r.director_email,
    alternateEmail: r.director_alternate_email,
    language: r.language,
  };
}

function toRecord(r: Row): NationRecord {
  return {
    code: r.code,
    name: { en: r.name_en, fr: r.name_fr },
    language: r.language,
    director: { name: r.director_name, email: r.director_email, alternateEmail: r.director_alternate_email },
    seniorRepEmail: r.senior_rep_email,
    wgMemberEmails: r.wg_member_emails,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The directory of the Allies and their contacts. Unknown code → null. */
@Injectable()
export class NationsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(): Promise<NationRecord[]> {
    const rows = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM nations ORDER BY code`);
    return rows.map(toRecord);
  }

  async get(code: string): Promise<NationRecord | null> {
    const rows = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM nations WHERE code = $1`, [code]);
    return rows[0] ? toRecord(rows[0]) : null;
  }

  /** What mail needs to reach a nation: the same record (director, alternate, senior rep, WG members, language). */
  contact(code: string): Promise<NationRecord | null> {
    return this.get(code);
  }

  /**
   * Changes a nation's director contact and appends the change, with `by`, to `directory_changes`,
   * in one transaction: both rows or neither. Every accepted change is recorded, even one that
   * leaves the contact as it was (someone confirmed it, and the trail says who). Unknown code → null.
   */
  updateDirector(code: string, update: DirectorUpdate, by: ActorRef): Promise<NationRecord | null> {
    return this.dataSource.transaction(async (m) => {
      // FOR UPDATE: two changes of one nation queue, so each change's `before` is the previous one's
      // `after`; the time is taken after the lock (clock_timestamp, not the transaction's start), so
      // newest first is the order the changes were made in.
      const [current] = await m.query<Row[]>(`SELECT ${COLUMNS} FROM nations WHERE code = $1 FOR UPDATE`, [code]);
      if (!current) return null;
      const [rows] = await m.query<[Row[], number]>(
        `UPDATE nations SET director_name = $2, director_email = $3, director_alternate_email = $4, language = $5,
                updated_at = clock_timestamp()
          WHERE code = $1
          RETURNING ${COLUMNS}`,
        [code, update.name, update.email, update.alternateEmail ?? null, update.language],
      );
      // UPDATE … RETURNING through TypeORM's postgres driver answers [rows, affected].
      const changed = rows[0];
      if (!changed) throw new Error(`nation ${code} vanished while its row was locked`);
      // The change's instant is the row's new updated_at, to the microsecond.
      await m.query(
        `INSERT INTO directory_changes (nation, actor, at, before, after)
         SELECT code, $2::jsonb, updated_at, $3::jsonb, $4::jsonb FROM nations WHERE code = $1`,
        [code, JSON.stringify(by), JSON.stringify(contactOf(current)), JSON.stringify(contactOf(changed))],
      );
      return toRecord(changed);
    });
  }

  /** A nation's director contact changes, newest first. Unknown code → null. */
  async changes(code: string): Promise<DirectoryChange[] | null> {
    const rows = await this.dataSource.query<ChangeRow[]>(
      `SELECT id, nation, actor, at, before, after FROM directory_changes WHERE nation = $1 ORDER BY at DESC, id DESC`,
      [code],
    );
    if (rows.length === 0 && !(await this.get(code))) return null;
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }
}
