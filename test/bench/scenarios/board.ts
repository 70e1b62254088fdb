import { BenchConfig } from '../config';
import { COMMAND_TIMEOUT_MS, log, withSystem } from '../harness';
import { describeProfile, CpuProfile, startProfile } from '../profile';
import { SystemKind, RunResult } from '../protocol';
import { Summary, summarize } from '../stats';
import { loadTab } from '../tab';

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
    const [url1, url2] = system.urls;
    const half = tabs / 2;
    let opened = await worker.call({ op: 'load', kind, url: url1, count: 1, concurrency: 1 }, t);
    opened = await worker.call({ op: 'connect', concurrency: 1 }, t);
    let seq = opened.boardVersion + 1;
    if (kind === 'pushpage') {
      const count = Math.max(0, boardSize - warmup - opened.boardMessages);
      log(`board ${kind}: pre-filling ${count} messages`);
      await worker.call({ op: 'prefill', sender: 0, count, firstSeq: seq }, t);
      seq += count;
    }
    await worker.call({ op: 'load', kind, url: url1, count: half - 1, concurrency: 10 }, t);
    await worker.call({ op: 'load', kind, url: url2, count: half, concurrency: 10 }, t);
    opened = await worker.call({ op: 'connect', concurrency: 20 }, t);
    seq = Math.max(seq, opened.boardVersion + 1);
    log(`board ${kind}: ${opened.tabs} tabs connected`);
    const sequential = (count: number, ms: number) =>
      worker.call(
        {
          op: 'sequential',
          sender: 0,
          observer: half,
          count,
          durationMs: ms,
          pauseMs: 0,
          firstSeq: seq,
        },
        t,
      );
    await sequential(warmup, 60_000);
    seq += warmup;
    const whole = kind === 'pushpage' ? (await loadTab(kind, url1)).board : undefined;
    const boardStart = whole?.messages ?? 0;
    const profile = await startProfile(system, [worker.pid]);
    const seqRun = await sequential(messages, durationMs);
    const cpu = await profile.finish(seqRun.messages);
    seq += seqRun.messages + seqRun.failures;
    const result: BoardResult = {
      kind,
      tabs: opened.tabs,
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
          firstSeq: seq,
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
