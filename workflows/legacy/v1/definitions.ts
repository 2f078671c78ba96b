/**
 * FROZEN with the v1 lifecycle (see recommendation-lifecycle.v1.ts): the shapes its histories hold.
 * Names of updates and queries are the same as the current code's, so the API and operators address
 * both alike; what they carry and answer is v1's.
 */
import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import type {
  Actor,
  ActorRef,
  Command,
  CommandType,
  DeliveryContext,
  DeliveryResult,
  NotificationRequest,
  RaiseInput,
  RecommendationState,
  RecommendationView,
  RecordedEvent,
} from './domain';

export type { DeliveryContext, DeliveryResult };

/** What a v1 run starts with: a fresh raise, or the whole state carried over by continue-as-new. */
export type LifecycleInput =
  | { kind: 'raise'; reference: string; raise: RaiseInput; raisedBy: ActorRef }
  | { kind: 'carried'; state: RecommendationState; seq: number };

export interface CommandEnvelope<C extends Command = Command> {
  actor: Actor;
  command: C;
}

export type CommandUpdate = UpdateDefinition<RecommendationView, [CommandEnvelope], string>;

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
export const syncUpdate = defineUpdate<RecommendationView, []>('sync');
/** Added for the move to the current code; v1 histories never hold it. */
export const upgradeUpdate = defineUpdate<string, []>('upgrade');

export interface ProjectInput {
  reference: string;
  events: RecordedEvent[];
  view: RecommendationView;
}

/** v1's activities: the worker keeps them registered while v1 runs may exist. */
export interface LifecycleActivities {
  project(input: ProjectInput): Promise<void>;
  deliver(input: { requests: NotificationRequest[]; context: DeliveryContext }): Promise<DeliveryResult[]>;
}
