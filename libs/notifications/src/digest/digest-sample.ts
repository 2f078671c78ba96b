import type { NationCode } from '@app/domain';
import type { NationFigures, WeeklyDigestData } from '@app/persistence';
import directory from '../../../persistence/src/nations.json';
import { digestWeek, type DigestWeek } from './digest-week';

/** A plausible week, for the renderer's tests and the screenshots in docs/ (no database needed). */
export function sampleDigest(): { week: DigestWeek; data: WeeklyDigestData; nations: NationFigures[] } {
  const week = digestWeek('2026-11-30T07:00:00.000Z'); // Monday 30 November 2026, 08:00 CET
  const fra = { nation: 'FRA' as const, nationName: { en: 'France', fr: 'France' } };
  const deu = { nation: 'DEU' as const, nationName: { en: 'Germany', fr: 'Allemagne' } };
  const pol = { nation: 'POL' as const, nationName: { en: 'Poland', fr: 'Pologne' } };
  // A priority recommendation first, as the digest lists them.
  const r1 = {
    reference: 'DIPB-2026-0014',
    title: 'Secure the supply of propellant for 155 mm ammunition',
    priority: true,
  };
  const r2 = { reference: 'DIPB-2026-0021', title: 'Common test procedures for tactical radios', priority: false };
  const r3 = {
    reference: 'DIPB-2026-0009',
    title: 'Shared stockpile data for critical raw materials',
    priority: false,
  };
  const data: WeeklyDigestData = {
    window: week.window,
    answers: [
      { ...r1, ...fra, decision: 'accepted', at: '2026-11-24T10:12:00.000Z' },
      { ...r1, ...deu, decision: 'accepted-in-part', at: '2026-11-26T15:40:00.000Z' },
      { ...r2, ...fra, decision: 'under-consideration', at: '2026-11-27T09:05:00.000Z' },
    ],
    reports: [{ ...r3, ...pol, status: 'in-progress', percent: 60, at: '2026-11-25T08:30:00.000Z' }],
    dueSoon: [
      { ...r2, ...deu, kind: 'response', dueAt: '2026-12-04T11:00:00.000Z' },
      { ...r3, ...fra, kind: 'progress', dueAt: '2026-12-10T11:00:00.000Z' },
    ],
    overdue: [{ ...r1, ...pol, kind: 'response', dueAt: '2026-11-16T11:00:00.000Z' }],
    escalations: [{ ...r1, ...pol, sentAt: '2026-11-27T11:00:00.000Z' }],
  };
  const figures = (
    a: number | null,
    i: number | null,
  ): Pick<NationFigures, 'acceptanceRate' | 'implementationRate'> => ({ acceptanceRate: a, implementationRate: i });
  const rates: Partial<Record<string, Pick<NationFigures, 'acceptanceRate' | 'implementationRate'>>> = {
    BEL: figures(1, 0.5),
    DEU: figures(0.75, 0.3333),
    FRA: figures(0.8, 0.5),
    ITA: figures(0.5, 0),
    NLD: figures(1, 1),
    POL: figures(0.6667, 0.5),
    USA: figures(null, null),
  };
  const nations: NationFigures[] = directory.nations.map((a) => ({
    code: a.code as NationCode,
    name: a.name,
    submittedTo: rates[a.code] ? 4 : 0,
    answered: 3,
    underConsideration: 0,
    accepted: 2,
    acceptedInPart: 0,
    notAccepted: 1,
    implemented: 1,
    notImplemented: 0,
    overdue: 0,
    ...(rates[a.code] ?? figures(null, null)),
  }));
  return { week, data, nations };
}
