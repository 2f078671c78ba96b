import { Injectable, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import { ActionLinks } from '@app/notifications/links/action-links';
import type { AuthenticatedRequest } from '../auth/auth.decorators';
import { TokenVerifier } from '../auth/token-verifier';

const BEARER = /^Bearer ([A-Za-z0-9_.-]{10,8192})$/;
const LINK_CALLER = 'dipb:link-caller';

/**
 * A route whose caller is the personal link in its path (`:token`), not a bearer token: the link pages.
 * Each link then has a budget of its own, as each API caller has.
 */
export const LinkCaller = (): ClassDecorator & MethodDecorator => SetMetadata(LINK_CALLER, true);

/**
 * Rate limit per caller: the subject of a token that passes verification, or on a link page the link
 * whose signature holds, else the client address. It does not rely on running after the AuthGuard
 * (global guards run in module registration order, and the root module's come first): it verifies the
 * token itself when the AuthGuard has not, so a forged subject or a bent link never buys a fresh budget,
 * and a flood of bad tokens or links is limited by address — without taking the budget of a caller who
 * shares that address but holds a good token or link (callers behind one proxy, or on loopback).
 */
@Injectable()
export class CallerThrottlerGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly verifier: TokenVerifier,
    private readonly links: ActionLinks,
  ) {
    super(options, storage, reflector);
  }

  protected override async getTracker(req: Record<string, unknown>, context?: ExecutionContext): Promise<string> {
    const request = req as unknown as AuthenticatedRequest;
    const id = request.actor?.id ?? (await this.verifiedSubject(request.headers.authorization));
    if (id !== undefined) return `sub:${id}`;
    const link = context && this.isLinkRoute(context) ? await this.verifiedLink(request.params.token) : undefined;
    return link !== undefined ? `link:${link}` : `ip:${await super.getTracker(req)}`;
  }

  /** One budget per caller across the whole API, not one per route (the default), so spreading calls over routes does not multiply it. */
  protected override generateKey(_context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `${throttlerName}:${tracker}`;
  }

  private isLinkRoute(context: ExecutionContext): boolean {
    return this.reflector.getAllAndOverride<boolean>(LINK_CALLER, [context.getHandler(), context.getClass()]) === true;
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

  private async verifiedLink(token: unknown): Promise<string | undefined> {
    return typeof token === 'string' ? this.links.signedId(token) : undefined;
  }
}
