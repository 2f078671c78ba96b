// `npx tsx scripts/ui-screenshots.ts <workflow id> [ui url]`: headless Chromium screenshots of the Temporal
// UI as operators use it (docs/operations.md): the list filtered by the saved query, with the DIPB
// search attributes as columns, and one workflow's page (summary, current details, timer summaries).
import { chromium } from 'playwright-core';

const [ref, ui = 'http://127.0.0.1:8233'] = process.argv.slice(2);
if (!ref) {
  console.error('usage: npx tsx scripts/ui-screenshots.ts DIPB-2026-0001 [http://127.0.0.1:8233]');
  process.exit(2);
}

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  // The UI keeps its list columns per namespace in localStorage: the operator's set, what each recommendation waits for.
  const columns = [
    'Status',
    'Workflow ID',
    'DipbStage',
    'DipbWorkingGroup',
    'DipbPendingNations',
    'DipbNextDeadline',
    'DipbOverdue',
    'Start',
  ].map((label) => ({ label }));
  // Runs in the page: the browser's localStorage, reached through globalThis (this file is compiled for Node).
  await context.addInitScript(
    (cols) =>
      (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem(
        'namespace-workflow-table-columns',
        JSON.stringify({ default: cols }),
      ),
    columns,
  );
  const page = await context.newPage();
  const query = encodeURIComponent("DipbPendingNations = 'FRA' AND DipbStage = 'submitted'");
  await page.goto(`${ui}/namespaces/default/workflows?query=${query}`, { waitUntil: 'load' });
  await page.waitForTimeout(5000);
  await page.screenshot({ path: 'docs/temporal-ui-list.png' });
  await page.goto(`${ui}/namespaces/default/workflows/${ref}`, { waitUntil: 'load' });
  await page.waitForTimeout(5000);
  await page.getByText('User Metadata', { exact: true }).first().click();
  await page.waitForTimeout(2500);
  await page.screenshot({ path: 'docs/temporal-ui-workflow.png' });
  await browser.close();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
