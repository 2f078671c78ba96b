import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { LANGUAGES, NOTIFICATION_KINDS } from '@app/domain';
import { NotificationRenderer } from '@app/notifications/notification-renderer';
import { renderWebhookDisabled } from '@app/notifications/webhooks/disabled-notice';
import { sampleContext, sampleRequest } from '@app/notifications/testing/sample-message';
import { ensureChromium } from '../../scripts/debian-tools';

/**
 * Every kind of message, in both languages, as a director reads it on a phone (390 px) and on a
 * desktop: nothing wider than the screen, and the body's markdown rendered (headings, lists, emphasis).
 * Screenshots of the submission and the moved-deadline notice go to .data/email-screenshots (docs/email-*.png
 * are copies).
 */
const SHOTS = join(__dirname, '..', '..', '.data', 'email-screenshots');

const BODY = `## Recommendation

1. Each Ally should **hold a buffer** of propellant and energetic materials sufficient for *six months* of surge production of 155 mm artillery ammunition.
2. Allies should share an annual forecast of their demand through the Supply Chain Security working group.

## Rationale

- Lead times for nitrocellulose exceed 18 months.
- A reference with no space to break at: DIPB-SCS-propellant-buffer-forecast-annual-demand-2026-2027-2028-2029.`;

describe('emails as people read them, in Chromium', () => {
  let browser: Browser;
  const renderer = new NotificationRenderer();
  // A personal link as long as the real ones (~400 characters, one unbroken token).
  const link = {
    url: `https://dipb.example.nato.int/links/DIPB-2026-0001/FRA/response/${'eyJhbGciOiJIUzI1NiJ9'.repeat(18)}`,
    expiresAt: '2026-12-18T11:00:00.000Z',
  };

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: ensureChromium(),
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 300_000);
  afterAll(() => browser?.close());

  for (const width of [390, 1024])
    it(`fits every message, in both languages, in ${width} px, with the body rendered`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const wide: string[] = [];
      try {
        for (const language of LANGUAGES)
          for (const kind of NOTIFICATION_KINDS) {
            const m = renderer.render(
              sampleRequest(
                kind,
                'A note from the secretariat that is long enough to wrap over several lines on a phone.',
              ),
              sampleContext(language, BODY, link),
            );
            await page.setContent(m.html);
            // Run in the page (strings, so this file needs no DOM types).
            const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
            if (scrollWidth > width) wide.push(`${kind} (${language}): ${scrollWidth} px`);
            if (m.html.includes('<h2')) {
              const rendered = await page.evaluate<{ h2: number; li: number; strong: boolean; em: boolean }>(`({
                h2: document.querySelectorAll('h2').length,
                li: [...document.querySelectorAll('li')].filter((e) => /^(Each Ally|Allies should share|Lead times|A reference)/.test(e.textContent)).length,
                strong: [...document.querySelectorAll('strong')].some((e) => e.textContent === 'hold a buffer'),
                em: [...document.querySelectorAll('em')].some((e) => e.textContent === 'six months'),
              })`);
              expect({ kind, language, ...rendered }).toEqual({ kind, language, h2: 2, li: 4, strong: true, em: true });
            }
            if (kind === 'submission' || kind === 'deadline-moved')
              await page.screenshot({ path: join(SHOTS, `email-${kind}-${language}-${width}.png`), fullPage: true });
          }
      } finally {
        await page.close();
      }
      expect(wide).toEqual([]);
    }, 120_000);

  for (const width of [390, 1024])
    it(`fits the secretariat's notice of a webhook disabled, in both languages, in ${width} px`, async () => {
      const page = await browser.newPage({ viewport: { width, height: 800 } });
      const wide: string[] = [];
      try {
        for (const language of LANGUAGES) {
          const m = renderWebhookDisabled(
            {
              id: '5b1f6c1e-6a53-4f4e-9a53-1b0c3f3f6a01',
              // As long as a real integration endpoint can be, and unbroken.
              url: `https://integration.example.nato.int/dipb/events/receiver-for-the-armaments-directorate-${'x'.repeat(60)}`,
              description: 'Armaments directorate integration (production)',
              failingSince: '2026-11-28T09:14:00.000Z',
              disabledAt: '2026-12-03T09:14:05.000Z',
              failures: 131,
              reason:
                'no delivery accepted since 2026-11-28T09:14:00.000Z (131 attempts); last: ECONNREFUSED: connect ECONNREFUSED 10.20.3.4:443',
            },
            language,
          );
          await page.setContent(m.html);
          const scrollWidth = await page.evaluate<number>('document.documentElement.scrollWidth');
          if (scrollWidth > width) wide.push(`webhook-disabled (${language}): ${scrollWidth} px`);
          const text = await page.evaluate<string>('document.body.innerText');
          expect(text).toContain('Armaments directorate integration (production)');
          expect(text).toContain('131');
          await page.screenshot({
            path: join(SHOTS, `email-webhook-disabled-${language}-${width}.png`),
            fullPage: true,
          });
        }
      } finally {
        await page.close();
      }
      expect(wide).toEqual([]);
    }, 120_000);
});
