import { Metadata, status } from '@grpc/grpc-js';
import { ApplicationFailure, NamespaceNotFoundError, WorkflowNotFoundError } from '@temporalio/common';
import { ServiceError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { google, temporal } from '@temporalio/proto';
import { REFUSAL_TYPES } from '../definitions';
import { temporalAnswer } from './temporal-answer';

/** A gRPC error as @grpc/grpc-js hands it to the SDK, with the server's status details when it sends some. */
function grpcError(code: status, details: string, detail?: { type: string; value: Uint8Array }): Error {
  const metadata = new Metadata();
  if (detail) {
    const bin = google.rpc.Status.encode({
      code,
      message: details,
      details: [{ type_url: `type.googleapis.com/${detail.type}`, value: detail.value }],
    }).finish();
    metadata.set('grpc-status-details-bin', Buffer.from(bin));
  }
  return Object.assign(new Error(`${code} ${status[code]}: ${details}`), { code, details, metadata });
}

/** How the SDK wraps a gRPC error it has no class for (WorkflowClient.rethrowGrpcError). */
const wrapped = (err: Error) => new ServiceError('Workflow Update failed', { cause: err });

const updateFailed = (type: string, message = 'no') =>
  new WorkflowUpdateFailedError(
    'Workflow Update failed',
    ApplicationFailure.create({ type, message, nonRetryable: true }),
  );

describe('temporalAnswer: every answer a command can meet from Temporal has its meaning', () => {
  it.each([
    [REFUSAL_TYPES.stage, 'stage'],
    [REFUSAL_TYPES.forbidden, 'forbidden'],
    [REFUSAL_TYPES.invalid, 'invalid'],
    [REFUSAL_TYPES.conflict, 'conflict'],
  ])('a refusal of type %s is the domain refusal %s, with its message', (type, refusal) => {
    expect(temporalAnswer(updateFailed(type, 'the stage is wrong'))).toEqual({
      kind: 'refused',
      refusal,
      message: 'the stage is wrong',
    });
  });

  it('a workflow task that failed or timed out while it carried the update (WorkflowNotReady) may go again', () => {
    const err = grpcError(
      status.FAILED_PRECONDITION,
      'Unable to perform workflow execution update due to unexpected workflow task failure.',
      {
        type: 'temporal.api.errordetails.v1.WorkflowNotReadyFailure',
        value: temporal.api.errordetails.v1.WorkflowNotReadyFailure.encode({}).finish(),
      },
    );
    expect(temporalAnswer(wrapped(err))).toMatchObject({ kind: 'again', reason: 'workflow-task-failed' });
  });

  it("the run's limit of distinct updates may go again once the run has continued as new", () => {
    const err = grpcError(
      status.FAILED_PRECONDITION,
      'The limit on the total number of distinct updates in this workflow has been reached (2000).',
    );
    expect(temporalAnswer(wrapped(err))).toMatchObject({ kind: 'again', reason: 'update-limit' });
  });

  it('an update the worker did not process may go again; one cut off by the end of its run is unavailable', () => {
    expect(temporalAnswer(updateFailed('UnprocessedUpdate'))).toMatchObject({
      kind: 'again',
      reason: 'update-not-processed',
    });
    expect(temporalAnswer(updateFailed('AcceptedUpdateCompletedWorkflow'))).toMatchObject({
      kind: 'unavailable',
      reason: 'run-ended',
    });
  });

  it('a workflow that is not there, or closed while the update was on its way, is gone', () => {
    expect(temporalAnswer(new WorkflowNotFoundError('not found', 'DIPB-2026-0001', undefined))).toMatchObject({
      kind: 'gone',
    });
    const closing = grpcError(status.NOT_FOUND, 'workflow update was aborted by closing workflow');
    expect(temporalAnswer(wrapped(closing))).toEqual({
      kind: 'gone',
      message: 'workflow update was aborted by closing workflow',
    });
  });

  it.each([
    ['DEADLINE_EXCEEDED', wrapped(grpcError(status.DEADLINE_EXCEEDED, 'deadline')), 'deadline'],
    ['an update call past its deadline', new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'), 'deadline'],
    ['UNAVAILABLE', wrapped(grpcError(status.UNAVAILABLE, 'connection refused')), 'unreachable'],
    [
      'a transport error',
      new ServiceError('Unexpected error while making gRPC request', { cause: new Error('socket closed') }),
      'unreachable',
    ],
    ['RESOURCE_EXHAUSTED', wrapped(grpcError(status.RESOURCE_EXHAUSTED, 'namespace rate limit exceeded')), 'shedding'],
    [
      'the limit of updates in flight',
      wrapped(
        grpcError(status.RESOURCE_EXHAUSTED, 'limit on number of concurrent in-flight updates has been reached (10)'),
      ),
      'busy-recommendation',
    ],
  ])('%s is unavailable', (_label, err, reason) => {
    expect(temporalAnswer(err)).toMatchObject({ kind: 'unavailable', reason });
  });

  it.each([
    ['an unknown namespace', new NamespaceNotFoundError('dipb')],
    ['PERMISSION_DENIED', grpcError(status.PERMISSION_DENIED, 'Request unauthorized.')],
    ['UNAUTHENTICATED', grpcError(status.UNAUTHENTICATED, 'API key invalid')],
  ])('%s is a set-up fault of the service', (_label, err) => {
    expect(temporalAnswer(err).kind).toBe('misconfigured');
  });

  it('anything else is unknown, with its message', () => {
    expect(temporalAnswer(grpcError(status.INTERNAL, 'boom'))).toEqual({ kind: 'unknown', message: 'boom' });
    expect(temporalAnswer(new TypeError('x is undefined'))).toEqual({ kind: 'unknown', message: 'x is undefined' });
  });
});
