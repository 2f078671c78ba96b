import type { NotificationKind, Recipient } from '@app/domain';

/** The templates of one kind in one language; `subject` follows the `[reference] ` prefix the renderer adds. */
export interface KindTemplates {
  /** The heading of the message (HTML header band), e.g. "Recommendation for national response". */
  title: string;
  /** How the facts table names the deadline this kind is about. */
  deadlineLabel: string;
  subject: string;
  text: string;
  html: string;
}

export interface Labels {
  board: string;
  footer: string;
  identity: string;
  reference: string;
  title: string;
  workingGroup: string;
  revision: string;
  nation: string;
  /** ": " in English, "\u00a0: " in French. */
  colon: string;
  signoff: string;
  /** Said above a text quoted in its original language, by that language. */
  originalLanguage: { en: string; fr: string };
  undeliverable: string;
  undeliverableSubject: string;
  recipient: string;
  reason: string;
  signoffSystem: string;
}

/** Everything one language needs: words for the shared partials, its own partials, and each kind. */
export interface LanguagePack {
  labels: Labels;
  greetings: Record<Recipient['role'], string>;
  /** Language-specific partials (how to respond, report, take a position), by name. */
  partials: Record<string, string>;
  kinds: Record<NotificationKind, KindTemplates>;
}
