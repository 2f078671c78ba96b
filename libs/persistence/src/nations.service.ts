import type { Language, NationCode } from '@app/domain';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { WgMemberEmails } from './entities';

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

  async updateDirector(code: string, update: DirectorUpdate): Promise<NationRecord | null> {
    const rows = await this.dataSource.query<[Row[], number]>(
      `UPDATE nations SET director_name = $2, director_email = $3, director_alternate_email = $4, language = $5, updated_at = now()
        WHERE code = $1
        RETURNING ${COLUMNS}`,
      [code, update.name, update.email, update.alternateEmail ?? null, update.language],
    );
    // UPDATE … RETURNING through TypeORM's postgres driver answers [rows, affected].
    const first = rows[0][0];
    return first ? toRecord(first) : null;
  }
}
