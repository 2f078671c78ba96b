import { NOTIFICATION_KINDS, type NotificationKind, type NotificationRequest, type Recipient } from '@app/domain';
import { formatDate, formatDateTime } from './dates';
import { messageIdFor } from './message-id';
import type { RenderContext } from './notification-context';
import { NotificationRenderer } from './notification-renderer';

const renderer = new NotificationRenderer();

function recipientFor(kind: NotificationKind): Recipient {
  switch (kind) {
    case 'escalation':
    case 'approved':
      return { role: 'secretariat' };
    case 'objection':
      return { role: 'rapporteur' };
    case 'consensus-call':
    case 'consensus-reminder':
      return { role: 'wg-member', nation: 'FRA' };
    case 'approval-call':
    case 'approval-reminder':
      return { role: 'senior-rep', nation: 'FRA' };
    case 'submission':
    case 'response-reminder':
    case 'response-overdue':
    case 'progress-request':
    case 'progress-overdue':
    case 'deadline-moved':
    case 'withdrawn':
    case 'closed':
      return { role: 'director', nation: 'FRA' };
  }
}

function request(kind: NotificationKind, overrides: Partial<NotificationRequest> = {}): NotificationRequest {
  return {
    identity: `DIPB-2026-0001/${kind}/x/2026-12-04T11:00:00.000Z`,
    reference: 'DIPB-2026-0001',
    kind,
    recipient: recipientFor(kind),
    revision: 3,
    deadline: kind === 'withdrawn' || kind === 'closed' || kind === 'approved' ? null : '2026-12-04T11:00:00.000Z',
    dueAt: '2026-11-04T11:00:00.000Z',
    nation: 'FRA',
    note: kind === 'objection' || kind === 'withdrawn' ? 'The cost estimate in §3 is <b>not</b> agreed.' : null,
    round: kind.startsWith('consensus') || kind.startsWith('approval') || kind === 'objection' ? 2 : null,
    ...overrides,
  };
}

function context(recipientLanguage: 'en' | 'fr', overrides: Partial<RenderContext> = {}): RenderContext {
  return {
    reference: 'DIPB-2026-0001',
    title: 'Secure the supply of 155 mm shells',
    summary: 'Allies should keep a six-month buffer of propellant.',
    body: 'Recommendation\n\n1. Keep stocks.\n2. Share forecasts.',
    workingGroup: 'SCS',
    language: 'en',
    rapporteur: 'rapporteur@example.nato.int',
    recipientLanguage,
    nationName: { en: 'France', fr: 'France' },
    ...overrides,
  };
}

describe('dates', () => {
  it('writes an instant in Brussels time, the way each language writes it, with the zone named', () => {
    expect(formatDateTime('2026-12-04T11:00:00Z', 'en')).toBe('4 December 2026, 12:00 (Brussels time, CET)');
    expect(formatDateTime('2026-12-04T11:00:00Z', 'fr')).toBe('4 décembre 2026 à 12:00 (heure de Bruxelles, CET)');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'fr')).toBe('1er juillet 2026 à 12:00 (heure de Bruxelles, CEST)');
    expect(formatDateTime('2026-07-01T10:00:00Z', 'en')).toBe('1 July 2026, 12:00 (Brussels time, CEST)');
    // 23:30 UTC on 31 December is already the new year in Brussels.
    expect(formatDate('2026-12-31T23:30:00Z', 'en')).toBe('1 January 2027');
  });
});

describe('NotificationRenderer', () => {
  describe.each(NOTIFICATION_KINDS)('%s', (kind) => {
    it.each(['en', 'fr'] as const)('renders subject, text and HTML in %s', (language) => {
      const req = request(kind);
      const m = renderer.render(req, context(language));
      expect(m.language).toBe(language);
      expect(m.subject.startsWith('[DIPB-2026-0001] ')).toBe(true);
      expect(m.subject).toContain('Secure the supply of 155 mm shells');
      expect(m.subject).not.toMatch(/[\r\n]/);
      expect(m.html).toMatch(/^<!DOCTYPE html>/);
      expect(m.html).toContain(`<html lang="${language}">`);
      expect(m.html).toContain('DIPB-2026-0001');
      expect(m.text).toContain('DIPB-2026-0001');
      // Nothing left unrendered, no "undefined"/"null"/"[object Object]" from a missing variable.
      for (const out of [m.subject, m.text, m.html]) {
        expect(out).not.toMatch(/\{\{|\}\}|undefined|\bnull\b|\[object Object\]/);
      }
      if (req.deadline) {
        const written =
          language === 'fr'
            ? '4 décembre 2026 à 12:00 (heure de Bruxelles, CET)'
            : '4 December 2026, 12:00 (Brussels time, CET)';
        expect(m.text).toContain(written);
        expect(m.html).toContain(written);
      }
      if (req.note) {
        expect(m.text).toContain('The cost estimate in §3 is <b>not</b> agreed.');
        expect(m.html).toContain('The cost estimate in §3 is &lt;b&gt;not&lt;/b&gt; agreed.');
      }
      // The words are the recipient's language.
      if (language === 'fr') {
        expect(m.text).toMatch(/Madame|Chers collègues/);
        expect(m.html).toContain('Sécurité des chaînes d&#x27;approvisionnement');
        expect(m.text).not.toMatch(/\bDear\b|\bthe Board\b|Yours sincerely/);
      } else {
        expect(m.text).toMatch(/^Dear /);
        expect(m.html).toContain('Supply chain security');
        expect(m.text).not.toMatch(/Madame|Monsieur|Veuillez/);
      }
    });
  });

  it('gives the submission the full text, the response deadline and how to answer', () => {
    const m = renderer.render(request('submission'), context('en', { apiBaseUrl: 'https://dipb.example.nato.int/' }));
    expect(m.subject).toBe('[DIPB-2026-0001] Recommendation for national response: Secure the supply of 155 mm shells');
    expect(m.text).toContain('1. Keep stocks.\n2. Share forecasts.');
    expect(m.text).toContain(
      'POST https://dipb.example.nato.int/api/v1/recommendations/DIPB-2026-0001/nations/FRA/response',
    );
    // The decisions are named for people, with their meaning.
    for (const decision of ['Accepted', 'Accepted in part', 'Not accepted', 'Under consideration']) {
      expect(m.text).toContain(`- ${decision}: `);
      expect(m.html).toContain(`<strong>${decision}</strong> — `);
    }
    expect(m.text).toContain('Response due: 4 December 2026, 12:00 (Brussels time, CET)');
  });

  it("puts the recipient's personal link in the message as a plain URL, with how long it works", () => {
    const url = 'https://dipb.example.nato.int/links/DIPB-2026-0001/FRA/respond/eyJhbGciOiJIUzI1NiJ9.e30.sig';
    const link = { url, expiresAt: '2027-01-03T11:00:00.000Z' };
    const en = renderer.render(request('submission'), context('en', { link }));
    expect(en.text).toContain(`\n  ${url}\n(The link works until 3 January 2027, 12:00 (Brussels time, CET).)`);
    expect(en.html).toContain(`<a href="${url}"`);
    const fr = renderer.render(request('submission'), context('fr', { link }));
    expect(fr.text).toContain(
      `\n  ${url}\n(Le lien est valable jusqu'au 3 janvier 2027 à 12:00 (heure de Bruxelles, CET).)`,
    );
    // The secretariat's copy of an undeliverable message does not carry the recipient's link.
    const copy = renderer.render(
      request('submission'),
      context('en', { link, undeliverable: { recipient: 'director-FRA', addresses: [], reason: '550' } }),
    );
    expect(copy.text).not.toContain(url);
  });

  it('writes to a French recipient in French, with French typography', () => {
    const m = renderer.render(request('submission'), context('fr'));
    expect(m.subject).toBe(
      '[DIPB-2026-0001] Recommandation soumise pour réponse nationale\u00a0: Secure the supply of 155 mm shells',
    );
    expect(m.text).toContain('Date limite de réponse\u00a0: 4 décembre 2026 à 12:00 (heure de Bruxelles, CET)');
    expect(m.text).toContain('COMMENT RÉPONDRE');
    expect(m.html).toContain('Groupe de travail');
    expect(m.text).toContain('Le Secrétariat du DIPB');
  });

  it('escapes user text in the HTML (a title with a script tag stays text)', () => {
    const m = renderer.render(
      request('submission'),
      context('en', { title: 'Stocks <script>alert("x")</script> & more', body: '<img src=x onerror=alert(1)>' }),
    );
    expect(m.html).not.toContain('<script>');
    expect(m.html).not.toContain('<img');
    expect(m.html).toContain('Stocks &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more');
    // The body is markdown with raw HTML off: the tag is shown as the text it is.
    expect(m.html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    // The plain text and the subject are not HTML: no entities there.
    expect(m.subject).toContain('Stocks <script>alert("x")</script> & more');
    expect(m.text).toContain('<img src=x onerror=alert(1)>');
  });

  it('renders the body as written: headings, lists and emphasis in HTML, readable text in the text part', () => {
    const body =
      '## Recommendation\n\n1. Each Ally should **hold a buffer**\n2. Share *forecasts*\n\nSee [the plan](https://example.org/plan).';
    const m = renderer.render(request('submission'), context('en', { body }));
    expect(m.html).toMatch(/<h2 style="[^"]+">Recommendation<\/h2>/);
    expect(m.html).toMatch(
      /<ol style="[^"]+">\s*<li style="[^"]+">Each Ally should <strong>hold a buffer<\/strong><\/li>/,
    );
    expect(m.html).toContain('<em>forecasts</em>');
    expect(m.html).toMatch(/<a href="https:\/\/example.org\/plan" style="[^"]+">the plan<\/a>/);
    expect(m.html).not.toContain('## ');
    expect(m.html).not.toContain('**');
    expect(m.text).toContain(
      'Recommendation\n--------------\n\n1. Each Ally should hold a buffer\n2. Share forecasts\n\nSee the plan <https://example.org/plan>.',
    );
    expect(m.text).not.toContain('**');
  });

  it('keeps the subject on one line whatever the title holds', () => {
    const m = renderer.render(request('withdrawn'), context('en', { title: 'Line one\r\nBcc: victim@example.com' }));
    expect(m.subject).toBe('[DIPB-2026-0001] Withdrawn: Line one Bcc: victim@example.com');
  });

  it('names the late nation in an escalation, and says whether a response or a report is missing', () => {
    const response = renderer.render(
      request('escalation', {
        identity:
          'DIPB-2026-0001/escalation/secretariat/FRA/response/2026-12-04T11:00:00.000Z/2027-01-15T11:00:00.000Z',
      }),
      context('en'),
    );
    expect(response.subject).toBe(
      '[DIPB-2026-0001] Response from France still missing: Secure the supply of 155 mm shells',
    );
    expect(response.text).toContain(
      'The response of France (FRA) was due by 4 December 2026, 12:00 (Brussels time, CET)',
    );
    const progress = renderer.render(
      request('escalation', {
        identity:
          'DIPB-2026-0001/escalation/secretariat/FRA/progress/2026-12-04T11:00:00.000Z/2027-01-15T11:00:00.000Z',
      }),
      context('fr'),
    );
    expect(progress.subject).toContain('Rapport de suivi toujours manquant (France)');
  });

  it('quotes the reason of an objection to the rapporteur, and says which procedure it broke', () => {
    const m = renderer.render(
      request('objection', { identity: 'DIPB-2026-0001/objection/rapporteur/approval-2/FRA' }),
      context('en'),
    );
    expect(m.text).toContain("senior representatives' approval round (round 2)");
    expect(m.text).toContain('> The cost estimate in §3 is <b>not</b> agreed.');
  });

  it('offers abstention in a WG consensus call but not in an approval call', () => {
    expect(renderer.render(request('consensus-call'), context('en')).text).toContain('- Abstain:');
    const approval = renderer.render(request('approval-call'), context('en'));
    expect(approval.text).not.toContain('Abstain');
    expect(approval.text).toContain('/api/v1/recommendations/DIPB-2026-0001/approval/positions');
  });

  it('marks the secretariat copy of an undeliverable message', () => {
    const m = renderer.render(
      request('response-reminder'),
      context('en', {
        undeliverable: {
          recipient: 'director-FRA',
          addresses: ['a@x.example', 'b@x.example'],
          reason: '550 no such user',
        },
      }),
    );
    expect(m.subject.startsWith('[DIPB-2026-0001] Undeliverable: Reminder:')).toBe(true);
    expect(m.text).toContain('Recipient: director-FRA (a@x.example, b@x.example)');
    expect(m.html).toContain('550 no such user');
  });
});

describe('messageIdFor', () => {
  it('is deterministic in the identity, and differs between identities', () => {
    const a = messageIdFor('DIPB-2026-0001/submission/director-FRA/revision-3');
    expect(a).toBe(messageIdFor('DIPB-2026-0001/submission/director-FRA/revision-3'));
    expect(a).toMatch(/^<[0-9a-f]{32}@dipb\.local>$/);
    expect(messageIdFor('DIPB-2026-0001/submission/director-DEU/revision-3')).not.toBe(a);
  });
});
