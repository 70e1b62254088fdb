import { SessionStore } from '../store/store';

/**
 * A replica reads a session's record from the store again when what it read is older than
 * this, at the next page load, join or REST request of the session (and, in the background,
 * at its next socket message): the longest a revocation whose broadcast a replica missed
 * goes unnoticed there.
 */
export const SESSION_RECHECK_MS = 30_000;
/** The longest a replica waits before it records a session's use again (see `touchEveryMs`). */
export const SESSION_TOUCH_AT_MOST_EVERY_MS = 5 * 60_000;
/** The most sessions one replica remembers; the oldest are forgotten (and read again). */
const SESSIONS_KEPT = 50_000;

/** Whether a session may still be used. */
export type SessionVerdict = 'active' | 'idle' | 'revoked';

/** What this replica knows of a session. */
interface Known {
  /** The latest use known here: the store's, this replica's own, or the session's start. */
  usedAt: number;
  /** When the store's record was last asked for. */
  readAt: number;
  /** When this replica last recorded a use in the store. */
  wroteAt: number;
  revoked: boolean;
}

/** How sessions are tracked; see {@link SessionActivity}. */
export interface SessionActivityOptions {
  /** How long a session lasts unused. */
  idleMs: number;
  /** How long the store keeps what it is told of a session (the sessions' maximum age). */
  keepMs: number;
  /** The clock (ms since the epoch). */
  now?: () => number;
  /** Called when a read of the store finds a session revoked that this replica did not know of. */
  revokedFound?: (sessionId: string) => void;
  /** Called when recording a use failed. */
  warn?: (message: string) => void;
}

/**
 * The idle limit and revocations, as one replica sees them, without a store round trip per
 * message. Each replica remembers, per session, the latest use it knows and whether it was
 * revoked; it records its own uses in the store at most once per `touchEveryMs`, and reads
 * the store's record at a page load, join or REST request when what it read is older than
 * {@link SESSION_RECHECK_MS}, or when the session looks idle from here (another replica may
 * have used it). Socket messages are checked from memory. A session without a record counts
 * as used when it started (the issue time in its cookie).
 */
export class SessionActivity {
  private readonly known = new Map<string, Known>();
  private readonly reading = new Map<string, Promise<Known>>();
  private readonly now: () => number;
  /** How often, at most, this replica records one session's use: a tenth of the idle limit, 5 minutes at most. */
  readonly touchEveryMs: number;

  constructor(
    private readonly store: SessionStore,
    private readonly options: SessionActivityOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.touchEveryMs = Math.min(
      SESSION_TOUCH_AT_MOST_EVERY_MS,
      Math.max(1, Math.floor(options.idleMs / 10)),
    );
  }

  /** How many sessions this replica remembers. */
  get size(): number {
    return this.known.size;
  }

  /** A session this replica just started at `at`: used then, and nothing in the store yet. */
  started(sessionId: string, at: number): void {
    this.remember(sessionId, { usedAt: at, readAt: at, wroteAt: at, revoked: false });
  }

  /**
   * At a page load, join or REST request: whether the session may be used, reading the
   * store's record when the one read here is older than {@link SESSION_RECHECK_MS} (or the
   * session looks idle); records the use of an active session.
   */
  async check(sessionId: string, issuedAt: number): Promise<SessionVerdict> {
    const now = this.now();
    let known = this.known.get(sessionId);
    if (!known || now - known.readAt >= SESSION_RECHECK_MS)
      known = await this.read(sessionId, issuedAt);
    return this.judge(sessionId, issuedAt, known, now);
  }

  /**
   * At a socket message: as {@link check}, from what this replica knows. The store is read
   * first only for a session not known here or that looks idle; a record older than
   * {@link SESSION_RECHECK_MS} is read again in the background.
   */
  async checkMessage(sessionId: string, issuedAt: number): Promise<SessionVerdict> {
    const now = this.now();
    const known = this.known.get(sessionId);
    if (!known) return this.check(sessionId, issuedAt);
    const active = now - known.usedAt < this.options.idleMs;
    if (active && now - known.readAt >= SESSION_RECHECK_MS && !this.reading.has(sessionId)) {
      this.read(sessionId, issuedAt).catch((error: unknown) => {
        // the store is away: try again after the recheck time, not at every message
        known.readAt = now;
        this.options.warn?.(`reading a session's state: ${messageOf(error)}`);
      });
    }
    return this.judge(sessionId, issuedAt, known, now);
  }

  /** The session was revoked (here, or another replica said so). */
  revoked(sessionId: string): void {
    const now = this.now();
    const known = this.known.get(sessionId);
    if (known) known.revoked = true;
    else this.remember(sessionId, { usedAt: 0, readAt: now, wroteAt: now, revoked: true });
  }

  private async judge(
    sessionId: string,
    issuedAt: number,
    known: Known,
    now: number,
  ): Promise<SessionVerdict> {
    if (known.revoked) return 'revoked';
    if (now - known.usedAt >= this.options.idleMs) {
      // another replica may have used it since the record was read (they write that often)
      if (now - known.readAt >= this.touchEveryMs) known = await this.read(sessionId, issuedAt);
      if (known.revoked) return 'revoked';
      if (now - known.usedAt >= this.options.idleMs) return 'idle';
    }
    this.used(sessionId, known, now);
    return 'active';
  }

  /**
   * Records a use here, and in the store unless this replica did within `touchEveryMs`. A
   * failed write is not tried again before then (the store is away: other replicas may see
   * the session a little idler, within the limit's precision).
   */
  private used(sessionId: string, known: Known, now: number): void {
    known.usedAt = Math.max(known.usedAt, now);
    if (now - known.wroteAt < this.touchEveryMs) return;
    known.wroteAt = now;
    this.store
      .touchSession(sessionId, now, this.options.keepMs)
      .catch((error: unknown) =>
        this.options.warn?.(`recording a session's use: ${messageOf(error)}`),
      );
  }

  /** Reads a session's record (once at a time per session) into what this replica knows. */
  private read(sessionId: string, issuedAt: number): Promise<Known> {
    const pending = this.reading.get(sessionId);
    if (pending) return pending;
    const startedAt = this.now();
    const reading = this.store
      .sessionRecord(sessionId)
      .then((record) => {
        const before = this.known.get(sessionId);
        const known: Known = {
          usedAt: Math.max(issuedAt, record?.usedAt ?? 0, before?.usedAt ?? 0),
          readAt: startedAt,
          wroteAt: before?.wroteAt ?? 0,
          revoked: before?.revoked === true || record?.revokedAt !== undefined,
        };
        this.remember(sessionId, known);
        if (known.revoked && before?.revoked !== true) this.options.revokedFound?.(sessionId);
        return known;
      })
      .finally(() => this.reading.delete(sessionId));
    this.reading.set(sessionId, reading);
    return reading;
  }

  private remember(sessionId: string, known: Known): void {
    this.known.delete(sessionId);
    this.known.set(sessionId, known);
    // the first entries are the ones read longest ago
    for (const oldest of this.known.keys()) {
      if (this.known.size <= SESSIONS_KEPT) break;
      this.known.delete(oldest);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
