import { condition, patched } from '@temporalio/workflow';
import {
  advance,
  isStillDue,
  run,
  SYSTEM_ACTOR,
  toIso,
  type DeliveryResult,
  type DomainEvent,
  type NotificationRequest,
} from '@app/domain';
import {
  notify,
  notifyOptions,
  onDeliveryQueue,
  onPrepareQueue,
  prepare,
  prepareOptions,
} from './lifecycle-activities';
import type { Lifecycle } from './lifecycle-state';

/** Messages are prepared when the timer that owes them is at least this far away. */
const PREPARE_LEAD_MS = 2000;

function deliverySummary(requests: NotificationRequest[]): string {
  const kinds = [...new Set(requests.map((r) => r.kind))].join(', ');
  const who = [...new Set(requests.map((r) => ('nation' in r.recipient ? r.recipient.nation : r.recipient.role)))];
  const deadline = requests.find((r) => r.deadline)?.deadline;
  return `${kinds} to ${who.length > 6 ? `${who.length} recipients` : who.join(', ')}${deadline ? `, due ${deadline.slice(0, 16).replace('T', ' ')}Z` : ''}`;
}

function resultEvent(r: DeliveryResult, request: NotificationRequest, now: number): DomainEvent {
  return {
    type:
      r.status === 'failed'
        ? 'notification-failed'
        : r.status === 'dropped'
          ? 'notification-dropped'
          : 'notification-sent',
    at: r.sentAt ?? toIso(now),
    actor: SYSTEM_ACTOR,
    revision: request.revision,
    data: {
      identity: r.identity,
      kind: request.kind,
      recipient: request.recipient,
      status: r.status,
      address: r.address,
      messageId: r.messageId,
      dueAt: request.dueAt,
      error: r.error,
    },
  };
}

/** The messages whose events are in PostgreSQL, taken off the owed list. */
function takeReady(lc: Lifecycle): NotificationRequest[] {
  const batch: NotificationRequest[] = [];
  for (let i = 0; i < lc.owed.length;) {
    const o = lc.owed[i];
    if (o && o.after <= lc.persistedSeq) {
      batch.push(o.request);
      lc.prepared.delete(o.request.identity);
      lc.owed.splice(i, 1);
    } else i += 1;
  }
  return batch;
}

/** What became of each message of a batch `notify` handled, as events. */
function resultEvents(due: NotificationRequest[], results: DeliveryResult[]): DomainEvent[] {
  const byIdentity = new Map(due.map((r) => [r.identity, r]));
  const at = Date.now();
  return results.flatMap((r) => {
    const request = byIdentity.get(r.identity);
    return request ? [resultEvent(r, request, at)] : [];
  });
}

/**
 * Sends what is owed, apart from commands and the timer: SMTP slow, hung or down holds nothing else.
 * Each message is checked here before it is handed over, and by the activity again at the instant it
 * is sent, so a settled matter is never chased. Ends once the run is finished and nothing is owed.
 */
export async function deliverOwed(lc: Lifecycle): Promise<void> {
  const ready = (): boolean => lc.owed.some((o) => o.after <= lc.persistedSeq);
  for (;;) {
    await condition(() => ready() || (lc.finished && lc.owed.length === 0));
    if (!ready()) return;
    const preparedBefore = new Set(lc.prepared);
    const batch = takeReady(lc);
    const due = batch.filter((r) => isStillDue(lc.state, r));
    const stale = batch.filter((r) => !isStillDue(lc.state, r));
    // Added after the first current histories were recorded (they replay without it): a message composed
    // ahead and no longer due when its timer fired was recorded dropped here while its prepared row stayed
    // pending in the outbox. Not awaited, like `planAhead`; a run closes or continues once it is done.
    const unsent = stale.filter((r) => preparedBefore.has(r.identity)).map((r) => r.identity);
    if (unsent.length > 0 && patched('release-stale-prepared'))
      lc.track(runPrepare(lc, [], unsent, `drop ${unsent.length} no longer due`));
    const now = Date.now();
    const error = `no longer due: ${lc.reference} is ${lc.state.stage}`;
    const dropped = stale.map((r) =>
      resultEvent(
        { identity: r.identity, status: 'dropped', address: null, messageId: null, sentAt: null, error },
        r,
        now,
      ),
    );
    lc.record(run(lc.state, dropped));
    if (due.length > 0) {
      // Awaited here, not in a helper: the commands of one activation keep the order histories hold.
      lc.inFlight = due;
      const options = { ...notifyOptions, ...onDeliveryQueue(), summary: deliverySummary(due) };
      const results = await notify.executeWithOptions(options, [{ reference: lc.reference, requests: due }]);
      lc.inFlight = [];
      lc.record(run(lc.state, resultEvents(due, results)));
    }
    await lc.persistAll();
  }
}

/**
 * The `prepare` activity: composes `requests` into pending outbox rows, deletes the rows of `release`.
 * One at a time per run, in the order planned: two of them running side by side could write the same
 * row out of order, a row released before the one composing it had inserted it, left pending for good.
 */
function runPrepare(
  lc: Lifecycle,
  requests: NotificationRequest[],
  release: string[],
  summary: string,
): Promise<unknown> {
  const start = () =>
    prepare
      .executeWithOptions({ ...prepareOptions, ...onPrepareQueue(), summary }, [
        { reference: lc.reference, requests, release },
      ])
      .catch(() => undefined);
  // Added after the first current histories were recorded: they ran their `prepare`s side by side.
  const preparation = lc.isPreparing() && patched('prepare-in-order') ? lc.lastPreparation.then(start) : start();
  lc.lastPreparation = preparation;
  return preparation;
}

/**
 * What the next timer will owe, composed now (`advance` at that instant, pure), so that at the due
 * instant each message costs one SMTP exchange; and what was prepared for a plan that has since
 * changed, dropped. Every message is still checked against the state when it is due.
 */
export function planAhead(lc: Lifecycle, due: number | null): Promise<unknown> {
  const near = due !== null && due - Date.now() < PREPARE_LEAD_MS;
  // Added after the first current histories were recorded (they replay without it): too near its
  // instant to compose anything more, the plan was taken as empty, and what was composed for that very
  // instant was released a moment before it was due, to be composed again when sent.
  const keepNear = near && lc.prepared.size > 0 && patched('keep-prepared-when-near');
  const forecast = due !== null && (!near || keepNear) ? advance(lc.state, due).notifications : [];
  const planned = new Set(forecast.map((r) => r.identity));
  const coming = new Set([...lc.owed.map((o) => o.request.identity), ...lc.inFlight.map((r) => r.identity)]);
  const release = [...lc.prepared].filter((id) => !planned.has(id) && !coming.has(id));
  const fresh = near ? [] : forecast.filter((r) => !lc.prepared.has(r.identity));
  if (fresh.length === 0 && release.length === 0) return Promise.resolve();
  for (const id of release) lc.prepared.delete(id);
  for (const r of fresh) lc.prepared.add(r.identity);
  const summary = [
    fresh.length > 0 ? `prepare ${deliverySummary(fresh)}` : '',
    release.length > 0 ? `drop ${release.length} no longer planned` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return runPrepare(lc, fresh, release, summary);
}
