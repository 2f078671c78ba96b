import type { Language, NationCode, NotificationRequest } from '@app/domain';
import type { NationContact } from '@app/persistence';
import type { CalendarAttachment, CalendarEntries } from '../links/calendar-entries';
import type { ActionLinks } from '../links/action-links';
import type { OutgoingMail } from '../mailer.service';
import { messageIdFor } from '../message-id';
import type { RenderedMessage } from '../notification-context';
import { NotificationRenderer } from '../notification-renderer';
import { resolveRecipient, type ResolvedRecipient } from '../recipient-directory';
import type { Letter } from './letter';

/** Reads a nation's directory entry: in the delivery's transaction, or on its own when preparing ahead. */
export type NationLookup = (code: NationCode) => Promise<NationContact | null>;

/** A message ready to go: everything the mailer sends but the addresses, which each attempt sets. */
export type ComposedMail = Omit<OutgoingMail, 'to' | 'language'> & { language: Language };

/** Resolves where a letter goes and composes it; the one way both `prepare` and `deliver` write a message. */
export class MessageComposer {
  private readonly renderer = new NotificationRenderer();

  constructor(
    private readonly links: ActionLinks,
    private readonly calendar: CalendarEntries,
    private readonly secretariat: string,
  ) {}

  /** Where the letter goes and in which language, from the directory as `nationOf` reads it now. */
  resolve(letter: Letter, nationOf: NationLookup): Promise<ResolvedRecipient> {
    if (letter.kind === 'copy') {
      return Promise.resolve({ attempts: [[this.secretariat]], language: 'en', nationName: null, missing: null });
    }
    const { request, context } = letter;
    return resolveRecipient(nationOf, request.recipient, {
      nation: request.nation,
      workingGroup: context.workingGroup,
      rapporteur: context.rapporteur,
      originalLanguage: context.language,
      secretariat: this.secretariat,
    });
  }

  /**
   * The letter as its recipient gets it: rendered in their language with their personal link for what
   * it asks and the deadline as a calendar entry (neither in a copy), under its Message-ID and headers.
   */
  async compose(letter: Letter, to: ResolvedRecipient, nationOf: NationLookup): Promise<ComposedMail> {
    const { request, context } = letter;
    const nation = to.nationName === null && request.nation ? await nationOf(request.nation) : null;
    const nationName = to.nationName ?? (nation ? { en: nation.nameEn, fr: nation.nameFr } : null);
    const seen = { ...context, recipientLanguage: to.language, nationName };
    if (letter.kind === 'copy') {
      const message = this.renderer.render(request, { ...seen, undeliverable: letter.undeliverable, link: null });
      return mailOf(request, message, null);
    }
    const link = await this.links.forMessage(request, context.workingGroup, to.language);
    const message = this.renderer.render(request, { ...seen, undeliverable: null, link });
    const entry = await this.calendar.forMessage(request, {
      title: context.title,
      language: to.language,
      link: link?.url ?? null,
    });
    return mailOf(request, message, entry);
  }
}

function mailOf(
  request: NotificationRequest,
  message: RenderedMessage,
  entry: CalendarAttachment | null,
): ComposedMail {
  return {
    subject: message.subject,
    text: message.text,
    html: message.html,
    messageId: messageIdFor(request.identity),
    language: message.language,
    headers: { 'X-DIPB-Reference': request.reference, 'X-DIPB-Notification': request.kind },
    ...(entry ? { attachments: [entry] } : {}),
  };
}
