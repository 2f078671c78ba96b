import type { Language, WorkingGroup } from '@app/domain';

/**
 * What a message needs from the recommendation beyond the request itself. Structurally the same as
 * `DeliveryContext` of `@app/temporal` (what the workflow passes to the deliver activity), so the
 * activity hands it over as it is; this library does not depend on Temporal.
 */
export interface DeliveryContext {
  reference: string;
  title: string;
  summary: string;
  /** Markdown as written; mailed as preformatted text. Null when the batch does not carry it. */
  body: string | null;
  workingGroup: WorkingGroup;
  /** The language of the original text; the rapporteur is written to in it. */
  language: Language;
  /** An email address, or a name; an objection goes to the secretariat when it is not an address. */
  rapporteur: string | null;
  /** Base URL of the public API, so "how to respond" shows a full URL; a bare path when absent. */
  apiBaseUrl?: string | null;
}

/** The delivery context with the recipient settled: their language, and the names of the nation concerned. */
export interface RenderContext extends DeliveryContext {
  recipientLanguage: Language;
  nationName?: { en: string; fr: string } | null;
  /** Set when this is the secretariat's copy of a message no address of the recipient accepted. */
  undeliverable?: { recipient: string; addresses: string[]; reason: string } | null;
}

export interface RenderedMessage {
  subject: string;
  text: string;
  html: string;
  language: Language;
}
