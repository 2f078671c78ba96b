import { Injectable } from '@nestjs/common';
import { RecommendationsRepository } from '@app/persistence';
import { recipientKey, type Language, type NotificationKind, type NotificationRequest } from '@app/domain';
import ical, { ICalCalendarMethod } from 'ical-generator';
import { formatDateTime } from '../dates';

/** The messages whose deadline goes into the recipient's calendar, and which deadline it is. */
const DEADLINE_OF: Partial<Record<NotificationKind, 'consensus' | 'approval' | 'response'>> = {
  'consensus-call': 'consensus',
  'approval-call': 'approval',
  submission: 'response',
  // A reminder carries the response deadline again: after a move, the calendar entry is updated.
  'response-reminder': 'response',
};

export const CALENDAR_WORDS: Record<Language, Record<'consensus' | 'approval' | 'response', string>> = {
  en: { consensus: 'WG silence ends', approval: 'Senior approval silence ends', response: 'National response due' },
  fr: {
    consensus: 'Fin de la procédure de silence du GT',
    approval: 'Fin du silence des représentants de haut niveau',
    response: 'Réponse nationale attendue',
  },
};

export const AT_DEADLINE: Record<Language, string> = { en: 'Deadline', fr: 'Échéance' };

export interface CalendarAttachment {
  filename: string;
  content: Buffer;
  contentType: string;
}

/** The calendar entry's identity: one per recommendation, recipient and deadline (a round's silence, the response). */
export function calendarUid(request: NotificationRequest, which: 'consensus' | 'approval' | 'response'): string {
  const about = which === 'response' ? 'response' : `${which}-${request.round ?? 1}`;
  return `${request.reference}.${about}.${recipientKey(request.recipient)}@dipb.nato.int`;
}

/**
 * The deadline of a call or a submission as an iCalendar entry (RFC 5545, produced by ical-generator),
 * for the recipient's calendar: a half-hour ending at the deadline, with the message's link. Its UID
 * is stable per recommendation, recipient and deadline, and its SEQUENCE counts the moves of that
 * deadline, so the entry a later message carries after a move replaces the earlier one.
 */
@Injectable()
export class CalendarEntries {
  constructor(private readonly recommendations: RecommendationsRepository) {}

  async forMessage(
    request: NotificationRequest,
    view: { title: string; language: Language; link: string | null },
  ): Promise<CalendarAttachment | null> {
    // A moved response deadline carries the entry again (same UID, SEQUENCE counting the moves).
    const which =
      request.kind === 'deadline-moved'
        ? /\/response\/[^/]+\/moved$/.test(request.identity)
          ? 'response'
          : undefined
        : DEADLINE_OF[request.kind];
    if (!which || request.deadline === null || request.recipient.role === 'secretariat') return null;
    const sequence =
      which === 'response' && request.nation
        ? await this.recommendations.deadlineMoves(request.reference, request.nation, request.dueAt)
        : 0;
    return {
      filename: 'deadline.ics',
      contentType: 'text/calendar; charset=utf-8; method=PUBLISH',
      content: Buffer.from(calendarText(request, which, view, sequence), 'utf8'),
    };
  }
}

/** The iCalendar text itself (pure, for tests and previews). */
export function calendarText(
  request: NotificationRequest,
  which: 'consensus' | 'approval' | 'response',
  view: { title: string; language: Language; link: string | null },
  sequence: number,
): string {
  const deadline = new Date(request.deadline ?? request.dueAt);
  const calendar = ical({
    prodId: { company: 'NATO DIPB', product: 'recommendations', language: view.language.toUpperCase() },
    method: ICalCalendarMethod.PUBLISH,
    name: 'DIPB',
  });
  const summary = `${request.reference} · ${CALENDAR_WORDS[view.language][which]}`;
  calendar.createEvent({
    id: calendarUid(request, which),
    sequence,
    stamp: new Date(request.dueAt),
    start: new Date(deadline.getTime() - 30 * 60_000),
    end: deadline,
    summary,
    description: [
      view.title,
      `${AT_DEADLINE[view.language]}: ${formatDateTime(deadline.toISOString(), view.language)}`,
      ...(view.link ? [view.link] : []),
    ].join('\n\n'),
    ...(view.link ? { url: view.link } : {}),
    alarms: [{ triggerBefore: 24 * 3600 }],
  });
  return calendar.toString();
}
