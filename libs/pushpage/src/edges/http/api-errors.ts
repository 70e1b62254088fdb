import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  Injectable,
  Logger,
} from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { PushpageError, PushpageErrorCode } from '../../errors';
import { PushpageMetrics } from '../../ops/metrics.service';
import { RefusalLog } from '../../ops/refusal-log';
import { countRefusal } from '../../ops/refusals';
import type { UnusableReason } from '../../protocol';
import { RateLimitedError } from '../rate-limits';

const CODE_OF_STATUS: Record<number, PushpageErrorCode> = {
  400: 'bad-request',
  403: 'forbidden',
  404: 'not-found',
  413: 'too-large',
  422: 'not-listening',
};

/** Seconds to wait before the same request, by status, when the refusal does not say. */
const RETRY_AFTER: Partial<Record<number, number>> = { 409: 1, 429: 1, 503: 2 };

/** Seconds a refused client should wait before sending the same request again, if it should. */
export function retryAfterOf(error: unknown, status: number): number | undefined {
  return error instanceof RateLimitedError ? error.retryAfterSeconds : RETRY_AFTER[status];
}

/**
 * Writes any error as the API's one JSON shape: `{ statusCode, code, message }`, and counts
 * it in the refusal metrics (transport `http`) when its code is a refusal.
 */
export function sendApiError(
  res: Response,
  error: unknown,
  logger: Logger,
  metrics: PushpageMetrics,
): void {
  let status = 500;
  let code: string = 'internal-error';
  let message = 'the server could not handle this request; the server log has the details';
  let reason: UnusableReason | undefined;
  if (error instanceof PushpageError) {
    status = error.status;
    code = error.code;
    message = error.message;
    reason = error.reason;
  } else if (error instanceof HttpException) {
    status = error.getStatus();
    code = CODE_OF_STATUS[status] ?? (status === 429 ? 'rate-limited' : 'error');
    message = error.message;
  } else if (
    typeof error === 'object' &&
    error !== null &&
    'status' in error &&
    typeof error.status === 'number'
  ) {
    // body-parser: malformed JSON (400), a body over the limit (413), a charset or
    // encoding it cannot read (415, answered as the bad request it is)
    status = error.status === 413 ? 413 : 400;
    code = CODE_OF_STATUS[status];
    message =
      status === 413
        ? 'the body is too large'
        : error.status === 415
          ? 'the body must be JSON in UTF-8, uncompressed or gzip/deflate/br'
          : 'the body is not valid JSON';
  } else {
    logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  }
  countRefusal(metrics, 'http', error, code);
  const retryAfter = retryAfterOf(error, status);
  if (retryAfter !== undefined) res.setHeader('Retry-After', retryAfter);
  // JSON leaves `reason` out when there is none
  res.status(status).json({ statusCode: status, code, message, reason });
}

/** The exception filter of the REST controller. */
@Catch()
@Injectable()
export class ApiErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Pushpage');

  constructor(
    private readonly refusals: RefusalLog,
    private readonly metrics: PushpageMetrics,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    this.refusals.refused(error, 'rest');
    sendApiError(host.switchToHttp().getResponse<Response>(), error, this.logger, this.metrics);
  }
}

/** Express error middleware for errors raised before the controller (the body parser). */
export function apiBodyErrors(logger: Logger, metrics: PushpageMetrics) {
  return (error: unknown, req: Request, res: Response, next: NextFunction): void => {
    if (!req.path.startsWith('/api/') || res.headersSent) return next(error);
    sendApiError(res, error, logger, metrics);
  };
}
