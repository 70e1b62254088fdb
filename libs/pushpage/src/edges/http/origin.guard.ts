import { CanActivate, ExecutionContext, Inject, Injectable, Logger } from '@nestjs/common';
import type { Request } from 'express';
import { PushpageError } from '../../errors';
import { PushpageMetrics } from '../../ops/metrics.service';
import { refusedAs } from '../../ops/refusals';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions, settingName } from '../../options';
import { requestAllowed } from '../origin';

/**
 * Refuses state-changing REST calls (anything but GET and HEAD) made by a browser page of
 * another origin: the session cookie would ride along, so this is cross-site request forgery.
 * At start-up it refuses production without `publicOrigins`, and outside production warns
 * once that the `Host` header stands in for them.
 */
@Injectable()
export class OriginGuard implements CanActivate {
  constructor(
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
    private readonly metrics: PushpageMetrics,
  ) {
    if (options.publicOrigins.length > 0) return;
    const setting = settingName(options, 'publicOrigins');
    if (process.env.NODE_ENV === 'production') {
      throw new Error(
        `${setting} is required in production: the origins browsers reach the app at ` +
          '(https://app.example.com), so that no other site can use its visitors’ sessions',
      );
    }
    new Logger('Pushpage').warn(
      `${setting} is not set: a browser page may connect when its origin is the request's own ` +
        'scheme and Host, so a site that points its own name at this server (DNS rebinding) ' +
        `may too; fine on your machine, set ${setting} anywhere else (production requires it)`,
    );
  }

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<Request>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    if (requestAllowed(req, this.options)) return true;
    throw refusedAs(
      this.metrics,
      'origin',
      'http',
      new PushpageError(
        'forbidden',
        `requests from ${String(req.headers.origin)} are not allowed: the origin is not one of ` +
          `${settingName(this.options, 'publicOrigins')} or ${settingName(this.options, 'allowedOrigins')}`,
      ),
    );
  }
}
