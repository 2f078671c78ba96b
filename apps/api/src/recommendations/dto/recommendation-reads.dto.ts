import { ApiProperty } from '@nestjs/swagger';
import type {
  EventType,
  Language,
  NationCode,
  NotificationKind,
  RecordedEvent,
  Recipient,
  Stage,
  WorkingGroup,
} from '@app/domain';
import {
  LIST_TOTAL_CAP,
  NOTIFICATION_STATUSES,
  type ListPage,
  type NotificationRecord,
  type NotificationStatus,
  type RecommendationSummary,
  type RevisionText,
} from '@app/persistence';
import { ActorRefDto } from '../../auth/actor-ref.dto';
import { ENUMS, instant, instantOrNull, REFERENCE_EXAMPLE } from '../../openapi/schemas';

/** One line of the list: everything but the body and the per-nation detail. */
export class RecommendationSummaryDto implements RecommendationSummary {
  @ApiProperty({ type: String, example: REFERENCE_EXAMPLE }) reference!: string;
  @ApiProperty({ type: String, example: REFERENCE_EXAMPLE }) workflowId!: string;
  @ApiProperty({ type: String }) title!: string;
  @ApiProperty({ type: String }) summary!: string;
  @ApiProperty(ENUMS.workingGroup) workingGroup!: WorkingGroup;
  @ApiProperty(ENUMS.language) language!: Language;
  @ApiProperty(ENUMS.stage) stage!: Stage;
  @ApiProperty({ type: Number, format: 'int32' }) revision!: number;
  @ApiProperty({ ...ENUMS.nation, isArray: true }) targetNations!: NationCode[];
  @ApiProperty({
    ...ENUMS.nation,
    isArray: true,
    description: 'Nations from which a position, response or report is still expected',
  })
  pendingNations!: NationCode[];
  @ApiProperty({ type: Boolean }) overdue!: boolean;
  @ApiProperty({ type: Boolean, description: 'A priority recommendation: these come first' }) priority!: boolean;
  @ApiProperty(instantOrNull()) nextDeadline!: string | null;
  @ApiProperty(instant()) createdAt!: string;
  @ApiProperty(instant()) updatedAt!: string;
  @ApiProperty(instantOrNull()) closedAt!: string | null;
}

/** A page of the list, priority recommendations first, then newest first; pass `nextCursor` as `cursor` for the next page. */
export class RecommendationPageDto implements ListPage {
  @ApiProperty({ type: () => RecommendationSummaryDto, isArray: true }) items!: RecommendationSummaryDto[];
  @ApiProperty({
    type: Number,
    format: 'int32',
    maximum: LIST_TOTAL_CAP,
    description: `How many match the filters, across all pages, counted up to ${LIST_TOTAL_CAP}: past that, \`total\` is ${LIST_TOTAL_CAP} and \`totalIsExact\` false`,
  })
  total!: number;
  @ApiProperty({
    type: Boolean,
    description: `False when more than ${LIST_TOTAL_CAP} match (then \`total\` is a lower bound)`,
  })
  totalIsExact!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Opaque; null on the last page' }) nextCursor!:
    string | null;
}

/** One numbered text of a recommendation. */
export class RevisionDto implements RevisionText {
  @ApiProperty({ type: Number, format: 'int32', example: 1 }) number!: number;
  @ApiProperty({ type: String, pattern: '^[0-9a-f]{64}$', description: 'sha256 of the text (title, summary, body)' })
  textHash!: string;
  @ApiProperty({ type: String }) title!: string;
  @ApiProperty({ type: String }) summary!: string;
  @ApiProperty({ type: String, description: 'Markdown' }) body!: string;
  @ApiProperty({ type: String, description: 'Why this revision', example: 'Raised' }) note!: string;
  @ApiProperty(instant()) at!: string;
  @ApiProperty({ type: () => ActorRefDto }) by!: ActorRefDto;
}

/** One entry of the audit trail. */
export class EventDto implements RecordedEvent {
  @ApiProperty({ type: String, example: REFERENCE_EXAMPLE }) reference!: string;
  @ApiProperty({
    type: Number,
    format: 'int32',
    description: 'Numbered from 1 per recommendation, without gaps',
    example: 1,
  })
  seq!: number;
  @ApiProperty(ENUMS.eventType) type!: EventType;
  @ApiProperty(instant()) at!: string;
  @ApiProperty({ type: () => ActorRefDto }) actor!: ActorRefDto;
  @ApiProperty({ type: Number, format: 'int32', description: 'The revision current when it happened' })
  revision!: number;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "What happened; its fields depend on the event's type",
    example: { nation: 'FRA', decision: 'accepted' },
  })
  data!: Record<string, unknown>;
}

const RECIPIENT_ROLES = [
  'director',
  'senior-rep',
  'wg-member',
  'secretariat',
  'rapporteur',
] as const satisfies readonly Recipient['role'][];

/** Who a message goes to; the address is looked up in the directory when it is sent. */
export class RecipientDto {
  @ApiProperty({ type: String, enum: RECIPIENT_ROLES, enumName: 'RecipientRole' }) role!: Recipient['role'];
  @ApiProperty({ ...ENUMS.nation, required: false, description: 'For director, senior-rep and wg-member' })
  nation?: NationCode;
}

/** One message of the outbox. */
export class NotificationDto implements Omit<NotificationRecord, 'recipient'> {
  @ApiProperty({
    type: String,
    description: 'Stable identity (resend it with …/notifications/resend)',
    example: 'DIPB-2026-0001/submission/director-FRA/revision-1',
  })
  identity!: string;
  @ApiProperty(ENUMS.notificationKind) kind!: NotificationKind;
  @ApiProperty({ type: () => RecipientDto }) recipient!: RecipientDto;
  @ApiProperty({ type: String, nullable: true, description: 'Where it went (null until sent)' }) address!:
    string | null;
  @ApiProperty({ ...ENUMS.language, nullable: true }) language!: Language | null;
  @ApiProperty({ type: String, enum: [...NOTIFICATION_STATUSES], enumName: 'NotificationStatus' })
  status!: NotificationStatus;
  @ApiProperty({ type: String, nullable: true, description: 'The Message-ID header it was sent with' }) messageId!:
    string | null;
  @ApiProperty({ type: Number, format: 'int32' }) attempts!: number;
  @ApiProperty({ type: String, nullable: true }) lastError!: string | null;
  @ApiProperty(instant('When it was due to be sent')) dueAt!: string;
  @ApiProperty(instantOrNull()) sentAt!: string | null;
  @ApiProperty(instant()) createdAt!: string;
}
