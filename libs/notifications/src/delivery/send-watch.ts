import { isStillDue, type NotificationRequest, type RecommendationState } from '@app/domain';

/**
 * Calls a send off when its message stops being due while the SMTP server has not yet taken it: a hung
 * server holds a message for up to its timeouts, and what settles meanwhile must not go out when it wakes.
 */
export interface SendWatch {
  /** Watches `request` until the returned stop is called; aborts `calledOff` once it is no longer due. */
  start(request: NotificationRequest, calledOff: AbortController): () => void;
}

/** How often the polling watch reads the recommendation's state again. */
const STALE_WATCH_MS = 1000;

/** The watch as a poll of the recommendation's committed state (`stateOf`), every `STALE_WATCH_MS`. */
export class PollingSendWatch implements SendWatch {
  constructor(private readonly stateOf: (reference: string) => Promise<RecommendationState | null>) {}

  start(request: NotificationRequest, calledOff: AbortController): () => void {
    const timer = setInterval(() => {
      this.stateOf(request.reference)
        .then((state) => {
          if (state && !isStillDue(state, request)) calledOff.abort(`${request.reference} is ${state.stage}`);
        })
        .catch(() => undefined); // PostgreSQL down: the send goes on, as it would without the watch
    }, STALE_WATCH_MS);
    return () => clearInterval(timer);
  }
}
