import { status, type ServiceError as GrpcServiceError } from '@grpc/grpc-js';
import { google } from '@temporalio/proto';
import { ApplicationFailure, NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/common';
import {
  isGrpcServiceError,
  ServiceError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import type { Refusal } from '@app/domain';
import { REFUSAL_TYPES } from '../definitions';

/**
 * What an error from a Temporal call means for the command that made it. Every answer the API can
 * meet from the server (Temporal 1.29, SDK 1.24) has its own kind; `unknown` is left for what neither
 * documents, and is logged.
 */
export type TemporalAnswer =
  /** The workflow's validator or handler refused the command (the domain's verdict). */
  | { kind: 'refused'; refusal: Refusal['kind']; message: string }
  /** No running workflow: never started, or completed (closed or withdrawn), also while the update was on its way. */
  | { kind: 'gone'; message: string }
  /**
   * The update did not take effect and the same update id may be sent again at once: the workflow task
   * that carried it failed or timed out (`WorkflowNotReady`), the run continued as new under it, or the
   * run's update count is exhausted until it continues as new.
   */
  | { kind: 'again'; reason: 'workflow-task-failed' | 'update-not-processed' | 'update-limit'; message: string }
  /** No answer in time, or the server is out of reach or shedding load: the caller retries later, same key. */
  | {
      kind: 'unavailable';
      reason: 'deadline' | 'unreachable' | 'shedding' | 'busy-recommendation' | 'run-ended';
      message: string;
    }
  /** The service's own set-up is wrong (namespace, credentials): an operator's matter, never the caller's. */
  | { kind: 'misconfigured'; message: string }
  | { kind: 'unknown'; message: string };

const REFUSAL_OF_TYPE = new Map<string, Refusal['kind']>([
  [REFUSAL_TYPES.stage, 'stage'],
  [REFUSAL_TYPES.forbidden, 'forbidden'],
  [REFUSAL_TYPES.invalid, 'invalid'],
  [REFUSAL_TYPES.conflict, 'conflict'],
]);

/** The server's failure types for updates it ended itself (service/history/workflow/update/errors_failures.go). */
const SERVER_UPDATE_FAILURES = {
  /** Accepted, then the run ended before the handler returned: the command may be recorded; ask the record. */
  acceptedThenCompleted: 'AcceptedUpdateCompletedWorkflow',
  /** The worker completed the task without processing the update (no handler any more). */
  unprocessed: 'UnprocessedUpdate',
} as const;

const WORKFLOW_NOT_READY = 'temporal.api.errordetails.v1.WorkflowNotReadyFailure';

/** The types of the details a gRPC status carries (`grpc-status-details-bin`, a google.rpc.Status). */
function grpcDetailTypes(err: GrpcServiceError): string[] {
  const raw = err.metadata?.get('grpc-status-details-bin')?.[0];
  if (!(raw instanceof Buffer)) return [];
  return google.rpc.Status.decode(raw).details.map((d) => (d.type_url ?? '').replace(/^.*\//, ''));
}

/** The gRPC error under the SDK's wrappers, if there is one. */
function grpcCause(err: unknown): GrpcServiceError | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current; depth++) {
    if (isGrpcServiceError(current)) return current;
    current = current instanceof Error ? current.cause : undefined;
  }
  return undefined;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/** Names what a Temporal call's failure means (pure: the error as the SDK throws it in, the answer out). */
export function temporalAnswer(err: unknown): TemporalAnswer {
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const type = err.cause.type ?? '';
    const refusal = REFUSAL_OF_TYPE.get(type);
    if (refusal) return { kind: 'refused', refusal, message: err.cause.message };
    if (type === SERVER_UPDATE_FAILURES.unprocessed)
      return { kind: 'again', reason: 'update-not-processed', message: err.cause.message };
    // Not reached while the workflow ends runs only with every handler finished; named so that it is never "unexpected".
    if (type === SERVER_UPDATE_FAILURES.acceptedThenCompleted)
      return { kind: 'unavailable', reason: 'run-ended', message: err.cause.message };
  }
  if (err instanceof WorkflowNotFoundError) return { kind: 'gone', message: err.message };
  if (err instanceof NamespaceNotFoundError) return { kind: 'misconfigured', message: err.message };
  if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError)
    return { kind: 'unavailable', reason: 'deadline', message: err.message };
  const grpc = grpcCause(err);
  if (grpc) {
    const message = grpc.details || grpc.message;
    const code = grpc.code;
    if (code === status.NOT_FOUND) return { kind: 'gone', message };
    if (code === status.DEADLINE_EXCEEDED || code === status.CANCELLED)
      return { kind: 'unavailable', reason: 'deadline', message };
    if (code === status.UNAVAILABLE) return { kind: 'unavailable', reason: 'unreachable', message };
    // The per-workflow limit of updates in flight (10 by default) is this recommendation's queue, not the server's.
    if (code === status.RESOURCE_EXHAUSTED)
      return {
        kind: 'unavailable',
        reason: /in-flight updates/.test(message) ? 'busy-recommendation' : 'shedding',
        message,
      };
    if (code === status.FAILED_PRECONDITION) {
      if (grpcDetailTypes(grpc).includes(WORKFLOW_NOT_READY) || /workflow task failure/.test(message))
        return { kind: 'again', reason: 'workflow-task-failed', message };
      if (/total number of distinct updates/.test(message)) return { kind: 'again', reason: 'update-limit', message };
    }
    if (code === status.PERMISSION_DENIED || code === status.UNAUTHENTICATED) return { kind: 'misconfigured', message };
    // INVALID_ARGUMENT, INTERNAL and the rest: a defect on one side or the other, never the caller's.
  }
  if (grpc) return { kind: 'unknown', message: grpc.details || grpc.message };
  if (err instanceof ServiceError) return { kind: 'unavailable', reason: 'unreachable', message: err.message };
  return { kind: 'unknown', message: messageOf(err) };
}
