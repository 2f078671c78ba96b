import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Injectable,
  NotFoundException,
  Param,
  Patch,
  Post,
  Query,
  type PipeTransform,
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type { Actor } from '@app/domain';
import { CurrentActor, Roles } from '../auth/auth.decorators';
import { ApiRead, ApiWrite } from '../openapi/operations';
import { ApiProblems } from '../problem/problem.dto';
import {
  CreatedWebhookDto,
  CreateWebhookDto,
  RedeliverWebhookDto,
  RotatedWebhookDto,
  UpdateWebhookDto,
  WebhookChangeDto,
  WebhookDeliveriesDto,
  WebhookDeliveriesQuery,
  WebhookSubscriptionDto,
} from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

/** A subscription's id: a UUID, any case; anything else is a 404 before it reaches the database. */
@Injectable()
class SubscriptionIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value))
      throw new NotFoundException(`no webhook subscription ${value.slice(0, 40)}`);
    return value.toLowerCase();
  }
}

const ID = {
  name: 'id',
  description: "A subscription's id (UUID)",
  schema: { type: 'string', format: 'uuid' },
} as const;

/**
 * Webhooks, for the secretariat: other systems told of every event they subscribe to, signed (Standard
 * Webhooks), as CloudEvents, in order, at least once (docs/design.md, "Webhooks"; the payload is in the
 * OpenAPI document's `webhooks`).
 */
@ApiTags('webhooks')
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post()
  @Roles('secretariat')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Subscribe a system to events: its signing secret is in this answer only' })
  @ApiCreatedResponse({
    type: CreatedWebhookDto,
    description:
      'The subscription, delivering from the change feed as it stands now, with its secret (never shown again)',
  })
  @ApiProblems(400, 401, 403, 413, 429, 503)
  create(@Body() dto: CreateWebhookDto, @CurrentActor() actor: Actor): Promise<CreatedWebhookDto> {
    return this.webhooks.create(dto, actor);
  }

  @Get()
  @Roles('secretariat')
  @ApiRead({
    summary: 'Every webhook subscription (without secrets)',
    type: WebhookSubscriptionDto,
    isArray: true,
    description: 'The subscriptions, oldest first, with where each stands',
    problems: [403],
  })
  list(): Promise<WebhookSubscriptionDto[]> {
    return this.webhooks.list();
  }

  @Get(':id')
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiRead({
    summary: 'One webhook subscription (without its secret)',
    type: WebhookSubscriptionDto,
    description: 'The subscription and where its delivery stands',
    problems: [403, 404],
  })
  get(@Param('id', SubscriptionIdPipe) id: string): Promise<WebhookSubscriptionDto> {
    return this.webhooks.get(id);
  }

  @Patch(':id')
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiWrite({
    summary: 'Change a subscription, or turn it off or on again',
    type: WebhookSubscriptionDto,
    description: 'The subscription as changed (recorded in its audit trail)',
    problems: [400, 401, 403, 404, 413, 429, 503],
  })
  update(
    @Param('id', SubscriptionIdPipe) id: string,
    @Body() dto: UpdateWebhookDto,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookSubscriptionDto> {
    return this.webhooks.update(id, dto, actor);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a subscription and its delivery log (its audit trail stays)' })
  @ApiNoContentResponse({ description: 'Deleted: deliveries stop' })
  @ApiProblems(401, 403, 404, 429, 503)
  async delete(@Param('id', SubscriptionIdPipe) id: string, @CurrentActor() actor: Actor): Promise<void> {
    await this.webhooks.delete(id, actor);
  }

  @Post(':id/secret')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiWrite({
    summary: 'Rotate the signing secret: the old one signs too for WEBHOOK_SECRET_OVERLAP',
    type: RotatedWebhookDto,
    description:
      'The subscription with its new secret (shown here only). Until `previousSecretUntil`, each delivery carries both signatures',
    problems: [401, 403, 404, 429, 503],
  })
  rotate(@Param('id', SubscriptionIdPipe) id: string, @CurrentActor() actor: Actor): Promise<RotatedWebhookDto> {
    return this.webhooks.rotateSecret(id, actor);
  }

  @Post(':id/redeliveries')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiWrite({
    summary: 'Deliver again every selected event after a position, in order',
    type: WebhookSubscriptionDto,
    description: 'The subscription, its position moved to `after`; delivery resumes from there at once',
    problems: [400, 401, 403, 404, 413, 429, 503],
  })
  redeliver(
    @Param('id', SubscriptionIdPipe) id: string,
    @Body() dto: RedeliverWebhookDto,
    @CurrentActor() actor: Actor,
  ): Promise<WebhookSubscriptionDto> {
    return this.webhooks.redeliver(id, dto, actor);
  }

  @Get(':id/deliveries')
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiRead({
    summary: "A subscription's delivery log: every attempt, newest first",
    type: WebhookDeliveriesDto,
    description: 'Attempts with their time, status, latency and error',
    problems: [400, 403, 404],
  })
  deliveries(
    @Param('id', SubscriptionIdPipe) id: string,
    @Query() query: WebhookDeliveriesQuery,
  ): Promise<WebhookDeliveriesDto> {
    return this.webhooks.deliveries(id, query);
  }

  @Get(':id/changes')
  @Roles('secretariat')
  @ApiParam(ID)
  @ApiRead({
    summary: "A subscription's audit trail: who changed what, and when",
    type: WebhookChangeDto,
    isArray: true,
    description: 'Every change, oldest first (secrets never appear)',
    problems: [403, 404],
  })
  changes(@Param('id', SubscriptionIdPipe) id: string): Promise<WebhookChangeDto[]> {
    return this.webhooks.changes(id);
  }
}
