import { DEFAULT_POLICY, parsePolicy, PRIORITY_POLICY, type FieldError, type Policy } from './policy';
import { durationMs } from './time';

function errorsOf(input: unknown): FieldError[] {
  const result = parsePolicy(input);
  if (result.ok) throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  return result.errors;
}

function policyOf(input: unknown): Policy {
  const result = parsePolicy(input);
  if (!result.ok) throw new Error(`expected ${JSON.stringify(input)} to pass: ${JSON.stringify(result.errors)}`);
  return result.policy;
}

describe('parsePolicy', () => {
  it('has the documented defaults', () => {
    expect(DEFAULT_POLICY).toEqual({
      consensusSilence: 'P14D',
      approvalSilence: 'P14D',
      silenceReminders: ['P3D'],
      responseDue: 'P90D',
      responseReminders: ['P30D', 'P7D', 'P1D'],
      overdueEvery: 'P14D',
      escalateAfter: 3,
      followUpEvery: 'P180D',
      followUpReminder: 'P14D',
      autoSubmit: false,
      calendar: true,
      quietHours: true,
    });
  });

  it('has shorter defaults for a priority recommendation, still overridden field by field', () => {
    const priority = parsePolicy(undefined, PRIORITY_POLICY);
    expect(priority).toEqual({ ok: true, policy: { ...PRIORITY_POLICY } });
    expect(durationMs(PRIORITY_POLICY.responseDue)).toBeLessThan(durationMs(DEFAULT_POLICY.responseDue));
    expect(durationMs(PRIORITY_POLICY.consensusSilence)).toBeLessThan(durationMs(DEFAULT_POLICY.consensusSilence));
    expect(durationMs(PRIORITY_POLICY.overdueEvery)).toBeLessThan(durationMs(DEFAULT_POLICY.overdueEvery));
    expect(PRIORITY_POLICY.escalateAfter).toBeLessThan(DEFAULT_POLICY.escalateAfter);
    const given = parsePolicy({ responseDue: 'P30D' }, PRIORITY_POLICY);
    expect(given.ok && given.policy).toMatchObject({ responseDue: 'P30D', consensusSilence: 'P7D', escalateAfter: 1 });
  });

  it.each([undefined, null, {}])('gives the defaults for %p', (input) => {
    expect(policyOf(input)).toEqual(DEFAULT_POLICY);
  });

  it('returns a copy: changing it does not change the defaults', () => {
    const p = policyOf(undefined);
    p.responseReminders.push('P2D');
    p.silenceReminders.push('P2D');
    expect(DEFAULT_POLICY.responseReminders).toEqual(['P30D', 'P7D', 'P1D']);
    expect(DEFAULT_POLICY.silenceReminders).toEqual(['P3D']);
    const q = policyOf({ responseReminders: ['P2D'] });
    expect(q.responseReminders).toEqual(['P2D']);
  });

  it('merges overrides over the defaults, field by field', () => {
    const p = policyOf({
      responseDue: 'PT60S',
      responseReminders: ['PT30S', 'PT10S'],
      autoSubmit: true,
      escalateAfter: 1,
    });
    expect(p).toEqual({
      ...DEFAULT_POLICY,
      responseDue: 'PT60S',
      responseReminders: ['PT30S', 'PT10S'],
      autoSubmit: true,
      escalateAfter: 1,
      // A period in seconds leaves the working calendar and the quiet hours off (they were not asked for).
      calendar: false,
      quietHours: false,
    });
  });

  it('keeps the working calendar and quiet hours for a policy counted in days, and either can be turned off', () => {
    expect(policyOf({ responseDue: 'P60D' })).toMatchObject({ calendar: true, quietHours: true });
    expect(policyOf({ responseDue: 'P60D', calendar: false })).toMatchObject({ calendar: false, quietHours: true });
    expect(policyOf({ responseDue: 'P60D', quietHours: false })).toMatchObject({ calendar: true, quietHours: false });
    // Asked for in seconds, they stay: a test of the calendar itself.
    expect(policyOf({ consensusSilence: 'PT5S', silenceReminders: [], calendar: true })).toMatchObject({
      calendar: true,
      quietHours: false,
    });
  });

  it('counts the deadlines in working days when asked, and only with the calendar', () => {
    const p = policyOf({
      consensusSilence: '10 working days',
      responseDue: '60 working days',
      followUpEvery: '1 working day',
    });
    expect(p).toMatchObject({
      consensusSilence: '10 working days',
      responseDue: '60 working days',
      followUpEvery: '1 working day',
      calendar: true,
    });
    expect(errorsOf({ consensusSilence: '10 working days', calendar: false })).toEqual([
      { field: 'policy.consensusSilence', message: 'is counted in working days, which needs policy.calendar' },
    ]);
    // Reminders and intervals stay durations: "3 working days before" is not a period this process counts.
    expect(errorsOf({ overdueEvery: '3 working days' })[0]?.field).toBe('policy.overdueEvery');
    expect(errorsOf({ silenceReminders: ['2 working days'] })[0]?.field).toBe('policy.silenceReminders[0]');
    expect(errorsOf({ responseDue: '0 working days' })[0]?.field).toBe('policy.responseDue');
    // A reminder must still fall inside the period, counted at a day per working day (the least it can be).
    expect(errorsOf({ responseDue: '5 working days', responseReminders: ['P7D'] })).toEqual([
      { field: 'policy.responseReminders[0]', message: 'must be shorter than policy.responseDue' },
    ]);
  });

  it.each(['calendar', 'quietHours'])('refuses a %p that is not true or false', (field) => {
    expect(errorsOf({ [field]: 'yes' })).toEqual([{ field: `policy.${field}`, message: 'must be true or false' }]);
  });

  it('accepts a whole second-scale policy for tests', () => {
    const seconds = {
      consensusSilence: 'PT2S',
      approvalSilence: 'PT2S',
      silenceReminders: ['PT1S'],
      responseDue: 'PT10S',
      responseReminders: ['PT5S', 'PT2S'],
      overdueEvery: 'PT2S',
      escalateAfter: 2,
      followUpEvery: 'PT10S',
      followUpReminder: 'PT3S',
      autoSubmit: true,
    };
    expect(policyOf(seconds)).toEqual({ ...seconds, calendar: false, quietHours: false });
  });

  it.each(['P14D', 'PT2S', 'P1W', 'PT1S', 'P1DT6H'])('accepts the duration %p', (d) => {
    expect(policyOf({ overdueEvery: d }).overdueEvery).toBe(d);
    expect(policyOf({ consensusSilence: d, silenceReminders: [] }).consensusSilence).toBe(d);
  });

  const durationFields = [
    'consensusSilence',
    'approvalSilence',
    'responseDue',
    'overdueEvery',
    'followUpEvery',
  ] as const;
  const bad: [unknown, RegExp][] = [
    ['P1M', /ISO 8601 duration/],
    ['P1Y', /ISO 8601 duration/],
    ['-P1D', /ISO 8601 duration/],
    ['P1DT', /ISO 8601 duration/],
    ['', /ISO 8601 duration/],
    [14, /ISO 8601 duration/],
    [null, /ISO 8601 duration/],
    ['PT0S', /at least one second/],
    ['PT0.5S', /at least one second/],
    ['P9999D', /at most five years/],
  ];
  const cases = durationFields.flatMap((field) => bad.map(([value, message]) => [field, value, message] as const));
  it('covers every duration field with every bad value', () =>
    expect(cases).toHaveLength(durationFields.length * bad.length));
  it.each(cases)('refuses %s = %p, naming the field', (field, value, message) => {
    const errors = errorsOf({ [field]: value });
    expect(errors).toContainEqual({ field: `policy.${field}`, message: expect.stringMatching(message) });
    // A value that is not a duration at all is reported once, on its own field.
    if (message.source === 'ISO 8601 duration') expect(errors.every((e) => e.field === `policy.${field}`)).toBe(true);
  });

  it.each(bad)('refuses followUpReminder = %p', (value, message) => {
    expect(errorsOf({ followUpReminder: value })).toContainEqual({
      field: 'policy.followUpReminder',
      message: expect.stringMatching(message),
    });
  });

  it.each(bad)('refuses a reminder %p inside a list, naming its index', (value, message) => {
    expect(errorsOf({ responseReminders: ['P30D', value] })).toContainEqual({
      field: 'policy.responseReminders[1]',
      message: expect.stringMatching(message),
    });
    expect(errorsOf({ silenceReminders: [value] })).toContainEqual({
      field: 'policy.silenceReminders[0]',
      message: expect.stringMatching(message),
    });
  });

  it('names every bad field at once', () => {
    const fields = errorsOf({
      consensusSilence: 'P1M',
      responseDue: -1,
      escalateAfter: 'three',
      autoSubmit: 'yes',
    }).map((e) => e.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'policy.consensusSilence',
        'policy.responseDue',
        'policy.escalateAfter',
        'policy.autoSubmit',
      ]),
    );
  });

  it('refuses a response reminder as long as or longer than the response period', () => {
    expect(errorsOf({ responseDue: 'P10D', responseReminders: ['P30D', 'P10D', 'P1D'] })).toEqual([
      { field: 'policy.responseReminders[0]', message: 'must be shorter than policy.responseDue' },
      { field: 'policy.responseReminders[1]', message: 'must be shorter than policy.responseDue' },
    ]);
  });

  it('drops the default reminders that do not fit a period the caller shortened, and refuses none', () => {
    expect(policyOf({ responseDue: 'P30D' }).responseReminders).toEqual(['P7D', 'P1D']);
    expect(policyOf({ responseDue: 'P20D' }).responseReminders).toEqual(['P7D', 'P1D']);
    expect(policyOf({ responseDue: 'PT10S' }).responseReminders).toEqual([]);
    expect(policyOf({ responseDue: 'P90D' }).responseReminders).toEqual(['P30D', 'P7D', 'P1D']);
    // What the caller sends is checked as sent.
    expect(errorsOf({ responseDue: 'P30D', responseReminders: ['P30D'] })).toEqual([
      { field: 'policy.responseReminders[0]', message: 'must be shorter than policy.responseDue' },
    ]);
  });

  it('refuses a silence reminder not shorter than the shortest silence period', () => {
    expect(errorsOf({ approvalSilence: 'P3D', silenceReminders: ['P3D'] })).toEqual([
      { field: 'policy.silenceReminders[0]', message: 'must be shorter than the silence periods' },
    ]);
    // The default P3D reminder no longer fits a three-day silence: dropped, not refused.
    expect(policyOf({ approvalSilence: 'P3D' }).silenceReminders).toEqual([]);
    expect(policyOf({ approvalSilence: 'P4D' }).approvalSilence).toBe('P4D');
  });

  it('refuses a progress request not shorter than the reporting interval', () => {
    expect(errorsOf({ followUpEvery: 'P14D', followUpReminder: 'P14D' })).toEqual([
      { field: 'policy.followUpReminder', message: 'must be shorter than policy.followUpEvery' },
    ]);
    // The default (P14D) does not fit a 14-day interval: the request comes half-way instead.
    expect(policyOf({ followUpEvery: 'P14D' }).followUpReminder).toBe('PT604800S');
  });

  it('refuses a repeated reminder', () => {
    expect(errorsOf({ responseReminders: ['P7D', 'P7D'] })).toContainEqual({
      field: 'policy.responseReminders',
      message: 'must not repeat a duration',
    });
    // The same duration written twice differently is still a repeat.
    expect(errorsOf({ responseReminders: ['P7D', 'P1W'] })).toContainEqual({
      field: 'policy.responseReminders',
      message: 'must not repeat a duration',
    });
  });

  it.each([['P7D'], [{}], [Array.from({ length: 11 }, (_, i) => `P${i + 1}D`)]])(
    'refuses responseReminders = %p (not a list of at most 10)',
    (value) => {
      expect(errorsOf({ responseReminders: value })).toContainEqual({
        field: 'policy.responseReminders',
        message: expect.stringMatching(/list/),
      });
    },
  );

  it('accepts no reminders at all', () => {
    expect(policyOf({ responseReminders: [], silenceReminders: [] })).toMatchObject({
      responseReminders: [],
      silenceReminders: [],
    });
  });

  it('refuses unknown fields, naming each', () => {
    const errors = errorsOf({ responseDue: 'P60D', reminderz: ['P1D'], colour: 'blue' });
    expect(errors).toEqual([
      { field: 'policy.reminderz', message: 'is not a policy field' },
      { field: 'policy.colour', message: 'is not a policy field' },
    ]);
  });

  it.each([0, 1, 3, 20])('accepts escalateAfter = %p', (n) => {
    expect(policyOf({ escalateAfter: n }).escalateAfter).toBe(n);
  });

  it.each([-1, 21, 2.5, '3', null, Number.NaN, Number.POSITIVE_INFINITY])('refuses escalateAfter = %p', (n) => {
    expect(errorsOf({ escalateAfter: n })).toEqual([
      { field: 'policy.escalateAfter', message: 'must be a whole number from 0 to 20' },
    ]);
  });

  it.each([true, false])('accepts autoSubmit = %p', (b) => {
    expect(policyOf({ autoSubmit: b }).autoSubmit).toBe(b);
  });

  it.each(['true', 1, 0, null, 'yes'])('refuses autoSubmit = %p', (b) => {
    expect(errorsOf({ autoSubmit: b })).toEqual([{ field: 'policy.autoSubmit', message: 'must be true or false' }]);
  });

  it.each([['P14D'], [42], [['P14D']], [true]])('refuses a policy that is not an object: %p', (input) => {
    expect(errorsOf(input)).toEqual([{ field: 'policy', message: 'must be an object' }]);
  });

  it('treats a field present but undefined (an optional DTO property) as absent', () => {
    expect(policyOf({ responseDue: undefined, autoSubmit: undefined, responseReminders: undefined })).toEqual(
      DEFAULT_POLICY,
    );
  });

  it('merges over other defaults when given', () => {
    const defaults: Policy = { ...DEFAULT_POLICY, responseDue: 'P30D', responseReminders: ['P7D'] };
    const result = parsePolicy({ autoSubmit: true }, defaults);
    expect(result).toEqual({ ok: true, policy: { ...defaults, autoSubmit: true } });
  });
});
