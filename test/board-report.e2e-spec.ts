import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Overview } from '@app/persistence';
import { freshDatabase, type FreshDatabase } from '../libs/persistence/src/testing/fresh-database';
import { formatCount, formatRate } from '@app/reports';
import { call, startApi, type RunningApi } from '@app/testing';
import { ensureDebianTool } from '../scripts/debian-tools';
import { seedYear } from './board-report.seed';
import { callers } from './lifecycle.helpers';

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 300_000 });
  if (r.status !== 0)
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status ?? r.signal}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
};
/** pdftotext keeps the narrow no-break space of "66,7 %"; compare words, not spacing. */
const flat = (s: string): string => s.replace(/[\u202f\u00a0\s]+/g, ' ');

describe('Board report: npm run report prints a PDF whose figures are the API’s', () => {
  let db: FreshDatabase;
  let api: RunningApi;
  let token: string;
  const databaseUrl = process.env.DATABASE_URL;
  const out = mkdtempSync(join(tmpdir(), 'dipb-report-'));

  beforeAll(async () => {
    db = await freshDatabase('board');
    await seedYear(db.dataSource);
    process.env.DATABASE_URL = db.url; // the API under test reads this database
    api = await startApi();
    token = (await callers()).secretariat;
  });

  afterAll(async () => {
    await api?.close();
    process.env.DATABASE_URL = databaseUrl;
    await db?.drop();
    rmSync(out, { recursive: true, force: true });
  });

  it('renders the seeded year in French: six pages, each the expected one, with the API’s numbers', async () => {
    const overview = await call<Overview>(api, 'GET', '/api/v1/reports/overview?from=2025-01-01&to=2025-12-31', {
      token,
    });
    expect(overview.status).toBe(200);
    const o = overview.body;
    expect(o.total).toBe(5); // DIPB-2024-0042 is outside the year
    expect(o.allNations).toMatchObject({ submittedTo: 9, answered: 6, acceptanceRate: 0.6667 });

    const pdf = join(out, 'report.pdf');
    const printed = run(
      'npm',
      ['run', '--silent', 'report', '--', '--from', '2025-01-01', '--to', '2025-12-31', '--lang', 'fr', '--out', pdf],
      { ...process.env, DATABASE_URL: db.url },
    );
    expect(printed).toContain('6 pages, 5 recommendation(s) raised from 2025-01-01 to 2025-12-31 (fr)');

    const pdfinfo = ensureDebianTool('pdfinfo', 'poppler-utils');
    expect(run(pdfinfo, [pdf])).toMatch(/^Pages:\s+6$/m);
    const page = (n: number): string => run('pdftotext', ['-layout', '-f', String(n), '-l', String(n), pdf, '-']);
    const pages = [1, 2, 3, 4, 5, 6].map(page);
    const headings = [
      'Synthèse',
      "Taux d'acceptation et de mise en œuvre par nation",
      'Chiffres par nation',
      'Chiffres par groupe de travail',
      "Réponses et rapports d'avancement en retard",
      'Recommandations : état et dates',
    ];
    headings.forEach((h, i) => expect(flat(pages[i] ?? '')).toContain(h));
    expect(pages[0]).toContain('Rapport au Conseil');
    expect(flat(pages[0] ?? '')).toContain('Recommandations émises du 1er janvier 2025 au 31 décembre 2025');

    // Page 1: the summary figures are the API's, formatted.
    const p1 = flat(pages[0] ?? '');
    const a = o.allNations;
    for (const [label, value] of [
      ['Recommandations émises', formatCount(o.total, 'fr')],
      ['Réponses définitives', formatCount(a.answered, 'fr')],
      ['Acceptées en partie', formatCount(a.acceptedInPart, 'fr')],
      ['Non acceptées', formatCount(a.notAccepted, 'fr')],
      ['Mises en œuvre', formatCount(a.implemented, 'fr')],
      ["Réponses et rapports d'avancement en retard", formatCount(a.overdue, 'fr')],
      ["Taux d'acceptation", flat(formatRate(a.acceptanceRate, 'fr'))],
      ['Taux de mise en œuvre', flat(formatRate(a.implementationRate, 'fr'))],
    ] as const) {
      expect(p1).toContain(`${label} ${value}`);
    }
    // Page 2: the chart is vector graphics: its labels are text in the PDF.
    expect(pages[1]).toContain('France');
    expect(pages[1]).toContain('Pologne');

    // Page 3: every nation's row, all eleven columns, equals the API's.
    const p3 = flat(pages[2] ?? '');
    const cells = (f: Overview['allNations']): string =>
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
        .map((n) => formatCount(n, 'fr'))
        .concat(flat(formatRate(f.acceptanceRate, 'fr')), flat(formatRate(f.implementationRate, 'fr')))
        .join(' ');
    for (const n of o.nations) expect(p3).toContain(`${n.name.fr} (${n.code}) ${cells(n)}`);
    expect(p3).toContain(`Total ${cells(a)}`);
    // Page 4: every working group's row.
    const p4 = flat(pages[3] ?? '');
    for (const g of o.workingGroups) {
      expect(p4).toContain(`${g.code} ${formatCount(g.recommendations, 'fr')} ${cells(g)}`);
      expect(p4).toContain(g.name.fr);
    }
    // Page 5: as many overdue lines as the API counts, each named.
    const p5 = flat(pages[4] ?? '');
    expect(p5).toContain(`en retard (${a.overdue})`);
    expect(p5).toContain('DIPB-2025-0001');
    expect(p5).toContain('Pologne (POL) réponse');
    expect(p5).toContain("Allemagne (DEU) rapport d'avancement");
    // Page 6: each recommendation of the year with its stage and dates; not the one of 2024.
    const p6 = flat(pages[5] ?? '');
    for (const ref of ['DIPB-2025-0001', 'DIPB-2025-0002', 'DIPB-2025-0003', 'DIPB-2025-0004', 'DIPB-2025-0005'])
      expect(p6).toContain(ref);
    expect(p6).not.toContain('DIPB-2024-0042');
    // The priority recommendation (raised in September) is marked, once, and listed first (the text layer
    // reads the mark and the title before the reference cell's second line).
    expect(p6.match(/PRIORITAIRE/g)).toHaveLength(1);
    expect(p6).toMatch(/PRIORITAIRE A draft rédaction 1er septembre 2025 — — — DIPB-2025-0003 SI DIPB-2025-0001/);
    expect(p6).toContain('DIPB-2025-0004 Withdrawn early retirée 1er mars 2025 — — 10 mars 2025');
    expect(p6).toContain(
      'DIPB-2025-0005 Recommendation DIPB-2025-0005 close 2 juin 2025 6 juin 2025 6 juillet 2025 1er octobre 2025',
    );
    expect(p6).toContain('3/4 réponses, 2 acceptations, 1 mise en œuvre');

    // Every page renders as an image.
    run(ensureDebianTool('pdftoppm', 'poppler-utils'), ['-png', '-r', '50', pdf, join(out, 'page')]);
    expect(readdirSync(out).filter((f) => f.startsWith('page') && f.endsWith('.png'))).toHaveLength(6);
    expect(existsSync(pdf)).toBe(true);
  });

  it('GET /api/v1/reports/overview gives the main chart as SVG, and refuses a half or reversed period', async () => {
    const svg = await call<string>(api, 'GET', '/api/v1/reports/overview?from=2025-01-01&to=2025-12-31&lang=fr', {
      token,
      headers: { accept: 'image/svg+xml' },
    });
    expect(svg.status).toBe(200);
    expect(svg.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(svg.body.startsWith('<svg')).toBe(true);
    for (const label of ['France', 'Pologne', 'États-Unis', "Taux d'acceptation"]) expect(svg.body).toContain(label);
    expect(svg.body).not.toContain('Albanie'); // received nothing that year
    for (const q of [
      'from=2025-01-01',
      'from=2025-12-31&to=2025-01-01',
      'from=2025-02-30&to=2025-03-01',
      'from=yesterday&to=2025-01-01',
      'lang=de&from=2025-01-01&to=2025-01-02',
    ]) {
      const res = await call(api, 'GET', `/api/v1/reports/overview?${q}`, { token });
      expect([q, res.status]).toEqual([q, 400]);
    }
  });
});
