import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type {
  Actor,
  ActorRef,
  Command,
  CommandType,
  NotificationRequest,
  RaiseInput,
  RecommendationState,
  Stage,
  StateView,
} from '@app/domain';

/** Temporal names other teams and operators rely on (docs/operations.md, section 4). */
export const WORKFLOW_TYPE = 'recommendationLifecycle';
export const DEFAULT_TASK_QUEUE = 'dipb-recommendations';

export const SA = {
  reference: defineSearchAttributeKey('DipbReference', SearchAttributeType.KEYWORD),
  stage: defineSearchAttributeKey('DipbStage', SearchAttributeType.KEYWORD),
  workingGroup: defineSearchAttributeKey('DipbWorkingGroup', SearchAttributeType.KEYWORD),
  pendingNations: defineSearchAttributeKey('DipbPendingNations', SearchAttributeType.KEYWORD_LIST),
  nextDeadline: defineSearchAttributeKey('DipbNextDeadline', SearchAttributeType.DATETIME),
  overdue: defineSearchAttributeKey('DipbOverdue', SearchAttributeType.BOOL),
} as const;

export const SEARCH_ATTRIBUTE_TYPES: Record<string, 'Keyword' | 'KeywordList' | 'Datetime' | 'Bool'> = {
  DipbReference: 'Keyword',
  DipbStage: 'Keyword',
  DipbWorkingGroup: 'Keyword',
  DipbPendingNations: 'KeywordList',
  DipbNextDeadline: 'Datetime',
  DipbOverdue: 'Bool',
};

/**
 * What a run starts with: a raise (the text already stored, named by hash), or the state carried
 * over by continue-as-new as plain data, with the messages still owed — also how a breaking change
 * moves a run to new code (docs/operations.md, "Changing workflow code safely").
 */
export type LifecycleInput =
  | { kind: 'start'; reference: string; raise: RaiseInput; raisedBy: ActorRef }
  | { kind: 'continue'; state: RecommendationState; seq: number; owed: NotificationRequest[]; prepared?: string[] };

/** A command as it crosses from the API to the workflow: what, who, and its idempotency id. */
export interface CommandEnvelope<C extends Command = Command> {
  actor: Actor;
  command: C;
  /** The update id: Idempotency-Key-derived or random. Kept on the events, so a retry after continue-as-new is answered once. */
  commandId: string;
  /** The envelope's shape. */
  v: 2;
}

/** What an update answers: small on purpose (the view is read from PostgreSQL, where the update has put it). */
export interface CommandAck {
  reference: string;
  /** The last event recorded (and projected) when the update returned. */
  seq: number;
  stage: Stage;
  revision: number;
}

export type CommandUpdate = UpdateDefinition<CommandAck, [CommandEnvelope], string>;

/** One update per command, named as the command, so the Temporal UI shows what was done. */
function commandUpdate(type: CommandType): CommandUpdate {
  return defineUpdate<CommandAck, [CommandEnvelope]>(type);
}

export const updates = {
  revise: commandUpdate('revise'),
  'call-consensus': commandUpdate('call-consensus'),
  'consensus-position': commandUpdate('consensus-position'),
  'approval-position': commandUpdate('approval-position'),
  submit: commandUpdate('submit'),
  respond: commandUpdate('respond'),
  'report-progress': commandUpdate('report-progress'),
  withdraw: commandUpdate('withdraw'),
  close: commandUpdate('close'),
  'move-deadline': commandUpdate('move-deadline'),
  'resend-notification': commandUpdate('resend-notification'),
} as const satisfies Record<CommandType, CommandUpdate>;

/** The recommendation as the workflow holds it now (without the text). */
export const stateQuery = defineQuery<StateView>('state');

/** Answers once everything recorded so far is in PostgreSQL; sent with the start so a raise reads its own write. */
export const syncUpdate = defineUpdate<CommandAck, []>('sync');

/** Failure types the workflow's validators raise; the API maps them to HTTP statuses. */
export const REFUSAL_TYPES = {
  stage: 'CommandNotAllowedInStage',
  forbidden: 'CommandForbidden',
  invalid: 'InvalidCommand',
  conflict: 'CommandConflict',
} as const;
