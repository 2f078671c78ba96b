/** The 32 Allies by ISO 3166-1 alpha-3 code (the directory in PostgreSQL holds names and contacts). */
export const NATION_CODES = [
  'ALB',
  'BEL',
  'BGR',
  'CAN',
  'HRV',
  'CZE',
  'DNK',
  'EST',
  'FIN',
  'FRA',
  'DEU',
  'GRC',
  'HUN',
  'ISL',
  'ITA',
  'LVA',
  'LTU',
  'LUX',
  'MNE',
  'NLD',
  'MKD',
  'NOR',
  'POL',
  'PRT',
  'ROU',
  'SVK',
  'SVN',
  'ESP',
  'SWE',
  'TUR',
  'GBR',
  'USA',
] as const;
export type NationCode = (typeof NATION_CODES)[number];

export function isNationCode(value: unknown): value is NationCode {
  return typeof value === 'string' && (NATION_CODES as readonly string[]).includes(value);
}

export const WORKING_GROUPS = ['IC', 'SCS', 'SI'] as const;
export type WorkingGroup = (typeof WORKING_GROUPS)[number];

export const WORKING_GROUP_NAMES: Record<WorkingGroup, { en: string; fr: string }> = {
  IC: { en: 'Industrial capacity', fr: 'Capacité industrielle' },
  SCS: { en: 'Supply chain security', fr: "Sécurité des chaînes d'approvisionnement" },
  SI: { en: 'Standardization and interoperability', fr: 'Normalisation et interopérabilité' },
};

export const LANGUAGES = ['en', 'fr'] as const;
export type Language = (typeof LANGUAGES)[number];
