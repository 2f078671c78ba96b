import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import type { EventType } from '@app/domain';
import { ActorRefDto } from '../../auth/actor-ref.dto';
import { ChangeFeedQuery } from '../../events/dto/change-feed.dto';
import { ENUMS, instant, instantOrNull } from '../../openapi/schemas';

const EVENT_TYPES_DOC = {
  type: String,
  isArray: true,
  maxItems: 50,
  minItems: 1,
  description:
    'The event types to deliver (the `EventType` values, e.g. `national-response`), or `["*"]` for every type',
  example: ['national-response', 'progress-reported'],
} as const;

/** The change feed's filters, which a subscription may add to its types. */
export class WebhookFilterDto extends PickType(ChangeFeedQuery, ['reference', 'nation', 'workingGroup'] as const) {}

export class CreateWebhookDto {
  @ApiProperty({
    type: String,
    maxLength: 2000,
    description:
      'Where to POST the events: an https URL allowed by WEBHOOK_ALLOWED_DESTINATIONS (plain http and loopback only where configured)',
    example: 'https://integration.example.nato.int/dipb/events',
  })
  @IsString()
  @MaxLength(2000)
  url!: string;

  @ApiPropertyOptional({ type: String, maxLength: 500, description: 'What the subscription is for, and whose it is' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiProperty(EVENT_TYPES_DOC)
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  eventTypes!: string[];

  @ApiPropertyOptional({ type: () => WebhookFilterDto, description: "The change feed's filters, all optional" })
  @IsOptional()
  @ValidateNested()
  @Type(() => WebhookFilterDto)
  filter?: WebhookFilterDto;
}

/** Optional, but not null: a field left out keeps its value, and null is not a value any of these take. */
const Given = () => ValidateIf((_o: unknown, value: unknown) => value !== undefined);

export class UpdateWebhookDto {
  @ApiPropertyOptional({ type: String, maxLength: 2000, description: 'A new destination, checked as at creation' })
  @Given()
  @IsString()
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ type: String, maxLength: 500 })
  @Given()
  @IsString()
  @MaxLength(500)
  description?: string;

  @ApiPropertyOptional(EVENT_TYPES_DOC)
  @Given()
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(60, { each: true })
  eventTypes?: string[];

  @ApiPropertyOptional({ type: () => WebhookFilterDto, description: 'Replaces the filters as a whole' })
  @Given()
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookFilterDto)
  filter?: WebhookFilterDto;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      'Off: deliveries stop where they are. On again: they resume from there, in order, with the failures forgotten',
  })
  @Given()
  @IsBoolean()
  active?: boolean;
}

export class RedeliverWebhookDto {
  @ApiProperty({
    type: String,
    maxLength: 60,
    description:
      'A `position` from the change feed (or a delivery log entry): every selected event after it is delivered again, in order, with its same `webhook-id`',
  })
  @IsString()
  @MaxLength(60)
  after!: string;
}

export class WebhookSubscriptionDto {
  @ApiProperty({ type: String, format: 'uuid' }) id!: string;
  @ApiProperty({ type: String }) url!: string;
  @ApiProperty({ type: String }) description!: string;
  @ApiProperty({ ...EVENT_TYPES_DOC, minItems: undefined, maxItems: undefined }) eventTypes!: (EventType | '*')[];
  @ApiProperty({ type: () => WebhookFilterDto }) filter!: WebhookFilterDto;
  @ApiProperty({ type: Boolean, description: 'Delivering; false when turned off, or disabled after failing too long' })
  active!: boolean;
  @ApiProperty({
    type: String,
    description:
      'Everything in the change feed up to here was delivered (or not selected); the next delivery is after it',
  })
  position!: string;
  @ApiProperty({ type: 'integer', description: 'Failed attempts in a row (0 once a delivery succeeds)' })
  failures!: number;
  @ApiProperty(instantOrNull('Failing since (null when the last attempt succeeded)')) failingSince!: string | null;
  @ApiProperty(instantOrNull('When it was disabled for failing too long')) disabledAt!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Why it was disabled' }) disabledReason!: string | null;
  @ApiProperty(instantOrNull('Until when the secret before the last rotation still signs too'))
  previousSecretUntil!: string | null;
  @ApiProperty(instant()) createdAt!: string;
  @ApiProperty(instant()) updatedAt!: string;
}

/** A new subscription, with its secret: the only answer that shows it. */
export class CreatedWebhookDto extends WebhookSubscriptionDto {
  @ApiProperty({
    type: String,
    description: 'The signing secret (Standard Webhooks, `whsec_…`). Shown here only: keep it now',
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  })
  secret!: string;
}

/** The subscription after a rotation, with its new secret (shown here only). */
export class RotatedWebhookDto extends CreatedWebhookDto {}

export class WebhookDeliveryDto {
  @ApiProperty({ type: String }) id!: string;
  @ApiProperty({ type: String, description: 'The `webhook-id` sent (the event: reference and seq)' })
  webhookId!: string;
  @ApiProperty({ type: String, description: "The event's position in the change feed" }) position!: string;
  @ApiProperty(ENUMS.eventType) eventType!: string;
  @ApiProperty({ type: String }) reference!: string;
  @ApiProperty({ type: 'integer', description: 'The attempt at this event, from 1' }) attempt!: number;
  @ApiProperty(instant('When the attempt started')) at!: string;
  @ApiProperty({ type: 'integer', description: 'Milliseconds from the start to the answer or the failure' })
  latencyMs!: number;
  @ApiProperty({ type: 'integer', nullable: true, description: "The receiver's status (null: no answer)" })
  status!: number | null;
  @ApiProperty({ type: Boolean, description: 'A 2xx within the timeout' }) delivered!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Why it failed' }) error!: string | null;
}

export class WebhookDeliveriesDto {
  @ApiProperty({ type: () => WebhookDeliveryDto, isArray: true, description: 'Newest first' })
  items!: WebhookDeliveryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as `before` for older attempts; null when there are none',
  })
  nextBefore!: string | null;
}

export class WebhookDeliveriesQuery {
  @ApiPropertyOptional({ type: String, description: 'The `nextBefore` of the previous page' })
  @IsOptional()
  @Matches(/^\d{1,19}$/, { message: 'before must be a nextBefore this API returned' })
  before?: string;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 200, default: 50 })
  @IsOptional()
  @Matches(/^([1-9]|[1-9]\d|1\d\d|200)$/, { message: 'limit must be a whole number from 1 to 200' })
  limit?: string;
}

const ACTIONS = ['created', 'changed', 'secret-rotated', 'redelivery', 'disabled', 'deleted'] as const;

/** One change of a subscription, as its audit trail keeps it (never a secret). */
export class WebhookChangeDto {
  @ApiProperty({ type: String }) id!: string;
  @ApiProperty({ enum: ACTIONS, enumName: 'WebhookChangeAction' }) action!: (typeof ACTIONS)[number];
  @ApiProperty({ type: () => ActorRefDto }) actor!: ActorRefDto;
  @ApiProperty(instant()) at!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The subscription before (null when created)',
  })
  before!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The subscription after (null when deleted)',
  })
  after!: Record<string, unknown> | null;
}
