import type { DeliveryContext, Language } from '@app/domain';

export type { DeliveryContext };

/** The delivery context with the recipient settled: their language, and the names of the nation concerned. */
export interface RenderContext extends DeliveryContext {
  recipientLanguage: Language;
  nationName?: { en: string; fr: string } | null;
  /** Set when this is the secretariat's copy of a message no address of the recipient accepted. */
  undeliverable?: { recipient: string; addresses: string[]; reason: string } | null;
  /** The recipient's personal link for what the message asks (see `ActionLinks`); none in a notice or a copy. */
  link?: { url: string; expiresAt: string } | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  language: Language;
}
