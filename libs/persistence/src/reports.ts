import { rates as rateDefinitions, roundRate, type NationCode, type Stage, type WorkingGroup } from '@app/domain';

/** One nation's figures across every recommendation submitted to it. */
export interface NationFigures {
  code: NationCode;
  name: { en: string; fr: string };
  submittedTo: number;
  /** Final answers: accepted, accepted in part or not accepted (an interim answer is not counted). */
  answered: number;
  underConsideration: number;
  accepted: number;
  acceptedInPart: number;
  notAccepted: number;
  implemented: number;
  notImplemented: number;
  /** Responses or progress reports overdue now, on recommendations still open. */
  overdue: number;
  /** (accepted + accepted in part) / answered; null when nothing was answered. */
  acceptanceRate: number | null;
  /** implemented / (accepted + accepted in part); null when nothing was accepted. */
  implementationRate: number | null;
}

export type Counts = Omit<NationFigures, 'code' | 'name' | 'acceptanceRate' | 'implementationRate'>;

/** One working group's figures: its recommendations, and the nations' answers to them, summed. */
export interface WorkingGroupFigures extends Omit<NationFigures, 'code'> {
  code: WorkingGroup;
  recommendations: number;
}

/** Recommendations raised from `from` to `to`, calendar dates in Brussels time, both included. */
export interface ReportPeriod {
  from: string;
  to: string;
}

export interface Overview {
  generatedAt: string;
  /** The recommendations counted: those raised in this period; null for all of them. */
  period: ReportPeriod | null;
  total: number;
  byStage: Record<Stage, number>;
  byWorkingGroup: Record<WorkingGroup, number>;
  nations: NationFigures[];
  workingGroups: WorkingGroupFigures[];
  /** The same figures summed over all nations. */
  allNations: Omit<NationFigures, 'code' | 'name'>;
}

/** The rates of `libs/domain/src/rates.ts`, as the overview publishes them (four decimal places). */
export function rates(c: Counts): { acceptanceRate: number | null; implementationRate: number | null } {
  const r = rateDefinitions(c);
  return { acceptanceRate: roundRate(r.acceptanceRate), implementationRate: roundRate(r.implementationRate) };
}

const COUNT_KEYS = [
  'submittedTo',
  'answered',
  'underConsideration',
  'accepted',
  'acceptedInPart',
  'notAccepted',
  'implemented',
  'notImplemented',
  'overdue',
] as const satisfies readonly (keyof Counts)[];

/** Every count at zero: a nation nothing was submitted to, and where a sum starts. */
export const NO_COUNTS: Readonly<Counts> = Object.freeze({
  submittedTo: 0,
  answered: 0,
  underConsideration: 0,
  accepted: 0,
  acceptedInPart: 0,
  notAccepted: 0,
  implemented: 0,
  notImplemented: 0,
  overdue: 0,
});

export function sumCounts(list: readonly Counts[]): Counts {
  const total: Counts = { ...NO_COUNTS };
  for (const c of list) for (const k of COUNT_KEYS) total[k] += c[k];
  return total;
}

/** RFC 4180: quote a field when it holds a comma, a quote or a line break; CRLF between records. */
export function csvField(value: string | number | null): string {
  if (value === null) return '';
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsvRows(rows: readonly (readonly (string | number | null)[])[]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

const CSV_HEADER = [
  'code',
  'name_en',
  'name_fr',
  'submitted_to',
  'answered',
  'under_consideration',
  'accepted',
  'accepted_in_part',
  'not_accepted',
  'implemented',
  'not_implemented',
  'overdue',
  'acceptance_rate',
  'implementation_rate',
];

/** The per-nation table of the overview, one row per nation and a final `ALL` row. */
export function overviewToCsv(overview: Overview): string {
  const line = (
    code: string,
    en: string,
    fr: string,
    f: Omit<NationFigures, 'code' | 'name'>,
  ): (string | number | null)[] => [
    code,
    en,
    fr,
    f.submittedTo,
    f.answered,
    f.underConsideration,
    f.accepted,
    f.acceptedInPart,
    f.notAccepted,
    f.implemented,
    f.notImplemented,
    f.overdue,
    f.acceptanceRate,
    f.implementationRate,
  ];
  return toCsvRows([
    CSV_HEADER,
    ...overview.nations.map((n) => line(n.code, n.name.en, n.name.fr, n)),
    line('ALL', 'All nations', 'Toutes les nations', overview.allNations),
  ]);
}
