import { Cluster, Redis, ReplyError } from 'ioredis';
import { PushpageError } from '../../errors';
import {
  ACQUIRE_LEASE_SCRIPT,
  APPEND_DOC_SCRIPT,
  BEGIN_EVENT_SCRIPT,
  CLAIM_TIMER_SCRIPT,
  IDLE_TIMER_SCRIPT,
  WAKE_TIMERS_SCRIPT,
  CLAIM_NAME_SCRIPT,
  COMPACT_DOC_SCRIPT,
  END_EVENT_SCRIPT,
  RELEASE_FENCE_SCRIPT,
  RELEASE_LEASE_SCRIPT,
  RENEW_EVENT_SCRIPT,
  STEP_SCRIPT,
  TAKE_PAGE_PLACE_SCRIPT,
  STORAGE_SET_SCRIPT,
  STORAGE_DELETE_SCRIPT,
  STORAGE_GET_SCRIPT,
} from './redis-scripts';
import { EventClaim } from '../store';

/** A client of one Redis or of a Redis Cluster. */
export type RedisClient = Redis | Cluster;

export type StepReply = [code: number, value?: number | string, bytes?: number];

export interface ScriptCommands {
  ppStep(...keysAndArgs: string[]): Promise<StepReply>;
  ppAppendDoc(...keysAndArgs: (string | number | Buffer)[]): Promise<number>;
  ppCompactDoc(...keysAndArgs: (string | number | Buffer)[]): Promise<number>;
  ppAcquireLease(key: string, owner: string, ttlMs: number): Promise<number>;
  ppReleaseLease(key: string, owner: string): Promise<number>;
  ppClaimTimer(key: string, timer: string, due: number, next: number): Promise<number>;
  ppIdleTimer(key: string, idle: string, timer: string, due: number, page: string): Promise<number>;
  ppWakeTimers(key: string, idle: string, page: string, now: number): Promise<number>;
  ppBeginEvent(
    receipt: string,
    plan: string,
    owner: string,
    ttlMs: number,
  ): Promise<[EventClaim, string?]>;
  ppRenewEvent(receipt: string, owner: string, ttlMs: number): Promise<number>;
  ppEndEvent(
    receipt: string,
    owner: string,
    applied: '1' | '0',
    doneTtlMs: number,
  ): Promise<number>;
  ppTakePagePlace(key: string, pageId: string, max: number): Promise<number>;
  ppReleaseFence(head: string, token: string): Promise<number>;
  ppClaimName(key: string, id: string, gone: string): Promise<string>;
  ppStorageSet(
    key: string,
    field: string,
    json: string,
    maxBytes: number,
    expireAt: number,
  ): Promise<number>;
  ppStorageDelete(key: string, field: string, expireAt: number): Promise<number>;
  ppStorageGet(key: string, field: string, expireAt: number): Promise<string | string[] | null>;
}

/**
 * Each script with its fixed number of keys: the keys come first in every call, so a
 * cluster client (auto-pipelining included) routes the call by its first key.
 */
const SCRIPTS: Record<keyof ScriptCommands, { keys: number; lua: string }> = {
  ppStep: { keys: 5, lua: STEP_SCRIPT },
  ppAppendDoc: { keys: 3, lua: APPEND_DOC_SCRIPT },
  ppCompactDoc: { keys: 3, lua: COMPACT_DOC_SCRIPT },
  ppAcquireLease: { keys: 1, lua: ACQUIRE_LEASE_SCRIPT },
  ppReleaseLease: { keys: 1, lua: RELEASE_LEASE_SCRIPT },
  ppClaimTimer: { keys: 1, lua: CLAIM_TIMER_SCRIPT },
  ppIdleTimer: { keys: 2, lua: IDLE_TIMER_SCRIPT },
  ppWakeTimers: { keys: 2, lua: WAKE_TIMERS_SCRIPT },
  ppBeginEvent: { keys: 2, lua: BEGIN_EVENT_SCRIPT },
  ppRenewEvent: { keys: 1, lua: RENEW_EVENT_SCRIPT },
  ppEndEvent: { keys: 1, lua: END_EVENT_SCRIPT },
  ppTakePagePlace: { keys: 1, lua: TAKE_PAGE_PLACE_SCRIPT },
  ppReleaseFence: { keys: 1, lua: RELEASE_FENCE_SCRIPT },
  ppClaimName: { keys: 1, lua: CLAIM_NAME_SCRIPT },
  ppStorageSet: { keys: 1, lua: STORAGE_SET_SCRIPT },
  ppStorageDelete: { keys: 1, lua: STORAGE_DELETE_SCRIPT },
  ppStorageGet: { keys: 1, lua: STORAGE_GET_SCRIPT },
};

/** Replies of a Redis that cannot serve right now (starting, failing over, out of memory...). */
const TRANSIENT_REPLY =
  /^(LOADING|BUSY|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MISCONF|OOM)\b/;

/**
 * What a failed Redis call becomes: a Redis that cannot be reached (connection lost, refused,
 * timed out, retries exhausted) or cannot serve right now is the retryable `unavailable`
 * (503 over REST; tabs send their events again); any other error reply (a script error) is a
 * bug and stays as it is.
 */
export function storeFailure(error: unknown): unknown {
  if (error instanceof PushpageError) return error;
  if (error instanceof (ReplyError as typeof Error) && !TRANSIENT_REPLY.test(error.message))
    return error;
  const unavailable = new PushpageError(
    'unavailable',
    'the page store (Redis) is temporarily unavailable; try again in a moment',
  );
  Object.defineProperty(unavailable, 'cause', { value: error });
  return unavailable;
}

/**
 * The longest a store call waits for its answer, whatever the client does meanwhile: a
 * cluster client can hold a command in its own queues through a failover, past the
 * per-connection command timeout.
 */
const CALL_DEADLINE_MS = 8000;

export async function guarded<T>(call: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer from Redis within ${CALL_DEADLINE_MS} ms`)),
      CALL_DEADLINE_MS,
    );
  });
  try {
    return await Promise.race([call, deadline]);
  } catch (error) {
    throw storeFailure(error);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Closes a client: `QUIT` (after the replies it waits for) when connected; otherwise, or if
 * the connection is lost meanwhile, at once, so shutting down during a Redis outage neither
 * waits for reconnection attempts nor fails.
 */
export async function closeClient(redis: RedisClient): Promise<void> {
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // lost while quitting: disconnect below
    }
  }
  redis.disconnect();
}

/** A client with the store's scripts defined on it. */
export type ScriptedClient = RedisClient & ScriptCommands;

/** Defines the store's scripts on a client (once per client is enough; again is harmless). */
export function withScripts(redis: RedisClient): ScriptedClient {
  // each script has a fixed number of keys, given first in every call
  for (const [name, { keys, lua }] of Object.entries(SCRIPTS))
    redis.defineCommand(name, { numberOfKeys: keys, lua });
  return redis as ScriptedClient;
}
