import { LRUCache } from 'lru-cache';
import { DateTime } from 'luxon';
import type { Language } from '@app/domain';

export const BRUSSELS = 'Europe/Brussels';

function brussels(iso: string): DateTime {
  const dt = DateTime.fromISO(iso, { zone: 'utc' });
  if (!dt.isValid) throw new Error(`not an ISO 8601 instant: ${iso}`);
  return dt.setZone(BRUSSELS);
}

/** CET or CEST: named the way the Brussels staff name it, in both languages (ICU would say "UTC+1" in French). */
function zoneAbbreviation(dt: DateTime): string {
  return dt.isInDST ? 'CEST' : 'CET';
}

/**
 * An instant the way each language writes it, in Brussels time with the zone named:
 * "4 December 2026, 12:00 (Brussels time, CET)" / "4 décembre 2026 à 12:00 (heure de Bruxelles, CET)".
 */
export function formatDateTime(iso: string, language: Language): string {
  // The same deadline is written into every message of a batch: formatted once (luxon's zone maths
  // through Intl is the costliest part of rendering a message).
  const key = `${language} ${iso}`;
  const known = formatted.get(key);
  if (known !== undefined) return known;
  const text = formatDateTimeNow(iso, language);
  formatted.set(key, text);
  return text;
}

const formatted = new LRUCache<string, string>({ max: 4096 });

function formatDateTimeNow(iso: string, language: Language): string {
  const dt = brussels(iso);
  const zone = zoneAbbreviation(dt);
  if (language === 'fr') {
    // French writes the first of the month as an ordinal: « 1er mars ».
    const day = dt.day === 1 ? '1er' : String(dt.day);
    return `${day} ${dt.setLocale('fr').toFormat("MMMM yyyy 'à' HH:mm")} (heure de Bruxelles, ${zone})`;
  }
  return `${dt.setLocale('en-GB').toFormat('d MMMM yyyy, HH:mm')} (Brussels time, ${zone})`;
}

/** A calendar date (no time), e.g. a planned completion: "4 December 2026" / "4 décembre 2026". */
export function formatDate(iso: string, language: Language): string {
  const dt = brussels(iso);
  if (language === 'fr') {
    const day = dt.day === 1 ? '1er' : String(dt.day);
    return `${day} ${dt.setLocale('fr').toFormat('MMMM yyyy')}`;
  }
  return dt.setLocale('en-GB').toFormat('d MMMM yyyy');
}
