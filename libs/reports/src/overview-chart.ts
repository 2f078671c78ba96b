import type { Language } from '@app/domain';
import type { Overview } from '@app/persistence';
import { renderRateChartSvg, type RateRow } from './rate-chart';

const TITLES = {
  en: 'Acceptance and implementation rates per nation',
  fr: 'Taux d’acceptation et de mise en œuvre par nation',
} as const;

/**
 * The overview's nations as chart rows, in alphabetical order of their names in the language: those
 * that received at least one recommendation (all 32 when none did, so the chart is never empty).
 */
export function nationRateRows(overview: Pick<Overview, 'nations'>, language: Language): RateRow[] {
  const received = overview.nations.filter((n) => n.submittedTo > 0);
  return (received.length > 0 ? received : overview.nations)
    .map((n) => ({
      code: n.code,
      label: n.name[language],
      acceptanceRate: n.acceptanceRate,
      implementationRate: n.implementationRate,
    }))
    .sort((a, b) => a.label.localeCompare(b.label, language));
}

/** The overview's main chart, acceptance and implementation rates per nation, as an SVG document. */
export function overviewChartSvg(
  overview: Pick<Overview, 'nations'>,
  language: Language,
  title = true,
): Promise<string> {
  return renderRateChartSvg(nationRateRows(overview, language), {
    language,
    ...(title ? { title: TITLES[language] } : {}),
  });
}

export function overviewChartTitle(language: Language): string {
  return TITLES[language];
}
