import type { Actor } from './actor';
import type { NationCode } from './allies';

/**
 * What of the change feed a caller sees. The secretariat and observers read every recommendation, as
 * every other read; a caller who speaks for a nation (a director, a senior representative, a WG delegate)
 * sees that nation's part: `eventConcernsNation`. A caller with neither sees nothing.
 */
export type FeedScope = { kind: 'all' } | { kind: 'nation'; nation: NationCode } | { kind: 'none' };

export function feedScope(actor: Actor): FeedScope {
  if (actor.roles.includes('secretariat') || actor.roles.includes('observer')) return { kind: 'all' };
  if (actor.nation) return { kind: 'nation', nation: actor.nation };
  return { kind: 'none' };
}

/** What the nation rule reads of an event: its recommendation's target nations and its data. */
export interface NationScopedEvent {
  targetNations: readonly NationCode[];
  data: Record<string, unknown>;
}

/**
 * A nation's part of the feed: events of recommendations it is a target of, except those about another
 * nation — one that names a nation (a position, an answer, a report, a moved deadline) names it, and a
 * notification names its recipient's. Events about the recommendation as a whole (raised, called,
 * submitted, closed) concern every target nation. The repository states the same rule in SQL
 * (`ChangeFeedRepository`); its int spec checks the two agree.
 */
export function eventConcernsNation(event: NationScopedEvent, nation: NationCode): boolean {
  if (!event.targetNations.includes(nation)) return false;
  const named = event.data.nation;
  if (typeof named === 'string' && named !== nation) return false;
  const recipient = event.data.recipient as { nation?: unknown } | undefined;
  if (recipient && typeof recipient === 'object' && recipient.nation !== nation) return false;
  return true;
}
