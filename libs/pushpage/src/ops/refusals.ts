import { PushpageError, PushpageErrorCode } from '../errors';
import type { PushpageMetrics } from './metrics.service';

/** Where a refused message or request came in: a socket, or HTTP (REST, a page load). */
export type RefusalTransport = 'socket' | 'http';

/**
 * The error codes that mean a message or request was refused (the client sent what it may not,
 * or too much of it) rather than failed: counted in `pushpage_refusals_total` on every
 * transport, under the code.
 */
const REFUSAL_CODES: ReadonlySet<string> = new Set<PushpageErrorCode>([
  'bad-request',
  'forbidden',
  'not-found',
  'not-listening',
  'too-large',
  'unsupported-type',
  'rate-limited',
]);

/** Errors counted already, under a reason of their own, that are not to be counted again. */
const counted = new WeakSet<object>();

/**
 * Counts a refusal in `pushpage_refusals_total{reason, transport}` under its error code: when
 * `code` (the error's, or what an answer made of it) is a refusal and nothing counted `error`
 * yet. Each error counts once, however many layers answer it.
 */
export function countRefusal(
  metrics: PushpageMetrics,
  transport: RefusalTransport,
  error: unknown,
  code: string | undefined = error instanceof PushpageError ? error.code : undefined,
): void {
  if (code === undefined || !REFUSAL_CODES.has(code)) return;
  if (typeof error === 'object' && error !== null) {
    if (counted.has(error)) return;
    counted.add(error);
  }
  metrics.refusals.inc({ reason: code, transport });
}

/**
 * Counts a refusal under a reason that is not its error code (`origin`, for a `forbidden`
 * cross-site request) and returns the error, marked so that {@link countRefusal} leaves it.
 */
export function refusedAs<E extends object>(
  metrics: PushpageMetrics,
  reason: string,
  transport: RefusalTransport,
  error: E,
): E {
  counted.add(error);
  metrics.refusals.inc({ reason, transport });
  return error;
}
