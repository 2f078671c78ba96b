import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The record: read model, append-only event log, the rows derived from it, the directory, the outbox,
 * idempotency keys and reference counters.
 *
 * No foreign keys from the log or the derived tables to `recommendations`: the event log is the
 * source of truth and outlives the read model, which `projection:rebuild` may truncate and re-derive.
 * Enumerations are CHECK constraints so a bad value from any writer fails loudly.
 */
export class CreateRecord1767225600000 implements MigrationInterface {
  name = 'CreateRecord1767225600000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE recommendations (
        reference       text PRIMARY KEY,
        workflow_id     text NOT NULL,
        title           text NOT NULL,
        summary         text NOT NULL,
        body            text NOT NULL,
        working_group   text NOT NULL CHECK (working_group IN ('IC', 'SCS', 'SI')),
        language        text NOT NULL CHECK (language IN ('en', 'fr')),
        stage           text NOT NULL CHECK (stage IN ('drafting', 'wg-consensus', 'senior-approval', 'approved',
                                                       'submitted', 'follow-up', 'closed', 'withdrawn')),
        revision        int NOT NULL CHECK (revision >= 1),
        target_nations  text[] NOT NULL,
        pending_nations text[] NOT NULL DEFAULT '{}',
        overdue         boolean NOT NULL DEFAULT false,
        next_deadline   timestamptz,
        created_at      timestamptz NOT NULL,
        updated_at      timestamptz NOT NULL,
        closed_at       timestamptz,
        view            jsonb NOT NULL,
        version         int NOT NULL
      )`);
    // The list's order and cursor: newest first, reference as the tie-breaker.
    await q.query(`CREATE INDEX recommendations_created_idx ON recommendations (created_at DESC, reference DESC)`);
    await q.query(`CREATE INDEX recommendations_stage_idx ON recommendations (stage, created_at DESC, reference DESC)`);
    await q.query(
      `CREATE INDEX recommendations_wg_idx ON recommendations (working_group, created_at DESC, reference DESC)`,
    );
    await q.query(`CREATE INDEX recommendations_target_nations_idx ON recommendations USING gin (target_nations)`);
    await q.query(`CREATE INDEX recommendations_pending_nations_idx ON recommendations USING gin (pending_nations)`);
    await q.query(
      `CREATE INDEX recommendations_overdue_idx ON recommendations (created_at DESC, reference DESC) WHERE overdue`,
    );
    await q.query(
      `CREATE INDEX recommendations_next_deadline_idx ON recommendations (next_deadline) WHERE next_deadline IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE events (
        id          bigserial PRIMARY KEY,
        reference   text NOT NULL,
        seq         int NOT NULL CHECK (seq >= 1),
        type        text NOT NULL,
        at          timestamptz NOT NULL,
        actor       jsonb NOT NULL,
        revision    int NOT NULL,
        data        jsonb NOT NULL,
        recorded_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT events_reference_seq_key UNIQUE (reference, seq)
      )`);
    // Append-only: nothing is ever deleted or changed in the audit trail.
    await q.query(`
      CREATE FUNCTION dipb_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the event log is append-only (% on events refused)', TG_OP;
      END $$`);
    await q.query(`
      CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events
      FOR EACH ROW EXECUTE FUNCTION dipb_events_append_only()`);
    await q.query(`CREATE INDEX events_type_idx ON events (type, at)`);

    await q.query(`
      CREATE TABLE revisions (
        reference  text NOT NULL,
        number     int NOT NULL CHECK (number >= 1),
        title      text NOT NULL,
        summary    text NOT NULL,
        body       text NOT NULL,
        note       text NOT NULL,
        actor      jsonb NOT NULL,
        created_at timestamptz NOT NULL,
        PRIMARY KEY (reference, number)
      )`);

    await q.query(`
      CREATE TABLE positions (
        id        bigserial PRIMARY KEY,
        reference text NOT NULL,
        event_seq int NOT NULL,
        kind      text NOT NULL CHECK (kind IN ('consensus', 'approval')),
        round     int NOT NULL,
        nation    text NOT NULL,
        position  text NOT NULL CHECK (position IN ('concur', 'abstain', 'object')),
        comment   text NOT NULL,
        at        timestamptz NOT NULL,
        actor     jsonb NOT NULL,
        CONSTRAINT positions_reference_event_key UNIQUE (reference, event_seq)
      )`);
    await q.query(`CREATE INDEX positions_nation_idx ON positions (nation, at)`);

    await q.query(`
      CREATE TABLE national_responses (
        id                 bigserial PRIMARY KEY,
        reference          text NOT NULL,
        event_seq          int NOT NULL,
        nation             text NOT NULL,
        decision           text NOT NULL CHECK (decision IN ('accepted', 'accepted-in-part', 'not-accepted', 'under-consideration')),
        comment            text NOT NULL,
        planned_completion timestamptz,
        at                 timestamptz NOT NULL,
        actor              jsonb NOT NULL,
        CONSTRAINT national_responses_reference_event_key UNIQUE (reference, event_seq)
      )`);
    await q.query(`CREATE INDEX national_responses_nation_idx ON national_responses (nation, at)`);

    await q.query(`
      CREATE TABLE progress_reports (
        id           bigserial PRIMARY KEY,
        reference    text NOT NULL,
        event_seq    int NOT NULL,
        nation       text NOT NULL,
        status       text NOT NULL CHECK (status IN ('in-progress', 'implemented', 'not-implemented')),
        percent      int CHECK (percent BETWEEN 0 AND 100),
        comment      text NOT NULL,
        evidence_url text,
        at           timestamptz NOT NULL,
        actor        jsonb NOT NULL,
        CONSTRAINT progress_reports_reference_event_key UNIQUE (reference, event_seq)
      )`);
    await q.query(`CREATE INDEX progress_reports_nation_idx ON progress_reports (nation, at)`);

    await q.query(`
      CREATE TABLE nations (
        code                     text PRIMARY KEY CHECK (code ~ '^[A-Z]{3}$'),
        name_en                  text NOT NULL,
        name_fr                  text NOT NULL,
        language                 text NOT NULL CHECK (language IN ('en', 'fr')),
        director_name            text,
        director_email           text NOT NULL,
        director_alternate_email text,
        senior_rep_email         text,
        wg_member_emails         jsonb NOT NULL DEFAULT '{}',
        updated_at               timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE notifications (
        identity   text PRIMARY KEY,
        reference  text NOT NULL,
        kind       text NOT NULL,
        recipient  jsonb NOT NULL,
        address    text,
        language   text CHECK (language IN ('en', 'fr')),
        status     text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed', 'skipped')),
        message_id text,
        attempts   int NOT NULL DEFAULT 0,
        last_error text,
        due_at     timestamptz NOT NULL,
        sent_at    timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX notifications_reference_idx ON notifications (reference, due_at)`);
    await q.query(`CREATE INDEX notifications_pending_idx ON notifications (due_at) WHERE status = 'pending'`);

    await q.query(`
      CREATE TABLE idempotency_keys (
        scope        text NOT NULL,
        key          text NOT NULL,
        request_hash text NOT NULL,
        reference    text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (scope, key)
      )`);

    await q.query(`
      CREATE TABLE reference_counters (
        year int PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
        last int NOT NULL CHECK (last >= 0)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE reference_counters`);
    await q.query(`DROP TABLE idempotency_keys`);
    await q.query(`DROP TABLE notifications`);
    await q.query(`DROP TABLE nations`);
    await q.query(`DROP TABLE progress_reports`);
    await q.query(`DROP TABLE national_responses`);
    await q.query(`DROP TABLE positions`);
    await q.query(`DROP TABLE revisions`);
    await q.query(`DROP TABLE events`);
    await q.query(`DROP FUNCTION dipb_events_append_only()`);
    await q.query(`DROP TABLE recommendations`);
  }
}
