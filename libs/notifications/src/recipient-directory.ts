import type { Language, NationCode, Recipient, WorkingGroup } from '@app/domain';
import type { NationContact } from '@app/persistence';

/** Where a message goes and in which language, as the directory says at the moment of sending. */
export interface ResolvedRecipient {
  /** Addresses to try in order; each entry is one attempt (a WG's delegates go together). */
  attempts: string[][];
  language: Language;
  nationName: { en: string; fr: string } | null;
  /** Why there is no address, when `attempts` is empty. */
  missing: string | null;
}

const EMAIL = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

export function isEmailAddress(value: string | null | undefined): value is string {
  return typeof value === 'string' && EMAIL.test(value.trim());
}

/** Where a message goes, from the directory (`nation` looks a nation up, e.g. in the delivery's transaction). */
export async function resolveRecipient(
  nationOf: (code: NationCode) => Promise<NationContact | null>,
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
  const nation = code ? await nationOf(code) : null;
  const nationName = nation ? { en: nation.nameEn, fr: nation.nameFr } : null;
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
      // The contact first; its alternate when the contact's address is refused.
      const delegate = nation.wgDelegates?.[opts.workingGroup];
      const attempts =
        recipient.role === 'director'
          ? [[nation.directorEmail ?? ''], [nation.directorAlternateEmail ?? '']]
          : recipient.role === 'senior-rep'
            ? [[nation.seniorRepEmail ?? ''], [nation.seniorRepAlternateEmail ?? '']]
            : [[delegate?.email ?? ''], [delegate?.alternateEmail ?? '']];
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
