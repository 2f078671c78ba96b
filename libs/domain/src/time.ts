import { Duration } from 'luxon';

/**
 * ISO 8601 durations as the policy uses them: weeks, days, hours, minutes, seconds.
 * Years and months are refused: their length depends on the calendar, and a deadline must not.
 */
const DURATION = /^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d{1,3})?S)?)?$/;

/** ISO 8601 instant with an explicit zone (Z or ±hh:mm), e.g. 2026-12-04T11:00:00Z. */
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

export function isIsoDuration(value: unknown): value is string {
  return typeof value === 'string' && DURATION.test(value);
}

/** Milliseconds of a strict ISO 8601 duration; throws on anything else. */
export function durationMs(iso: string): number {
  if (!isIsoDuration(iso))
    throw new RangeError(`not an ISO 8601 duration of weeks, days, hours, minutes or seconds: ${String(iso)}`);
  return Duration.fromISO(iso).toMillis();
}

export function isIsoInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    INSTANT.test(value) &&
    Number.isFinite(Date.parse(value)) &&
    exists(value, Date.parse(value))
  );
}

/** Date.parse rolls 2026-02-30 over to 2 March and 24:00 to the next day; such instants do not exist. */
function exists(iso: string, ms: number): boolean {
  const zone = /([+-])(\d{2}):(\d{2})$/.exec(iso);
  const offset = zone ? (zone[1] === '-' ? -1 : 1) * (Number(zone[2]) * 60 + Number(zone[3])) * 60_000 : 0;
  return new Date(ms + offset).toISOString().slice(0, 16) === iso.slice(0, 16);
}

/** Epoch milliseconds of a strict ISO 8601 instant; throws on anything else. */
export function instantMs(iso: string): number {
  if (!isIsoInstant(iso)) throw new RangeError(`not an ISO 8601 instant with a zone: ${String(iso)}`);
  return Date.parse(iso);
}

/** A calendar date, e.g. 2027-06-30 (one that exists: not 2027-02-30). */
export function isIsoDate(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(value) &&
    Number.isFinite(Date.parse(`${value}T00:00:00Z`)) &&
    new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) === value
  );
}

export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
