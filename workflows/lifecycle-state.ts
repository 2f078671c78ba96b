import { ApplicationFailure, condition, patched } from '@temporalio/workflow';
import { Mutex } from 'async-mutex';
import {
  apply,
  decide,
  initial,
  toIso,
  type DomainEvent,
  type NotificationRequest,
  type RecommendationState,
  type RecordedEvent,
  type Step,
} from '@app/domain';
import { REFUSAL_TYPES, type CommandAck, type CommandEnvelope, type LifecycleInput } from '@app/temporal';
import { persist } from './lifecycle-activities';
import { Publisher } from './search-attributes';

/** A message owed, and the event after which it may go: the event must be in PostgreSQL first. */
export interface Owed {
  request: NotificationRequest;
  after: number;
}

function refusal(kind: keyof typeof REFUSAL_TYPES, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL_TYPES[kind], message, nonRetryable: true });
}

/**
 * One recommendation as its workflow holds it: the state, the events numbered and not yet in
 * PostgreSQL, the messages owed. The update handlers are its methods; one mutex orders the writes.
 */
export class Lifecycle {
  state: RecommendationState;
  seq: number;
  /** The last event in PostgreSQL: messages owed by later events wait for it. */
  persistedSeq: number;
  readonly unpersisted: RecordedEvent[] = [];
  readonly owed: Owed[] = [];
  /** The batch `notify` is sending now (carried over by continue-as-new with what is owed). */
  inFlight: NotificationRequest[] = [];
  /** Identities composed ahead (outbox rows ready) and not yet handed to `notify`. */
  readonly prepared: Set<string>;
  /** A command changed the state: the main loop plans again. */
  changed = false;
  /** The run reached its end: the delivery path stops once nothing is owed. */
  finished = false;
  readonly publisher = new Publisher();
  /** Handlers, the main loop and the delivery path all write; each waits its turn. */
  private readonly writing = new Mutex();
  /** `prepare` activities not yet completed: the run does not close while one can still complete. */
  private readonly preparing = new Set<Promise<unknown>>();
  /** The latest `prepare`: the next one of this run starts after it (`prepare-in-order`). */
  lastPreparation: Promise<unknown> = Promise.resolve();

  constructor(input: LifecycleInput) {
    if (input.kind === 'start') {
      const raised: DomainEvent = {
        type: 'raised',
        at: toIso(Date.now()),
        actor: input.raisedBy,
        revision: 1,
        data: { ...input.raise },
      };
      this.state = initial(input.reference, raised);
      this.seq = 1;
      this.persistedSeq = 0;
      this.unpersisted.push({ ...raised, seq: 1, reference: input.reference });
      this.prepared = new Set();
    } else {
      this.state = input.state;
      this.seq = input.seq;
      this.persistedSeq = input.seq;
      for (const request of input.owed) this.owed.push({ request, after: input.seq });
      this.prepared = new Set(input.prepared ?? []);
    }
  }

  get reference(): string {
    return this.state.reference;
  }

  /** Takes a step of the domain (`apply`, `advance`, `run`): its events numbered, the messages it owes queued. */
  record(step: Step): void {
    for (const e of step.events) {
      this.seq += 1;
      this.unpersisted.push({ ...e, seq: this.seq, reference: this.reference });
    }
    this.state = step.state;
    for (const request of step.notifications) {
      // Added after the first current histories were recorded: a moved deadline was announced only by
      // the next message to that person, and histories that moved one replay without the notice.
      if (request.kind === 'deadline-moved' && !patched('deadline-moved-notice')) continue;
      this.owed.push({ request, after: this.seq });
    }
  }

  /** Writes what is recorded to PostgreSQL, one projection at a time, in order. */
  async persistAll(): Promise<void> {
    // The turn is awaited with `condition`, not in the mutex's queue, and a free lock is taken in this
    // same tick: waiters then wake, and writes start, exactly where the committed histories expect.
    while (this.writing.isLocked()) await condition(() => !this.writing.isLocked());
    void this.writing.acquire();
    try {
      while (this.unpersisted.length > 0) {
        const events = this.unpersisted.splice(0);
        await persist({ reference: this.reference, events });
        this.persistedSeq = (events[events.length - 1] as RecordedEvent).seq;
      }
    } finally {
      this.writing.release();
    }
  }

  /** Keeps count of a `prepare` activity until it completes. */
  track(preparation: Promise<unknown>): void {
    this.preparing.add(preparation);
    void preparation.finally(() => this.preparing.delete(preparation));
  }

  /** A `prepare` activity is running. */
  isPreparing(): boolean {
    return this.preparing.size > 0;
  }

  /** A write is under way. */
  isWriting(): boolean {
    return this.writing.isLocked();
  }

  /** The update validator: a refused command never reaches history. A command already applied passes. */
  validate(envelope: CommandEnvelope): void {
    if (this.state.recentCommands.includes(envelope.commandId)) return;
    const verdict = decide(this.state, envelope.actor, envelope.command, Date.now());
    if (!verdict.ok) throw refusal(verdict.refusal.kind, verdict.refusal.message);
  }

  /** The update handler: a command applied, persisted, and answered. A retried one is answered, not applied again. */
  async command(envelope: CommandEnvelope): Promise<CommandAck> {
    if (!this.state.recentCommands.includes(envelope.commandId)) {
      const now = Date.now();
      const verdict = decide(this.state, envelope.actor, envelope.command, now);
      if (!verdict.ok) throw refusal(verdict.refusal.kind, verdict.refusal.message); // state moved since validation
      if (!verdict.duplicate) {
        this.record(apply(this.state, envelope.actor, envelope.command, now, envelope.commandId));
        this.changed = true;
        this.publisher.publish(this.state);
      }
    }
    await this.persistAll();
    return this.ack();
  }

  /** Answers once everything recorded so far is in PostgreSQL. */
  async sync(): Promise<CommandAck> {
    await this.persistAll();
    return this.ack();
  }

  private ack(): CommandAck {
    return { reference: this.reference, seq: this.seq, stage: this.state.stage, revision: this.state.revision };
  }
}
