import { csvField, NO_COUNTS, overviewToCsv, rates, sumCounts, toCsvRows, type Overview } from './reports';

describe('csv', () => {
  it('quotes only what needs quoting, and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Sécurité, chaînes')).toBe('"Sécurité, chaînes"');
    expect(csvField('say "no"')).toBe('"say ""no"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(0.5)).toBe('0.5');
    expect(
      toCsvRows([
        ['a', 'b'],
        [1, null],
      ]),
    ).toBe('a,b\r\n1,\r\n');
  });

  it('writes one line per nation and a total line', () => {
    const counts = {
      submittedTo: 2,
      answered: 1,
      underConsideration: 0,
      accepted: 1,
      acceptedInPart: 0,
      notAccepted: 0,
      implemented: 0,
      notImplemented: 0,
      overdue: 1,
    };
    const overview: Overview = {
      generatedAt: '2026-01-01T00:00:00.000Z',
      period: null,
      total: 2,
      byStage: {
        drafting: 2,
        'wg-consensus': 0,
        'senior-approval': 0,
        approved: 0,
        submitted: 0,
        'follow-up': 0,
        closed: 0,
        withdrawn: 0,
      },
      byWorkingGroup: { IC: 2, SCS: 0, SI: 0 },
      nations: [{ code: 'BEL', name: { en: 'Belgium', fr: 'Belgique' }, ...counts, ...rates(counts) }],
      workingGroups: [],
      allNations: { ...counts, ...rates(counts) },
    };
    expect(overviewToCsv(overview).split('\r\n')).toEqual([
      expect.stringMatching(/^code,name_en,name_fr,submitted_to,/),
      'BEL,Belgium,Belgique,2,1,0,1,0,0,0,0,1,1,0',
      'ALL,All nations,Toutes les nations,2,1,0,1,0,0,0,0,1,1,0',
      '',
    ]);
  });
});

describe('rates', () => {
  const none = NO_COUNTS;
  it('are null with nothing to divide by', () => {
    expect(rates(none)).toEqual({ acceptanceRate: null, implementationRate: null });
  });
  it('count acceptance in part as acceptance and round to 4 places', () => {
    expect(rates({ ...none, answered: 3, accepted: 1, acceptedInPart: 1, implemented: 1 })).toEqual({
      acceptanceRate: 0.6667,
      implementationRate: 0.5,
    });
  });
  it('sum counts field by field', () => {
    expect(
      sumCounts([
        { ...none, accepted: 1, overdue: 2 },
        { ...none, accepted: 2 },
      ]),
    ).toEqual({ ...none, accepted: 3, overdue: 2 });
  });
});
