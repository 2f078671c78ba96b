import type { Language } from '@app/domain';
import { formatDateTime } from '../dates';
import { cardHtml, esc, style } from '../templates/card';

export const WEBHOOK_DISABLED_KIND = 'webhook-disabled';

/** What the notice says about the subscription given up on. */
export interface DisabledWebhook {
  id: string;
  url: string;
  description: string;
  failingSince: string;
  disabledAt: string;
  failures: number;
  reason: string;
}

const WORDS = {
  en: {
    board: 'Defence Industrial Production Board',
    title: 'Webhook disabled',
    subject: (d: string) => `[DIPB] Webhook disabled: ${d}`,
    intro:
      'A system that subscribed to the recommendations’ events has not accepted a delivery for too long, so its subscription was disabled. Nothing was lost: events wait in the change feed from where delivery stopped.',
    facts: {
      subscription: 'Subscription',
      destination: 'Destination',
      failingSince: 'Failing since',
      disabledAt: 'Disabled',
      failures: 'Failed attempts in a row',
      lastError: 'Last error',
    },
    next: 'When the receiver works again, turn the subscription back on: it resumes where it stopped, in order.',
    footer: 'Sent to the DIPB secretariat by the recommendations service.',
    identity: 'Notice',
    colon: ': ',
  },
  fr: {
    board: 'Bureau de la production industrielle de défense',
    title: 'Webhook désactivé',
    subject: (d: string) => `[DIPB] Webhook désactivé\u00a0: ${d}`,
    intro:
      'Un système abonné aux événements des recommandations n’a accepté aucune livraison depuis trop longtemps : son abonnement a été désactivé. Rien n’est perdu : les événements attendent dans le flux des changements, là où la livraison s’est arrêtée.',
    facts: {
      subscription: 'Abonnement',
      destination: 'Destination',
      failingSince: 'En échec depuis',
      disabledAt: 'Désactivé',
      failures: 'Tentatives échouées d’affilée',
      lastError: 'Dernière erreur',
    },
    next: 'Quand le destinataire fonctionne à nouveau, réactivez l’abonnement : il reprend là où il s’est arrêté, dans l’ordre.',
    footer: 'Envoyé au secrétariat du DIPB par le service des recommandations.',
    identity: 'Avis',
    colon: '\u00a0: ',
  },
} as const;

/** The secretariat's notice of a subscription disabled after failing too long: text and HTML, EN or FR. */
export function renderWebhookDisabled(
  hook: DisabledWebhook,
  language: Language,
): { subject: string; text: string; html: string } {
  const w = WORDS[language];
  const name = hook.description || new URL(hook.url).host;
  const when = (iso: string) => formatDateTime(iso, language);
  const facts: [string, string][] = [
    [w.facts.subscription, `${name} (${hook.id})`],
    [w.facts.destination, hook.url],
    [w.facts.failingSince, when(hook.failingSince)],
    [w.facts.disabledAt, when(hook.disabledAt)],
    [w.facts.failures, String(hook.failures)],
    [w.facts.lastError, hook.reason],
  ];
  const subject = w.subject(name);
  const text = [
    w.title,
    '',
    w.intro,
    '',
    ...facts.map(([k, v]) => `${k}${w.colon}${v}`),
    '',
    w.next,
    `PATCH /api/v1/webhooks/${hook.id} {"active": true}`,
    '',
    '-- ',
    w.footer,
    `${w.identity}${w.colon}${WEBHOOK_DISABLED_KIND}/${hook.id}`,
  ].join('\n');
  const rows = facts
    .map(
      ([k, v]) =>
        `<tr><td style="${style('factLabel')}">${esc(k)}</td><td style="${style('factValue')}overflow-wrap:anywhere;">${esc(v)}</td></tr>`,
    )
    .join('\n');
  const html = cardHtml({
    language,
    subject,
    board: w.board,
    title: w.title,
    subtitle: name,
    content: [
      `<p style="${style('p')}">${esc(w.intro)}</p>`,
      `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="${style('facts')}">\n${rows}\n</table>`,
      `<p style="${style('p')}">${esc(w.next)}</p>`,
      `<span style="${style('route')}">PATCH /api/v1/webhooks/${esc(hook.id)}<br>{"active": true}</span>`,
    ].join('\n'),
    footer: [w.footer, `${w.identity}${w.colon}${WEBHOOK_DISABLED_KIND}/${hook.id}`],
  });
  return { subject, text: `${text}\n`, html };
}
