import { allHandlersFinished, condition, continueAsNew, patched, setHandler, workflowInfo } from '@temporalio/workflow';
import { advance, describeDue, isTerminal, nextDueAt, toView, type CommandType, type Stage } from '@app/domain';
import { stateQuery, syncUpdate, updates, type CommandEnvelope, type LifecycleInput } from '@app/temporal';
import { deliverOwed, planAhead } from './delivery';
import { Lifecycle } from './lifecycle-state';
import { Publisher } from './search-attributes';

/** What a run ends with (the record itself is in PostgreSQL). */
export interface LifecycleOutcome {
  reference: string;
  stage: Stage;
  seq: number;
}

/**
 * One recommendation, from raise to closed or withdrawn. Two paths, so that mail never holds a command:
 * - commands: an update is validated by the domain's `decide`, applied with `apply`, persisted (one
 *   activity, one transaction) and answered — small, the view is read from PostgreSQL;
 * - delivery (`delivery.ts`): what the events made owed is sent once their events are in PostgreSQL.
 * One timer at the earliest due instant drives every deadline and reminder (`advance`). Texts never
 * enter this history: the state, events and activity inputs carry the text's hash.
 */
export async function recommendationLifecycle(input: LifecycleInput): Promise<LifecycleOutcome> {
  // Added after the first current histories were recorded: runs started before it are not bounded.
  const bounded = patched('bounded-replay');
  // Added after the bounded histories were recorded: they continued with a batch of mail in flight.
  const afterDelivery = patched('continue-after-delivery');
  const lc = new Lifecycle(input);
  // One update per command: the validator refuses before anything reaches history.
  for (const type of Object.keys(updates) as CommandType[]) {
    setHandler(updates[type], (envelope: CommandEnvelope) => lc.command(envelope), {
      validator: (envelope: CommandEnvelope) => lc.validate(envelope),
      description: `Command "${type}" on the recommendation`,
    });
  }
  setHandler(stateQuery, () => toView(lc.state, Date.now()));
  setHandler(syncUpdate, () => lc.sync(), { description: 'Answers once everything recorded so far is in PostgreSQL' });

  Publisher.start(lc.state);
  lc.publisher.publish(lc.state);
  await lc.persistAll();
  const delivery = deliverOwed(lc);

  while (!isTerminal(lc.state.stage)) {
    const due = nextDueAt(lc.state);
    // Added after the first current histories were recorded: they replay without it. Not awaited: the
    // timer and the commands go on meanwhile; a message not ready in time is composed when it is sent.
    if (patched('prepare-ahead')) lc.track(planAhead(lc, due));
    lc.changed = false;
    if (due === null) {
      await condition(() => lc.changed);
    } else {
      const wait = due - Date.now();
      if (wait > 0) await condition(() => lc.changed, wait, { summary: describeDue(lc.state, due) });
    }
    if ((nextDueAt(lc.state) ?? Infinity) <= Date.now()) lc.record(advance(lc.state, Date.now()));
    lc.publisher.publish(lc.state);
    await lc.persistAll();
    if (timeToContinue(lc, bounded, afterDelivery) && !isTerminal(lc.state.stage)) await continueAsNewSafely(lc);
  }

  // Closed or withdrawn: what was prepared for later is dropped, the last notices go out, then the run ends.
  if (patched('prepare-ahead')) await planAhead(lc, null);
  lc.finished = true;
  await delivery;
  await condition(allHandlersFinished);
  await lc.persistAll();
  lc.publisher.publish(lc.state);
  // Added after the first current histories were recorded (they replay without it): a `prepare` still
  // running would complete during the closing task, the server would refuse the close (UnhandledCommand),
  // and the worker would evict the run and replay its whole history for the close again.
  if (patched('close-when-quiet')) await condition(() => !lc.isPreparing());
  return { reference: lc.reference, stage: lc.state.stage, seq: lc.seq };
}

/**
 * A run continues as new once Temporal suggests it, or past this many events: a worker that lost the
 * run from its cache (an eviction, a restart, a task the server dropped) replays it from its first
 * event, about 1.6 ms of CPU per event, and a command waits for that replay. Bounded, a replay costs
 * half a second of CPU where a whole 32-nation lifecycle (~770 events) cost 1.2 s, and 9 s on two
 * saturated cores (docs/design.md, "Under load").
 */
const REPLAY_BOUND = 300;

function timeToContinue(lc: Lifecycle, bounded: boolean, afterDelivery: boolean): boolean {
  const info = workflowInfo();
  if (info.continueAsNewSuggested) return true;
  // Bounded: at a turn of the loop when no activity started earlier runs, so that the continue waits on
  // nothing and nothing completes during the continuing task (the server would refuse it as an
  // UnhandledCommand, and the worker would evict the run and replay it).
  const idle = !lc.isPreparing() && (!afterDelivery || lc.inFlight.length === 0);
  return bounded && info.historyLength > REPLAY_BOUND && idle;
}

/**
 * Continue-as-new without loss: no update is accepted and then cut off (the last check and the
 * continue happen in one activation, every handler finished and everything persisted), and what is
 * owed, a batch in flight included, is carried over as plain data; the outbox sends each message once.
 */
async function continueAsNewSafely(lc: Lifecycle): Promise<never> {
  // As for the close: a `prepare` completing during the continuing task would have it refused.
  const quiet = patched('close-when-quiet') ? () => !lc.isPreparing() : () => true;
  for (;;) {
    await condition(() => allHandlersFinished() && !lc.isWriting() && quiet());
    await lc.persistAll();
    if (allHandlersFinished() && !lc.isWriting() && quiet() && lc.unpersisted.length === 0) break;
  }
  return continueAsNew<typeof recommendationLifecycle>({
    kind: 'continue',
    state: lc.state,
    seq: lc.seq,
    owed: [...lc.inFlight, ...lc.owed.map((o) => o.request)],
    prepared: [...lc.prepared],
  });
}
