import type { Decision, Language, ProgressStatus } from '@app/domain';

export interface DigestWords {
  board: string;
  title: string;
  subject: (week: number, period: string) => string;
  weekOf: (week: number, year: number, period: string) => string;
  intro: string;
  summary: { answers: string; reports: string; dueSoon: string; overdue: string; escalations: string };
  sections: { answers: string; reports: string; dueSoon: string; overdue: string; escalations: string; chart: string };
  byRecommendation: string;
  byNation: string;
  nothing: string;
  /** The mark of a priority recommendation (they come first). */
  priority: string;
  decision: Record<Decision, string>;
  progress: Record<ProgressStatus, string>;
  percent: (n: number) => string;
  due: { response: string; progress: string };
  late: (days: number) => string;
  escalated: string;
  on: (date: string) => string;
  chartAlt: string;
  chartNote: string;
  nation: string;
  acceptance: string;
  implementation: string;
  footer: string;
  identity: string;
  colon: string;
}

export const DIGEST_WORDS: Record<Language, DigestWords> = {
  en: {
    board: 'Defence Industrial Production Board',
    title: 'Weekly digest',
    subject: (week, period) => `[DIPB] Weekly digest, week ${week} (${period})`,
    weekOf: (week, year, period) => `Week ${week}, ${year} · ${period}`,
    intro:
      'What the nations sent in the week, what falls due in the next 14 days, what is overdue and what was escalated to the secretariat, by recommendation and by nation.',
    summary: {
      answers: 'answers received',
      reports: 'progress reports received',
      dueSoon: 'due in the next 14 days',
      overdue: 'overdue',
      escalations: 'escalated',
    },
    sections: {
      answers: 'Answers received',
      reports: 'Progress reports received',
      dueSoon: 'Falls due in the next 14 days',
      overdue: 'Overdue',
      escalations: 'Escalated to the secretariat',
      chart: 'Acceptance and implementation rates per nation',
    },
    byRecommendation: 'By recommendation',
    byNation: 'By nation',
    nothing: 'Nothing this week.',
    priority: 'Priority',
    decision: {
      accepted: 'accepted',
      'accepted-in-part': 'accepted in part',
      'not-accepted': 'not accepted',
      'under-consideration': 'under consideration (interim answer)',
    },
    progress: { 'in-progress': 'in progress', implemented: 'implemented', 'not-implemented': 'not implemented' },
    percent: (n) => `${n}%`,
    due: { response: 'answer due', progress: 'progress report due' },
    late: (days) => (days === 1 ? '1 day late' : `${days} days late`),
    escalated: 'escalated',
    on: (date) => date,
    chartAlt: 'Bar chart of the acceptance and implementation rates per nation; the figures are in the table below.',
    chartNote:
      'All recommendations to date. Acceptance: accepted in full or in part, out of final answers; implementation: implemented, out of acceptances.',
    nation: 'Nation',
    acceptance: 'Acceptance',
    implementation: 'Implementation',
    footer: 'Sent every Monday at 08:00 (Brussels time) by the DIPB recommendation service, from its record.',
    identity: 'Message',
    colon: ': ',
  },
  fr: {
    board: 'Conseil de la production industrielle de défense',
    title: 'Synthèse hebdomadaire',
    subject: (week, period) => `[DIPB] Synthèse hebdomadaire, semaine ${week} (${period})`,
    weekOf: (week, year, period) => `Semaine ${week}, ${year} · ${period}`,
    intro:
      'Ce que les nations ont envoyé dans la semaine, ce qui arrive à échéance dans les 14 jours, ce qui est en retard et ce qui a été signalé au secrétariat, par recommandation et par nation.',
    summary: {
      answers: 'réponses reçues',
      reports: "rapports d'avancement reçus",
      dueSoon: 'échéances dans les 14 jours',
      overdue: 'en retard',
      escalations: 'signalements',
    },
    sections: {
      answers: 'Réponses reçues',
      reports: "Rapports d'avancement reçus",
      dueSoon: 'Échéances des 14 prochains jours',
      overdue: 'En retard',
      escalations: 'Signalés au secrétariat',
      chart: "Taux d'acceptation et de mise en œuvre par nation",
    },
    byRecommendation: 'Par recommandation',
    byNation: 'Par nation',
    nothing: 'Rien cette semaine.',
    priority: 'Prioritaire',
    decision: {
      accepted: 'acceptée',
      'accepted-in-part': 'acceptée en partie',
      'not-accepted': 'non acceptée',
      'under-consideration': "à l'étude (réponse d'attente)",
    },
    progress: { 'in-progress': 'en cours', implemented: 'mise en œuvre', 'not-implemented': 'non mise en œuvre' },
    percent: (n) => `${n}\u202f%`,
    due: { response: 'réponse attendue le', progress: "rapport d'avancement attendu le" },
    late: (days) => (days === 1 ? '1 jour de retard' : `${days} jours de retard`),
    escalated: 'signalé le',
    on: (date) => date,
    chartAlt:
      "Graphique en barres des taux d'acceptation et de mise en œuvre par nation ; les chiffres sont dans le tableau ci-dessous.",
    chartNote:
      'Toutes les recommandations à ce jour. Acceptation : acceptées en tout ou en partie, sur les réponses définitives ; mise en œuvre : mises en œuvre, sur les acceptations.',
    nation: 'Nation',
    acceptance: 'Acceptation',
    implementation: 'Mise en œuvre',
    footer:
      'Envoyée chaque lundi à 8 h (heure de Bruxelles) par le service des recommandations du DIPB, à partir de son registre.',
    identity: 'Message',
    colon: '\u00a0: ',
  },
};
