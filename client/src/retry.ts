/**
 * When a refused message may be sent again, and after how long: the one rule of the socket
 * and the HTTP transport.
 */

/**
 * Refusals after which nothing was applied: the handler kept meeting concurrent changes
 * (`conflict`), the server is shutting down or cannot reach its store (`unavailable`), or
 * another replica holds the event (`in-progress`). The same event, with the same id, is safe
 * to send again: the server applies an id once.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set(['in-progress', 'conflict', 'unavailable']);

/** The wait when the server names none. */
export const DEFAULT_RETRY_MS = 1000;
/** The shortest wait, so that a server asking for none is not asked again in a tight loop. */
const MIN_RETRY_WAIT_MS = 100;
/** The longest single wait, whatever the server asks for. */
export const MAX_RETRY_WAIT_MS = 10_000;
/** Up to this share of a wait is added at random, so tabs refused together come back apart. */
const JITTER = 0.2;

/** Whether a refusal with this code may be answered by sending the same message again. */
export function retryable(code: string | undefined): boolean {
  return code !== undefined && RETRYABLE_CODES.has(code);
}

/**
 * The seconds of an HTTP `Retry-After` header (a number of seconds, or an HTTP date such as
 * `Sun, 01 Mar 2026 10:00:05 GMT`), or `undefined` when there is none or it cannot be read.
 */
export function retryAfterSeconds(header: string | null, now = Date.now()): number | undefined {
  const text = header?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text);
  // only an HTTP date: Date.parse reads almost anything ("-1", "1.5") as some date
  const date = / GMT$/.test(text) ? Date.parse(text) : NaN;
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

/**
 * How long to wait before sending again: the seconds the server asked for (a second when it
 * named none) plus up to a fifth more at random, at least a tenth of a second and at most
 * {@link MAX_RETRY_WAIT_MS} in all.
 */
export function retryWait(seconds?: number, random: () => number = Math.random): number {
  const asked = seconds === undefined ? DEFAULT_RETRY_MS : seconds * 1000;
  const wait = Math.max(asked, MIN_RETRY_WAIT_MS) * (1 + JITTER * random());
  return Math.round(Math.min(wait, MAX_RETRY_WAIT_MS));
}
