import { WORKING_GROUPS, type ActorRef, type Language, type NationCode, type WorkingGroup } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

/** A person the directory holds for a nation: a director, a senior representative, a WG delegate. */
export interface ContactPerson {
  name: string | null;
  email: string;
  alternateEmail: string | null;
}

/** Each working group's delegate of a nation. */
export type WgDelegates = Partial<Record<WorkingGroup, ContactPerson>>;

export type WgMemberEmails = Partial<Record<WorkingGroup, string[]>>;

/** Which contact of a nation a change is about. */
export type ContactKey = 'director' | 'senior-rep' | `wg-delegate:${'IC' | 'SCS' | 'SI'}`;

/** A contact as the directory change log keeps it, before and after (the language is the nation's). */
export interface DirectorContact {
  name: string | null;
  email: string;
  alternateEmail: string | null;
  language: Language;
}

/** A nation of the directory, as the API shows it and as mail looks it up. */
export interface NationRecord {
  code: NationCode;
  name: { en: string; fr: string };
  /** The nation's language of correspondence (its director's, and its delegates'). */
  language: Language;
  director: ContactPerson;
  seniorRep: ContactPerson | null;
  /** The nation's delegate in each working group. */
  wgDelegates: WgDelegates;
  /** The senior representative's address (as `seniorRep.email`; kept for existing clients). */
  seniorRepEmail: string | null;
  /** The WG delegates' addresses by working group, delegate then alternate (kept for existing clients). */
  wgMemberEmails: WgMemberEmails;
  /** Where the nation's people read their mail: reminders wait for working hours there (IANA zone). */
  timeZone: string;
  updatedAt: string;
}

export interface DirectorUpdate {
  name: string;
  email: string;
  alternateEmail?: string | null;
  language: Language;
}

/** A new contact for a senior representative or WG delegate (the language stays the nation's). */
export interface ContactUpdate {
  name: string;
  email: string;
  alternateEmail?: string | null;
}

/** One accepted change of a nation's contact: which contact, who made it, when, from what to what. */
export interface DirectoryChange {
  id: string;
  nation: NationCode;
  contact: ContactKey;
  actor: ActorRef;
  at: string;
  before: DirectorContact | null;
  after: DirectorContact;
}

/** One line of a directory import: a contact of a nation, as it should be. */
export interface DirectoryImportRow {
  nation: NationCode;
  contact: ContactKey;
  name: string;
  email: string;
  alternateEmail: string | null;
  /** Only for a director's line: the nation's language of correspondence. */
  language: Language | null;
}

export interface DirectoryImportResult {
  /** Lines that changed a contact (each recorded in the trail). */
  changed: number;
  /** Lines that matched the directory already (recorded too: someone confirmed them). */
  unchanged: number;
}

interface Row {
  code: NationCode;
  name_en: string;
  name_fr: string;
  language: Language;
  director_name: string | null;
  director_email: string;
  director_alternate_email: string | null;
  senior_rep_name: string | null;
  senior_rep_email: string | null;
  senior_rep_alternate_email: string | null;
  wg_delegates: WgDelegates;
  time_zone: string;
  updated_at: Date;
}

const COLUMNS =
  'code, name_en, name_fr, language, director_name, director_email, director_alternate_email, senior_rep_name, senior_rep_email, senior_rep_alternate_email, wg_delegates, time_zone, updated_at';

interface ChangeRow {
  id: string;
  nation: NationCode;
  contact: ContactKey;
  actor: ActorRef;
  at: Date;
  before: DirectorContact | null;
  after: DirectorContact;
}

export function isContactKey(value: string): value is ContactKey {
  return value === 'director' || value === 'senior-rep' || /^wg-delegate:(IC|SCS|SI)$/.test(value);
}

export function wgDelegateKey(wg: WorkingGroup): ContactKey {
  return `wg-delegate:${wg}`;
}

/** The contact `key` of a nation's row, with the nation's language; null when it has none. */
function contactOf(r: Row, key: ContactKey): DirectorContact | null {
  const person: ContactPerson | null =
    key === 'director'
      ? { name: r.director_name, email: r.director_email, alternateEmail: r.director_alternate_email }
      : key === 'senior-rep'
        ? r.senior_rep_email
          ? { name: r.senior_rep_name, email: r.senior_rep_email, alternateEmail: r.senior_rep_alternate_email }
          : null
        : (r.wg_delegates[key.slice('wg-delegate:'.length) as WorkingGroup] ?? null);
  return person
    ? {
        name: person.name ?? null,
        email: person.email,
        alternateEmail: person.alternateEmail ?? null,
        language: r.language,
      }
    : null;
}

function toRecord(r: Row): NationRecord {
  const seniorRep = r.senior_rep_email
    ? { name: r.senior_rep_name, email: r.senior_rep_email, alternateEmail: r.senior_rep_alternate_email }
    : null;
  const wgMemberEmails: WgMemberEmails = {};
  for (const wg of WORKING_GROUPS) {
    const d = r.wg_delegates[wg];
    if (d) wgMemberEmails[wg] = [d.email, ...(d.alternateEmail ? [d.alternateEmail] : [])];
  }
  return {
    code: r.code,
    name: { en: r.name_en, fr: r.name_fr },
    language: r.language,
    director: { name: r.director_name, email: r.director_email, alternateEmail: r.director_alternate_email },
    seniorRep,
    wgDelegates: r.wg_delegates,
    seniorRepEmail: r.senior_rep_email,
    wgMemberEmails,
    timeZone: r.time_zone,
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The directory of the Allies and their contacts. Unknown code → null. */
@Injectable()
export class NationsRepository {
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
    return this.updateContact(code, 'director', update, by);
  }

  /** Changes a nation's senior representative or one of its WG delegates, as `updateDirector` does a director. */
  updateContact(
    code: string,
    key: ContactKey,
    update: ContactUpdate | DirectorUpdate,
    by: ActorRef,
  ): Promise<NationRecord | null> {
    return this.dataSource.transaction((m) => this.change(m, code, key, update, by));
  }

  /**
   * Loads many contacts at once (a CSV import): every line is applied and recorded, in one
   * transaction, or none is. Lines are checked by the caller; an unknown nation refuses the whole import.
   */
  importContacts(rows: DirectoryImportRow[], by: ActorRef): Promise<DirectoryImportResult> {
    return this.dataSource.transaction(async (m) => {
      const result: DirectoryImportResult = { changed: 0, unchanged: 0 };
      for (const row of rows) {
        const [current] = await m.query<Row[]>(`SELECT ${COLUMNS} FROM nations WHERE code = $1`, [row.nation]);
        if (!current) throw new UnknownNationError(row.nation);
        const before = contactOf(current, row.contact);
        const same =
          before !== null &&
          before.name === row.name &&
          before.email === row.email &&
          before.alternateEmail === row.alternateEmail &&
          (row.language === null || row.language === before.language);
        const update = {
          name: row.name,
          email: row.email,
          alternateEmail: row.alternateEmail,
          ...(row.language ? { language: row.language } : {}),
        };
        await this.change(m, row.nation, row.contact, update, by);
        if (same) result.unchanged++;
        else result.changed++;
      }
      return result;
    });
  }

  private async change(
    m: EntityManager,
    code: string,
    key: ContactKey,
    update: ContactUpdate | DirectorUpdate,
    by: ActorRef,
  ): Promise<NationRecord | null> {
    // FOR UPDATE: two changes of one nation queue, so each change's `before` is the previous one's
    // `after`; the time is taken after the lock (clock_timestamp, not the transaction's start), so
    // newest first is the order the changes were made in.
    const [current] = await m.query<Row[]>(`SELECT ${COLUMNS} FROM nations WHERE code = $1 FOR UPDATE`, [code]);
    if (!current) return null;
    const alternate = update.alternateEmail ?? null;
    let set: string;
    let params: unknown[];
    if (key === 'director') {
      const language = 'language' in update ? update.language : current.language;
      set = 'director_name = $2, director_email = $3, director_alternate_email = $4, language = $5';
      params = [update.name, update.email, alternate, language];
    } else if (key === 'senior-rep') {
      set = 'senior_rep_name = $2, senior_rep_email = $3, senior_rep_alternate_email = $4';
      params = [update.name, update.email, alternate];
    } else {
      set = `wg_delegates = wg_delegates || jsonb_build_object($2::text, jsonb_build_object('name', $3::text, 'email', $4::text, 'alternateEmail', $5::text))`;
      params = [key.slice('wg-delegate:'.length), update.name, update.email, alternate];
    }
    const [rows] = await m.query<[Row[], number]>(
      `UPDATE nations SET ${set}, updated_at = clock_timestamp() WHERE code = $1 RETURNING ${COLUMNS}`,
      [code, ...params],
    );
    // UPDATE … RETURNING through TypeORM's postgres driver answers [rows, affected].
    const changed = rows[0];
    if (!changed) throw new Error(`nation ${code} vanished while its row was locked`);
    // The change's instant is the row's new updated_at, to the microsecond.
    await m.query(
      `INSERT INTO directory_changes (nation, contact, actor, at, before, after)
       SELECT code, $2, $3::jsonb, updated_at, $4::jsonb, $5::jsonb FROM nations WHERE code = $1`,
      [code, key, JSON.stringify(by), JSON.stringify(contactOf(current, key)), JSON.stringify(contactOf(changed, key))],
    );
    return toRecord(changed);
  }

  /** A nation's contact changes (all its contacts), newest first. Unknown code → null. */
  async changes(code: string): Promise<DirectoryChange[] | null> {
    const rows = await this.dataSource.query<ChangeRow[]>(
      `SELECT id, nation, contact, actor, at, before, after FROM directory_changes WHERE nation = $1 ORDER BY at DESC, id DESC`,
      [code],
    );
    if (rows.length === 0 && !(await this.get(code))) return null;
    return rows.map((r) => ({ ...r, at: r.at.toISOString() }));
  }

  /**
   * The generation of a contact's addresses: the id of the latest recorded change that changed its
   * address or alternate ('0' when none). A personal link carries the generation it was sent under, so
   * a link sent to an address the secretariat has since replaced no longer works. A change that only
   * confirms the addresses (or changes the name or language) keeps the links.
   */
  async contactGeneration(code: string, key: ContactKey): Promise<string> {
    const [row] = await this.dataSource.query<{ id: string | null }[]>(
      `SELECT max(id)::text AS id FROM directory_changes
        WHERE nation = $1 AND contact = $2
          AND (before IS NULL OR before = 'null'::jsonb
               OR before ->> 'email' IS DISTINCT FROM after ->> 'email'
               OR before ->> 'alternateEmail' IS DISTINCT FROM after ->> 'alternateEmail')`,
      [code, key],
    );
    return row?.id ?? '0';
  }
}

/** An import named a nation that is not in the directory: nothing of the import is applied. */
export class UnknownNationError extends Error {
  override name = 'UnknownNationError';
  constructor(readonly nation: string) {
    super(`no nation ${nation} in the directory`);
  }
}
