// `npx tsx scripts/digest-screenshots.ts [out dir]`: the weekly digest as the secretariat sees it, in
// English and French, from a sample week (no database or SMTP needed): HTML with the chart inlined as
// the mail client shows its cid: image, screenshotted by headless Chromium (docs/digest-{en,fr}.png).
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { CHART_CID, renderDigest } from '../libs/notifications/src/digest/digest-renderer';
import { sampleDigest } from '../libs/notifications/src/digest/digest-sample';
import { ensureChromium } from './debian-tools';

const [outDir = 'docs'] = process.argv.slice(2);

async function main(): Promise<void> {
  const browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 680, height: 900 } });
    for (const language of ['en', 'fr'] as const) {
      const { week, data, nations } = sampleDigest();
      const mail = await renderDigest({ week, data, nations, language });
      const chart = mail.attachments.find((a) => a.cid === CHART_CID);
      const html = chart
        ? mail.html.replace(`cid:${CHART_CID}`, `data:${chart.contentType};base64,${chart.content.toString('base64')}`)
        : mail.html;
      await page.setContent(html, { waitUntil: 'load' });
      const path = join(outDir, `digest-${language}.png`);
      await page.screenshot({ path, fullPage: true });
      console.log(`${path}: ${mail.subject}`);
    }
  } finally {
    await browser.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
