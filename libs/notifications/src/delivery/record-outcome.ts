import type { Logger } from '@nestjs/common';
import {
  recipientKey,
  type DeliveryResult,
  type Language,
  type NotificationRequest,
  type RecommendationState,
} from '@app/domain';
import type { OutboxRow, OutboxTransaction } from '@app/persistence';
import type { SmtpTransientError } from '../mailer.service';
import { messageIdFor } from '../message-id';
import type { ResolvedRecipient } from '../recipient-directory';
import type { Undeliverable } from './letter';
import type { Sending } from './send-attempts';

/** What one delivery came to, for its caller (`NotificationsService.conclude`). */
export type DeliveryOutcome =
  /** Sent, dropped, skipped, or settled so by an earlier attempt. */
  | { kind: 'settled'; result: DeliveryResult }
  /** Refused by every address: the secretariat gets a copy to pass on. */
  | { kind: 'undeliverable'; result: DeliveryResult; undeliverable: Undeliverable }
  /** SMTP could not take it now: the activity retries with backoff. */
  | { kind: 'retry'; error: SmtpTransientError };

/** A row an earlier attempt settled: that is what happened (a refused one still owes the secretariat its copy). */
export function settledEarlier(row: OutboxRow, request: NotificationRequest): DeliveryOutcome {
  const result = toResult(row);
  if (result.status !== 'failed') return { kind: 'settled', result };
  const addresses = result.address ? [result.address] : [];
  const undeliverable = { recipient: recipientKey(request.recipient), addresses, reason: result.error ?? 'refused' };
  return { kind: 'undeliverable', result, undeliverable };
}

/** Why a message is no longer owed, by the state read with its row's lock. */
export function noLongerDue(request: NotificationRequest, state: RecommendationState): string {
  return `no longer due: ${settled(request, state)}`;
}

/** What settled the matter a message was about, in the state that settled it. */
export function settled(request: NotificationRequest, state: RecommendationState): string {
  const who = request.nation ? `, ${request.nation} settled or spoke` : '';
  return `${request.reference} is ${state.stage}${who}`;
}

export async function recordDropped(
  tx: OutboxTransaction,
  request: NotificationRequest,
  reason: string,
): Promise<DeliveryOutcome> {
  return { kind: 'settled', result: toResult(await tx.dropped(request.identity, reason)) };
}

/** No address to send to. */
export async function recordSkipped(
  tx: OutboxTransaction,
  request: NotificationRequest,
  to: ResolvedRecipient,
  logger: Logger,
): Promise<DeliveryOutcome> {
  const reason = to.missing ?? 'no address';
  logger.warn(`notification ${request.identity} skipped: ${reason}`);
  return { kind: 'settled', result: toResult(await tx.skipped(request.identity, reason, to.language)) };
}

/** What the attempts came to, into the outbox row (in the transaction that holds its lock) and the outcome. */
export async function recordSending(
  tx: OutboxTransaction,
  request: NotificationRequest,
  sending: Sending,
  recipient: () => Promise<ResolvedRecipient>,
  logger: Logger,
): Promise<DeliveryOutcome> {
  switch (sending.kind) {
    case 'sent': {
      const { attempt, sent, refusals } = sending;
      const messageId = messageIdFor(request.identity);
      const notes = [...refusals, ...(sent.rejected.length > 0 ? [`rejected: ${sent.rejected.join(', ')}`] : [])];
      const row = await tx.sent(request.identity, {
        address: attempt.addresses.join(', '),
        language: attempt.language,
        messageId,
        at: sent.acceptedAt,
        note: notes.length > 0 ? notes.join('; ') : null,
      });
      return { kind: 'settled', result: toResult(row) };
    }
    case 'called-off': {
      const when = sending.atData
        ? 'when the SMTP server was ready for it (354), before a byte of it went'
        : 'while the SMTP server had not taken it';
      const reason = `no longer due: ${sending.reason}, ${when}`;
      logger.warn(`notification ${request.identity} called off: ${reason}`);
      return recordDropped(tx, request, reason);
    }
    case 'unavailable':
      // Committed (the transaction returns normally), so the preview shows the attempt and why it failed.
      await tx.attemptFailed(request.identity, sending.error.message);
      return { kind: 'retry', error: sending.error };
    case 'refused':
      return recordRefused(tx, request, sending, (await recipient()).language, logger);
  }
}

/** Refused by every address tried: failed, and undeliverable. */
async function recordRefused(
  tx: OutboxTransaction,
  request: NotificationRequest,
  sending: { refusals: string[]; tried: string[][] },
  language: Language,
  logger: Logger,
): Promise<DeliveryOutcome> {
  const messageId = messageIdFor(request.identity);
  const reason = sending.refusals.join('; ');
  const addresses = sending.tried.flat();
  const address = addresses[0] ?? null;
  await tx.failed(request.identity, { address, language, messageId, reason });
  logger.warn(`notification ${request.identity} refused by every address: ${reason}`);
  return {
    kind: 'undeliverable',
    result: { identity: request.identity, status: 'failed', address, messageId, sentAt: null, error: reason },
    undeliverable: { recipient: recipientKey(request.recipient), addresses, reason },
  };
}

function toResult(row: OutboxRow): DeliveryResult {
  const status = row.status === 'pending' ? 'failed' : row.status;
  return {
    identity: row.identity,
    status,
    address: row.address,
    messageId: row.message_id,
    sentAt: row.sent_at ? new Date(row.sent_at).toISOString() : null,
    error: row.last_error,
  };
}
