/**
 * Messages between the bench coordinator and its HTTP client workers
 * (`http-client-worker.ts`), over the `child_process.fork` IPC channel.
 */

/** A client clicking on its own page: `url` is the events endpoint of that page. */
export interface ClickTarget {
  url: string;
  cookie: string;
  /** components to click, in turn */
  componentIds: string[];
}

/** A polling client: `url` is the page to GET; `index` places it in the stagger. */
export interface PollTarget {
  url: string;
  cookie: string;
  index: number;
}

/** What the coordinator asks an HTTP worker to do (one command per worker). */
export type HttpCommand =
  /** Every target clicks one event at a time, back to back, for `durationMs`. */
  | { op: 'clicks'; targets: ClickTarget[]; durationMs: number }
  /**
   * Every target GETs its page every `intervalMs` with If-None-Match, the first at `startAt`
   * (system-wide monotonic ms) plus `index / total` of the interval; the first round only
   * fetches the ETag, polls starting in the following `durationMs` are counted.
   */
  | {
      op: 'polls';
      targets: PollTarget[];
      total: number;
      startAt: number;
      intervalMs: number;
      durationMs: number;
    };

/** What a worker measured: latency of each counted reply in ms, replies by status. */
export interface HttpResult {
  latencies: number[];
  statuses: Record<number, number>;
  failures: number;
  firstError: string;
}

export type HttpWorkerReply = { ok: true; result: HttpResult } | { ok: false; error: string };
