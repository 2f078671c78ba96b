import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEFAULT_POLICY,
  type Decision,
  type Language,
  type NationCode,
  type NationState,
  type NationView,
  type Outcome,
  type Policy,
  type PolicyInput,
  type PositionKind,
  type ProgressStatus,
  type RecommendationView,
  type RoundView,
  type Stage,
  type Submission,
  type WorkingGroup,
} from '@app/domain';
import { duration, ENUMS, instant, instantOrNull, REFERENCE_EXAMPLE } from '../../openapi/schemas';

/*
 * The recommendation as the API answers it (`RecommendationDto` in docs/openapi.json). Each class `implements`
 * the domain's type and the controllers return the class, so the compiler keeps the two the same
 * shape: a field added to the view and not here (or the reverse) does not build.
 */

const P = DEFAULT_POLICY;

/** A recommendation's deadlines and reminder schedule, pinned when it was raised. */
export class PolicyDto implements Policy {
  @ApiProperty(duration('How long WG silence runs once consensus is called', P.consensusSilence, true))
  consensusSilence!: string;
  @ApiProperty(duration('How long senior-representative silence runs once approval opens', P.approvalSilence, true))
  approvalSilence!: string;
  @ApiProperty({
    type: String,
    isArray: true,
    description: 'Reminders to those who have not spoken, this long before a silence deadline',
    example: P.silenceReminders,
  })
  silenceReminders!: string[];
  @ApiProperty(duration("Directors' response deadline, counted from submission", P.responseDue, true))
  responseDue!: string;
  @ApiProperty({
    type: String,
    isArray: true,
    description: 'Response reminders, this long before the response deadline',
    example: P.responseReminders,
  })
  responseReminders!: string[];
  @ApiProperty(duration('Overdue notices repeat at this interval', P.overdueEvery)) overdueEvery!: string;
  @ApiProperty({
    type: Number,
    format: 'int32',
    minimum: 0,
    maximum: 20,
    description: 'After this many overdue notices, the secretariat is told instead',
    example: P.escalateAfter,
  })
  escalateAfter!: number;
  @ApiProperty(duration('Interval between progress reports of an accepting nation', P.followUpEvery, true))
  followUpEvery!: string;
  @ApiProperty(duration('A progress report is requested this long before it is due', P.followUpReminder))
  followUpReminder!: string;
  @ApiProperty({
    type: Boolean,
    description: 'Submit to directors by itself when approval silence holds',
    example: P.autoSubmit,
  })
  autoSubmit!: boolean;
  @ApiPropertyOptional({
    type: Boolean,
    description:
      "Deadlines placed on NATO HQ's working calendar (closed days and hours move them to the next working day's closing time); absent in policies pinned before it existed",
    example: P.calendar,
  })
  calendar?: boolean;
  @ApiPropertyOptional({
    type: Boolean,
    description:
      "Reminders, overdue notices and escalations wait for the recipient's working hours on a working day; absent in policies pinned before it existed",
    example: P.quietHours,
  })
  quietHours?: boolean;
}

/** A policy as given when raising: any field left out takes its default (shown). */
export class PolicyInputDto implements PolicyInput {
  @ApiPropertyOptional({
    ...duration('How long WG silence runs once consensus is called', P.consensusSilence, true),
    default: P.consensusSilence,
  })
  consensusSilence?: string;
  @ApiPropertyOptional({
    ...duration('How long senior-representative silence runs once approval opens', P.approvalSilence, true),
    default: P.approvalSilence,
  })
  approvalSilence?: string;
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    maxItems: 10,
    description: 'Reminders before a silence deadline (ISO 8601 durations)',
    default: P.silenceReminders,
  })
  silenceReminders?: string[];
  @ApiPropertyOptional({
    ...duration("Directors' response deadline, counted from submission", P.responseDue, true),
    default: P.responseDue,
  })
  responseDue?: string;
  @ApiPropertyOptional({
    type: String,
    isArray: true,
    maxItems: 10,
    description: 'Reminders before the response deadline (ISO 8601 durations)',
    default: P.responseReminders,
  })
  responseReminders?: string[];
  @ApiPropertyOptional({
    ...duration('Overdue notices repeat at this interval', P.overdueEvery),
    default: P.overdueEvery,
  })
  overdueEvery?: string;
  @ApiPropertyOptional({
    type: Number,
    format: 'int32',
    minimum: 0,
    maximum: 20,
    description: 'Overdue notices before the secretariat is told instead',
    default: P.escalateAfter,
  })
  escalateAfter?: number;
  @ApiPropertyOptional({
    ...duration('Interval between progress reports', P.followUpEvery, true),
    default: P.followUpEvery,
  })
  followUpEvery?: string;
  @ApiPropertyOptional({
    ...duration('A progress report is requested this long before it is due', P.followUpReminder),
    default: P.followUpReminder,
  })
  followUpReminder?: string;
  @ApiPropertyOptional({
    type: Boolean,
    description: 'Submit by itself when approval silence holds',
    default: P.autoSubmit,
  })
  autoSubmit?: boolean;
  @ApiPropertyOptional({
    type: Boolean,
    description:
      "Place computed deadlines on NATO HQ's working calendar (default true, or false when a period given is shorter than a day)",
    default: P.calendar,
  })
  calendar?: boolean;
  @ApiPropertyOptional({
    type: Boolean,
    description:
      "Hold reminders, overdue notices and escalations to the recipient's working hours (default true, or false when a period given is shorter than a day)",
    default: P.quietHours,
  })
  quietHours?: boolean;
}

export class RoundPositionDto {
  @ApiProperty(ENUMS.nation) nation!: NationCode;
  @ApiProperty(ENUMS.position) position!: PositionKind;
  @ApiProperty({ type: String }) comment!: string;
  @ApiProperty(instant()) at!: string;
}

/** One silence procedure: a WG consensus call or a senior-approval round. */
export class RoundDto implements RoundView {
  @ApiProperty({ type: Number, format: 'int32', description: 'Counts the rounds of this kind, from 1', example: 1 })
  round!: number;
  @ApiProperty({ type: Number, format: 'int32', description: 'The revision circulated', example: 1 }) revision!: number;
  @ApiProperty(instant()) openedAt!: string;
  @ApiProperty(instant('When silence ends')) deadline!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The working-calendar rule that placed it, when one moved it: "moved from Fri 25 Dec 11:00 to Mon 28 Dec 17:30 (Christmas Day)"',
  })
  deadlineRule!: string | null;
  @ApiProperty({ type: () => RoundPositionDto, isArray: true }) positions!: RoundPositionDto[];
  @ApiProperty({ type: String, enum: ['held', 'broken'], nullable: true, description: 'Null while the round is open' })
  outcome!: 'held' | 'broken' | null;
}

export class SubmissionDto implements Submission {
  @ApiProperty({ type: Number, format: 'int32', description: 'The revision sent to the directors', example: 1 })
  revision!: number;
  @ApiProperty(instant()) submittedAt!: string;
  @ApiProperty(instant()) responseDue!: string;
  @ApiPropertyOptional({
    type: String,
    description:
      'The working-calendar rule that placed it, when one moved it: "moved from Fri 25 Dec 11:00 to Mon 28 Dec 17:30 (Christmas Day)"',
  })
  responseDueRule?: string | null;
}

export class NationResponseDto {
  @ApiProperty(ENUMS.decision) decision!: Decision;
  @ApiProperty({ type: String }) comment!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'Planned completion (accepted, accepted in part): a calendar date (2027-06-30), or an instant for answers recorded before dates were accepted',
    example: '2027-06-30',
  })
  plannedCompletion!: string | null;
  @ApiProperty(instant()) at!: string;
}

export class ProgressReportDto {
  @ApiProperty(ENUMS.progressStatus) status!: ProgressStatus;
  @ApiProperty({ type: Number, format: 'int32', minimum: 0, maximum: 100, nullable: true }) percent!: number | null;
  @ApiProperty({ type: String }) comment!: string;
  @ApiProperty({ type: String, format: 'uri', nullable: true }) evidenceUrl!: string | null;
  @ApiProperty(instant()) at!: string;
}

/** One target nation's state after submission. */
export class NationViewDto implements NationView {
  @ApiProperty(ENUMS.nation) code!: NationCode;
  @ApiProperty(ENUMS.nationState) state!: NationState;
  @ApiProperty({ type: () => NationResponseDto, nullable: true, description: 'The latest response' })
  response!: NationResponseDto | null;
  @ApiProperty({ type: () => ProgressReportDto, isArray: true }) progress!: ProgressReportDto[];
  @ApiProperty(instantOrNull('The response or progress report due next')) nextDue!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      'The working-calendar rule that placed it, when one moved it: "moved from Fri 25 Dec 11:00 to Mon 28 Dec 17:30 (Christmas Day)"',
  })
  nextDueRule!: string | null;
  @ApiProperty(instantOrNull('When the next reminder or overdue notice goes')) nextReminderAt!: string | null;
  @ApiProperty({ type: Boolean }) overdue!: boolean;
}

export class NationResultDto {
  @ApiProperty(ENUMS.nation) nation!: NationCode;
  @ApiProperty(ENUMS.nationState) state!: NationState;
}

/** What closing recorded. */
export class OutcomeDto implements Outcome {
  @ApiProperty({ type: String }) reason!: string;
  @ApiProperty({ type: () => NationResultDto, isArray: true }) results!: NationResultDto[];
  @ApiProperty({
    type: Number,
    minimum: 0,
    maximum: 1,
    nullable: true,
    description:
      'Share of final answers that accept, in full or in part (docs/design.md); null when no nation answered finally',
  })
  acceptanceRate!: number | null;
  @ApiProperty({
    type: Number,
    minimum: 0,
    maximum: 1,
    nullable: true,
    description: 'Share of accepting nations that implemented; null when none accepted',
  })
  implementationRate!: number | null;
}

export class WithdrawalDto {
  @ApiProperty({ type: String }) reason!: string;
  @ApiProperty(instant()) at!: string;
}

/** The whole recommendation: what a command answers, and `GET …/{ref}`. */
export class RecommendationDto implements RecommendationView {
  @ApiProperty({ type: String, example: REFERENCE_EXAMPLE }) reference!: string;
  @ApiProperty({ type: String, description: 'The Temporal workflow id (the reference)', example: REFERENCE_EXAMPLE })
  workflowId!: string;
  @ApiProperty({ type: String }) title!: string;
  @ApiProperty({ type: String }) summary!: string;
  @ApiProperty({ type: String, description: 'Markdown' }) body!: string;
  @ApiProperty({
    type: String,
    pattern: '^[0-9a-f]{64}$',
    description: "sha256 of the current revision's text (title, summary, body)",
  })
  textHash!: string;
  @ApiProperty(ENUMS.workingGroup) workingGroup!: WorkingGroup;
  @ApiProperty(ENUMS.language) language!: Language;
  @ApiProperty({ ...ENUMS.nation, isArray: true }) targetNations!: NationCode[];
  @ApiProperty({ type: String, nullable: true }) rapporteur!: string | null;
  @ApiProperty({ type: Boolean, description: 'A priority recommendation (raised with `priority`)' }) priority!: boolean;
  @ApiProperty(ENUMS.stage) stage!: Stage;
  @ApiProperty({ type: Number, format: 'int32', description: 'The latest revision, numbered from 1', example: 1 })
  revision!: number;
  @ApiProperty({ type: () => PolicyDto }) policy!: PolicyDto;
  @ApiProperty({ type: () => RoundDto, nullable: true, description: 'The latest WG consensus round' })
  consensus!: RoundDto | null;
  @ApiProperty({ type: () => RoundDto, nullable: true, description: 'The latest senior-approval round' })
  approval!: RoundDto | null;
  @ApiProperty({ type: () => SubmissionDto, nullable: true }) submission!: SubmissionDto | null;
  @ApiProperty({ type: () => NationViewDto, isArray: true, description: 'Per target nation, once submitted' })
  nations!: NationViewDto[];
  @ApiProperty(instantOrNull('The earliest deadline still open')) nextDeadline!: string | null;
  @ApiProperty(instant()) createdAt!: string;
  @ApiProperty(instant()) updatedAt!: string;
  @ApiProperty(instantOrNull()) closedAt!: string | null;
  @ApiProperty({ type: () => WithdrawalDto, nullable: true }) withdrawal!: WithdrawalDto | null;
  @ApiProperty({ type: () => OutcomeDto, nullable: true }) outcome!: OutcomeDto | null;
}
