import { formatRate } from './format';
import { rateChartText, renderRateChartSvg, svgToPng, type RateRow } from './rate-chart';

const rows: RateRow[] = [
  { code: 'FRA', label: 'France', acceptanceRate: 2 / 3, implementationRate: 0.5 },
  { code: 'DEU', label: 'Germany', acceptanceRate: 1, implementationRate: null },
  { code: 'ITA', label: 'Italy', acceptanceRate: null, implementationRate: null },
];

describe('the rate chart', () => {
  it('is an SVG document drawn on the server, with a row for every nation, even one without a rate', async () => {
    const svg = await renderRateChartSvg(rows, { language: 'en' });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('xmlns="http://www.w3.org/2000/svg"');
    for (const label of [
      'France',
      'Germany',
      'Italy',
      'Acceptance rate',
      'Implementation rate',
      '67%',
      '50%',
      '100%',
    ]) {
      expect(svg).toContain(label);
    }
    expect(svg).not.toMatch(/<script|<foreignObject/);
  });

  it('speaks French: words and "50 %" with a narrow space', async () => {
    const svg = await renderRateChartSvg(rows, { language: 'fr' });
    expect(svg).toContain("Taux d'acceptation");
    expect(svg).toContain('67\u202f%');
  });

  it('becomes a PNG for email clients that do not show SVG', async () => {
    const png = svgToPng(await renderRateChartSvg(rows, { language: 'en' }));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.length).toBeGreaterThan(5_000);
  });

  it('has a text alternative with every value', () => {
    expect(rateChartText(rows, 'en')).toEqual([
      'France: acceptance rate 67%, implementation rate 50%',
      'Germany: acceptance rate 100%, implementation rate —',
      'Italy: no final answer yet',
    ]);
    expect(rateChartText(rows, 'fr')[0]).toBe("France: taux d'acceptation 67\u202f%, taux de mise en œuvre 50\u202f%");
    expect(formatRate(0.66666, 'fr')).toBe('66,7\u202f%');
  });
});
