import { isNationCode, LANGUAGES, WORKING_GROUPS, type Language, type WorkingGroup } from '@app/domain';
import { wgDelegateKey, type ContactKey, type DirectoryImportRow } from '@app/persistence';
import { isEmail } from 'class-validator';

/** The columns of a directory import, in this order, as its first line. */
export const IMPORT_COLUMNS = [
  'nation',
  'contact',
  'working_group',
  'name',
  'email',
  'alternate_email',
  'language',
] as const;
export const IMPORT_MAX_LINES = 500;

export interface ImportError {
  field: string;
  message: string;
}

export type ParsedImport = { ok: true; rows: DirectoryImportRow[] } | { ok: false; errors: ImportError[] };

/** RFC 4180 records: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF ends a record. */
export function parseCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      if (field !== '') return null; // a quote inside an unquoted field
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += c;
  }
  if (quoted) return null;
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records.filter((r) => !(r.length === 1 && r[0] === ''));
}

/**
 * A directory import checked line by line: every problem is named (`line 3: email`), and one problem
 * refuses the whole import. A nation may appear once per contact.
 */
export function parseDirectoryImport(text: string): ParsedImport {
  const records = parseCsv(text.replace(/^\uFEFF/, ''));
  if (records === null)
    return {
      ok: false,
      errors: [
        { field: 'body', message: 'is not valid CSV (RFC 4180): a quote is not closed or stands inside a field' },
      ],
    };
  const [header, ...lines] = records;
  if (!header || header.map((h) => h.trim().toLowerCase()).join(',') !== IMPORT_COLUMNS.join(',')) {
    return {
      ok: false,
      errors: [{ field: 'line 1', message: `the first line must be the header ${IMPORT_COLUMNS.join(',')}` }],
    };
  }
  if (lines.length === 0) return { ok: false, errors: [{ field: 'body', message: 'has no contact lines' }] };
  if (lines.length > IMPORT_MAX_LINES)
    return { ok: false, errors: [{ field: 'body', message: `has more than ${IMPORT_MAX_LINES} lines` }] };
  const errors: ImportError[] = [];
  const rows: DirectoryImportRow[] = [];
  const seen = new Map<string, number>();
  lines.forEach((cells, i) => {
    const line = i + 2;
    const at = (field: string, message: string): void => {
      errors.push({ field: `line ${line}: ${field}`, message });
    };
    if (cells.length !== IMPORT_COLUMNS.length) {
      at('line', `has ${cells.length} fields; ${IMPORT_COLUMNS.length} are expected`);
      return;
    }
    const [nation, kind, wg, name, email, alternate, language] = cells.map<string>((c) => c.trim()) as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const code = nation.toUpperCase();
    if (!isNationCode(code)) at('nation', `${nation.slice(0, 10)} is not an Ally's ISO 3166-1 alpha-3 code`);
    let contact: ContactKey | null = null;
    if (kind === 'director' || kind === 'senior-rep') {
      contact = kind;
      if (wg !== '') at('working_group', `is only for a wg-delegate line`);
    } else if (kind === 'wg-delegate') {
      if ((WORKING_GROUPS as readonly string[]).includes(wg.toUpperCase()))
        contact = wgDelegateKey(wg.toUpperCase() as WorkingGroup);
      else at('working_group', `must be one of ${WORKING_GROUPS.join(', ')} for a wg-delegate`);
    } else at('contact', 'must be director, senior-rep or wg-delegate');
    if (name === '' || name.length > 200) at('name', 'must be given, at most 200 characters');
    if (!isEmail(email) || email.length > 320) at('email', 'must be an email address');
    if (alternate !== '' && (!isEmail(alternate) || alternate.length > 320))
      at('alternate_email', 'must be an email address or empty');
    let lang: Language | null = null;
    if (kind === 'director') {
      if ((LANGUAGES as readonly string[]).includes(language)) lang = language as Language;
      else at('language', `must be ${LANGUAGES.join(' or ')} for a director (the nation's language of correspondence)`);
    } else if (language !== '') at('language', "is the nation's, set on its director line; leave it empty here");
    if (contact && isNationCode(code)) {
      const key = `${code}/${contact}`;
      const first = seen.get(key);
      if (first !== undefined) at('contact', `${code} ${contact} is already on line ${first}`);
      seen.set(key, line);
      rows.push({
        nation: code,
        contact,
        name,
        email,
        alternateEmail: alternate === '' ? null : alternate,
        language: lang,
      });
    }
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, rows };
}
