import {
  CanActivate,
  ExecutionContext,
  Injectable,
  SetMetadata,
  type CustomDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SessionService } from '../../sessions/session.service';

const OPENS_SESSION = 'pushpage:opens-session';

/** Marks a route that starts a session when the request has none it may use (as a page load). */
export function OpensSession(): CustomDecorator<string> {
  return SetMetadata(OPENS_SESSION, true);
}

/**
 * Refuses a REST request whose session cookie is refused (two different ones, too old, from
 * before sessions had a lifetime) or whose session is idle or revoked: `403 forbidden`,
 * reason `session-unknown`, before the route reads anything. A request without a valid
 * session cookie passes, as before (shared pages only). Routes marked {@link OpensSession}
 * start a new session instead.
 */
@Injectable()
export class SessionGuard implements CanActivate {
  constructor(
    private readonly sessions: SessionService,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (this.reflector.get<boolean | undefined>(OPENS_SESSION, context.getHandler())) return true;
    const req = context.switchToHttp().getRequest<Request>();
    await this.sessions.checkRequest(this.sessions.requestCookie(req));
    return true;
  }
}
