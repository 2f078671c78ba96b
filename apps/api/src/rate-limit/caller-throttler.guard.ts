import { Injectable, type ExecutionContext } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

/**
 * Rate limit per caller: the verified token's subject when there is one, else the client address.
 * It runs after the AuthGuard, so `req.actor` is set only from a token that passed verification;
 * a forged subject cannot buy a fresh budget.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  protected override getTracker(req: Record<string, unknown>): Promise<string> {
    const actor = (req as unknown as AuthenticatedRequest).actor;
    if (actor) return Promise.resolve(`sub:${actor.id}`);
    return super.getTracker(req).then((ip) => `ip:${ip}`);
  }

  /** One budget per caller across the whole API, not one per route (the default), so spreading calls over routes does not multiply it. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }
}
