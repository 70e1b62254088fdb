import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { PushpageError } from '../errors';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { originAllowed } from './origin';

/**
 * Refuses state-changing REST calls (anything but GET and HEAD) made by a browser page of
 * another origin: the session cookie would ride along, so this is cross-site request forgery.
 */
@Injectable()
export class OriginGuard implements CanActivate {
  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    private readonly metrics: PushpageMetrics,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    if (originAllowed(req.headers.origin, req.headers.host, this.options.allowedOrigins))
      return true;
    this.metrics.refusals.inc({ reason: 'origin', transport: 'http' });
    throw new PushpageError(
      'forbidden',
      `requests from ${String(req.headers.origin)} are not allowed (allowedOrigins)`,
    );
  }
}
