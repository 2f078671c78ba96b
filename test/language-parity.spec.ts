import { WORDS as LINK_PAGE_WORDS } from '../apps/api/src/links/link-words';
import { DIGEST_WORDS } from '@app/notifications/digest/digest-words';
import { AT_DEADLINE, CALENDAR_WORDS } from '@app/notifications/links/calendar-entries';
import { EN } from '@app/notifications/templates/en';
import { FR } from '@app/notifications/templates/fr';
import { BOARD_REPORT_WORDS, RATE_CHART_WORDS } from '@app/reports';

/**
 * The EN/FR parity gate: every text a person reads (messages, link pages, the digest, the calendar
 * entry, the Board report and its charts) exists in both languages, and no French text is its English
 * one left untranslated, apart from the proper nouns, codes and words the two languages share.
 */
const SHARED = new Set([
  // Proper nouns, acronyms and codes.
  'DIPB',
  'NATO',
  'OTAN',
  'API',
  'POST',
  'GET',
  'CET',
  'CEST',
  'UTC',
  'ISO',
  'URL',
  'CSV',
  'ID',
  'SCS',
  'IC',
  // Words spelt the same in both languages.
  'Nation',
  'nation',
  'Total',
  'total',
  'Date',
  'date',
  'Description',
  'description',
  'Question',
  'Document',
  'Note',
  'note',
  'Points',
  'Message',
  'Action',
  'Actions',
  'Recommandation',
  'Simple',
  // A column abbreviation both languages write alike (Accepted / Acceptées).
  'Acc',
  'Allies',
]);

type Leaf = string | ((...args: string[]) => string);

/** Every text of a words object, by its path; a function is called with sample arguments. A choice's
 * `value` is the code a form sends, not text, and is left out. */
function texts(value: unknown, path = ''): Map<string, string> {
  const out = new Map<string, string>();
  if (path.endsWith('.value')) return out;
  if (typeof value === 'string') out.set(path, value);
  else if (typeof value === 'function')
    out.set(path, String((value as Leaf & ((...a: string[]) => string))('A1', 'B2', 'C3')));
  else if (Array.isArray(value)) value.forEach((v, i) => texts(v, `${path}[${i}]`).forEach((t, p) => out.set(p, t)));
  else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) texts(v, path ? `${path}.${k}` : k).forEach((t, p) => out.set(p, t));
  return out;
}

/** What is left of a text to translate: no markup, placeholders, numbers or shared words. */
function translatable(text: string): string[] {
  return text
    .replace(/\{\{[^}]*\}\}/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/https?:\/\/\S+/g, ' ')
    .split(/[^\p{L}]+/u)
    .filter((w) => w.length > 1 && !SHARED.has(w));
}

const PAIRS: [string, unknown, unknown][] = [
  ['messages', EN, FR],
  ['link pages', LINK_PAGE_WORDS.en, LINK_PAGE_WORDS.fr],
  ['digest', DIGEST_WORDS.en, DIGEST_WORDS.fr],
  ['calendar entry', { ...CALENDAR_WORDS.en, at: AT_DEADLINE.en }, { ...CALENDAR_WORDS.fr, at: AT_DEADLINE.fr }],
  ['Board report', BOARD_REPORT_WORDS.en, BOARD_REPORT_WORDS.fr],
  ['rate chart', RATE_CHART_WORDS.en, RATE_CHART_WORDS.fr],
];

describe('EN/FR parity of everything people read', () => {
  it.each(PAIRS)('%s: every text exists in both languages', (_, en, fr) => {
    const [e, f] = [texts(en), texts(fr)];
    expect([...e.keys()].filter((k) => !f.has(k))).toEqual([]);
    expect([...f.keys()].filter((k) => !e.has(k))).toEqual([]);
    expect(e.size).toBeGreaterThan(0);
  });

  it.each(PAIRS)('%s: no French text is the English one left as it was', (_, en, fr) => {
    const f = texts(fr);
    const same = [...texts(en)].filter(([path, text]) => {
      const french = f.get(path);
      return (
        french !== undefined &&
        translatable(text).length > 0 &&
        translatable(text).join(' ') === translatable(french).join(' ')
      );
    });
    expect(same.map(([path, text]) => `${path}: ${text.slice(0, 60)}`)).toEqual([]);
  });
});
