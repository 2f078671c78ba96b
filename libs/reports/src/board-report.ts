import { STAGES, type Language, type Stage } from '@app/domain';
import { formatDate } from '@app/notifications/dates';
import type { BoardReportDetails, NationFigures, Overview } from '@app/persistence';
import { formatCount, formatRate } from './format';
import { overviewChartSvg } from './overview-chart';
import { renderRateChartSvg } from './rate-chart';

export const BOARD_REPORT_WORDS = {
  en: {
    title: 'Report to the Board',
    board: 'Defence Industrial Production Board',
    period: (from: string, to: string) => `Recommendations raised from ${from} to ${to}`,
    asOf: (at: string) => `Figures as of ${at}`,
    summary: 'Summary',
    figures: {
      raised: 'Recommendations raised',
      submittedTo: 'Submitted to nations (one count per nation and recommendation)',
      answered: 'Final answers',
      accepted: 'Accepted',
      acceptedInPart: 'Accepted in part',
      notAccepted: 'Not accepted',
      underConsideration: 'Under consideration (interim answer)',
      implemented: 'Implemented',
      notImplemented: 'Not implemented',
      overdue: 'Answers and progress reports overdue',
      acceptanceRate: 'Acceptance rate',
      implementationRate: 'Implementation rate',
    },
    byStage: 'Recommendations by stage',
    definitions:
      'Acceptance rate: nations that accepted, in full or in part, out of the final answers (accepted, accepted in part, not accepted); a nation that has not answered, or has answered only “under consideration”, is not counted. Implementation rate: nations that reported the recommendation implemented, out of those that accepted it. “—”: nothing to divide by.',
    nationsChart: 'Acceptance and implementation rates per nation',
    nationsChartNote: 'Nations that received at least one of these recommendations.',
    perNation: 'Figures per nation',
    perGroup: 'Figures per working group',
    groupChart: 'Acceptance and implementation rates per working group',
    overdueTitle: 'Overdue answers and progress reports',
    overdueNone: 'Nothing is overdue.',
    recommendations: 'Recommendations: status and dates',
    columns: {
      nation: 'Nation',
      group: 'Working group',
      recs: 'Recs',
      submittedTo: 'Submitted',
      answered: 'Answered',
      accepted: 'Acc.',
      acceptedInPart: 'In part',
      notAccepted: 'Not acc.',
      underConsideration: 'Consid.',
      implemented: 'Impl.',
      notImplemented: 'Not impl.',
      overdue: 'Overdue',
      acceptanceRate: 'Acceptance',
      implementationRate: 'Implementation',
      reference: 'Reference',
      title: 'Title',
      what: 'Owed',
      due: 'Due',
      late: 'Days late',
      stage: 'Stage',
      raised: 'Raised',
      submitted: 'Submitted',
      responseDue: 'Answers due',
      ended: 'Closed / withdrawn',
      answers: 'Answers',
    },
    owed: { response: 'answer', progress: 'progress report' },
    stages: {
      drafting: 'drafting',
      'wg-consensus': 'WG consensus',
      'senior-approval': 'senior approval',
      approved: 'approved',
      submitted: 'submitted',
      'follow-up': 'follow-up',
      closed: 'closed',
      withdrawn: 'withdrawn',
    } satisfies Record<Stage, string>,
    answersOf: (answered: number, nations: number, accepting: number, implemented: number) =>
      `${answered}/${nations} answered, ${accepting} accepting, ${implemented} implemented`,
    footer: 'DIPB · Report to the Board',
    priority: 'Priority',
  },
  fr: {
    title: 'Rapport au Conseil',
    board: 'Conseil de la production industrielle de défense',
    period: (from: string, to: string) => `Recommandations émises du ${from} au ${to}`,
    asOf: (at: string) => `Chiffres au ${at}`,
    summary: 'Synthèse',
    figures: {
      raised: 'Recommandations émises',
      submittedTo: 'Soumises aux nations (une par nation et par recommandation)',
      answered: 'Réponses définitives',
      accepted: 'Acceptées',
      acceptedInPart: 'Acceptées en partie',
      notAccepted: 'Non acceptées',
      underConsideration: "À l'étude (réponse d'attente)",
      implemented: 'Mises en œuvre',
      notImplemented: 'Non mises en œuvre',
      overdue: "Réponses et rapports d'avancement en retard",
      acceptanceRate: "Taux d'acceptation",
      implementationRate: 'Taux de mise en œuvre',
    },
    byStage: 'Recommandations par étape',
    definitions:
      "Taux d'acceptation : nations ayant accepté, en tout ou en partie, sur les réponses définitives (acceptée, acceptée en partie, non acceptée) ; une nation qui n'a pas répondu, ou seulement « à l'étude », n'est pas comptée. Taux de mise en œuvre : nations ayant déclaré la recommandation mise en œuvre, sur celles qui l'ont acceptée. « — » : rien à diviser.",
    nationsChart: "Taux d'acceptation et de mise en œuvre par nation",
    nationsChartNote: 'Nations ayant reçu au moins une de ces recommandations.',
    perNation: 'Chiffres par nation',
    perGroup: 'Chiffres par groupe de travail',
    groupChart: "Taux d'acceptation et de mise en œuvre par groupe de travail",
    overdueTitle: "Réponses et rapports d'avancement en retard",
    overdueNone: "Rien n'est en retard.",
    recommendations: 'Recommandations : état et dates',
    columns: {
      nation: 'Nation',
      group: 'Groupe de travail',
      recs: 'Recom.',
      submittedTo: 'Soumises',
      answered: 'Réponses',
      accepted: 'Acc.',
      acceptedInPart: 'En partie',
      notAccepted: 'Non acc.',
      underConsideration: 'Étude',
      implemented: 'Mises en œuvre',
      notImplemented: 'Non m. en œ.',
      overdue: 'Retard',
      acceptanceRate: 'Acceptation',
      implementationRate: 'Mise en œuvre',
      reference: 'Référence',
      title: 'Titre',
      what: 'Attendu',
      due: 'Échéance',
      late: 'Jours de retard',
      stage: 'Étape',
      raised: 'Émise',
      submitted: 'Soumise',
      responseDue: 'Réponses attendues',
      ended: 'Close / retirée',
      answers: 'Réponses',
    },
    owed: { response: 'réponse', progress: "rapport d'avancement" },
    stages: {
      drafting: 'rédaction',
      'wg-consensus': 'consensus du GT',
      'senior-approval': 'approbation',
      approved: 'approuvée',
      submitted: 'soumise',
      'follow-up': 'suivi',
      closed: 'close',
      withdrawn: 'retirée',
    } satisfies Record<Stage, string>,
    answersOf: (answered: number, nations: number, accepting: number, implemented: number) =>
      `${answered}/${nations} ${answered > 1 ? 'réponses' : 'réponse'}, ${accepting} ${accepting > 1 ? 'acceptations' : 'acceptation'}, ${implemented} ${implemented > 1 ? 'mises' : 'mise'} en œuvre`,
    footer: 'DIPB · Rapport au Conseil',
    priority: 'Prioritaire',
  },
} as const;

export interface BoardReportInput {
  overview: Overview & { period: NonNullable<Overview['period']> };
  details: BoardReportDetails;
  language: Language;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const DAY = 86_400_000;

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: 'DejaVu Sans', Arial, Helvetica, sans-serif; font-size: 9.5pt; color: #1f2933; }
section { break-before: page; }
section:first-of-type { break-before: auto; }
header.cover { background: #0b2a4a; color: #fff; padding: 14px 18px; margin-bottom: 14px; }
header.cover .board { font-size: 8.5pt; letter-spacing: 1px; text-transform: uppercase; color: #b9c9dc; }
header.cover h1 { margin: 4px 0 2px 0; font-size: 20pt; }
header.cover .period { font-size: 10pt; color: #dbe4ee; }
h2 { font-size: 13pt; color: #0b2a4a; margin: 0 0 8px 0; }
h3 { font-size: 10.5pt; color: #0b2a4a; margin: 14px 0 6px 0; }
p.note { color: #52606d; font-size: 8.5pt; margin: 4px 0 8px 0; }
table { width: 100%; border-collapse: collapse; }
th { text-align: left; font-weight: bold; color: #52606d; font-size: 8pt; border-bottom: 1.5px solid #9aa5b1; padding: 4px 5px; }
td { padding: 3.5px 5px; border-bottom: 1px solid #e1e6ed; vertical-align: top; }
td.name { white-space: nowrap; }
td.n, th.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
tr.total td { font-weight: bold; border-top: 1.5px solid #9aa5b1; }
table.figures td:first-child { width: 70%; }
table.figures td.n { font-size: 11pt; font-weight: bold; }
.chart svg { width: 100%; height: auto; }
.ref { font-family: 'DejaVu Sans Mono', Consolas, monospace; font-size: 8.5pt; white-space: nowrap; }
.priority { display: inline-block; font-size: 7pt; font-weight: bold; text-transform: uppercase; color: #7a1c1c; background: #fdecea; border: 1px solid #f5c2c0; border-radius: 2px; padding: 0 3px; margin-bottom: 2px; }
`;

/** The Board report as one HTML document for Chromium's print: summary, charts (inline SVG, vector), tables, lists. */
export async function renderBoardReport({ overview, details, language }: BoardReportInput): Promise<string> {
  const w = BOARD_REPORT_WORDS[language];
  const mark = `<span class="priority">${esc(w.priority)}</span><br>`;
  const date = (iso: string | null): string => (iso ? formatDate(iso, language) : '—');
  const count = (n: number): string => formatCount(n, language);
  const rate = (r: number | null): string => formatRate(r, language);
  const periodStart = `${overview.period.from}T12:00:00Z`;
  const periodEnd = `${overview.period.to}T12:00:00Z`;
  const a = overview.allNations;

  const figureRows: [string, string][] = [
    [w.figures.raised, count(overview.total)],
    [w.figures.submittedTo, count(a.submittedTo)],
    [w.figures.answered, count(a.answered)],
    [w.figures.accepted, count(a.accepted)],
    [w.figures.acceptedInPart, count(a.acceptedInPart)],
    [w.figures.notAccepted, count(a.notAccepted)],
    [w.figures.underConsideration, count(a.underConsideration)],
    [w.figures.implemented, count(a.implemented)],
    [w.figures.notImplemented, count(a.notImplemented)],
    [w.figures.overdue, count(a.overdue)],
    [w.figures.acceptanceRate, rate(a.acceptanceRate)],
    [w.figures.implementationRate, rate(a.implementationRate)],
  ];

  const c = w.columns;
  const countHeads = `<th class="n">${c.submittedTo}</th><th class="n">${c.answered}</th><th class="n">${c.accepted}</th><th class="n">${c.acceptedInPart}</th><th class="n">${c.notAccepted}</th><th class="n">${c.underConsideration}</th><th class="n">${c.implemented}</th><th class="n">${c.notImplemented}</th><th class="n">${c.overdue}</th><th class="n">${c.acceptanceRate}</th><th class="n">${c.implementationRate}</th>`;
  const countCells = (f: Omit<NationFigures, 'code' | 'name'>): string =>
    [
      f.submittedTo,
      f.answered,
      f.accepted,
      f.acceptedInPart,
      f.notAccepted,
      f.underConsideration,
      f.implemented,
      f.notImplemented,
      f.overdue,
    ]
      .map((n) => `<td class="n">${count(n)}</td>`)
      .join('') + `<td class="n">${rate(f.acceptanceRate)}</td><td class="n">${rate(f.implementationRate)}</td>`;

  const nationsSorted = [...overview.nations].sort((x, y) =>
    x.name[language].localeCompare(y.name[language], language),
  );
  // By code: the names are spelled out under the table, and would be cut in the chart.
  const groupRows = overview.workingGroups.map((g) => ({
    code: g.code,
    label: g.code,
    acceptanceRate: g.acceptanceRate,
    implementationRate: g.implementationRate,
  }));
  const [nationsChart, groupsChart] = await Promise.all([
    overviewChartSvg(overview, language, false),
    renderRateChartSvg(groupRows, { language, width: 420 }),
  ]);
  const now = new Date(overview.generatedAt).getTime();

  return `<!DOCTYPE html>
<html lang="${language}">
<head><meta charset="utf-8"><title>${esc(`DIPB — ${w.title} — ${overview.period.from} – ${overview.period.to}`)}</title><style>${CSS}</style></head>
<body>
<section id="summary">
<header class="cover">
<div class="board">${esc(w.board)}</div>
<h1>${esc(w.title)}</h1>
<div class="period">${esc(w.period(date(periodStart), date(periodEnd)))} · ${esc(w.asOf(date(overview.generatedAt)))}</div>
</header>
<h2>${esc(w.summary)}</h2>
<table class="figures">
${figureRows.map(([label, value]) => `<tr><td>${esc(label)}</td><td class="n">${esc(value)}</td></tr>`).join('\n')}
</table>
<p class="note">${esc(w.definitions)}</p>
<h3>${esc(w.byStage)}</h3>
<table>
<tr>${STAGES.map((s) => `<th class="n">${esc(w.stages[s])}</th>`).join('')}</tr>
<tr>${STAGES.map((s) => `<td class="n">${count(overview.byStage[s])}</td>`).join('')}</tr>
</table>
</section>

<section id="nations-chart">
<h2>${esc(w.nationsChart)}</h2>
<p class="note">${esc(w.nationsChartNote)}</p>
<div class="chart">${nationsChart}</div>
</section>

<section id="nations">
<h2>${esc(w.perNation)}</h2>
<table>
<tr><th>${c.nation}</th>${countHeads}</tr>
${nationsSorted.map((n) => `<tr><td class="name">${esc(n.name[language])} (${n.code})</td>${countCells(n)}</tr>`).join('\n')}
<tr class="total"><td>Total</td>${countCells(a)}</tr>
</table>
</section>

<section id="working-groups">
<h2>${esc(w.perGroup)}</h2>
<table>
<tr><th>${c.group}</th><th class="n">${c.recs}</th>${countHeads}</tr>
${overview.workingGroups.map((g) => `<tr><td><strong>${g.code}</strong></td><td class="n">${count(g.recommendations)}</td>${countCells(g)}</tr>`).join('\n')}
</table>
<p class="note">${overview.workingGroups.map((g) => `${g.code}${language === 'fr' ? '\u00a0' : ''}: ${esc(g.name[language])}`).join(' · ')}</p>
<h3>${esc(w.groupChart)}</h3>
<div class="chart" style="width: 80%">${groupsChart}</div>
</section>

<section id="overdue">
<h2>${esc(w.overdueTitle)} (${count(details.overdue.length)})</h2>
${
  details.overdue.length === 0
    ? `<p>${esc(w.overdueNone)}</p>`
    : `<table>
<tr><th>${c.reference}</th><th>${c.title}</th><th>${c.nation}</th><th>${c.what}</th><th class="n">${c.due}</th><th class="n">${c.late}</th></tr>
${details.overdue
  .map(
    (o) =>
      `<tr><td class="ref">${o.priority ? mark : ''}${esc(o.reference)}</td><td>${esc(o.title)}</td><td>${esc(o.nationName[language])} (${o.nation})</td><td>${esc(w.owed[o.kind])}</td><td class="n">${date(o.dueAt)}</td><td class="n">${count(Math.max(0, Math.floor((now - new Date(o.dueAt).getTime()) / DAY)))}</td></tr>`,
  )
  .join('\n')}
</table>`
}
</section>

<section id="recommendations">
<h2>${esc(w.recommendations)} (${count(details.recommendations.length)})</h2>
<table>
<tr><th>${c.reference}</th><th>${c.title}</th><th>${c.stage}</th><th class="n">${c.raised}</th><th class="n">${c.submitted}</th><th class="n">${c.responseDue}</th><th class="n">${c.ended}</th></tr>
${details.recommendations
  .map(
    (r) =>
      `<tr><td class="ref">${r.priority ? mark : ''}${esc(r.reference)}<br>${r.workingGroup}</td><td>${esc(r.title)}<br><span style="color:#52606d;font-size:8pt">${esc(r.submittedAt ? w.answersOf(r.answered, r.nations, r.accepting, r.implemented) : '')}</span></td><td>${esc(w.stages[r.stage])}</td><td class="n">${date(r.raisedAt)}</td><td class="n">${date(r.submittedAt)}</td><td class="n">${date(r.responseDue)}</td><td class="n">${date(r.closedAt ?? r.withdrawnAt)}</td></tr>`,
  )
  .join('\n')}
</table>
</section>
</body>
</html>
`;
}

export function boardReportFooter(language: Language): string {
  return BOARD_REPORT_WORDS[language].footer;
}
