import { renderWebhookDisabled, type DisabledWebhook } from './disabled-notice';

const hook = (more: Partial<DisabledWebhook> = {}): DisabledWebhook => ({
  id: 'wh_7Hc2Qp',
  url: 'https://hooks.example.org:8443/dipb/events',
  description: 'Logistics ERP (Koblenz)',
  failingSince: '2026-11-25T09:00:00.000Z',
  disabledAt: '2026-11-30T09:00:05.000Z',
  failures: 130,
  reason: 'no delivery accepted since 2026-11-25T09:00:00.000Z (130 attempts); last: answered 503',
  ...more,
});

/** The text's fact lines, label to value, whichever space the language puts before its colon. */
const facts = (text: string): Record<string, string> =>
  Object.fromEntries(
    text
      .split('\n')
      .map((line) => /^([^:]+?)\s*: (.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => [m[1]!, m[2]!]),
  );

describe('the notice of a disabled webhook', () => {
  it('tells the secretariat in English which subscription, where, since when, how often and why', () => {
    const m = renderWebhookDisabled(hook(), 'en');
    expect(m.subject).toBe('[DIPB] Webhook disabled: Logistics ERP (Koblenz)');
    expect(m.text.startsWith('Webhook disabled\n\n')).toBe(true);
    expect(facts(m.text)).toMatchObject({
      Subscription: 'Logistics ERP (Koblenz) (wh_7Hc2Qp)',
      Destination: 'https://hooks.example.org:8443/dipb/events',
      'Failing since': '25 November 2026, 10:00 (Brussels time, CET)',
      Disabled: '30 November 2026, 10:00 (Brussels time, CET)',
      'Failed attempts in a row': '130',
      'Last error': hook().reason,
    });
    expect(m.text).toContain('turn the subscription back on');
    expect(m.text).toContain('\nPATCH /api/v1/webhooks/wh_7Hc2Qp {"active": true}\n');
    expect(m.text.endsWith('webhook-disabled/wh_7Hc2Qp\n')).toBe(true);

    expect(m.html).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
    expect(m.html).toContain('<title>[DIPB] Webhook disabled: Logistics ERP (Koblenz)</title>');
    for (const part of [
      'Logistics ERP (Koblenz) (wh_7Hc2Qp)',
      'https://hooks.example.org:8443/dipb/events',
      '25 November 2026, 10:00 (Brussels time, CET)',
      '>130</td>',
      'last: answered 503',
      'PATCH /api/v1/webhooks/wh_7Hc2Qp<br>{"active": true}',
    ])
      expect(m.html).toContain(part);
  });

  it('says the same in French, named by the URL host when the subscription has no description', () => {
    const m = renderWebhookDisabled(hook({ description: '' }), 'fr');
    expect(m.subject).toMatch(/^\[DIPB\] Webhook désactivé\s: hooks\.example\.org:8443$/);
    expect(m.text.startsWith('Webhook désactivé\n\n')).toBe(true);
    expect(facts(m.text)).toMatchObject({
      Abonnement: 'hooks.example.org:8443 (wh_7Hc2Qp)',
      Destination: 'https://hooks.example.org:8443/dipb/events',
      'En échec depuis': '25 novembre 2026 à 10:00 (heure de Bruxelles, CET)',
      Désactivé: '30 novembre 2026 à 10:00 (heure de Bruxelles, CET)',
      'Tentatives échouées d’affilée': '130',
      'Dernière erreur': hook().reason,
    });
    expect(m.text).toContain('réactivez l’abonnement');
    expect(m.text).toContain('\nPATCH /api/v1/webhooks/wh_7Hc2Qp {"active": true}\n');
    expect(m.text).not.toContain('Subscription');

    expect(m.html).toMatch(/^<!DOCTYPE html>\n<html lang="fr">/);
    expect(m.html).not.toContain('lang="en"');
    for (const part of [
      'Webhook désactivé',
      '>hooks.example.org:8443</div>',
      'hooks.example.org:8443 (wh_7Hc2Qp)',
      'https://hooks.example.org:8443/dipb/events',
      '25 novembre 2026 à 10:00 (heure de Bruxelles, CET)',
      '>130</td>',
      'last: answered 503',
      'PATCH /api/v1/webhooks/wh_7Hc2Qp<br>{"active": true}',
    ])
      expect(m.html).toContain(part);
  });

  it('escapes a hostile description, URL and error in the HTML, and keeps them as they are in the text', () => {
    const hostile = hook({
      description: '<script>alert("owned")</script>',
      url: 'https://hooks.example.org/dipb?a=1&b=<i>',
      reason: 'answered 500: <img src=x onerror=alert(1)>',
    });
    for (const language of ['en', 'fr'] as const) {
      const m = renderWebhookDisabled(hostile, language);
      expect(m.html).not.toContain('<script');
      expect(m.html).not.toContain('<img');
      expect(m.html).not.toContain('<i>');
      expect(m.html).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
      expect(m.html).toContain('&lt;img src');
      expect(m.html).toContain('&amp;b');
      expect(m.html).toContain(`<html lang="${language}">`);
      expect(m.text).toContain('<script>alert("owned")</script> (wh_7Hc2Qp)');
      expect(m.text).toContain('https://hooks.example.org/dipb?a=1&b=<i>');
      expect(m.subject).toContain('<script>alert("owned")</script>');
    }
  });
});
