import { Injectable, Logger } from '@nestjs/common';
import { PushpageError } from '../errors';

/** A refusal is logged again after this long, if it still happens. */
const QUIET_MS = 60_000;
/** Refusals remembered at once; the oldest is forgotten first. */
const REMEMBERED = 1000;

/**
 * Logs the refusals that leave a tab unable to use its page (its page gone, its session not
 * recognised, another session's page) once, with the reason, rather than at every retry,
 * poll or event of the tab that keeps hitting them.
 */
@Injectable()
export class RefusalLog {
  private readonly logger = new Logger('Pushpage');
  private readonly lastLogged = new Map<string, number>();

  /** Logs the error if it makes a page unusable and was not logged in the last minute. */
  refused(error: unknown, transport: 'socket' | 'rest', now = Date.now()): void {
    if (!(error instanceof PushpageError) || !error.reason) return;
    const key = `${transport} ${error.reason} ${error.message}`;
    const last = this.lastLogged.get(key);
    if (last !== undefined && now - last < QUIET_MS) return;
    this.lastLogged.delete(key);
    this.lastLogged.set(key, now);
    if (this.lastLogged.size > REMEMBERED) {
      const oldest = this.lastLogged.keys().next();
      if (!oldest.done) this.lastLogged.delete(oldest.value);
    }
    const what = transport === 'socket' ? 'a socket message' : 'a REST request';
    this.logger.warn(`${what} was refused (${error.reason}): ${error.message}`);
  }
}
