import type { Language, NationCode, Recipient, WorkingGroup } from '@app/domain';
import type { EntityManager } from 'typeorm';

/** Where a message goes and in which language, as the directory says at the moment of sending. */
export interface ResolvedRecipient {
  /** Addresses to try in order; each entry is one attempt (a WG's delegates go together). */
  attempts: string[][];
  language: Language;
  nationName: { en: string; fr: string } | null;
  /** Why there is no address, when `attempts` is empty. */
  missing: string | null;
}

interface NationRow {
  code: string;
  name_en: string;
  name_fr: string;
  language: Language;
  director_email: string | null;
  director_alternate_email: string | null;
  senior_rep_email: string | null;
  wg_member_emails: Partial<Record<WorkingGroup, string[]>> | null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function isEmailAddress(value: string | null | undefined): value is string {
  return typeof value === 'string' && EMAIL.test(value.trim());
}

/** Reads the nations directory (migration `create-record`: table `nations`). */
export async function resolveRecipient(
  manager: EntityManager,
  recipient: Recipient,
  opts: {
    nation: NationCode | null;
    workingGroup: WorkingGroup;
    rapporteur: string | null;
    originalLanguage: Language;
    secretariat: string;
  },
): Promise<ResolvedRecipient> {
  const code = 'nation' in recipient ? recipient.nation : opts.nation;
  const nation = code ? await nationRow(manager, code) : null;
  const nationName = nation ? { en: nation.name_en, fr: nation.name_fr } : null;
  const result = (attempts: string[][], language: Language, missing: string | null = null): ResolvedRecipient => ({
    attempts: attempts.map((a) => a.filter(isEmailAddress)).filter((a) => a.length > 0),
    language,
    nationName,
    missing,
  });
  switch (recipient.role) {
    case 'secretariat':
      // The secretariat works in both languages; its internal notices are in English.
      return result([[opts.secretariat]], 'en');
    case 'rapporteur':
      // The rapporteur drafted the text, so is written to in the text's language; a name without an
      // address means the secretariat carries the message.
      return isEmailAddress(opts.rapporteur)
        ? result([[opts.rapporteur.trim()]], opts.originalLanguage)
        : result([[opts.secretariat]], opts.originalLanguage);
    case 'director':
    case 'senior-rep':
    case 'wg-member': {
      if (!nation) return result([], 'en', `nation ${recipient.nation} is not in the directory`);
      const attempts =
        recipient.role === 'director'
          ? [[nation.director_email ?? ''], [nation.director_alternate_email ?? '']]
          : recipient.role === 'senior-rep'
            ? [[nation.senior_rep_email ?? '']]
            : [nation.wg_member_emails?.[opts.workingGroup] ?? []];
      const resolved = result(attempts, nation.language);
      return resolved.attempts.length > 0
        ? resolved
        : {
            ...resolved,
            missing: `no ${recipient.role} address for ${recipient.nation}${recipient.role === 'wg-member' ? ` in ${opts.workingGroup}` : ''}`,
          };
    }
  }
}

async function nationRow(manager: EntityManager, code: string): Promise<NationRow | null> {
  const rows = await manager.query<NationRow[]>(
    `SELECT code, name_en, name_fr, language, director_email, director_alternate_email, senior_rep_email, wg_member_emails
       FROM nations WHERE code = $1`,
    [code],
  );
  return rows[0] ?? null;
}
