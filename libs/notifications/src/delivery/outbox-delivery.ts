import type { Logger } from '@nestjs/common';
import { isStillDue, type NotificationRequest, type RecommendationState } from '@app/domain';
import type { OutboxTransaction } from '@app/persistence';
import type { MailerService } from '../mailer.service';
import type { ResolvedRecipient } from '../recipient-directory';
import type { ComposedMail, MessageComposer, NationLookup } from './compose-message';
import type { Letter } from './letter';
import {
  noLongerDue,
  recordDropped,
  recordSending,
  recordSkipped,
  settled,
  settledEarlier,
  type DeliveryOutcome,
} from './record-outcome';
import { attemptsInTurn, preparedOf, sendInTurn, type Attempt, type Sending } from './send-attempts';
import type { SendWatch } from './send-watch';

/**
 * One letter's delivery, in the transaction that holds its outbox row's lock from the claim to the
 * record: claim → still due? → resolve the recipient → compose → attempt → record.
 */
export class OutboxDelivery {
  constructor(
    private readonly composer: MessageComposer,
    private readonly mailer: MailerService,
    private readonly watch: SendWatch,
    private readonly logger: Logger,
  ) {}

  async deliverIn(tx: OutboxTransaction, letter: Letter): Promise<DeliveryOutcome> {
    const { request } = letter;
    const row = await tx.claim(request);
    if (row.status !== 'pending') return settledEarlier(row, request);
    // Checked at the instant of sending, against the committed state read with the row's lock; a copy
    // is owed whatever the state, and never prepared ahead.
    const state = letter.kind === 'notification' ? row.state : null;
    if (state && !isStillDue(state, request)) return recordDropped(tx, request, noLongerDue(request, state));
    const prepared = letter.kind === 'notification' ? preparedOf(row) : null;

    const nationOf: NationLookup = (code) => tx.nation(code);
    // Looked up only when needed: a message prepared ahead needs it only if its address refuses it.
    const recipient = once((): Promise<ResolvedRecipient> => this.composer.resolve(letter, nationOf));
    if (!prepared) {
      const to = await recipient();
      if (to.attempts.length === 0) return recordSkipped(tx, request, to, this.logger);
    }
    const mail = once(async (): Promise<ComposedMail> => this.composer.compose(letter, await recipient(), nationOf));
    const sending = await this.attempt(tx, request, state, attemptsInTurn(this.mailer, prepared, recipient, mail));
    return recordSending(tx, request, sending, recipient, this.logger);
  }

  /**
   * Sends through each attempt in turn. Until the server is ready for the message, whatever settles the
   * matter calls it off at once (`watch`); when it is ready (354), the committed state is read again,
   * and the message goes only if it is still owed at that instant.
   */
  private async attempt(
    tx: OutboxTransaction,
    request: NotificationRequest,
    state: RecommendationState | null,
    attempts: AsyncIterable<Attempt>,
  ): Promise<Sending> {
    if (!state) return sendInTurn(attempts, {}); // a copy: owed whatever the state
    const calledOff = new AbortController();
    const stop = this.watch.start(request, calledOff);
    const lastCheck = async (): Promise<string | null> => {
      const now = await tx.state(request.reference);
      return now && !isStillDue(now, request) ? settled(request, now) : null;
    };
    try {
      return await sendInTurn(attempts, { signal: calledOff.signal, lastCheck });
    } finally {
      stop();
    }
  }
}

/** `fn`'s promise, made on the first call and shared by the later ones. */
function once<T>(fn: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | null = null;
  return () => (made ??= fn());
}
