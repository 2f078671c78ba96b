import type { DeliveryContext, NotificationRequest } from '@app/domain';

/** Why no address of a recipient accepted a message: what the secretariat's copy says. */
export interface Undeliverable {
  recipient: string;
  addresses: string[];
  reason: string;
}

/** What one delivery sends: a notification to its recipient, or the secretariat's copy of one no address accepted. */
export type Letter =
  | { kind: 'notification'; request: NotificationRequest; context: DeliveryContext }
  | { kind: 'copy'; request: NotificationRequest; context: DeliveryContext; undeliverable: Undeliverable };

const UNDELIVERABLE_SUFFIX = '/undeliverable';

/**
 * The secretariat's copy of a notification no address accepted: its own outbox row and Message-ID. None
 * for a copy, nor for the secretariat's own messages.
 */
export function secretariatCopyOf(letter: Letter, undeliverable: Undeliverable): Letter | null {
  const { request } = letter;
  if (letter.kind === 'copy' || request.identity.endsWith(UNDELIVERABLE_SUFFIX)) return null;
  if (request.recipient.role === 'secretariat') return null;
  // The copy keeps the original's recipient nation (for names and routes), and goes to the secretariat.
  const copy: NotificationRequest = {
    ...request,
    identity: `${request.identity}${UNDELIVERABLE_SUFFIX}`,
    recipient: { role: 'secretariat' },
    nation: request.nation ?? ('nation' in request.recipient ? request.recipient.nation : null),
  };
  return { kind: 'copy', request: copy, context: letter.context, undeliverable };
}
