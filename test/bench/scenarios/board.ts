import { BenchConfig } from '../config';
import { COMMAND_TIMEOUT_MS, log, withSystem } from '../harness';
import { describeProfile, CpuProfile, startProfile } from '../profile';
import { SystemKind, RunResult } from '../protocol';
import { Summary, summarize } from '../stats';
import { System } from '../systems';
import { loadTab } from '../tab';
import { ClientWorker } from '../workers';

/** A run of messages to the board with every tab receiving each. */
export interface BoardRun {
  messages: number;
  /** messages on the board when the run starts and ends (Pushpage) */
  boardStart: number;
  boardEnd: number;
  deliveriesPerSec: number;
  /** send → the last of the tabs has it, ms */
  lastTab: Summary;
  failures: number;
}

/** The message-board scenario at one board size. */
export interface BoardResult {
  kind: SystemKind;
  tabs: number;
  /** messages on the board when the one-at-a-time run starts (Pushpage) */
  boardStart: number;
  /** one message at a time */
  sequential: BoardRun;
  /** several messages in flight; latencies matched to sends in order */
  pipelined?: BoardRun;
  /** JSON length of the board patch an observer tab received, per message */
  patchBytes: Summary;
  /** JSON length of the whole board at the start (what resending the board would cost) */
  wholeBoardBytes: number;
  profile: CpuProfile;
}

function boardRun(kind: SystemKind, run: RunResult, boardStart: number): BoardRun {
  return {
    messages: run.messages,
    boardStart,
    boardEnd: kind === 'pushpage' ? boardStart + run.messages : 0,
    deliveriesPerSec: (run.deliveries / run.elapsedMs) * 1000,
    lastTab: summarize(run.latencies),
    failures: run.failures,
  };
}

/** The board's tabs, open and warmed up, and the number of the next message. */
export interface OpenBoard {
  kind: SystemKind;
  worker: ClientWorker;
  /** tabs connected, half on each server */
  tabs: number;
  /** the first tab on server 2 (tab 0, the sender, is on server 1) */
  observer: number;
  nextSeq: number;
}

/**
 * Opens `tabs` tabs showing the board (half on each server), pre-filled so that it holds
 * `boardSize` messages after `warmup` more sent one at a time by tab 0.
 */
export async function openBoard(
  kind: SystemKind,
  system: System,
  worker: ClientWorker,
  size: { boardSize: number; tabs: number; warmup: number },
): Promise<OpenBoard> {
  const t = COMMAND_TIMEOUT_MS;
  const [url1, url2] = system.urls;
  const half = size.tabs / 2;
  let opened = await worker.call({ op: 'load', kind, url: url1, count: 1, concurrency: 1 }, t);
  opened = await worker.call({ op: 'connect', concurrency: 1 }, t);
  let seq = opened.boardVersion + 1;
  if (kind === 'pushpage') {
    const count = Math.max(0, size.boardSize - size.warmup - opened.boardMessages);
    log(`board ${kind}: pre-filling ${count} messages`);
    await worker.call({ op: 'prefill', sender: 0, count, firstSeq: seq }, t);
    seq += count;
  }
  await worker.call({ op: 'load', kind, url: url1, count: half - 1, concurrency: 10 }, t);
  await worker.call({ op: 'load', kind, url: url2, count: half, concurrency: 10 }, t);
  opened = await worker.call({ op: 'connect', concurrency: 20 }, t);
  log(`board ${kind}: ${opened.tabs} tabs connected`);
  const board: OpenBoard = {
    kind,
    worker,
    tabs: opened.tabs,
    observer: half,
    nextSeq: Math.max(seq, opened.boardVersion + 1),
  };
  await sendMessages(board, size.warmup, 60_000);
  return board;
}

/**
 * Tab 0 sends `count` messages one at a time (for at most `durationMs`), each waited for on
 * every tab before the next.
 */
export async function sendMessages(
  board: OpenBoard,
  count: number,
  durationMs: number,
): Promise<RunResult> {
  const run = await board.worker.call(
    {
      op: 'sequential',
      sender: 0,
      observer: board.observer,
      count,
      durationMs,
      pauseMs: 0,
      firstSeq: board.nextSeq,
    },
    COMMAND_TIMEOUT_MS,
  );
  board.nextSeq += run.messages + run.failures;
  return run;
}

/**
 * 100 tabs (half on each server) show the board, pre-filled to `boardSize` messages; tab 0
 * (server 1) posts messages one at a time, each waited for on all 100 tabs, then several at
 * a time from four tabs. The observer is the first tab on server 2.
 */
export function measureBoard(
  kind: SystemKind,
  boardSize: number,
  config: BenchConfig,
): Promise<BoardResult> {
  const { tabs, warmup, messages, durationMs, pipelined } = config.board;
  return withSystem(kind, 1, async (system, [worker]) => {
    const t = COMMAND_TIMEOUT_MS;
    const url1 = system.urls[0];
    const board = await openBoard(kind, system, worker, { boardSize, tabs, warmup });
    const half = board.observer;
    const whole = kind === 'pushpage' ? (await loadTab(kind, url1)).board : undefined;
    const boardStart = whole?.messages ?? 0;
    const profile = await startProfile(system, [worker.pid]);
    const seqRun = await sendMessages(board, messages, durationMs);
    const cpu = await profile.finish(seqRun.messages);
    const result: BoardResult = {
      kind,
      tabs: board.tabs,
      boardStart,
      sequential: boardRun(kind, seqRun, boardStart),
      patchBytes: summarize(seqRun.patchBytes),
      wholeBoardBytes: whole?.bytes ?? NaN,
      profile: cpu,
    };
    log(
      `board ${kind} @${boardStart}: one at a time ${seqRun.messages} messages, ` +
        `${result.sequential.deliveriesPerSec.toFixed(0)} deliveries/s, ` +
        `p99 ${result.sequential.lastTab.p99.toFixed(2)} ms, ${result.patchBytes.mean.toFixed(0)} B/patch`,
    );
    log(`board ${kind}: ${describeProfile(cpu)}`);
    if (pipelined.durationMs > 0) {
      const senders = Array.from({ length: pipelined.senders }, (_, i) =>
        i % 2 === 0 ? i / 2 : half + (i - 1) / 2,
      );
      const pipeRun = await worker.call(
        {
          op: 'pipelined',
          senders,
          window: pipelined.window,
          count: pipelined.count,
          durationMs: pipelined.durationMs,
          firstSeq: board.nextSeq,
        },
        t,
      );
      result.pipelined = boardRun(kind, pipeRun, result.sequential.boardEnd);
      log(
        `board ${kind}: pipelined (window ${pipelined.window}) ${pipeRun.messages} messages, ` +
          `${result.pipelined.deliveriesPerSec.toFixed(0)} deliveries/s, ` +
          `p99 ${result.pipelined.lastTab.p99.toFixed(2)} ms`,
      );
    }
    return result;
  });
}
