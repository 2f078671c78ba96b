import type { NationCode, WorkingGroup } from './allies';
import { EVENT_TYPES, type EventType } from './events';

/**
 * Webhooks: the change feed pushed to another system, one subscription at a time (docs/design.md,
 * "Webhooks"). The rules here are pure; the delivery loop, the signing and the HTTP live in the worker.
 */

/** What a subscription selects of the feed: event types (`*` for all), and the feed's own filters. */
export interface WebhookSelection {
  eventTypes: readonly (EventType | '*')[];
  reference?: string;
  nation?: NationCode;
  workingGroup?: WorkingGroup;
}

/** How a failing subscription is retried, and when it is given up on. */
export interface WebhookRetryPolicy {
  /** The wait after the first failure; each next one doubles. */
  initialMs: number;
  /** The longest wait between two attempts. */
  maxMs: number;
  /** Failing without a success for this long disables the subscription. */
  disableAfterMs: number;
}

/** The event types a subscription names, checked: every one known, or `*` alone. */
export function checkEventTypes(types: readonly string[]): { ok: true } | { ok: false; message: string } {
  if (types.length === 0) return { ok: false, message: 'name at least one event type, or "*" for all' };
  if (types.includes('*'))
    return types.length === 1 ? { ok: true } : { ok: false, message: '"*" stands alone: it already means every type' };
  const unknown = types.filter((t) => !(EVENT_TYPES as readonly string[]).includes(t));
  if (unknown.length > 0)
    return {
      ok: false,
      message: `unknown event type ${unknown
        .slice(0, 3)
        .map((t) => JSON.stringify(t.slice(0, 40)))
        .join(', ')}; the types are ${EVENT_TYPES.join(', ')}, or "*"`,
    };
  if (new Set(types).size !== types.length) return { ok: false, message: 'an event type is named twice' };
  return { ok: true };
}

/** The feed's type filter for a selection: none for `*`. */
export function selectedTypes(selection: Pick<WebhookSelection, 'eventTypes'>): EventType[] | undefined {
  return selection.eventTypes.includes('*') ? undefined : (selection.eventTypes as EventType[]);
}

/**
 * The wait before attempt `failures + 1`, after `failures` failed ones in a row: `initialMs`, doubled
 * each time, at most `maxMs`. With the defaults (5 s, at most an hour) the attempts go on, hourly, for
 * as long as `disableAfterMs` allows.
 */
export function webhookRetryDelay(failures: number, policy: WebhookRetryPolicy): number {
  if (failures < 1) return 0;
  const exponent = Math.min(failures - 1, 40);
  return Math.min(policy.maxMs, policy.initialMs * 2 ** exponent);
}

/** Whether a subscription failing since `failingSince` has failed long enough to be disabled at `now`. */
export function webhookGivenUp(failingSince: Date, now: Date, policy: WebhookRetryPolicy): boolean {
  return now.getTime() - failingSince.getTime() >= policy.disableAfterMs;
}

/**
 * An event's identity on the wire: the same on every attempt and every redelivery, so a receiver
 * applies it once (Standard Webhooks' `webhook-id`, and the CloudEvent's `id`).
 */
export function webhookId(event: { reference: string; seq: number }): string {
  return `${event.reference}.${event.seq}`;
}

/** The CloudEvent `type` of an event type: reverse-DNS, under the service's name. */
export const CLOUDEVENT_TYPE_PREFIX = 'int.nato.dipb.';

export function cloudEventType(type: EventType): string {
  return `${CLOUDEVENT_TYPE_PREFIX}${type}`;
}

/** What an answer's status means for a delivery: only a 2xx delivers; a redirect is not followed. */
export function deliveredBy(status: number): boolean {
  return status >= 200 && status < 300;
}
