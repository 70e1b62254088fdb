/**
 * Messages between the bench coordinator (`run.ts`) and its client workers
 * (`client-worker.ts`), over the `child_process.fork` IPC channel.
 */

/** Which server a tab talks to: the Pushpage demo, or the bare Socket.IO baseline. */
export type SystemKind = 'pushpage' | 'bare';

/** What the coordinator asks a worker to do. */
export type Command =
  /** Loads `count` more pages (Pushpage: GET /message-board; bare: a page id) on `url`. */
  | { op: 'load'; kind: SystemKind; url: string; count: number; concurrency: number }
  /** Connects and joins every loaded tab that is not connected yet. */
  | { op: 'connect'; concurrency: number }
  /** Tab `tab` sends one message (`seq` numbers it for the baseline). */
  | { op: 'send'; tab: number; seq: number }
  /** Tab `sender` sends `count` messages one at a time, each acknowledged, nobody waited for. */
  | { op: 'prefill'; sender: number; count: number; firstSeq: number }
  /** One message at a time: send, wait until every tab of this worker has it, repeat. */
  | {
      op: 'sequential';
      sender: number;
      observer: number;
      count: number;
      durationMs: number;
      pauseMs: number;
      firstSeq: number;
    }
  /** Keeps `window` messages in flight from `senders` until `count` or `durationMs`. */
  | {
      op: 'pipelined';
      senders: number[];
      window: number;
      count: number;
      durationMs: number;
      firstSeq: number;
    }
  /** Whether to report each fully delivered board version to the coordinator. */
  | { op: 'watch'; on: boolean }
  /** Disconnects every tab. */
  | { op: 'close' };

/** A command with its request id. */
export type Request = Command & { id: number };

/** What `load` and `connect` answer. */
export interface OpenResult {
  /** tabs this worker holds now */
  tabs: number;
  /** the highest board version a tab has seen */
  boardVersion: number;
  /** JSON length of the board and its messages in a loaded snapshot (a whole-board resend) */
  boardBytes: number;
  /** number of messages on the board in that snapshot */
  boardMessages: number;
}

/** What `send` answers. */
export interface SendResult {
  sentAt: number;
  ackAt: number;
}

/** What `sequential` and `pipelined` answer. */
export interface RunResult {
  messages: number;
  deliveries: number;
  elapsedMs: number;
  /** per message: send → the last tab of this worker has it (pipelined: matched in order) */
  latencies: number[];
  /** per message: send → the observer tab has it (sequential only) */
  observerLatencies: number[];
  /** JSON length of each board patch as the observer received it */
  patchBytes: number[];
  /** Messages whose acknowledgement was not ok */
  failures: number;
}

/** What each command answers. */
export interface ResultOf {
  load: OpenResult;
  connect: OpenResult;
  send: SendResult;
  prefill: { sent: number; elapsedMs: number };
  sequential: RunResult;
  pipelined: RunResult;
  watch: null;
  close: null;
}

/** What a worker sends to the coordinator. */
export type WorkerMessage =
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string }
  /** every tab of the worker has board version `v` (only while watching) */
  | { type: 'delivered'; v: number; firstAt: number; lastAt: number; bytes: number; tabs: number };
