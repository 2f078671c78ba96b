import type { NationCode, WorkingGroup } from './allies';
import type { NotificationKind, NotificationRequest } from './notification';
import type { RecommendationState, Round } from './recommendation';
import { isFinalNationState } from './recommendation';
import { instantMs } from './time';

/*
 * Personal links: a message that asks someone to act carries a link for that person and that act.
 * This module says which act a message asks for, what a link for it may do (its scope) and how long
 * it lives; signing and checking the token is `ActionLinks` (notifications), the page is the API's.
 */

/** What a link lets its holder do: exactly one command, for one nation, on one recommendation. */
export const LINK_ACTS = ['respond', 'report-progress', 'consensus-position', 'approval-position'] as const;
export type LinkAct = (typeof LINK_ACTS)[number];

export type LinkRole = 'director' | 'wg-member' | 'senior-rep';

/** Everything a link is for. The token carries it, signed; the page refuses whatever does not match. */
export interface LinkScope {
  reference: string;
  revision: number;
  /** The silence round a position link is for; null for a director's links. */
  round: number | null;
  nation: NationCode;
  role: LinkRole;
  act: LinkAct;
  /** The working group of a WG delegate's link. */
  workingGroup: WorkingGroup | null;
  /** When the link stops working (epoch ms). */
  expiresAt: number;
}

const ACT_OF_KIND: Partial<Record<NotificationKind, { act: LinkAct; role: LinkRole }>> = {
  submission: { act: 'respond', role: 'director' },
  'response-reminder': { act: 'respond', role: 'director' },
  'response-overdue': { act: 'respond', role: 'director' },
  'progress-request': { act: 'report-progress', role: 'director' },
  'progress-overdue': { act: 'report-progress', role: 'director' },
  'consensus-call': { act: 'consensus-position', role: 'wg-member' },
  'consensus-reminder': { act: 'consensus-position', role: 'wg-member' },
  'approval-call': { act: 'approval-position', role: 'senior-rep' },
  'approval-reminder': { act: 'approval-position', role: 'senior-rep' },
};

/** The act a message asks of its recipient, or null when it asks nothing (a notice, or a copy to the secretariat). */
export function actOf(request: NotificationRequest): { act: LinkAct; role: LinkRole; nation: NationCode } | null {
  // A moved deadline asks again for what it is the deadline of: the response, or the progress report.
  const moved = /\/(response|progress)\/[^/]+\/moved$/.exec(request.identity)?.[1];
  const asked =
    request.kind === 'deadline-moved'
      ? moved && ACT_OF_KIND[moved === 'progress' ? 'progress-request' : 'submission']
      : ACT_OF_KIND[request.kind];
  const recipient = request.recipient;
  if (!asked || recipient.role !== asked.role) return null;
  return { ...asked, nation: recipient.nation };
}

/**
 * The scope of the link a message carries, or null when it asks for nothing. A silence position's
 * link lives until the round's deadline (the stage's end: after it no position counts); a director's
 * link lives `graceMs` past the later of the deadline it is about and the moment the message was due,
 * so the overdue notices sent after a deadline carry links that still work.
 */
export function linkScopeFor(
  request: NotificationRequest,
  workingGroup: WorkingGroup,
  graceMs: number,
): LinkScope | null {
  const asked = actOf(request);
  if (!asked || request.deadline === null) return null;
  const deadline = instantMs(request.deadline);
  const silence = asked.act === 'consensus-position' || asked.act === 'approval-position';
  return {
    reference: request.reference,
    revision: request.revision,
    round: silence ? request.round : null,
    nation: asked.nation,
    role: asked.role,
    act: asked.act,
    workingGroup: asked.role === 'wg-member' ? workingGroup : null,
    expiresAt: silence ? deadline : Math.max(deadline, instantMs(request.dueAt)) + graceMs,
  };
}

/** Where a link's matter stands now: open (the act can be given), or settled with the reason. */
export type LinkMatter =
  | { open: true; deadline: string | null }
  | { open: false; why: 'stage' | 'round' | 'answered' | 'not-target'; deadline: string | null };

function roundOf(state: RecommendationState, act: LinkAct): Round | null {
  return act === 'consensus-position' ? state.consensus : act === 'approval-position' ? state.approval : null;
}

/**
 * Whether the act a link is for can still be given, as the recommendation stands: the page shows the
 * form only then (the command is decided again by the workflow when it is sent). A nation that gave an
 * interim `under-consideration` may still answer finally; a position may be changed while the round runs.
 */
export function linkMatter(state: RecommendationState, scope: Pick<LinkScope, 'act' | 'nation' | 'round'>): LinkMatter {
  if (!state.nations.includes(scope.nation)) return { open: false, why: 'not-target', deadline: null };
  switch (scope.act) {
    case 'consensus-position':
    case 'approval-position': {
      const round = roundOf(state, scope.act);
      const stage = scope.act === 'consensus-position' ? 'wg-consensus' : 'senior-approval';
      const deadline = round?.deadline ?? null;
      if (!round || round.number !== scope.round) return { open: false, why: 'round', deadline };
      if (state.stage !== stage || round.outcome !== null) return { open: false, why: 'stage', deadline };
      return { open: true, deadline };
    }
    case 'respond':
    case 'report-progress': {
      const track = state.tracks.find((t) => t.code === scope.nation);
      const deadline = track?.chase?.dueAt ?? state.submission?.responseDue ?? null;
      if (state.stage !== 'submitted' && state.stage !== 'follow-up') return { open: false, why: 'stage', deadline };
      if (!track) return { open: false, why: 'not-target', deadline };
      if (scope.act === 'respond') {
        const answered = track.response !== null && track.response.decision !== 'under-consideration';
        return answered || isFinalNationState(track.state)
          ? { open: false, why: 'answered', deadline }
          : { open: true, deadline };
      }
      const reporting = track.state === 'accepted' || track.state === 'accepted-in-part';
      return reporting ? { open: true, deadline } : { open: false, why: 'answered', deadline };
    }
  }
}
