import { CommitResult, PushpageStore } from '../store/store';
import { PushpageMetrics } from './metrics.service';

function commitOutcome(result: CommitResult): string {
  if (result.ok) return result.replayed ? 'replayed' : 'ok';
  if ('existing' in result) return 'name-taken';
  if ('tooManyChildren' in result) return 'too-many-children';
  if ('tooLarge' in result) return 'too-large';
  if ('conflict' in result) return 'conflict';
  return 'receiptLost' in result ? 'receipt-lost' : 'too-many-pages';
}

/** Calls that are not store operations. */
const UNMETERED = new Set<PropertyKey>(['close', 'onReconnect']);

/**
 * The store with every call timed and counted: durations by operation, commit results,
 * and failures (Redis unreachable, a script error) as Redis errors.
 */
export function meteredStore(store: PushpageStore, metrics: PushpageMetrics): PushpageStore {
  // one wrapper per operation, made on first use rather than on every call
  const wrappers = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || UNMETERED.has(property)) return value;
      const known = wrappers.get(property);
      if (known) return known;
      const operation = String(property);
      const wrapper = async (...args: unknown[]): Promise<unknown> => {
        const end = metrics.storeDuration.startTimer({ operation });
        try {
          const result: unknown = await (value as (...a: unknown[]) => unknown).apply(target, args);
          if (operation === 'commit')
            metrics.commits.inc({ result: commitOutcome(result as CommitResult) });
          return result;
        } catch (error) {
          metrics.redisErrors.inc({ source: 'store' });
          throw error;
        } finally {
          end();
        }
      };
      wrappers.set(property, wrapper);
      return wrapper;
    },
  });
}
