import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { SYSTEM_ACTOR, type ActorRef, type EventType, type NationCode, type WorkingGroup } from '@app/domain';
import { encodeFeedPosition, type FeedPosition } from '../cursor';

/** The feed's filters a subscription may add to its event types. */
export interface WebhookFilter {
  reference?: string;
  nation?: NationCode;
  workingGroup?: WorkingGroup;
}

/** A subscription as the API shows it: never its secrets. */
export interface WebhookSubscription {
  id: string;
  url: string;
  description: string;
  eventTypes: (EventType | '*')[];
  filter: WebhookFilter;
  active: boolean;
  /** Everything up to here in the change feed was delivered, or not selected. */
  position: string;
  /** Failed attempts in a row, and since when (null once a delivery succeeds). */
  failures: number;
  failingSince: string | null;
  disabledAt: string | null;
  disabledReason: string | null;
  /** Until when the secret before the last rotation still signs too (null: no overlap). */
  previousSecretUntil: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What the delivery loop reads: the subscription, its place in the feed, and the secrets that sign now. */
export interface WebhookForDelivery extends WebhookSubscription {
  at: FeedPosition;
  secrets: string[];
}

export type WebhookPatch = Partial<
  Pick<WebhookSubscription, 'url' | 'description' | 'eventTypes' | 'filter' | 'active'>
>;

export type WebhookChangeAction = 'created' | 'changed' | 'secret-rotated' | 'redelivery' | 'disabled' | 'deleted';

export interface WebhookChange {
  id: string;
  action: WebhookChangeAction;
  actor: ActorRef;
  at: string;
  before: Partial<WebhookSubscription> | null;
  after: Partial<WebhookSubscription> | null;
}

/** One attempt at one event, as the delivery log keeps it. */
export interface WebhookAttempt {
  subscription: string;
  webhookId: string;
  position: string;
  eventType: string;
  reference: string;
  attempt: number;
  at: Date;
  latencyMs: number;
  status: number | null;
  delivered: boolean;
  error: string | null;
}

export interface WebhookDelivery extends Omit<WebhookAttempt, 'at' | 'subscription'> {
  id: string;
  at: string;
}

interface Row {
  id: string;
  url: string;
  description: string;
  event_types: (EventType | '*')[];
  filter: WebhookFilter;
  active: boolean;
  secret: string;
  previous_secret: string | null;
  previous_secret_until: Date | null;
  position_tx: string;
  position_id: string;
  failures: number;
  failing_since: Date | null;
  disabled_at: Date | null;
  disabled_reason: string | null;
  created_at: Date;
  updated_at: Date;
  /** The database's clock when the row was read. */
  now: Date;
}

const COLUMNS = `id, url, description, event_types, filter, active, secret, previous_secret, previous_secret_until,
  position_tx::text AS position_tx, position_id::text AS position_id, failures, failing_since, disabled_at,
  disabled_reason, created_at, updated_at, clock_timestamp() AS now`;

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

function toSubscription(r: Row): WebhookSubscription {
  const overlap = r.previous_secret_until && r.previous_secret_until > r.now ? r.previous_secret_until : null;
  return {
    id: r.id,
    url: r.url,
    description: r.description,
    eventTypes: r.event_types,
    filter: r.filter,
    active: r.active,
    position: encodeFeedPosition({ tx: r.position_tx, id: r.position_id }),
    failures: r.failures,
    failingSince: iso(r.failing_since),
    disabledAt: iso(r.disabled_at),
    disabledReason: r.disabled_reason,
    previousSecretUntil: iso(overlap),
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** What the audit trail keeps of a subscription: what the API shows, minus what only delivery moves. */
function audited(s: WebhookSubscription): Partial<WebhookSubscription> {
  const { url, description, eventTypes, filter, active, position, disabledReason, previousSecretUntil } = s;
  return { url, description, eventTypes, filter, active, position, disabledReason, previousSecretUntil };
}

/**
 * Webhook subscriptions, their audit trail and their delivery log. Every change is written with its
 * audit row in one transaction; the delivery loop moves a subscription's position only from where it
 * read it (compare and set), so a redelivery asked meanwhile is never overwritten.
 */
@Injectable()
export class WebhooksRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** A new subscription, delivering from the feed's end as of now. */
  create(
    input: Pick<WebhookSubscription, 'id' | 'url' | 'description' | 'eventTypes' | 'filter'> & { secret: string },
    by: ActorRef,
  ): Promise<WebhookSubscription> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<Row[]>(
        `INSERT INTO webhook_subscriptions (id, url, description, event_types, filter, secret, position_tx)
         VALUES ($1, $2, $3, $4, $5, $6, pg_snapshot_xmin(pg_current_snapshot()))
         RETURNING ${COLUMNS}`,
        [input.id, input.url, input.description, input.eventTypes, input.filter, input.secret],
      );
      const created = toSubscription(row!);
      await this.audit(m, created.id, 'created', by, null, audited(created));
      return created;
    });
  }

  async list(): Promise<WebhookSubscription[]> {
    const rows = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_subscriptions ORDER BY created_at`);
    return rows.map(toSubscription);
  }

  async get(id: string): Promise<WebhookSubscription | null> {
    const [row] = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1`, [
      id,
    ]);
    return row ? toSubscription(row) : null;
  }

  /** A change of what and where; turned active again, it starts afresh (no failures, not disabled). */
  update(id: string, patch: WebhookPatch, by: ActorRef): Promise<WebhookSubscription | null> {
    return this.change(id, 'changed', by, (m, before) =>
      m.query<[Row[], number]>(
        `UPDATE webhook_subscriptions SET
           url = coalesce($2, url), description = coalesce($3, description),
           event_types = coalesce($4, event_types), filter = coalesce($5, filter), active = coalesce($6, active),
           failures = CASE WHEN $6 AND NOT $7 THEN 0 ELSE failures END,
           failing_since = CASE WHEN $6 AND NOT $7 THEN NULL ELSE failing_since END,
           disabled_at = CASE WHEN $6 THEN NULL ELSE disabled_at END,
           disabled_reason = CASE WHEN $6 THEN NULL ELSE disabled_reason END,
           updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [
          id,
          patch.url ?? null,
          patch.description ?? null,
          patch.eventTypes ?? null,
          patch.filter ?? null,
          patch.active ?? null,
          before.active,
        ],
      ),
    );
  }

  /** A new secret; the one before signs too until `overlapMs` from now. */
  rotateSecret(id: string, secret: string, overlapMs: number, by: ActorRef): Promise<WebhookSubscription | null> {
    return this.change(id, 'secret-rotated', by, (m) =>
      m.query<[Row[], number]>(
        `UPDATE webhook_subscriptions SET
           previous_secret = secret, previous_secret_until = clock_timestamp() + make_interval(secs => $3::float8 / 1000),
           secret = $2, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, secret, overlapMs],
      ),
    );
  }

  /** Deliver again everything after `from`: the position moves back (or on), and failures start afresh. */
  redeliver(id: string, from: FeedPosition, by: ActorRef): Promise<WebhookSubscription | null> {
    return this.change(id, 'redelivery', by, (m) =>
      m.query<[Row[], number]>(
        `UPDATE webhook_subscriptions SET position_tx = $2::xid8, position_id = $3::bigint,
           failures = 0, failing_since = NULL, updated_at = now()
         WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, from.tx, from.id],
      ),
    );
  }

  /** Gone, with its delivery log; its audit trail stays. */
  async delete(id: string, by: ActorRef): Promise<boolean> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) return false;
      await m.query(`DELETE FROM webhook_subscriptions WHERE id = $1`, [id]);
      await this.audit(m, id, 'deleted', by, audited(toSubscription(row)), null);
      return true;
    });
  }

  /** A subscription's audit trail, oldest first; null when it never existed. */
  async changes(id: string): Promise<WebhookChange[] | null> {
    const rows = await this.dataSource.query<
      { id: string; action: WebhookChangeAction; actor: ActorRef; at: Date; before: unknown; after: unknown }[]
    >(
      `SELECT id::text AS id, action, actor, at, before, after FROM webhook_subscription_changes
        WHERE subscription = $1 ORDER BY webhook_subscription_changes.id`,
      [id],
    );
    if (rows.length === 0) return null;
    return rows.map((r) => ({
      id: r.id,
      action: r.action,
      actor: r.actor,
      at: r.at.toISOString(),
      before: r.before as WebhookChange['before'],
      after: r.after as WebhookChange['after'],
    }));
  }

  /** What the delivery loop needs, read now: null when the subscription is gone. */
  async forDelivery(id: string): Promise<WebhookForDelivery | null> {
    const [row] = await this.dataSource.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1`, [
      id,
    ]);
    if (!row) return null;
    const subscription = toSubscription(row);
    const secrets = [
      row.secret,
      ...(subscription.previousSecretUntil && row.previous_secret ? [row.previous_secret] : []),
    ];
    return { ...subscription, at: { tx: row.position_tx, id: row.position_id }, secrets };
  }

  /**
   * The position moves from `from` to `to` after a delivery (or past events not selected), and the
   * failures are over. False, and nothing moves, when the position is no longer `from`: a redelivery
   * was asked meanwhile, and the loop reads again from where it now is.
   */
  async advance(id: string, from: FeedPosition, to: FeedPosition): Promise<boolean> {
    const [, count] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE webhook_subscriptions SET position_tx = $4::xid8, position_id = $5::bigint, failures = 0, failing_since = NULL
        WHERE id = $1 AND position_tx = $2::xid8 AND position_id = $3::bigint`,
      [id, from.tx, from.id, to.tx, to.id],
    );
    return count === 1;
  }

  async recordAttempt(a: WebhookAttempt): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO webhook_deliveries
         (subscription, webhook_id, position, event_type, reference, attempt, at, latency_ms, status, delivered, error)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        a.subscription,
        a.webhookId,
        a.position,
        a.eventType,
        a.reference,
        a.attempt,
        a.at,
        Math.max(0, Math.round(a.latencyMs)),
        a.status,
        a.delivered,
        a.error?.slice(0, 1000) ?? null,
      ],
    );
  }

  /** One more failure in a row: how many now, and since when (the database's clock). */
  async recordFailure(id: string): Promise<{ failures: number; failingSince: Date; now: Date } | null> {
    const [rows] = await this.dataSource.query<[{ failures: number; failing_since: Date; now: Date }[], number]>(
      `UPDATE webhook_subscriptions SET failures = failures + 1, failing_since = coalesce(failing_since, clock_timestamp())
        WHERE id = $1 RETURNING failures, failing_since, clock_timestamp() AS now`,
      [id],
    );
    const row = rows[0];
    return row ? { failures: row.failures, failingSince: row.failing_since, now: row.now } : null;
  }

  /** Given up on: inactive, with the reason, in the audit trail as the system's doing. False if it was not active. */
  async disable(id: string, reason: string): Promise<WebhookSubscription | null> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<Row[]>(
        `SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1 AND active FOR UPDATE`,
        [id],
      );
      if (!row) return null;
      const [[updated]] = await m.query<[Row[], number]>(
        `UPDATE webhook_subscriptions SET active = false, disabled_at = clock_timestamp(), disabled_reason = $2,
           updated_at = now() WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, reason],
      );
      const after = toSubscription(updated!);
      await this.audit(m, id, 'disabled', SYSTEM_ACTOR, audited(toSubscription(row)), audited(after));
      return after;
    });
  }

  /** The delivery log, newest first: `limit` attempts before the one with id `before`. */
  async deliveries(id: string, limit: number, before?: string): Promise<WebhookDelivery[]> {
    const rows = await this.dataSource.query<
      (Omit<WebhookDelivery, 'at' | 'latencyMs' | 'webhookId' | 'eventType'> & {
        at: Date;
        latency_ms: number;
        webhook_id: string;
        event_type: string;
      })[]
    >(
      `SELECT id::text AS id, webhook_id, position, event_type, reference, attempt, at, latency_ms, status, delivered, error
         FROM webhook_deliveries WHERE subscription = $1 AND ($3::bigint IS NULL OR webhook_deliveries.id < $3::bigint)
        ORDER BY webhook_deliveries.id DESC LIMIT $2`,
      [id, limit, before ?? null],
    );
    return rows.map((r) => ({
      id: r.id,
      webhookId: r.webhook_id,
      position: r.position,
      eventType: r.event_type,
      reference: r.reference,
      attempt: r.attempt,
      at: r.at.toISOString(),
      latencyMs: r.latency_ms,
      status: r.status,
      delivered: r.delivered,
      error: r.error,
    }));
  }

  /** One change under the row's lock, with its audit row: null when there is no such subscription. */
  private change(
    id: string,
    action: WebhookChangeAction,
    by: ActorRef,
    write: (m: EntityManager, before: WebhookSubscription) => Promise<[Row[], number]>,
  ): Promise<WebhookSubscription | null> {
    return this.dataSource.transaction(async (m) => {
      const [row] = await m.query<Row[]>(`SELECT ${COLUMNS} FROM webhook_subscriptions WHERE id = $1 FOR UPDATE`, [id]);
      if (!row) return null;
      const before = toSubscription(row);
      const [[updated]] = await write(m, before);
      const after = toSubscription(updated!);
      await this.audit(m, id, action, by, audited(before), audited(after));
      return after;
    });
  }

  private async audit(
    m: EntityManager,
    id: string,
    action: WebhookChangeAction,
    by: ActorRef,
    before: Partial<WebhookSubscription> | null,
    after: Partial<WebhookSubscription> | null,
  ): Promise<void> {
    await m.query(
      `INSERT INTO webhook_subscription_changes (subscription, action, actor, at, before, after)
       VALUES ($1, $2, $3, clock_timestamp(), $4, $5)`,
      [id, action, by, before, after],
    );
  }
}
