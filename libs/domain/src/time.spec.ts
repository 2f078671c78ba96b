import { durationMs, instantMs, isIsoDuration, isIsoInstant, toIso } from './time';

describe('durationMs', () => {
  it.each([
    ['P14D', 14 * 86_400_000],
    ['PT2S', 2000],
    ['P1W', 7 * 86_400_000],
    ['PT1H30M', 90 * 60_000],
    ['P1DT12H', 36 * 3_600_000],
    ['PT0.5S', 500],
    ['P90D', 90 * 86_400_000],
  ])('%s is %d ms', (iso, ms) => {
    expect(isIsoDuration(iso)).toBe(true);
    expect(durationMs(iso)).toBe(ms);
  });

  it.each([
    'P1M',
    'P1Y',
    'P1Y2M',
    '-P1D',
    'P-1D',
    'P1DT',
    'PT',
    'P',
    '',
    ' P1D',
    'P1D ',
    '14',
    'p1d',
    'P1.5D',
    'PT1.2345S',
    '1D',
    'P1H',
    'PT1D',
  ])('refuses %p', (iso) => {
    expect(isIsoDuration(iso)).toBe(false);
    expect(() => durationMs(iso)).toThrow(RangeError);
  });

  it.each([14, null, undefined, {}, ['P1D']])('refuses the non-string %p', (value) => {
    expect(isIsoDuration(value)).toBe(false);
    expect(() => durationMs(value as string)).toThrow(RangeError);
  });
});

describe('instantMs', () => {
  it.each([
    ['2026-12-04T11:00:00Z', Date.UTC(2026, 11, 4, 11, 0, 0)],
    ['2026-12-04T12:00:00+01:00', Date.UTC(2026, 11, 4, 11, 0, 0)],
    ['2026-12-04T11:00Z', Date.UTC(2026, 11, 4, 11, 0, 0)],
    ['2026-12-04T11:00:00.250Z', Date.UTC(2026, 11, 4, 11, 0, 0, 250)],
    ['2026-12-04T06:00:00-05:00', Date.UTC(2026, 11, 4, 11, 0, 0)],
    ['2028-02-29T23:30:00-05:00', Date.UTC(2028, 2, 1, 4, 30, 0)],
    ['2026-12-31T23:30:00-01:00', Date.UTC(2027, 0, 1, 0, 30, 0)],
    ['2027-01-01T00:30:00+02:00', Date.UTC(2026, 11, 31, 22, 30, 0)],
  ])('%s is an instant', (iso, ms) => {
    expect(isIsoInstant(iso)).toBe(true);
    expect(instantMs(iso)).toBe(ms);
  });

  it.each([
    '2026-12-04T11:00:00',
    '2026-12-04',
    '2026-12-04 11:00:00Z',
    '2026-13-04T11:00:00Z',
    '04/12/2026',
    '',
    'now',
    '2026-12-04T11:00:00+0100',
    '2026-02-30T00:00:00Z',
    '2026-02-29T12:00:00+01:00',
    '2026-12-04T24:00:00Z',
    '2026-04-31T10:00:00-05:00',
  ])('refuses %p (no zone, not ISO 8601, or a date or time that does not exist)', (iso) => {
    expect(isIsoInstant(iso)).toBe(false);
    expect(() => instantMs(iso)).toThrow(RangeError);
  });

  it('toIso writes UTC with a Z and round-trips', () => {
    const ms = Date.UTC(2026, 11, 4, 11, 0, 0);
    expect(toIso(ms)).toBe('2026-12-04T11:00:00.000Z');
    expect(instantMs(toIso(ms))).toBe(ms);
  });
});
