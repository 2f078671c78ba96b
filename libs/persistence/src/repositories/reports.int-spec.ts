import { ReportsRepository } from './reports.repository';
import { NO_COUNTS } from '../reports';
import { useFreshDatabase } from '../testing/fresh-database';
import { director, ScriptedRecommendation, ScriptProjector, SECRETARIAT } from '../testing/lifecycle';

const db = useFreshDatabase('reports');

const policy = {
  consensusSilence: 'P1D',
  approvalSilence: 'P1D',
  silenceReminders: ['PT1H'],
  responseDue: 'P10D',
  responseReminders: ['P1D'],
  overdueEvery: 'P14D',
  escalateAfter: 3,
  followUpEvery: 'P180D',
  followUpReminder: 'P14D',
  autoSubmit: true,
};
const day = (d: number): string => new Date(Date.UTC(2026, 0, 1) + d * 86_400_000).toISOString();

describe('ReportsRepository.overview', () => {
  it('matches a hand-computed fixture', async () => {
    const projection = new ScriptProjector(db.dataSource);
    // R1 (IC) to FRA, DEU, ITA: FRA accepts and implements, DEU accepts in part, ITA does not accept.
    const r1 = new ScriptedRecommendation(
      'DIPB-2026-0001',
      { workingGroup: 'IC', nations: ['FRA', 'DEU', 'ITA'], policy },
      day(0),
    );
    r1.command(SECRETARIAT, { type: 'call-consensus' }, day(1)).advance(day(2.1)).advance(day(3.2)); // held, held, auto-submitted
    r1.command(director('FRA'), { type: 'respond', nation: 'FRA', decision: 'accepted', comment: 'ok' }, day(4));
    r1.command(
      director('DEU'),
      { type: 'respond', nation: 'DEU', decision: 'accepted-in-part', comment: 'partly' },
      day(5),
    );
    r1.command(director('ITA'), { type: 'respond', nation: 'ITA', decision: 'not-accepted', comment: 'no' }, day(6));
    r1.command(
      director('FRA'),
      { type: 'report-progress', nation: 'FRA', status: 'implemented', comment: 'done' },
      day(7),
    );
    await projection.apply(r1.projection(day(7)));
    // R2 (SCS) to FRA, ITA: FRA answers only "under consideration", ITA never answers; the deadline passes.
    const r2 = new ScriptedRecommendation(
      'DIPB-2026-0002',
      { workingGroup: 'SCS', nations: ['FRA', 'ITA'], policy },
      day(0),
    );
    r2.command(SECRETARIAT, { type: 'call-consensus' }, day(1)).advance(day(2.1)).advance(day(3.2));
    r2.command(
      director('FRA'),
      { type: 'respond', nation: 'FRA', decision: 'under-consideration', comment: 'studying' },
      day(4),
    );
    r2.advance(day(14));
    await projection.apply(r2.projection(day(14)));
    // R3 (SI) in drafting; R4 (IC) withdrawn in drafting.
    const r3 = new ScriptedRecommendation('DIPB-2026-0003', { workingGroup: 'SI', nations: ['FRA'], policy }, day(0));
    await projection.apply(r3.projection(day(0)));
    const r4 = new ScriptedRecommendation('DIPB-2026-0004', { workingGroup: 'IC', policy }, day(0));
    r4.command(SECRETARIAT, { type: 'withdraw', reason: 'superseded' }, day(1));
    await projection.apply(r4.projection(day(1)));

    const overview = await new ReportsRepository(db.dataSource).overview(new Date(day(15)));
    expect(overview.generatedAt).toBe(day(15));
    expect(overview.total).toBe(4);
    expect(overview.byStage).toEqual({
      drafting: 1,
      'wg-consensus': 0,
      'senior-approval': 0,
      approved: 0,
      submitted: 0,
      'follow-up': 2,
      closed: 0,
      withdrawn: 1,
    });
    expect(overview.byWorkingGroup).toEqual({ IC: 2, SCS: 1, SI: 1 });
    expect(overview.nations).toHaveLength(32);
    const zero = NO_COUNTS;
    const of = (code: string) => overview.nations.find((n) => n.code === code);
    expect(of('FRA')).toEqual({
      code: 'FRA',
      name: { en: 'France', fr: 'France' },
      ...zero,
      submittedTo: 2,
      answered: 1,
      underConsideration: 1,
      accepted: 1,
      implemented: 1,
      overdue: 1,
      acceptanceRate: 1,
      implementationRate: 1,
    });
    expect(of('DEU')).toMatchObject({
      ...zero,
      submittedTo: 1,
      answered: 1,
      acceptedInPart: 1,
      acceptanceRate: 1,
      implementationRate: 0,
    });
    expect(of('ITA')).toMatchObject({
      ...zero,
      submittedTo: 2,
      answered: 1,
      notAccepted: 1,
      overdue: 1,
      acceptanceRate: 0,
      implementationRate: null,
    });
    expect(of('USA')).toMatchObject({ ...zero, acceptanceRate: null, implementationRate: null });
    expect(overview.allNations).toEqual({
      submittedTo: 5,
      answered: 3,
      underConsideration: 1,
      accepted: 1,
      acceptedInPart: 1,
      notAccepted: 1,
      implemented: 1,
      notImplemented: 0,
      overdue: 2,
      acceptanceRate: 0.6667,
      implementationRate: 0.5,
    });

    const csv = new ReportsRepository(db.dataSource).toCsv(overview).split('\r\n');
    expect(csv[0]).toBe(
      'code,name_en,name_fr,submitted_to,answered,under_consideration,accepted,accepted_in_part,not_accepted,implemented,not_implemented,overdue,acceptance_rate,implementation_rate',
    );
    expect(csv).toContain('FRA,France,France,2,1,1,1,0,0,1,0,1,1,1');
    expect(csv).toContain('ITA,Italy,Italie,2,1,0,0,0,1,0,0,1,0,');
    expect(csv[33]).toBe('ALL,All nations,Toutes les nations,5,3,1,1,1,1,1,0,2,0.6667,0.5');
  });
  it('gives each working group its rates, by the same definition, and counts a period in Brussels time', async () => {
    const reports = new ReportsRepository(db.dataSource);
    const whole = await reports.overview(new Date(day(15)));
    const group = (code: string) => whole.workingGroups.find((g) => g.code === code);
    // IC: R1 (three final answers, two accepting, one implemented) and R4 (withdrawn in drafting).
    expect(group('IC')).toMatchObject({
      recommendations: 2,
      submittedTo: 3,
      answered: 3,
      accepted: 1,
      acceptedInPart: 1,
      notAccepted: 1,
      implemented: 1,
      acceptanceRate: 0.6667,
      implementationRate: 0.5,
      name: { en: 'Industrial capacity', fr: 'Capacité industrielle' },
    });
    // SCS: R2, no final answer yet (FRA's is interim), both nations overdue.
    expect(group('SCS')).toMatchObject({
      recommendations: 1,
      submittedTo: 2,
      answered: 0,
      underConsideration: 1,
      overdue: 2,
      acceptanceRate: null,
      implementationRate: null,
    });
    expect(group('SI')).toMatchObject({ recommendations: 1, submittedTo: 0, acceptanceRate: null });
    expect(whole.period).toBeNull();

    // Raised at 23:30 UTC on 31 December 2025, which is already 1 January 2026 in Brussels.
    const r5 = new ScriptedRecommendation(
      'DIPB-2026-0005',
      { workingGroup: 'SI', nations: ['FRA'], policy },
      '2025-12-31T23:30:00.000Z',
    );
    await new ScriptProjector(db.dataSource).apply(r5.projection('2025-12-31T23:30:00.000Z'));
    const year2026 = await reports.overview(new Date(day(15)), { from: '2026-01-01', to: '2026-12-31' });
    expect(year2026.period).toEqual({ from: '2026-01-01', to: '2026-12-31' });
    expect(year2026.total).toBe(5);
    expect(year2026.byWorkingGroup).toEqual({ IC: 2, SCS: 1, SI: 2 });
    const year2025 = await reports.overview(new Date(day(15)), { from: '2025-01-01', to: '2025-12-31' });
    expect(year2025.total).toBe(0);
    expect(year2025.allNations).toMatchObject({ submittedTo: 0, acceptanceRate: null });
    // One day: all five were raised on 1 January 2026, Brussels time.
    const firstDay = await reports.overview(new Date(day(15)), { from: '2026-01-01', to: '2026-01-01' });
    expect(firstDay.total).toBe(5);
    expect(firstDay.nations.find((n) => n.code === 'FRA')).toMatchObject(
      whole.nations.find((n) => n.code === 'FRA') ?? {},
    );
  });
});
