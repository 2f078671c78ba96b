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
  advance,
  apply,
  decide,
  describeDue,
  isOverdue,
  isStillDue,
  isTerminal,
  newRecommendation,
  nextDeadline,
  nextDueAt,
  pendingNations,
  toIso,
  toView,
  type CommandType,
  type DomainEvent,
  type NotificationRequest,
  type RecommendationState,
  type RecommendationView,
  type RecordedEvent,
  type Step,
} from './domain';
import { REFUSAL_TYPES, SA } from '@app/temporal';
import {
  stateQuery,
  syncUpdate,
  updates,
  upgradeUpdate,
  type CommandEnvelope,
  type DeliveryContext,
  type DeliveryResult,
  type LifecycleActivities,
  type LifecycleInput,
} from './definitions';

/** PostgreSQL or SMTP may be down for a while: activities retry until they succeed, never give up. */
const retry: ActivityOptions['retry'] = { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' };
/** One transaction: a crashed worker's attempt is retried after 15 seconds. */
const projectOptions: ActivityOptions = { startToCloseTimeout: '15 seconds', retry };
/** A batch of messages, heartbeating after each: a crashed worker is noticed within 10 seconds. */
const deliverOptions: ActivityOptions = { startToCloseTimeout: '10 minutes', heartbeatTimeout: '10 seconds', retry };
const { project } = proxyActivities<LifecycleActivities>(projectOptions);
const { deliver } = proxyActivities<LifecycleActivities>(deliverOptions);

/** Messages that circulate the text itself; the others name it, to keep history small. */
const TEXT_KINDS = new Set<NotificationRequest['kind']>(['submission', 'consensus-call', 'approval-call']);

function refusal(kind: 'stage' | 'forbidden' | 'invalid' | 'conflict', message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL_TYPES[kind], message, nonRetryable: true });
}

function deliverySummary(requests: NotificationRequest[]): string {
  const kinds = [...new Set(requests.map((r) => r.kind))].join(', ');
  const who = [...new Set(requests.map((r) => ('nation' in r.recipient ? r.recipient.nation : r.recipient.role)))];
  const deadline = requests.find((r) => r.deadline)?.deadline;
  return `${kinds} to ${who.length > 6 ? `${who.length} recipients` : who.join(', ')}${deadline ? `, due ${deadline.slice(0, 16).replace('T', ' ')}Z` : ''}`;
}

/**
 * Moves a v1 run to the current code: called at a safe point (no handler running, everything
 * flushed), it continues as new and never returns.
 */
export type UpgradeToCurrent = (state: RecommendationState, seq: number) => Promise<never>;

/**
 * FROZEN: the lifecycle as it ran before the core redesign (v1), kept byte-for-byte in behaviour so
 * that histories recorded by it replay. Do not change what it schedules. The one addition is behind
 * `patched('core-v2-upgrade')` and the `upgrade` update: when `upgrade` is given, a v1 run moves to
 * the current code at its next wake-up (a command, a timer, or the `upgrade` update).
 *
 * One recommendation, from raise to closed or withdrawn. Commands arrive as updates, validated by
 * the same pure rules the API uses; one timer at the earliest due instant drives every deadline and
 * reminder, however many nations there are. Every change reaches PostgreSQL through `project`.
 */
export async function recommendationLifecycleV1(input: LifecycleInput, upgrade?: UpgradeToCurrent): Promise<RecommendationView> {
  let state: RecommendationState;
  let seq: number;
  const unprojected: RecordedEvent[] = [];
  const unsent: NotificationRequest[] = [];
  let woken = false;
  let flushing = false;

  const record = (step: Step): void => {
    state = step.state;
    for (const e of step.events) unprojected.push({ ...e, seq: ++seq, reference: state.reference });
    unsent.push(...step.notifications);
    woken = true;
  };

  if (input.kind === 'raise') {
    const now = Date.now();
    state = newRecommendation(input.reference, input.raise, input.raisedBy, toIso(now));
    seq = 0;
    const raised: DomainEvent = { type: 'raised', at: state.createdAt, actor: input.raisedBy, revision: 1, data: { ...input.raise } };
    record({ state, events: [raised], notifications: [] });
  } else {
    state = input.state;
    seq = input.seq;
  }

  const deliveryContext = (requests: NotificationRequest[]): DeliveryContext => ({
    reference: state.reference,
    title: state.title,
    summary: state.summary,
    body: requests.some((r) => TEXT_KINDS.has(r.kind)) ? state.body : null,
    workingGroup: state.workingGroup,
    language: state.language,
    rapporteur: state.rapporteur,
  });

  const resultEvent = (r: DeliveryResult, request: NotificationRequest): DomainEvent => ({
    type: r.status === 'failed' ? 'notification-failed' : 'notification-sent',
    at: r.sentAt ?? toIso(Date.now()),
    actor: { id: 'system', role: 'system' },
    revision: request.revision,
    data: { identity: r.identity, kind: request.kind, recipient: request.recipient, status: r.status, address: r.address, messageId: r.messageId, dueAt: request.dueAt, error: r.error },
  });

  /** Writes what is pending to PostgreSQL and sends what is owed, one flush at a time, in order. */
  const flush = async (): Promise<void> => {
    // A mutex: several handlers and the main loop may wake together; only one flushes at a time.
    while (flushing) await condition(() => !flushing);
    flushing = true;
    try {
      while (unprojected.length > 0 || unsent.length > 0) {
        if (unprojected.length > 0) {
          const events = unprojected.splice(0);
          await project({ reference: state.reference, events, view: toView(state, Date.now()) });
        }
        // Checked at the moment of sending: nothing goes out for a matter settled meanwhile.
        const requests = unsent.splice(0).filter((r) => isStillDue(state, r));
        if (requests.length > 0) {
          const results = await deliver.executeWithOptions({ ...deliverOptions, summary: deliverySummary(requests) }, [
            { requests, context: deliveryContext(requests) },
          ]);
          const byIdentity = new Map(requests.map((r) => [r.identity, r]));
          const events = results.flatMap((r) => {
            const request = byIdentity.get(r.identity);
            return request ? [resultEvent(r, request)] : [];
          });
          record({ state, events, notifications: [] });
        }
      }
    } finally {
      flushing = false;
    }
  };

  let published = '';
  const publishedKey = (): string => {
    const now = Date.now();
    return JSON.stringify([state.stage, state.revision, pendingNations(state), nextDeadline(state), state.tracks.some((t) => isOverdue(t, now))]);
  };
  const publish = (): void => {
    const deadline = nextDeadline(state);
    const pending = pendingNations(state);
    const now = Date.now();
    const overdue = state.tracks.some((t) => isOverdue(t, now));
    published = publishedKey();
    upsertSearchAttributes([
      { key: SA.stage, value: state.stage },
      { key: SA.pendingNations, value: pending },
      { key: SA.nextDeadline, value: deadline ? new Date(deadline) : null },
      { key: SA.overdue, value: overdue },
    ]);
    // Two short paragraphs: the UI's current-details panel shows about three lines without scrolling.
    const lines = [
      `**${state.stage}**${overdue ? ' · **overdue**' : ''} · ${state.reference} · ${state.workingGroup} · revision ${state.revision}`,
      `Next deadline: **${deadline ? `${deadline.slice(0, 16).replace('T', ' ')}Z` : '—'}** · pending: **${pending.length > 0 ? pending.join(', ') : '—'}**`,
    ];
    setCurrentDetails(lines.join('\n\n'));
  };

  // One update per command: the validator refuses before anything reaches history.
  const handle = (type: CommandType): void => {
    setHandler(
      updates[type],
      async (envelope: CommandEnvelope) => {
        const now = Date.now();
        const verdict = decide(state, envelope.actor, envelope.command, now);
        if (verdict.ok && !verdict.duplicate) record(apply(state, envelope.actor, envelope.command, now));
        else if (!verdict.ok) throw refusal(verdict.refusal.kind, verdict.refusal.message); // state moved since validation
        await flush();
        return toView(state, Date.now());
      },
      {
        validator: (envelope: CommandEnvelope) => {
          // A command in the current shape (its revise names the text by hash) is not for this code:
          // the caller moves the run with `upgrade` and sends it again. v1 histories hold no such command.
          if ((envelope as { v?: number }).v === 2) {
            throw ApplicationFailure.create({ type: REFUSAL_TYPES.upgrade, message: `${state.reference} runs the v1 workflow code; move it with the upgrade update first`, nonRetryable: true });
          }
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
      await flush();
      return toView(state, Date.now());
    },
    { description: 'Answers once everything recorded so far is in PostgreSQL' },
  );
  if (upgrade) {
    // Wakes the loop, which then moves the run to the current code (below).
    setHandler(
      upgradeUpdate,
      () => {
        woken = true;
        return 'moving to the current workflow code';
      },
      { description: 'Moves a run started by the v1 code to the current code at once' },
    );
  }

  upsertSearchAttributes([
    { key: SA.reference, value: state.reference },
    { key: SA.workingGroup, value: state.workingGroup },
  ]);
  publish();
  await flush();

  while (!isTerminal(state.stage)) {
    const due = nextDueAt(state);
    woken = false;
    if (due === null) {
      await condition(() => woken);
    } else {
      const wait = due - Date.now();
      if (wait > 0) await condition(() => woken, wait, { summary: describeDue(state, due) });
    }
    if (!woken || (nextDueAt(state) ?? Infinity) <= Date.now()) record(advance(state, Date.now()));
    // Versioning example (docs/operations.md, "Changing workflow code"): publish the new stage and
    // overdue flag before flushing, so the search attributes are right even while SMTP or PostgreSQL
    // is down and the flush retries. Histories recorded before this change flushed first; they
    // replay along the old path.
    const publishFirst = patched('publish-before-flush');
    if (publishFirst) publish();
    await flush();
    if (!publishFirst) publish();
    // A command handled while this loop was flushing changed the state after it was published
    // (its wake-up is not seen by the next wait): publish again, only if something changed.
    else if (publishedKey() !== published) publish();

    if (upgrade && !isTerminal(state.stage) && patched('core-v2-upgrade')) {
      await condition(() => allHandlersFinished() && !flushing);
      await flush();
      return upgrade(state, seq);
    }

    if (workflowInfo().continueAsNewSuggested && !isTerminal(state.stage)) {
      await condition(() => allHandlersFinished() && !flushing);
      await flush();
      await continueAsNew<typeof recommendationLifecycleV1>({ kind: 'carried', state, seq });
    }
  }

  await condition(allHandlersFinished);
  await flush();
  publish();
  return toView(state, Date.now());
}
