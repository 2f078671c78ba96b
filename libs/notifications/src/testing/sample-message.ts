import type { Language, NotificationKind, NotificationRequest } from '@app/domain';
import type { RenderContext } from '../notification-context';

/** A message of `kind` to France's director about DIPB-2026-0001, as the previews and the layout tests render it. */
export function sampleRequest(kind: NotificationKind, note: string | null = null): NotificationRequest {
  return {
    identity: `DIPB-2026-0001/${kind}/director-FRA/revision-3`,
    reference: 'DIPB-2026-0001',
    kind,
    recipient: { role: 'director', nation: 'FRA' },
    revision: 3,
    deadline: '2026-12-04T11:00:00.000Z',
    dueAt: '2026-09-05T11:00:00.000Z',
    nation: 'FRA',
    note,
    round: note === null ? null : 1,
  };
}

/** The recommendation it is about, written in English, read in `language`. */
export function sampleContext(language: Language, body: string, link: RenderContext['link'] = null): RenderContext {
  return {
    reference: 'DIPB-2026-0001',
    title: 'Secure the supply of propellant for 155 mm artillery ammunition',
    summary: 'Allies should keep a six-month buffer of propellant and share annual demand forecasts.',
    body,
    workingGroup: 'SCS',
    language: 'en',
    rapporteur: null,
    apiBaseUrl: 'https://dipb.example.nato.int',
    recipientLanguage: language,
    nationName: { en: 'France', fr: 'France' },
    link,
  };
}
