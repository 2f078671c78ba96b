import type { NotificationRequest } from '@app/domain';
import { calendarText, calendarUid } from './calendar-entries';

const submission: NotificationRequest = {
  identity: 'DIPB-2026-0001/submission/director-FRA/revision-1',
  reference: 'DIPB-2026-0001',
  kind: 'submission',
  recipient: { role: 'director', nation: 'FRA' },
  revision: 1,
  deadline: '2026-12-04T11:00:00.000Z',
  dueAt: '2026-09-05T11:00:00.000Z',
  nation: null,
  note: null,
  round: null,
};

describe('calendar entries (RFC 5545)', () => {
  it('gives the deadline as an event ending at it, with a stable UID, the link and the sequence', () => {
    const text = calendarText(
      submission,
      'response',
      { title: 'Secure the supply', language: 'fr', link: 'https://dipb.example/links/x' },
      2,
    );
    expect(text).toMatch(/^BEGIN:VCALENDAR\r\n/);
    expect(text).toContain('METHOD:PUBLISH');
    expect(text).toContain('UID:DIPB-2026-0001.response.director-FRA@dipb.nato.int');
    expect(text).toContain('SEQUENCE:2');
    expect(text).toContain('DTEND:20261204T110000Z');
    expect(text).toContain('DTSTART:20261204T103000Z');
    expect(text).toContain('SUMMARY:DIPB-2026-0001 · Réponse nationale attendue');
    expect(text).toContain('URL;VALUE=URI:https://dipb.example/links/x');
  });

  it('keeps the UID across reminders of the same deadline, and per round for a silence', () => {
    const reminder = { ...submission, kind: 'response-reminder' as const, identity: 'other' };
    expect(calendarUid(reminder, 'response')).toBe(calendarUid(submission, 'response'));
    const call = {
      ...submission,
      kind: 'consensus-call' as const,
      recipient: { role: 'wg-member' as const, nation: 'FRA' as const },
      round: 2,
    };
    expect(calendarUid(call, 'consensus')).toBe('DIPB-2026-0001.consensus-2.wg-member-FRA@dipb.nato.int');
  });
});
