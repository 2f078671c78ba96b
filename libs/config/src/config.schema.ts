import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce.number().int().min(1).max(65535);

/**
 * Every environment variable the API and the worker read, validated once at start.
 * Defaults are the local stack that `npm run up` starts.
 */
export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: port.default(3000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LOG_PRETTY: bool.default(false),

    DATABASE_URL: z
      .string()
      .url()
      .refine((u) => /^postgres(ql)?:\/\//.test(u), 'must be a postgres:// URL')
      .default('postgres://postgres@127.0.0.1:5432/dipb'),
    /** PostgreSQL connections per process; in the worker, more than SMTP_POOL_SIZE (each message in flight holds one). */
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(20),

    TEMPORAL_ADDRESS: z.string().min(3).default('127.0.0.1:7233'),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    TEMPORAL_TASK_QUEUE: z.string().min(1).default('dipb-recommendations'),
    TEMPORAL_API_KEY: z.string().min(1).optional(),
    TEMPORAL_TLS: bool.default(false),
    TEMPORAL_TLS_CERT_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_KEY_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_CA_PATH: z.string().min(1).optional(),
    TEMPORAL_TLS_SERVER_NAME: z.string().min(1).optional(),
    /**
     * Deadline of each call the API makes to Temporal (milliseconds): past it the caller gets 503 with
     * Retry-After, and may retry with the same Idempotency-Key whether or not the command took effect.
     */
    TEMPORAL_CALL_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** A prebuilt workflow bundle (from `bundleWorkflowCode`); the worker bundles `workflows/` itself when unset. */
    WORKFLOW_BUNDLE_PATH: z.string().min(1).optional(),
    WORKER_SHUTDOWN_GRACE: z.string().min(1).default('10s'),
    /**
     * Workflows kept in the worker's cache, sized against the worker's 512 MiB: each cached run costs
     * about 2.2 MiB (458 MiB with 1,000 open at 32, 528 MiB at 64; docs/benchmarks.md, "10,000 open").
     * An evicted one is replayed from the first event of its run when it next wakes (a run is at most
     * ~300 events: about half a second of CPU; milliseconds for one in consensus), days later for most.
     */
    WORKER_MAX_CACHED_WORKFLOWS: z.coerce.number().int().min(0).max(100_000).default(32),
    /**
     * Workflow tasks one worker process holds at once. Its activations run one after another on its
     * workflow threads, and a task's 10 s timeout runs from the moment the worker takes it: past what it
     * can finish well inside that, a task waits in the worker instead of at the server, times out, and is
     * replayed from its first event (docs/design.md, "Under load").
     */
    WORKER_WORKFLOW_TASK_SLOTS: z.coerce.number().int().min(2).max(1000).default(8),
    /**
     * Mail activities (notify, prepare) one worker process runs at once, on the delivery task queue.
     * Beyond SMTP_POOL_SIZE a batch only waits, and more in flight take the CPU the workflow tasks
     * need (docs/benchmarks.md, "Mail on a task queue of its own"). The rest wait in Temporal.
     */
    WORKER_DELIVERY_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(16),
    /**
     * `prepare` activities (composing the next timer's messages ahead of it) one worker process runs at
     * once, on a task queue of their own: they yield to this worker's sends, and must not hold the sends' slots.
     */
    WORKER_PREPARE_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(2),
    /** Port of the worker's Prometheus endpoint (Temporal SDK and DIPB metrics at /metrics); off when unset. */
    WORKER_METRICS_PORT: port.optional(),
    /** Address the worker's metrics endpoint binds to. */
    WORKER_METRICS_HOST: z.string().min(1).default('127.0.0.1'),

    /** OTLP/HTTP collector base URL (e.g. http://127.0.0.1:4318); traces are exported only when set. */
    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    OTEL_SERVICE_NAME: z.string().min(1).optional(),

    SMTP_HOST: z.string().min(1).default('127.0.0.1'),
    SMTP_PORT: port.default(1025),
    SMTP_SECURE: bool.default(false),
    SMTP_USER: z.string().min(1).optional(),
    SMTP_PASS: z.string().min(1).optional(),
    /**
     * How long a send waits on a silent SMTP server before it gives up and is retried (seconds): the
     * socket's inactivity timeout; connecting and the greeting wait at most 10 s of it.
     */
    SMTP_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
    /** SMTP connections in the worker's pool, and so the messages it sends at once. */
    SMTP_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    MAIL_FROM: z.string().min(3).default('DIPB Secretariat <dipb-secretariat@example.nato.int>'),
    SECRETARIAT_EMAIL: z.string().email().default('dipb-secretariat@example.nato.int'),
    /** Language of the secretariat's weekly digest (sent to SECRETARIAT_EMAIL every Monday 08:00, Brussels). */
    DIGEST_LANGUAGE: z.enum(['en', 'fr']).default('en'),

    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_JWKS_URL: z.string().url().optional(),
    JWT_ISSUER: z.string().min(1).default('dipb-dev'),
    JWT_AUDIENCE: z.string().min(1).default('dipb-api'),

    /** The service's address as people reach it: the personal links in messages start with it. */
    PUBLIC_URL: z
      .string()
      .url()
      .refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL')
      .transform((u) => u.replace(/\/+$/, ''))
      .default('http://localhost:3000'),
    /**
     * HS256 key of the personal links in messages (32+ characters); the worker signs them, the API
     * checks them. Unset: derived from JWT_SECRET (HKDF), so a link is never an API token nor the reverse.
     */
    LINK_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    /** How long a director's link works after the deadline it is about (or after the message, if later). */
    LINK_GRACE: z
      .string()
      .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, 'must be an ISO 8601 duration, e.g. P30D')
      .default('P30D'),

    /** Requests one caller (token subject, else client address) may make per minute before 429. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),

    /** The live change feed (`GET /api/v1/events/stream`): a comment line after this long without an event. */
    FEED_HEARTBEAT_MS: z.coerce.number().int().min(100).max(300_000).default(15_000),
    /**
     * What a live stream holds for its reader (bytes written and not yet taken): past it the stream reads
     * no further until the reader takes it. What one stream costs the API is bounded by this.
     */
    FEED_STREAM_BUFFER_BYTES: z.coerce
      .number()
      .int()
      .min(1024)
      .max(64 * 1024 * 1024)
      .default(1024 * 1024),
    /** A stream's reader that takes nothing for this long while events wait is dropped; it resumes with `Last-Event-ID`. */
    FEED_STREAM_STALL_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
    /** Live streams one API replica serves at once; past it a new one is answered 503 with Retry-After. */
    FEED_MAX_STREAMS: z.coerce.number().int().min(1).max(100_000).default(200),

    /**
     * Where webhooks may be sent (docs/design.md, "Webhooks"): comma-separated host names (`hooks.example.org`,
     * or `*.example.org` for its subdomains) and CIDRs (`10.20.0.0/16`, `2001:db8::/32`). A subscription to any
     * other destination is refused. Empty: none.
     */
    WEBHOOK_ALLOWED_DESTINATIONS: z.string().default(''),
    /** Loopback destinations (127.0.0.0/8, ::1, localhost), and plain http to them: for tests and local runs only. */
    WEBHOOK_ALLOW_LOOPBACK: bool.default(false),
    /** Plain http (not https) to an allowed destination other than loopback. */
    WEBHOOK_ALLOW_HTTP: bool.default(false),
    /** A delivery's TCP (and TLS) connect, and then its whole exchange, each bounded by these. */
    WEBHOOK_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
    WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    /** What is read of a receiver's answer (for the delivery log); the rest is discarded. */
    WEBHOOK_MAX_RESPONSE_BYTES: z.coerce.number().int().min(1).max(1_048_576).default(16_384),
    /** The first wait after a failed delivery; each next one doubles, up to WEBHOOK_RETRY_MAX_MS. */
    WEBHOOK_RETRY_INITIAL_MS: z.coerce.number().int().min(10).max(3_600_000).default(5_000),
    WEBHOOK_RETRY_MAX_MS: z.coerce.number().int().min(10).max(86_400_000).default(3_600_000),
    /** A subscription failing for this long without a success is disabled, and the secretariat told (ISO 8601). */
    WEBHOOK_DISABLE_AFTER: z
      .string()
      .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, 'must be an ISO 8601 duration, e.g. P5D')
      .default('P5D'),
    /** After a rotation, how long the old secret still signs too (a second signature), so receivers can switch. */
    WEBHOOK_SECRET_OVERLAP: z
      .string()
      .regex(/^P(?!$)(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/, 'must be an ISO 8601 duration, e.g. P1D')
      .default('P1D'),
    /** A subscription's delivery loop waits at most this long for a commit before it reads the feed again. */
    WEBHOOK_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(2_000),
    /** Webhook delivery loops one worker process runs at once (one per active subscription). */
    WORKER_WEBHOOK_CONCURRENCY: z.coerce.number().int().min(1).max(1_000).default(50),
  })
  .superRefine((c, ctx) => {
    if (!c.LINK_SECRET && !c.JWT_SECRET) {
      ctx.addIssue({
        code: 'custom',
        path: ['LINK_SECRET'],
        message: 'set LINK_SECRET (the personal links in messages) when JWT_SECRET is not set',
      });
    }
    if (!c.JWT_SECRET && !c.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'set JWT_SECRET (HS256) or JWT_JWKS_URL (RS256)' });
    }
    if ((c.TEMPORAL_TLS_CERT_PATH === undefined) !== (c.TEMPORAL_TLS_KEY_PATH === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: ['TEMPORAL_TLS_KEY_PATH'],
        message: 'TEMPORAL_TLS_CERT_PATH and TEMPORAL_TLS_KEY_PATH go together',
      });
    }
    if (c.DATABASE_POOL_SIZE <= c.SMTP_POOL_SIZE) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_POOL_SIZE'],
        message: `must exceed SMTP_POOL_SIZE (${c.SMTP_POOL_SIZE}): each message being sent holds a connection, and projections need theirs`,
      });
    }
  });

export type AppConfig = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses an environment into a typed config, naming every bad or missing variable. */
export function parseConfig(env: Record<string, string | undefined>): AppConfig {
  // Empty strings count as unset, so `FOO=` in a shell does not defeat a default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join('.') || '(env)'}: ${i.message}`));
  }
  return result.data;
}
