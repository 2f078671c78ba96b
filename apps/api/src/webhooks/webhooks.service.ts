import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { APP_CONFIG, type AppConfig } from '@app/config';
import { actorAs, checkEventTypes, durationMs, type Actor, type EventType } from '@app/domain';
import { DestinationRules, newWebhookSecret, webhookSenderConfig } from '@app/notifications';
import {
  decodeFeedPosition,
  WebhooksRepository,
  type WebhookDelivery,
  type WebhookFilter,
  type WebhookSubscription,
} from '@app/persistence';
import { WebhookLoops } from '@app/temporal/client';
import { ProblemException } from '../problem/problem';
import type {
  CreatedWebhookDto,
  CreateWebhookDto,
  RedeliverWebhookDto,
  UpdateWebhookDto,
  WebhookChangeDto,
  WebhookDeliveriesDto,
  WebhookDeliveriesQuery,
  WebhookFilterDto,
} from './dto/webhook.dto';

const invalid = (field: string, message: string, title = 'invalid request') =>
  new ProblemException(400, `${field} ${message}`, { title, errors: [{ field, message }] });

/**
 * Webhook subscriptions, for the secretariat (docs/design.md, "Webhooks"). A change is written with its
 * audit row in one transaction, then the subscription's delivery loop is started or woken, without
 * waiting for it: the request never waits on Temporal, and the worker starts any loop that should run.
 */
@Injectable()
export class WebhooksService {
  private readonly rules: DestinationRules;
  private readonly overlapMs: number;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly hooks: WebhooksRepository,
    private readonly loops: WebhookLoops,
  ) {
    this.rules = new DestinationRules(webhookSenderConfig(config));
    this.overlapMs = durationMs(config.WEBHOOK_SECRET_OVERLAP);
  }

  async create(dto: CreateWebhookDto, actor: Actor): Promise<CreatedWebhookDto> {
    const eventTypes = this.eventTypes(dto.eventTypes);
    await this.destination(dto.url);
    const secret = newWebhookSecret();
    const created = await this.hooks.create(
      {
        id: randomUUID(),
        url: dto.url,
        description: dto.description ?? '',
        eventTypes,
        filter: filterOf(dto.filter),
        secret,
      },
      actorAs(actor, 'secretariat'),
    );
    void this.loops.ensure(created.id, false);
    return { ...created, secret };
  }

  list(): Promise<WebhookSubscription[]> {
    return this.hooks.list();
  }

  async get(id: string): Promise<WebhookSubscription> {
    return found(id, await this.hooks.get(id));
  }

  async update(id: string, dto: UpdateWebhookDto, actor: Actor): Promise<WebhookSubscription> {
    const eventTypes = dto.eventTypes === undefined ? undefined : this.eventTypes(dto.eventTypes);
    if (dto.url !== undefined) await this.destination(dto.url);
    const updated = found(
      id,
      await this.hooks.update(
        id,
        {
          ...(dto.url !== undefined ? { url: dto.url } : {}),
          ...(dto.description !== undefined ? { description: dto.description } : {}),
          ...(eventTypes ? { eventTypes } : {}),
          ...(dto.filter !== undefined ? { filter: filterOf(dto.filter) } : {}),
          ...(dto.active !== undefined ? { active: dto.active } : {}),
        },
        actorAs(actor, 'secretariat'),
      ),
    );
    if (updated.active) void this.loops.ensure(id, true);
    else void this.loops.wake(id);
    return updated;
  }

  async rotateSecret(id: string, actor: Actor): Promise<CreatedWebhookDto> {
    const secret = newWebhookSecret();
    const rotated = found(id, await this.hooks.rotateSecret(id, secret, this.overlapMs, actorAs(actor, 'secretariat')));
    return { ...rotated, secret };
  }

  async redeliver(id: string, dto: RedeliverWebhookDto, actor: Actor): Promise<WebhookSubscription> {
    let from;
    try {
      from = decodeFeedPosition(dto.after);
    } catch {
      throw invalid('after', 'is not a position this API returned (a change feed or delivery log position)');
    }
    const moved = found(id, await this.hooks.redeliver(id, from, actorAs(actor, 'secretariat')));
    if (moved.active) void this.loops.ensure(id, true);
    return moved;
  }

  async delete(id: string, actor: Actor): Promise<void> {
    if (!(await this.hooks.delete(id, actorAs(actor, 'secretariat')))) throw notFound(id);
    void this.loops.wake(id);
  }

  async deliveries(id: string, query: WebhookDeliveriesQuery): Promise<WebhookDeliveriesDto> {
    found(id, await this.hooks.get(id));
    const limit = query.limit === undefined ? 50 : Number(query.limit);
    const items: WebhookDelivery[] = await this.hooks.deliveries(id, limit, query.before);
    return { items, nextBefore: items.length === limit ? (items.at(-1)?.id ?? null) : null };
  }

  async changes(id: string): Promise<WebhookChangeDto[]> {
    return found(id, await this.hooks.changes(id));
  }

  private eventTypes(types: string[]): (EventType | '*')[] {
    const check = checkEventTypes(types);
    if (!check.ok) throw invalid('eventTypes', check.message, 'invalid event type');
    return types as (EventType | '*')[];
  }

  /** A destination the configuration allows, or a 400 that names the rule it breaks. */
  private async destination(url: string): Promise<void> {
    const refusal = await this.rules.check(url);
    if (!refusal) return;
    throw new ProblemException(400, `url ${refusal.message} (${refusal.rule})`, {
      type: 'https://dipb.example/problems/destination-not-allowed',
      title: 'Destination not allowed',
      errors: [{ field: 'url', message: `${refusal.message} (rule: ${refusal.rule})` }],
    });
  }
}

function filterOf(dto: WebhookFilterDto | undefined): WebhookFilter {
  return {
    ...(dto?.reference ? { reference: dto.reference } : {}),
    ...(dto?.nation ? { nation: dto.nation } : {}),
    ...(dto?.workingGroup ? { workingGroup: dto.workingGroup } : {}),
  };
}

const notFound = (id: string) => new NotFoundException(`no webhook subscription ${id.slice(0, 40)}`);

function found<T>(id: string, value: T | null): T {
  if (value === null) throw notFound(id);
  return value;
}
