import { ArgumentsHost, Catch, Injectable, Logger, WsExceptionFilter } from '@nestjs/common';
import { PushpageError } from '../../errors';
import { PushpageMetrics } from '../../ops/metrics.service';
import { RefusalLog } from '../../ops/refusal-log';
import { countRefusal } from '../../ops/refusals';
import { Failure } from '../../protocol';

/** Where Nest's Socket.IO adapter puts a message's acknowledgement: after the socket and data. */
const ACK_ARGUMENT = 2;

/**
 * Answers a socket message that failed, in a guard or its handler: the acknowledgement is
 * `{ ok: false, error }`, with the error's code for a {@link PushpageError} (refusals are
 * counted and, when they leave a tab unable to use its page, logged) and `unavailable` for
 * anything else (logged). Nest sends a handler's return value as the acknowledgement but not
 * a failure, so the filter calls the acknowledgement itself.
 */
@Catch()
@Injectable()
export class SocketExceptionFilter implements WsExceptionFilter {
  private readonly logger = new Logger('Pushpage');

  constructor(
    private readonly metrics: PushpageMetrics,
    private readonly refusals: RefusalLog,
  ) {}

  catch(error: unknown, host: ArgumentsHost): void {
    if (host.switchToWs().getPattern() === 'doc')
      this.metrics.docUpdates.inc({
        result: error instanceof PushpageError ? error.code : 'error',
      });
    const failure = this.failure(error);
    const ack: unknown = host.getArgByIndex(ACK_ARGUMENT);
    if (typeof ack === 'function') ack(failure);
  }

  private failure(error: unknown): Failure {
    this.refusals.refused(error, 'socket');
    countRefusal(this.metrics, 'socket', error);
    if (error instanceof PushpageError) return { ok: false, error: error.toJSON() };
    this.logger.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    return {
      ok: false,
      error: {
        code: 'unavailable',
        message: 'the server could not handle this message; try again',
      },
    };
  }
}
