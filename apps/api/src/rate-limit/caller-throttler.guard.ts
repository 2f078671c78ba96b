import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { TokenVerifier } from '../auth/token-verifier';

const BEARER = /^Bearer ([A-Za-z0-9_.-]{10,8192})$/;

/**
 * Rate limit per caller: the subject of a token that passes verification, else the client address.
 * It does not rely on running after the AuthGuard (global guards run in module registration order,
 * and the root module's come first): it verifies the token itself when the AuthGuard has not, so a
 * forged subject never buys a fresh budget, and a flood of bad tokens is still limited by address.
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    const id = request.actor?.id ?? (await this.verifiedSubject(request.headers.authorization));
    return id !== undefined ? `sub:${id}` : `ip:${await super.getTracker(req)}`;
  }

  /** One budget per caller across the whole API, not one per route (the default), so spreading calls over routes does not multiply it. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  private async verifiedSubject(header: string | undefined): Promise<string | undefined> {
    const token = typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
    if (!token) return undefined;
    try {
      return (await this.verifier.verify(token)).id;
    } catch {
      return undefined;
    }
  }
}
