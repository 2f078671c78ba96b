import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { hasRole, type Role } from '@app/domain';
import { ProblemException } from '../problem/problem';
import { PUBLIC_KEY, ROLES_KEY, type AuthenticatedRequest } from './auth.decorators';
import { InvalidTokenError, TokenVerifier } from './token-verifier';

/** The one place a route's caller is authenticated and its role checked; nation rules are the domain's. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = req.headers.authorization;
    const match = typeof header === 'string' ? /^Bearer ([A-Za-z0-9_.-]{10,8192})$/.exec(header) : null;
    if (!match?.[1]) throw new ProblemException(401, 'send Authorization: Bearer <JWT>');
    try {
      req.actor = await this.verifier.verify(match[1]);
    } catch (err) {
      throw new ProblemException(
        401,
        err instanceof InvalidTokenError ? err.message : 'the token is invalid or expired',
      );
    }
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const actor = req.actor;
    if (roles && !roles.some((r) => hasRole(actor, r))) {
      throw new ProblemException(
        403,
        `this route is for ${roles.join(' or ')}; the caller is ${actor.roles.join(', ')}`,
      );
    }
    return true;
  }
}
