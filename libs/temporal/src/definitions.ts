import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { Actor, ActorRef, Command, CommandType, RaiseInput, RecommendationState, RecommendationView } from '@app/domain';

/** Temporal names other teams and operators rely on (API.md, "Temporal, as operators see it"). */
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

/** What a run starts with: a fresh raise, or the whole state carried over by continue-as-new. */
export type LifecycleInput =
  | { kind: 'raise'; reference: string; raise: RaiseInput; raisedBy: ActorRef }
  | { kind: 'carried'; state: RecommendationState; seq: number };

/** A command as it crosses from the API to the workflow: what, and who. */
export interface CommandEnvelope<C extends Command = Command> {
  actor: Actor;
  command: C;
}

export type CommandUpdate = UpdateDefinition<RecommendationView, [CommandEnvelope], string>;

/** One update per command, named as the command, so the Temporal UI shows what was done. */
function commandUpdate(type: CommandType): CommandUpdate {
  return defineUpdate<RecommendationView, [CommandEnvelope]>(type);
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

export const stateQuery = defineQuery<RecommendationView>('state');

/** Answers once everything recorded so far is in PostgreSQL; sent with the start so a raise reads its own write. */
export const syncUpdate = defineUpdate<RecommendationView, []>('sync');

/** Failure types the workflow's validators raise; the API maps them to HTTP statuses. */
export const REFUSAL_TYPES = {
  stage: 'CommandNotAllowedInStage',
  forbidden: 'CommandForbidden',
  invalid: 'InvalidCommand',
  conflict: 'CommandConflict',
} as const;
