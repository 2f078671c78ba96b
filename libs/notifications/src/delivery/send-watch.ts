import { isStillDue, type NotificationRequest, type RecommendationState } from '@app/domain';

/**
 * Calls a send off when its message stops being due while the SMTP server has not yet taken it: a hung
 * server holds a message for up to its timeouts, and what settles meanwhile must not go out when it wakes.
 * (The last word is the check at DATA, `OutboxDelivery`; the watch frees the send at once.)
 */
export interface SendWatch {
  /** Watches `request` until the returned stop is called; aborts `calledOff` once it is no longer due. */
  start(request: NotificationRequest, calledOff: AbortController): () => void;
}

/** The commits a watch hears: `RecommendationChanges` in PostgreSQL (LISTEN/NOTIFY). */
export interface Changes {
  readonly listening: boolean;
  watch(reference: string, onChange: () => void): () => void;
}

/** While nothing is heard (the listening connection is down), the state is read this often instead. */
const UNHEARD_POLL_MS = 1000;

/** The watch as the commits of the recommendation's projection, heard as they happen. */
export class ListeningSendWatch implements SendWatch {
  constructor(
    private readonly changes: Changes,
    private readonly stateOf: (reference: string) => Promise<RecommendationState | null>,
  ) {}

  start(request: NotificationRequest, calledOff: AbortController): () => void {
    const look = () => {
      if (calledOff.signal.aborted) return;
      this.stateOf(request.reference)
        .then((state) => {
          if (state && !isStillDue(state, request)) calledOff.abort(`${request.reference} is ${state.stage}`);
        })
        .catch(() => undefined); // PostgreSQL down: the send goes on, and the check at DATA decides
    };
    const stop = this.changes.watch(request.reference, look);
    const poll = setInterval(() => {
      if (!this.changes.listening) look();
    }, UNHEARD_POLL_MS);
    return () => {
      stop();
      clearInterval(poll);
    };
  }
}
