import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhooks (docs/design.md, "Webhooks"):
 * - `webhook_subscriptions`: where to send, what of the feed, its secrets, and where its delivery stands.
 *   `position_tx, position_id` is its place in the change feed: everything up to it was delivered (or
 *   not selected). It moves only after a receiver's 2xx, so a delivery is at least once, in feed order.
 * - `webhook_subscription_changes`: the audit trail of every change to a subscription (who, when, what
 *   before and after; never a secret). Append-only, like `events` and `directory_changes`.
 * - `webhook_deliveries`: the delivery log, one row per attempt.
 */
export class Webhooks1767225600025 implements MigrationInterface {
  name = 'Webhooks1767225600025';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE webhook_subscriptions (
        id                    uuid PRIMARY KEY,
        url                   text NOT NULL CHECK (length(url) BETWEEN 8 AND 2000),
        description           text NOT NULL DEFAULT '' CHECK (length(description) <= 500),
        event_types           text[] NOT NULL CHECK (cardinality(event_types) > 0),
        filter                jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(filter) = 'object'),
        active                boolean NOT NULL DEFAULT true,
        secret                text NOT NULL,
        previous_secret       text,
        previous_secret_until timestamptz,
        position_tx           xid8 NOT NULL,
        position_id           bigint NOT NULL DEFAULT 0,
        failures              integer NOT NULL DEFAULT 0,
        failing_since         timestamptz,
        disabled_at           timestamptz,
        disabled_reason       text,
        created_at            timestamptz NOT NULL DEFAULT now(),
        updated_at            timestamptz NOT NULL DEFAULT now(),
        CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL))
      )`);
    await q.query(`
      CREATE TABLE webhook_subscription_changes (
        id           bigserial PRIMARY KEY,
        subscription uuid NOT NULL,
        action       text NOT NULL CHECK (action IN ('created', 'changed', 'secret-rotated', 'redelivery', 'disabled', 'deleted')),
        actor        jsonb NOT NULL CHECK (jsonb_typeof(actor) = 'object' AND coalesce(actor ->> 'id', '') <> '' AND actor ? 'role'),
        at           timestamptz NOT NULL DEFAULT now(),
        before       jsonb,
        after        jsonb
      )`);
    await q.query(
      `CREATE INDEX webhook_subscription_changes_idx ON webhook_subscription_changes (subscription, id DESC)`,
    );
    await q.query(`
      CREATE FUNCTION dipb_webhook_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the webhook change log is append-only (% on webhook_subscription_changes refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER webhook_subscription_changes_append_only BEFORE UPDATE OR DELETE ON webhook_subscription_changes
      FOR EACH ROW EXECUTE FUNCTION dipb_webhook_changes_append_only()`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id           bigserial PRIMARY KEY,
        subscription uuid NOT NULL REFERENCES webhook_subscriptions (id) ON DELETE CASCADE,
        webhook_id   text NOT NULL,
        position     text NOT NULL,
        event_type   text NOT NULL,
        reference    text NOT NULL,
        attempt      integer NOT NULL CHECK (attempt >= 1),
        at           timestamptz NOT NULL,
        latency_ms   integer NOT NULL CHECK (latency_ms >= 0),
        status       integer,
        delivered    boolean NOT NULL,
        error        text
      )`);
    await q.query(`CREATE INDEX webhook_deliveries_idx ON webhook_deliveries (subscription, id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE webhook_subscription_changes`);
    await q.query(`DROP FUNCTION dipb_webhook_changes_append_only()`);
    await q.query(`DROP TABLE webhook_subscriptions`);
  }
}
