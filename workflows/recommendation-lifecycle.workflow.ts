import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  patched,
  proxyActivities,
  setCurrentDetails,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
  type ActivityOptions,
} from '@temporalio/workflow';
import {
  decide,
  describeDue,
  dueEvents,
  evolve,
  execute,
  initial,
  isOverdue,
  isStillDue,
  isTerminal,
  messagesFor,
  nextDeadline,
  nextDueAt,
  pendingNations,
  run,
  SYSTEM_ACTOR,
  toIso,
  toView,
  type CommandType,
  type DeliveryResult,
  type DomainEvent,
  type NotificationRequest,
  type RecommendationState,
  type RecordedEvent,
  type Stage,
} from '@app/domain';
import {
  REFUSAL_TYPES,
  SA,
  stateQuery,
  syncUpdate,
  updates,
  upgradeUpdate,
  type CommandAck,
  type CommandEnvelope,
  type LifecycleActivities,
  type LifecycleInput,
  type PersistInput,
} from '@app/temporal';
import type { LifecycleInput as V1Input } from './legacy/v1/definitions';
import type { RecommendationView as V1View } from './legacy/v1/domain';
import { recommendationLifecycleV1, type UpgradeToCurrent } from './legacy/v1/recommendation-lifecycle.v1';
import { deliveryTaskQueue } from './task-queues';
import { fromV1 } from './legacy/v1/upgrade';

/** PostgreSQL or SMTP may be down for a while: activities retry until they succeed, never give up. */
const retry: ActivityOptions['retry'] = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
};
/**
 * One transaction, as a (regular) activity. Not a local activity, on purpose: a local activity runs
 * inside the workflow task that handles the command, before that task is committed, and the server
 * may drop such a task (a speculative task for an update, when other updates or events arrive at the
 * same moment) — the events it wrote would then be numbered again, differently, by the retry. Seen in
 * the fault suite with 32 positions at once: one position twice in the audit trail. A regular activity
 * is scheduled only once the task that numbered the events is in history.
 */
const persistOptions: ActivityOptions = { startToCloseTimeout: '15 seconds', retry };
/** A batch of messages, heartbeating while it works: a crashed worker is noticed within 10 seconds. */
const notifyOptions: ActivityOptions = { startToCloseTimeout: '10 minutes', heartbeatTimeout: '10 seconds', retry };
const { persist } = proxyActivities<LifecycleActivities>(persistOptions);
const { notify, claimText } = proxyActivities<LifecycleActivities>(notifyOptions);
/** Composing what a timer will owe, ahead of it: a batch of renders and one insert. */
const prepareOptions: ActivityOptions = { startToCloseTimeout: '2 minutes', retry };
const { prepare } = proxyActivities<LifecycleActivities>(prepareOptions);
/** Messages are prepared when the timer that owes them is at least this far away. */
const PREPARE_LEAD_MS = 2000;
/**
 * Mail's activities on the delivery task queue (`task-queues.ts`), so a burst of mail never holds
 * the activity slots a command's `persist` needs. Behind a patch: histories that scheduled them on
 * the workflow's own queue replay as they were.
 */
function onDeliveryQueue(): Pick<ActivityOptions, 'taskQueue'> {
  return patched('delivery-task-queue') ? { taskQueue: deliveryTaskQueue(workflowInfo().taskQueue) } : {};
}

/** What a run of the current code ends with (the record itself is in PostgreSQL). */
export interface LifecycleOutcome {
  reference: string;
  stage: Stage;
  seq: number;
}

function refusal(kind: keyof typeof REFUSAL_TYPES, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL_TYPES[kind], message, nonRetryable: true });
}

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

/** A run of the v1 code moves here: its text is stored under its hash, and the state carried on. */
const upgradeToCurrent: UpgradeToCurrent = async (v1, seq) => {
  const textHash = await claimText({ title: v1.title, summary: v1.summary, body: v1.body });
  return continueAsNew<typeof recommendationLifecycle>({
    kind: 'continue',
    state: fromV1(v1, textHash),
    seq,
    owed: [],
    base: true,
  });
};

/**
 * One recommendation, from raise to closed or withdrawn.
 *
 * Runs started by the v1 code (input `raise` / `carried`) replay with that code, frozen in
 * `legacy/v1`, and move to this one at their next wake-up (docs/operations.md, "Running
 * recommendations across the core redesign").
 */
export async function recommendationLifecycle(input: LifecycleInput | V1Input): Promise<LifecycleOutcome | V1View> {
  if (input.kind === 'raise' || input.kind === 'carried') return recommendationLifecycleV1(input, upgradeToCurrent);
  return lifecycle(input);
}

/**
 * Two paths, so that mail never holds a command:
 * - the command path: an update is validated by the domain's `decide`, its events are folded with
 *   `evolve` and persisted (one activity, one transaction), and it answers — small, the view is
 *   read from PostgreSQL;
 * - the delivery path: a coroutine sends what the events made owed, once their events are in
 *   PostgreSQL; each message is checked with `isStillDue` here and again by the activity at the
 *   instant it is sent, so a settled matter is never chased.
 * One timer at the earliest due instant drives every deadline and reminder, however many nations.
 * Texts never enter this history: the state, events and activity inputs carry the text's hash.
 */
async function lifecycle(input: LifecycleInput): Promise<LifecycleOutcome> {
  let state: RecommendationState;
  let seq: number;
  /** The last event in PostgreSQL: messages owed by later events wait for it. */
  let persistedSeq: number;
  /** The state PostgreSQL lacks, handed over with the first projection of a run moved from v1. */
  let base: PersistInput['base'];
  const unpersisted: RecordedEvent[] = [];
  const owed: { request: NotificationRequest; after: number }[] = [];
  let inFlight: NotificationRequest[] = [];
  /** A command changed the state: the main loop plans again. */
  let changed = false;
  let persisting = false;
  let finished = false;
  /** Identities composed ahead (outbox rows ready) and not yet handed to `notify`. */
  const prepared = new Set<string>(input.kind === 'continue' ? (input.prepared ?? []) : []);

  if (input.kind === 'start') {
    const raised: DomainEvent = {
      type: 'raised',
      at: toIso(Date.now()),
      actor: input.raisedBy,
      revision: 1,
      data: { ...input.raise },
    };
    state = initial(input.reference, raised);
    seq = 1;
    persistedSeq = 0;
    unpersisted.push({ ...raised, seq, reference: input.reference });
  } else {
    state = input.state;
    seq = input.seq;
    persistedSeq = input.seq;
    for (const request of input.owed) owed.push({ request, after: input.seq });
    if (input.base) base = { state, version: seq };
  }
  const reference = state.reference;

  /** Folds events into the state with `evolve`, numbers them, and queues the messages they owe. */
  const record = (events: DomainEvent[], commandId?: string): void => {
    for (const e of events) {
      const event: DomainEvent = commandId === undefined ? e : { ...e, commandId };
      const before = state;
      state = evolve(state, event);
      seq += 1;
      unpersisted.push({ ...event, seq, reference });
      for (const request of messagesFor(before, state, event)) owed.push({ request, after: seq });
    }
  };

  /** Writes what is recorded to PostgreSQL, one projection at a time, in order. */
  const persistAll = async (): Promise<void> => {
    // A mutex: handlers, the main loop and the delivery path may all ask; each waits its turn.
    while (persisting) await condition(() => !persisting);
    persisting = true;
    try {
      while (unpersisted.length > 0 || base !== undefined) {
        const events = unpersisted.splice(0);
        await persist({ reference, events, ...(base ? { base } : {}) });
        base = undefined;
        const last = events[events.length - 1];
        if (last) persistedSeq = last.seq;
      }
    } finally {
      persisting = false;
    }
  };

  let published = '';
  const publish = (): void => {
    const now = Date.now();
    const deadline = nextDeadline(state);
    const pending = pendingNations(state);
    const overdue = state.tracks.some((t) => isOverdue(t, now));
    const key = JSON.stringify([state.title, state.stage, state.revision, pending, deadline, overdue]);
    if (key === published) return;
    published = key;
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.pendingNations, value: pending },
      { key: SA.nextDeadline, value: deadline ? new Date(deadline) : null },
      { key: SA.overdue, value: overdue },
    ]);
    // The current title first: a run's static summary is fixed at its start, this follows revisions.
    setCurrentDetails(
      [
        `**${state.title}**`,
        `**${state.stage}**${overdue ? ' · **overdue**' : ''} · ${reference} · ${state.workingGroup} · revision ${state.revision}`,
        `Next deadline: **${deadline ? `${deadline.slice(0, 16).replace('T', ' ')}Z` : '—'}** · pending: **${pending.length > 0 ? pending.join(', ') : '—'}**`,
      ].join('\n\n'),
    );
  };

  const ack = (): CommandAck => ({ reference, seq, stage: state.stage, revision: state.revision });

  // One update per command: the validator refuses before anything reaches history.
  const handle = (type: CommandType): void => {
    setHandler(
      updates[type],
      async (envelope: CommandEnvelope) => {
        // A command already applied (retried with its key, perhaps after continue-as-new) is answered, not applied again.
        if (!state.recentCommands.includes(envelope.commandId)) {
          const now = Date.now();
          const verdict = decide(state, envelope.actor, envelope.command, now);
          if (!verdict.ok) throw refusal(verdict.refusal.kind, verdict.refusal.message); // state moved since validation
          if (!verdict.duplicate) {
            record(execute(state, envelope.actor, envelope.command, now), envelope.commandId);
            changed = true;
            publish();
          }
        }
        await persistAll();
        return ack();
      },
      {
        validator: (envelope: CommandEnvelope) => {
          if (state.recentCommands.includes(envelope.commandId)) return;
          const verdict = decide(state, envelope.actor, envelope.command, Date.now());
          if (!verdict.ok) throw refusal(verdict.refusal.kind, verdict.refusal.message);
        },
        description: `Command "${type}" on the recommendation`,
      },
    );
  };
  (Object.keys(updates) as CommandType[]).forEach(handle);
  setHandler(stateQuery, () => toView(state, Date.now()));
  setHandler(
    syncUpdate,
    async () => {
      await persistAll();
      return ack();
    },
    { description: 'Answers once everything recorded so far is in PostgreSQL' },
  );
  setHandler(upgradeUpdate, () => 'already on the current workflow code', {
    description: 'Moves a run of the v1 code to the current code (nothing to do here)',
  });

  /** Sends what is owed, apart from commands and the timer: SMTP slow, hung or down holds nothing else. */
  const deliver = async (): Promise<void> => {
    const ready = (): boolean => owed.some((o) => o.after <= persistedSeq);
    for (;;) {
      await condition(() => ready() || (finished && owed.length === 0));
      if (!ready()) return;
      const batch: NotificationRequest[] = [];
      for (let i = 0; i < owed.length;) {
        const o = owed[i];
        if (o && o.after <= persistedSeq) {
          batch.push(o.request);
          prepared.delete(o.request.identity);
          owed.splice(i, 1);
        } else i += 1;
      }
      // Checked here before handing over, and by the activity again at the instant of each send.
      const due = batch.filter((r) => isStillDue(state, r));
      const stale = batch.filter((r) => !isStillDue(state, r));
      const now = Date.now();
      record(
        stale.map((r) =>
          resultEvent(
            {
              identity: r.identity,
              status: 'dropped',
              address: null,
              messageId: null,
              sentAt: null,
              error: `no longer due: ${reference} is ${state.stage}`,
            },
            r,
            now,
          ),
        ),
      );
      if (due.length > 0) {
        inFlight = due;
        const results = await notify.executeWithOptions(
          { ...notifyOptions, ...onDeliveryQueue(), summary: deliverySummary(due) },
          [{ reference, requests: due }],
        );
        inFlight = [];
        const byIdentity = new Map(due.map((r) => [r.identity, r]));
        const at = Date.now();
        record(
          results.flatMap((r) => {
            const request = byIdentity.get(r.identity);
            return request ? [resultEvent(r, request, at)] : [];
          }),
        );
      }
      await persistAll();
    }
  };

  /**
   * Continue-as-new without loss: no update is accepted and then cut off (the last check and the
   * continue happen in one activation, with every handler finished and everything persisted), and
   * what is owed — a batch still in flight included — is carried over; the outbox sends each message once.
   */
  const continueAsNewSafely = async (): Promise<never> => {
    for (;;) {
      await condition(() => allHandlersFinished() && !persisting);
      await persistAll();
      if (allHandlersFinished() && !persisting && unpersisted.length === 0) break;
    }
    const carried = [...inFlight, ...owed.map((o) => o.request)];
    return continueAsNew<typeof recommendationLifecycle>({
      kind: 'continue',
      state,
      seq,
      owed: carried,
      prepared: [...prepared],
    });
  };

  /**
   * What the next timer will owe, composed now (the plan is pure: `dueEvents` at that instant), so
   * that at the due instant each message costs one SMTP exchange and one small update; and what was
   * prepared for a plan that has since changed (a nation answered, a deadline moved), dropped. At the
   * due instant every message is still checked against the state as it is then.
   */
  const planAhead = (due: number | null): Promise<unknown> => {
    const forecast =
      due !== null && due - Date.now() >= PREPARE_LEAD_MS ? run(state, dueEvents(state, due)).notifications : [];
    const planned = new Set(forecast.map((r) => r.identity));
    const coming = new Set([...owed.map((o) => o.request.identity), ...inFlight.map((r) => r.identity)]);
    const release = [...prepared].filter((id) => !planned.has(id) && !coming.has(id));
    const fresh = forecast.filter((r) => !prepared.has(r.identity));
    if (fresh.length === 0 && release.length === 0) return Promise.resolve();
    for (const id of release) prepared.delete(id);
    for (const r of fresh) prepared.add(r.identity);
    const summary = `${fresh.length > 0 ? `prepare ${deliverySummary(fresh)}` : ''}${release.length > 0 ? `${fresh.length > 0 ? '; ' : ''}drop ${release.length} no longer planned` : ''}`;
    return prepare
      .executeWithOptions({ ...prepareOptions, ...onDeliveryQueue(), summary }, [
        { reference, requests: fresh, release },
      ])
      .catch(() => undefined);
  };

  upsertSearchAttributes([
    { key: SA.reference, value: reference },
    { key: SA.workingGroup, value: state.workingGroup },
  ]);
  publish();
  await persistAll();
  const delivery = deliver();

  while (!isTerminal(state.stage)) {
    const due = nextDueAt(state);
    // Added after the first current histories were recorded: they replay without it. Not awaited: the
    // timer and the commands go on meanwhile; a message not ready in time is composed when it is sent.
    if (patched('prepare-ahead')) void planAhead(due);
    changed = false;
    if (due === null) {
      await condition(() => changed);
    } else {
      const wait = due - Date.now();
      if (wait > 0) await condition(() => changed, wait, { summary: describeDue(state, due) });
    }
    if ((nextDueAt(state) ?? Infinity) <= Date.now()) record(dueEvents(state, Date.now()));
    publish();
    await persistAll();
    if (workflowInfo().continueAsNewSuggested && !isTerminal(state.stage)) await continueAsNewSafely();
  }

  // Closed or withdrawn: what was prepared for later is dropped, the last notices go out, then the run ends.
  if (patched('prepare-ahead')) await planAhead(null);
  finished = true;
  await delivery;
  await condition(allHandlersFinished);
  await persistAll();
  publish();
  return { reference, stage: state.stage, seq };
}
