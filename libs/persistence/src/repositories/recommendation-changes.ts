import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { Client } from 'pg';

/** The channel each commit that changes a recommendation's row notifies, with its reference. */
export const RECOMMENDATION_CHANGED = 'dipb_recommendation_changed';

/** The key of watchers of every recommendation (no reference is empty). */
const ANY = '';

/** How long a lost listening connection waits before it connects again. */
const RECONNECT_MS = 1000;

/**
 * Commits to recommendations as they happen: one connection of its own that LISTENs (the pool's
 * connections come and go), opened on the first watch, and opened again after it is lost. A commit made
 * while it was down is not heard; `listening` says so, and on each (re)connection every watcher is
 * called once, as if its recommendation had changed.
 */
@Injectable()
export class RecommendationChanges implements OnModuleDestroy {
  private readonly logger = new Logger(RecommendationChanges.name);
  private readonly watchers = new Map<string, Set<() => void>>();
  private client: Client | null = null;
  private connecting: Promise<void> | null = null;
  private retry: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Whether a commit now would be heard. */
  get listening(): boolean {
    return this.client !== null;
  }

  /** Calls `onChange` after each commit that changes `reference`'s row, until the returned stop is called. */
  watch(reference: string, onChange: () => void): () => void {
    const set = this.watchers.get(reference) ?? new Set();
    set.add(onChange);
    this.watchers.set(reference, set);
    void this.listen();
    return () => {
      set.delete(onChange);
      if (set.size === 0) this.watchers.delete(reference);
    };
  }

  /** Calls `onChange` after each commit that changes any recommendation, until the returned stop is called. */
  watchAll(onChange: () => void): () => void {
    return this.watch(ANY, onChange);
  }

  private listen(): Promise<void> {
    if (this.client || this.closed) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({
      connectionString: this.config.DATABASE_URL,
      application_name: 'dipb-changes',
      connectionTimeoutMillis: 5000,
    });
    client.on('notification', (message) => {
      for (const onChange of [...(this.watchers.get(message.payload ?? '') ?? [])]) onChange();
      for (const onChange of [...(this.watchers.get(ANY) ?? [])]) onChange();
    });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client, null));
    try {
      await client.connect();
      await client.query(`LISTEN ${RECOMMENDATION_CHANGED}`);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
    // Whatever was committed while nobody listened: each watcher looks once.
    for (const set of [...this.watchers.values()]) for (const onChange of [...set]) onChange();
  }

  private lost(client: Client, err: unknown): void {
    if (this.client === client) this.client = null;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    if (this.closed || this.retry || this.watchers.size === 0) return;
    if (err)
      this.logger.warn(
        `listening for changes lost: ${err instanceof Error ? err.message : 'ended'}; again in ${RECONNECT_MS} ms`,
      );
    this.retry = setTimeout(() => {
      this.retry = null;
      if (this.watchers.size > 0) void this.listen();
    }, RECONNECT_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.connecting;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => undefined);
  }
}
