import { loadConfig } from '@app/config';
import type { RecommendationView } from '@app/domain';
import type { NationsRepository } from '@app/persistence';
import { ActionLinks } from '@app/notifications/links/action-links';
import {
  call,
  eventually,
  header,
  MailDevClient,
  startApi,
  startWorker,
  type CaughtEmail,
  type RunningApi,
  type RunningWorker,
} from '@app/testing';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ensureChromium } from '../scripts/debian-tools';
import { callers, events, expectOk, raise, waitForStage, type Callers } from './lifecycle.helpers';

/**
 * The personal links, end to end in a real browser (Debian's Chromium through playwright-core) against
 * the real stack: the mail read back from MailDev, its link followed, the answer given on the page and
 * read back through the API and the audit trail; then every way a link can be wrong, each a 4xx page
 * that records nothing; and an accessibility check (axe-core) of the pages in both languages.
 */

const maildev = new MailDevClient();
const SHOTS = join(__dirname, '..', '.data', 'link-screenshots');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let api: RunningApi;
let worker: RunningWorker;
let browser: Browser;
let who: Callers;

beforeAll(async () => {
  api = await startApi();
  // The worker writes links to where people reach the API: here, the test's API.
  worker = await startWorker({ PUBLIC_URL: api.url });
  browser = await chromium.launch({
    executablePath: ensureChromium(),
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
  who = await callers();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await worker?.stop();
  await api?.close();
});

const post = (path: string, token: string, body: unknown) =>
  call<RecommendationView>(api, 'POST', path, { token, body });

/** The one message of `kind` to `address` about `reference`, once it has arrived. */
function mailTo(reference: string, kind: string, address: string): Promise<CaughtEmail> {
  return eventually(async () => {
    const all = await maildev.forReference(reference);
    return all.find((m) => header(m, 'x-dipb-notification') === kind && m.to.some((t) => t.address === address));
  }, 30_000);
}

/** The personal link in a message's text, as a plain URL; on the test's API it is the same path. */
function linkIn(mail: CaughtEmail): string {
  const found = /https?:\/\/\S+\/links\/\S+/.exec(mail.text ?? '');
  if (!found) throw new Error(`no link in ${mail.subject}`);
  const url = new URL(found[0]);
  return `${api.url}${url.pathname}`;
}

/** axe-core in the page: the serious and critical violations (none expected). */
async function accessibilityProblems(page: Page): Promise<string[]> {
  await page.evaluate(AXE);
  // Runs in the page (a string, so this file needs no DOM types).
  const result = await page.evaluate<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }>(
    "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } })",
  );
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}`);
}

async function countEvents(reference: string): Promise<number> {
  return (await events(api, who.secretariat, reference)).length;
}

describe('a director answers from the email, in French, in a real browser', () => {
  let ref: string;
  let frLink: string;
  let deLink: string;

  beforeAll(async () => {
    // The directory as seeded (a run before this one replaced DEU's director; see the last test).
    for (const [code, email] of [
      ['FRA', 'director.fra@mod.example'],
      ['DEU', 'director.deu@mod.example'],
    ]) {
      const lang = code === 'FRA' ? 'fr' : 'en';
      expect(
        (
          await call(api, 'PUT', `/api/v1/nations/${code}/director`, {
            token: who.secretariat,
            body: { name: `Director ${code}`, email, language: lang },
          })
        ).status,
      ).toBe(200);
    }
    ref = (
      await raise(api, who.secretariat, {
        nations: ['FRA', 'DEU'],
        policy: { consensusSilence: 'PT2S', approvalSilence: 'PT2S', responseDue: 'PT600S' },
      })
    ).reference;
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, who.secretariat, {}));
    await waitForStage(api, who.secretariat, ref, 'approved');
    expectOk(await post(`/api/v1/recommendations/${ref}/submission`, who.secretariat, {}));
    frLink = linkIn(await mailTo(ref, 'submission', 'director.fra@mod.example'));
    deLink = linkIn(await mailTo(ref, 'submission', 'director.deu@mod.example'));
  });

  it('sends an automated message with a plain link and the deadline as a calendar entry', async () => {
    const mail = await mailTo(ref, 'submission', 'director.fra@mod.example');
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    // MailDev keeps address headers out of `headers`: read the message as it arrived.
    const source = await (await fetch(`${maildev.apiUrl}/api/email/${mail.id}/source`)).text();
    expect(source).toMatch(/^Auto-Submitted: auto-generated\r?$/m);
    expect(source).toMatch(/^Reply-To: dipb-secretariat@example\.nato\.int\r?$/m);
    expect(mail.text).toContain(`\n  ${api.url}/links/${ref}/FRA/respond/`);
    const attachments =
      (mail as CaughtEmail & { attachments?: { contentType: string; generatedFileName: string }[] }).attachments ?? [];
    const ics = attachments.find((a) => a.contentType.startsWith('text/calendar'));
    expect(ics).toBeDefined();
    const text = await (
      await fetch(`${maildev.apiUrl}/api/email/${mail.id}/attachment/${ics?.generatedFileName ?? ''}`)
    ).text();
    expect(text).toMatch(/^BEGIN:VCALENDAR/);
    expect(text).toContain('METHOD:PUBLISH');
    expect(text).toContain(`UID:${ref}.response.director-FRA@dipb.nato.int`);
    expect(text).toContain('SEQUENCE:0');
    expect(text).toContain('Réponse nationale attendue');
    writeFileSync(join(SHOTS, 'calendar-entry.ics'), text);
  });

  it('shows what is asked in French, and records an acceptance with a comment and a planned date', async () => {
    const page = await browser.newPage();
    const shown = await page.goto(frLink);
    expect(shown?.status()).toBe(200);
    const csp = shown?.headers()['content-security-policy'] ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toMatch(/script-src|unsafe-inline/);
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await expect(page.locator('h1').textContent()).resolves.toBe('Réponse nationale');
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).toContain(ref);
    expect(body).toMatch(/heure de Bruxelles, CES?T/);
    expect(body).toContain('Acceptée en partie');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'link-page-fr.png'), fullPage: true });

    await page.getByLabel('Acceptée', { exact: true }).check();
    await page.getByLabel('Commentaire').fill('La France accepte ; calendrier ci-joint.');
    await page.getByLabel('Date d’achèvement prévue').fill('2027-06-30');
    const [answered] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Envoyer la réponse' }).click(),
    ]);
    expect(answered?.status()).toBe(200);
    await expect(page.locator('h1').textContent()).resolves.toBe('Enregistré');
    expect(await page.locator('main').textContent()).toContain('30 juin 2027');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.close();

    const view = expectOk(
      await call<RecommendationView>(api, 'GET', `/api/v1/recommendations/${ref}`, { token: who.secretariat }),
    );
    expect(view.nations.find((n) => n.code === 'FRA')?.response).toMatchObject({
      decision: 'accepted',
      comment: 'La France accepte ; calendrier ci-joint.',
      plannedCompletion: '2027-06-30',
    });
    const answer = (await events(api, who.secretariat, ref)).find((e) => e.type === 'national-response');
    expect(answer?.actor).toMatchObject({
      id: 'director.fra@mod.example',
      role: 'director',
      nation: 'FRA',
      link: { id: expect.any(String), notification: `${ref}/submission/director-FRA/revision-1` },
    });
    expect(answer?.actor).not.toHaveProperty('onBehalfOf');
  });

  it('shows the page in English on the switch, with no serious accessibility problem', async () => {
    const page = await browser.newPage();
    const res = await page.goto(deLink);
    expect(res?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    await page.getByRole('link', { name: 'Français' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('fr');
    await page.getByRole('link', { name: 'English' }).click();
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'link-page-en.png'), fullPage: true });

    // An error is tied to its field and listed at the top; the page stays usable by keyboard.
    await page.getByLabel('Not accepted', { exact: true }).check();
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the answer' }).click()]);
    expect(await page.getAttribute('#comment', 'aria-invalid')).toBe('true');
    expect(await page.getAttribute('#comment', 'aria-describedby')).toContain('comment-error');
    expect(await page.locator('.summary-box a').first().getAttribute('href')).toBe('#comment');
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.screenshot({ path: join(SHOTS, 'link-page-en-error.png'), fullPage: true });
    await page.close();
  });

  it('takes an interim answer, then a final one through the same link', async () => {
    const page = await browser.newPage();
    await page.goto(deLink);
    await page.getByLabel('Under consideration', { exact: true }).check();
    await page.getByLabel('Comment').fill('The ministry is studying it.');
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send the answer' }).click()]);
    expect(await page.locator('h1').textContent()).toBe('Recorded');
    const again = await page.goto(deLink);
    expect(again?.status()).toBe(200);
    expect(await page.locator('main').textContent()).toContain('The ministry is studying it.');
    await page.getByLabel('Not accepted', { exact: true }).check();
    await page.getByLabel('Comment').fill('Not within our budget.');
    const [final] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Send the answer' }).click(),
    ]);
    expect(final?.status()).toBe(200);
    await page.close();
    const view = expectOk(
      await call<RecommendationView>(api, 'GET', `/api/v1/recommendations/${ref}`, { token: who.secretariat }),
    );
    expect(view.nations.find((n) => n.code === 'DEU')?.state).toBe('not-accepted');
  });

  it('refuses a link bent to another nation, recommendation or act, a garbled, expired, replayed or revoked one: a 4xx page, nothing recorded', async () => {
    const other = (await raise(api, who.secretariat, { nations: ['FRA'] })).reference;
    const before = await countEvents(ref);
    const page = await browser.newPage();
    const token = frLink.split('/').pop() ?? '';
    const expired = await new ActionLinks(loadConfig(), {
      contactGeneration: () => Promise.resolve('0'),
    } as unknown as NationsRepository).sign(
      {
        reference: ref,
        revision: 1,
        round: null,
        nation: 'FRA',
        role: 'director',
        act: 'respond',
        workingGroup: null,
        expiresAt: Date.now() - 60_000,
      },
      `${ref}/submission/director-FRA/revision-1`,
      'fr',
      '0',
      Date.now() - 3_600_000,
    );
    const cases: [string, string, number, RegExp][] = [
      ['another nation', frLink.replace('/FRA/', '/DEU/'), 403, /ne correspond pas/],
      ['another recommendation', frLink.replace(`/${ref}/`, `/${other}/`), 403, /ne correspond pas/],
      ['another act', frLink.replace('/respond/', '/report-progress/'), 403, /ne correspond pas/],
      [
        'a garbled token',
        frLink.replace(token, `${token.slice(0, -8)}AAAAAAAA`),
        400,
        /ne fonctionne pas|does not work/,
      ],
      ['a cut token', frLink.replace(token, token.slice(0, 30)), 400, /does not work/],
      ['an expired token', `${api.url}/links/${ref}/FRA/respond/${expired}`, 410, /a expiré/],
      ['the link after its answer', frLink, 409, /déjà répondu/],
    ];
    for (const [what, url, status, says] of cases) {
      const res = await page.goto(url);
      expect([what, res?.status()]).toEqual([what, status]);
      expect(await page.locator('main').textContent()).toMatch(says);
      expect(await page.locator('footer').textContent()).toContain('dipb-secretariat@example.nato.int');
    }
    // The answer page after the answer still shows what was recorded.
    await page.goto(frLink);
    expect(await page.locator('main').textContent()).toContain('La France accepte');
    // A replayed form (a POST of the answered link) is refused too.
    const replay = await fetch(frLink, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'choice=not-accepted&comment=changed',
    });
    expect(replay.status).toBe(409);
    await page.close();
    expect(await countEvents(ref)).toBe(before);

    // The director of DEU changes: links sent to the old address stop working.
    expect(
      (
        await call(api, 'PUT', '/api/v1/nations/DEU/director', {
          token: who.secretariat,
          body: { name: 'Neuer Direktor', email: 'neu.direktor@bmvg.example', language: 'en' },
        })
      ).status,
    ).toBe(200);
    const revoked = await fetch(deLink);
    expect(revoked.status).toBe(410);
    expect(await revoked.text()).toContain('replaced');
    expect(await countEvents(ref)).toBe(before);
    // The directory as the other tests expect it (the change and this one stay in its trail).
    expect(
      (
        await call(api, 'PUT', '/api/v1/nations/DEU/director', {
          token: who.secretariat,
          body: { name: 'Director DEU', email: 'director.deu@mod.example', language: 'en' },
        })
      ).status,
    ).toBe(200);
  });
});

describe('WG delegates and senior representatives act from their calls', () => {
  it('a WG objection needs its reason, and returns the text to drafting', async () => {
    const ref = (
      await raise(api, who.secretariat, {
        nations: ['FRA', 'DEU'],
        workingGroup: 'IC',
        policy: { consensusSilence: 'PT600S' },
      })
    ).reference;
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, who.secretariat, {}));
    const mail = await mailTo(ref, 'consensus-call', 'wg-ic.fra@mod.example');
    const ics = (mail as CaughtEmail & { attachments?: { contentType: string }[] }).attachments ?? [];
    expect(ics.some((a) => a.contentType.startsWith('text/calendar'))).toBe(true);
    const link = linkIn(mail);
    // A form posted from elsewhere (no CSRF cookie and token) is refused, and records nothing.
    const trailBefore = await countEvents(ref);
    const forged = await fetch(link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'choice=object&comment=forged',
    });
    expect(forged.status).toBe(403);
    expect(await forged.text()).toContain('Rien n’a été enregistré');
    const page = await browser.newPage();
    expect((await page.goto(link))?.status()).toBe(200);
    expect(await accessibilityProblems(page)).toEqual([]);
    await page.getByLabel('Objection', { exact: true }).check();
    const [refused] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Envoyer la position' }).click(),
    ]);
    expect(refused?.status()).toBe(400);
    expect(await page.locator('#comment-error').textContent()).toContain('raison');
    const before = await countEvents(ref);
    expect(before).toBe(trailBefore);
    await page.getByLabel('Commentaire').fill('Le paragraphe 2 excède le mandat du groupe.');
    const [done] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Envoyer la position' }).click(),
    ]);
    expect(done?.status()).toBe(200);
    await page.close();
    const view = await waitForStage(api, who.secretariat, ref, 'drafting');
    expect(view.consensus?.outcome).toBe('broken');
    const trail = await events(api, who.secretariat, ref);
    expect(trail.length).toBeGreaterThan(before);
    expect(trail.find((e) => e.type === 'consensus-position')?.actor).toMatchObject({
      id: 'wg-ic.fra@mod.example',
      role: 'wg-member',
      nation: 'FRA',
      link: { id: expect.any(String) },
    });
    expect(trail.find((e) => e.type === 'consensus-broken')?.data).toMatchObject({
      nation: 'FRA',
      reason: 'Le paragraphe 2 excède le mandat du groupe.',
    });
  });

  it('a senior representative approves', async () => {
    const ref = (
      await raise(api, who.secretariat, {
        nations: ['FRA', 'GBR'],
        policy: { consensusSilence: 'PT2S', approvalSilence: 'PT600S' },
      })
    ).reference;
    expectOk(await post(`/api/v1/recommendations/${ref}/consensus`, who.secretariat, {}));
    await waitForStage(api, who.secretariat, ref, 'senior-approval');
    const mail = await mailTo(ref, 'approval-call', 'senior.gbr@mod.example');
    const page = await browser.newPage();
    expect((await page.goto(linkIn(mail)))?.status()).toBe(200);
    expect(await page.getAttribute('html', 'lang')).toBe('en');
    // A senior representative concurs or objects: no abstention.
    expect(await page.getByLabel('Abstain', { exact: true }).count()).toBe(0);
    await page.getByLabel('Concur', { exact: true }).check();
    const [done] = await Promise.all([
      page.waitForNavigation(),
      page.getByRole('button', { name: 'Send the position' }).click(),
    ]);
    expect(done?.status()).toBe(200);
    await page.close();
    const view = expectOk(
      await call<RecommendationView>(api, 'GET', `/api/v1/recommendations/${ref}`, { token: who.secretariat }),
    );
    expect(view.approval?.positions).toEqual([expect.objectContaining({ nation: 'GBR', position: 'concur' })]);
    const position = (await events(api, who.secretariat, ref)).find((e) => e.type === 'approval-position');
    expect(position?.actor).toMatchObject({ role: 'senior-rep', nation: 'GBR', link: { id: expect.any(String) } });
  });
});
