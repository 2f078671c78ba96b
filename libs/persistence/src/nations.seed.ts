// Type-only imports from the domain: jest's global setup loads this file without the path aliases.
import type { Language, NationCode, WorkingGroup } from '@app/domain';
import data from './nations.json';
import type { WgDelegates } from './repositories/nations.repository';

export interface NationSeed {
  code: NationCode;
  nameEn: string;
  nameFr: string;
  language: Language;
  directorEmail: string;
  seniorRepEmail: string;
  wgDelegates: WgDelegates;
  timeZone: string;
}

/**
 * The Allies as first seeded, with placeholder addresses on the reserved `.example` domain: mail
 * sent before the secretariat enters real contacts can never reach anyone.
 */
const WORKING_GROUPS: readonly WorkingGroup[] = ['IC', 'SCS', 'SI'];

export function nationSeeds(): NationSeed[] {
  return (data.nations as { code: string; name: { en: string; fr: string }; language: string; timeZone: string }[]).map(
    (n) => {
      const lower = n.code.toLowerCase();
      const wg = Object.fromEntries(
        WORKING_GROUPS.map((g: WorkingGroup) => [
          g,
          { name: null, email: `wg-${g.toLowerCase()}.${lower}@mod.example`, alternateEmail: null },
        ]),
      ) as WgDelegates;
      return {
        code: n.code as NationCode,
        nameEn: n.name.en,
        nameFr: n.name.fr,
        language: n.language as Language,
        directorEmail: `director.${lower}@mod.example`,
        seniorRepEmail: `senior.${lower}@mod.example`,
        wgDelegates: wg,
        timeZone: n.timeZone,
      };
    },
  );
}
