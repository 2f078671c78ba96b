// `npm run report -- --from 2026-01-01 --to 2026-12-31 [--lang en|fr] [--out report.pdf]`: the Board
// report as a PDF, printed by headless Chromium from the record in PostgreSQL (DATABASE_URL, else the
// local stack's). Its figures are the overview's (`GET /api/v1/reports/overview?from=…&to=…`): the
// same service computes both.
import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import { chromium } from 'playwright-core';
import { BoardReportRepository } from '../libs/persistence/src/repositories/board-report.repository';
import { openDataSource } from '../libs/persistence/src/data-source-options';
import { ReportsRepository } from '../libs/persistence/src/repositories/reports.repository';
import { boardReportFooter, renderBoardReport } from '../libs/reports/src/board-report';
import { ensureChromium } from './debian-tools';

const USAGE =
  'usage: npm run report -- --from 2026-01-01 --to 2026-12-31 [--lang en|fr] [--out report.pdf] [--html report.html]';

function args(): { from: string; to: string; language: 'en' | 'fr'; out: string; html: string | undefined } {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      to: { type: 'string' },
      lang: { type: 'string', default: 'en' },
      out: { type: 'string', default: 'report.pdf' },
      html: { type: 'string' },
    },
  });
  const date = (name: string, value: string | undefined): string => {
    if (!value || !/^\d{4}-\d{2}-\d{2}$/.test(value) || !DateTime.fromISO(value).isValid)
      throw new Error(`--${name} must be a date, YYYY-MM-DD\n${USAGE}`);
    return value;
  };
  const from = date('from', values.from);
  const to = date('to', values.to);
  if (from > to) throw new Error(`the period ends (${to}) before it starts (${from})`);
  if (values.lang !== 'en' && values.lang !== 'fr') throw new Error(`--lang is en or fr\n${USAGE}`);
  return {
    from,
    to,
    language: values.lang,
    out: resolve(values.out),
    html: values.html ? resolve(values.html) : undefined,
  };
}

async function main(): Promise<void> {
  const { from, to, language, out, html: htmlOut } = args();
  const executablePath = ensureChromium();
  const ds = await openDataSource(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/dipb');
  let html: string;
  let raised: number;
  try {
    const period = { from, to };
    const [overview, details] = await Promise.all([
      new ReportsRepository(ds).overview(new Date(), period),
      new BoardReportRepository(ds).details(period),
    ]);
    html = await renderBoardReport({ overview: { ...overview, period }, details, language });
    raised = overview.total;
  } finally {
    await ds.destroy();
  }
  if (htmlOut) writeFileSync(htmlOut, html);

  const browser = await chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: 'load' });
    const pdf = await page.pdf({
      format: 'A4',
      printBackground: true,
      preferCSSPageSize: true,
      displayHeaderFooter: true,
      headerTemplate: '<div></div>',
      footerTemplate: `<div style="width:100%;font-family:'DejaVu Sans',Arial,sans-serif;font-size:7.5px;color:#7b8794;text-align:center;">${boardReportFooter(language)} · ${from} – ${to} · <span class="pageNumber"></span> / <span class="totalPages"></span></div>`,
    });
    writeFileSync(out, pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    console.log(`${out}: ${pages} pages, ${raised} recommendation(s) raised from ${from} to ${to} (${language})`);
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
