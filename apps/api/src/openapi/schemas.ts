import type { ApiPropertyOptions } from '@nestjs/swagger';
import {
  APPROVAL_POSITIONS,
  DECISIONS,
  EVENT_TYPES,
  LANGUAGES,
  NATION_CODES,
  NATION_STATES,
  NOTIFICATION_KINDS,
  POSITIONS,
  PROGRESS_STATUSES,
  ROLES,
  STAGES,
  WORKING_GROUPS,
} from '@app/domain';

/**
 * The domain's enumerations, each a named schema of the document (`Stage`, `NationCode`, …), so a
 * generated client has one type per enumeration. The values come from libs/domain: the document
 * follows the code.
 */
export const ENUMS = {
  stage: { enum: [...STAGES], enumName: 'Stage' },
  workingGroup: { enum: [...WORKING_GROUPS], enumName: 'WorkingGroup' },
  language: { enum: [...LANGUAGES], enumName: 'Language' },
  nation: { enum: [...NATION_CODES], enumName: 'NationCode' },
  nationState: { enum: [...NATION_STATES], enumName: 'NationState' },
  position: { enum: [...POSITIONS], enumName: 'Position' },
  approvalPosition: { enum: [...APPROVAL_POSITIONS], enumName: 'ApprovalPosition' },
  decision: { enum: [...DECISIONS], enumName: 'Decision' },
  progressStatus: { enum: [...PROGRESS_STATUSES], enumName: 'ProgressStatus' },
  role: { enum: [...ROLES], enumName: 'Role' },
  actorRole: { enum: [...ROLES, 'system'], enumName: 'ActorRole' },
  eventType: { enum: [...EVENT_TYPES], enumName: 'EventType' },
  notificationKind: { enum: [...NOTIFICATION_KINDS], enumName: 'NotificationKind' },
} as const satisfies Record<string, ApiPropertyOptions>;

/** An ISO 8601 instant in UTC. */
export function instant(description?: string): ApiPropertyOptions {
  return {
    type: String,
    format: 'date-time',
    example: '2026-12-04T11:00:00.000Z',
    ...(description ? { description } : {}),
  };
}

/** An ISO 8601 instant in UTC, or null. */
export function instantOrNull(description?: string): ApiPropertyOptions {
  return { ...instant(description), nullable: true };
}

/** An ISO 8601 duration, or for the periods a deadline is counted in, a number of working days. */
export function duration(description: string, example: string, workingDays = false): ApiPropertyOptions {
  return {
    type: String,
    description: workingDays
      ? `${description}: an ISO 8601 duration (P14D), or NATO HQ's working days ("10 working days", needs calendar)`
      : description,
    example,
  };
}

export const REFERENCE_EXAMPLE = 'DIPB-2026-0001';
