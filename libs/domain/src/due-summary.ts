import { quietFor } from './calendar';
import type { NotificationKind } from './notification';
import type { RecommendationState } from './recommendation';
import { chaseSlot, roundSlots } from './slots';
import { instantMs } from './time';

const day = (iso: string | number): string => new Date(iso).toISOString().slice(0, 16).replace('T', ' ') + 'Z';

/**
 * What falls due at `at`, in words, for the timer's summary in the Temporal UI:
 * "response-reminder to FRA, DEU (response due 2026-12-26 10:15Z)". Pure; display only.
 */
export function describeDue(state: RecommendationState, at: number): string {
  const parts: string[] = [];
  const round =
    state.stage === 'wg-consensus'
      ? { r: state.consensus, kind: 'consensus' as const }
      : state.stage === 'senior-approval'
        ? { r: state.approval, kind: 'approval' as const }
        : null;
  if (round?.r && round.r.outcome === null) {
    if (instantMs(round.r.deadline) === at) parts.push(`${round.kind} silence ends (round ${round.r.number})`);
    const slot = roundSlots(
      round.r,
      state.policy,
      round.kind === 'consensus' ? 'consensus-reminder' : 'approval-reminder',
      quietFor(state, null),
    )[round.r.nextReminder];
    if (slot?.at === at) parts.push(`${slot.kind} to those silent, deadline ${day(round.r.deadline)}`);
  }
  if (state.stage === 'submitted' && state.submission && instantMs(state.submission.responseDue) === at)
    parts.push('response deadline');
  if (state.stage === 'submitted' || state.stage === 'follow-up') {
    const byKind = new Map<string, string[]>();
    for (const t of state.tracks) {
      if (!t.chase) continue;
      const slot = chaseSlot(t.chase, state.policy, t.chase.next, quietFor(state, t.code));
      if (slot.at !== at) continue;
      const key = `${slot.kind}|${t.chase.kind}|${t.chase.dueAt}`;
      byKind.set(key, [...(byKind.get(key) ?? []), t.code]);
      if (slot.escalate) {
        const escalation = `escalation|${t.chase.kind}|${t.chase.dueAt}`;
        byKind.set(escalation, [...(byKind.get(escalation) ?? []), t.code]);
      }
    }
    for (const [key, nations] of byKind) {
      const [kind, chase, dueAt] = key.split('|') as [NotificationKind, string, string];
      const who = kind === 'escalation' ? `secretariat about ${nations.join(', ')}` : nations.join(', ');
      parts.push(`${kind} to ${who} (${chase} due ${day(dueAt)})`);
    }
  }
  return parts.length > 0 ? parts.join('; ') : `next due ${day(at)}`;
}
