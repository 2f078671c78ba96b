import type { Language } from '@app/domain';
import { Resvg } from '@resvg/resvg-js';
import { dirname, join } from 'node:path';
import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { formatRate } from './format';

/** One bar pair: a nation (or a working group) and its two rates, as the overview publishes them. */
export interface RateRow {
  code: string;
  label: string;
  acceptanceRate: number | null;
  implementationRate: number | null;
}

export interface RateChartOptions {
  language: Language;
  title?: string;
  /** Width of the plotting area in px (the labels come on top). */
  width?: number;
  /** Widest row label in px before it is cut with "…" (Vega measures text without a canvas, generously). */
  labelLimit?: number;
}

export const RATE_CHART_WORDS = {
  en: { acceptance: 'Acceptance rate', implementation: 'Implementation rate', none: 'no final answer yet' },
  fr: {
    acceptance: "Taux d'acceptation",
    implementation: 'Taux de mise en œuvre',
    none: 'pas encore de réponse définitive',
  },
} as const;

export const ACCEPTANCE_COLOUR = '#0b5cab';
export const IMPLEMENTATION_COLOUR = '#2f9e44';
/** Embedded in the PNG, so the email's chart looks the same on a server without fonts. */
export const CHART_FONT = 'DejaVu Sans';

/**
 * The main chart: acceptance and implementation rates side by side, one row per nation (or working
 * group). Vega-Lite, compiled to Vega and rendered by Vega's SVG renderer: no canvas, no browser.
 */
export function rateChartSpec(rows: readonly RateRow[], options: RateChartOptions): TopLevelSpec {
  const words = RATE_CHART_WORDS[options.language];
  const values = rows.flatMap((r) => [
    {
      row: r.label,
      measure: words.acceptance,
      value: r.acceptanceRate,
      at: r.acceptanceRate ?? 0,
      text: formatRate(r.acceptanceRate, options.language, 0),
    },
    {
      row: r.label,
      measure: words.implementation,
      value: r.implementationRate,
      at: r.implementationRate ?? 0,
      text: formatRate(r.implementationRate, options.language, 0),
    },
  ]);
  const measures = [words.acceptance, words.implementation];
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    ...(options.title ? { title: { text: options.title, anchor: 'start', fontSize: 14, offset: 12 } } : {}),
    width: options.width ?? 380,
    height: { step: 11 },
    background: 'white',
    padding: 8,
    data: { values },
    encoding: {
      // Every row stays, even one with no rate yet (its labels say "—").
      y: {
        field: 'row',
        type: 'nominal',
        sort: null,
        title: null,
        scale: { domain: rows.map((r) => r.label) },
        axis: { labelLimit: options.labelLimit ?? 220, ticks: false, domain: false, labelPadding: 6 },
      },
      yOffset: { field: 'measure', sort: measures },
    },
    layer: [
      {
        mark: { type: 'bar', cornerRadiusEnd: 2 },
        encoding: {
          x: {
            field: 'value',
            type: 'quantitative',
            scale: { domain: [0, 1] },
            title: null,
            axis: { format: '.0%', tickCount: 5, grid: true, orient: 'top' },
          },
          color: {
            field: 'measure',
            type: 'nominal',
            scale: { domain: measures, range: [ACCEPTANCE_COLOUR, IMPLEMENTATION_COLOUR] },
            legend: { orient: 'top', title: null, direction: 'horizontal', labelFontSize: 12, labelLimit: 400 },
          },
        },
      },
      {
        mark: { type: 'text', align: 'left', dx: 3, fontSize: 9, color: '#3e4c59' },
        encoding: { x: { field: 'at', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
    config: {
      font: `${CHART_FONT}, Arial, Helvetica, sans-serif`,
      view: { stroke: null },
      axis: {
        labelFontSize: 11,
        labelColor: '#1f2933',
        gridColor: '#e1e6ed',
        domainColor: '#9aa5b1',
        tickColor: '#9aa5b1',
      },
    },
  };
}

const FRENCH_NUMBERS = {
  decimal: ',',
  thousands: '\u00a0',
  grouping: [3],
  currency: ['', '\u00a0€'],
  percent: '\u202f%',
};

/** The chart as a standalone SVG document (vector: for the API and the PDF). */
export async function renderRateChartSvg(rows: readonly RateRow[], options: RateChartOptions): Promise<string> {
  const vega = compile(rateChartSpec(rows, options)).spec;
  // The axis writes "50 %" in French (d3's default glues the sign to the number, the English way).
  const view = new View(parse(vega), {
    renderer: 'none',
    ...(options.language === 'fr' ? { locale: { number: FRENCH_NUMBERS } } : {}),
  } as ConstructorParameters<typeof View>[1]);
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

let fontFiles: string[] | null = null;
function chartFonts(): string[] {
  if (fontFiles) return fontFiles;
  const dir = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
  fontFiles = [join(dir, 'DejaVuSans.ttf'), join(dir, 'DejaVuSans-Bold.ttf')];
  return fontFiles;
}

/** A PNG of an SVG (for email clients that do not show SVG), at `scale`× for sharp text on high-density screens. */
export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    font: {
      fontFiles: chartFonts(),
      loadSystemFonts: false,
      defaultFontFamily: CHART_FONT,
      sansSerifFamily: CHART_FONT,
    },
  });
  return resvg.render().asPng();
}

/** The chart's text alternative: every bar's value, for the alt text, the plain-text part and screen readers. */
export function rateChartText(rows: readonly RateRow[], language: Language): string[] {
  const words = RATE_CHART_WORDS[language];
  return rows.map((r) =>
    r.acceptanceRate === null && r.implementationRate === null
      ? `${r.label}: ${words.none}`
      : `${r.label}: ${words.acceptance.toLowerCase()} ${formatRate(r.acceptanceRate, language, 0)}, ${words.implementation.toLowerCase()} ${formatRate(r.implementationRate, language, 0)}`,
  );
}
