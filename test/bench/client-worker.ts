/**
 * A client worker: a process of its own (forked by `workers.ts`) holding many tabs, so that
 * client work never shares a process with a server. It obeys `Command`s from the
 * coordinator and reports when every one of its tabs has a board version.
 */
import type { ScopePatch } from '../../libs/pushpage/src/protocol';
import { nowMs, pool, sleep, withTimeout } from './clock';
import { Command, OpenResult, Request, RunResult, SendResult, WorkerMessage } from './protocol';
import { BoardInfo, closeTab, connectTab, loadTab, sendMessage, Tab } from './tab';

const DELIVERY_TIMEOUT_MS = 30_000;
const MAX_PENDING = 10_000;

/** How far one board version has spread among this worker's tabs. */
interface Delivery {
  count: number;
  firstAt: number;
  lastAt: number;
  /** JSON length of the patch as the observer tab received it */
  bytes: number;
  /** when the observer tab received it */
  observerAt: number;
}

type Listener = (v: number, d: Delivery) => void;

const tabs: Tab[] = [];
let connected = 0;
let observer = 0;
let watching = false;
let board: BoardInfo = { bytes: 0, messages: 0 };
const pending = new Map<number, Delivery>();
const listeners = new Set<Listener>();

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function onPatch(index: number): (patch: ScopePatch) => void {
  return (patch) => {
    const at = nowMs();
    const tab = tabs[index];
    if (!tab || patch.s !== tab.boardId) return;
    if ((tab.versions[tab.boardId] ?? -1) < patch.v) tab.versions[tab.boardId] = patch.v;
    let d = pending.get(patch.v);
    if (!d) {
      d = { count: 0, firstAt: at, lastAt: at, bytes: 0, observerAt: NaN };
      pending.set(patch.v, d);
      if (pending.size > MAX_PENDING) pending.delete(pending.keys().next().value as number);
    }
    d.count++;
    d.lastAt = at;
    if (index === observer) {
      d.observerAt = at;
      d.bytes = JSON.stringify(patch).length;
    }
    if (d.count < connected) return;
    pending.delete(patch.v);
    if (watching) {
      const { firstAt, lastAt, bytes } = d;
      send({ type: 'delivered', v: patch.v, firstAt, lastAt, bytes, tabs: connected });
    }
    for (const listener of [...listeners]) listener(patch.v, d);
  };
}

function openResult(): OpenResult {
  let boardVersion = 0;
  for (const tab of tabs) boardVersion = Math.max(boardVersion, tab.versions[tab.boardId] ?? 0);
  return {
    tabs: tabs.length,
    boardVersion,
    boardBytes: board.bytes,
    boardMessages: board.messages,
  };
}

function tabAt(index: number): Tab {
  const tab = tabs[index];
  if (!tab?.socket) throw new Error(`tab ${index} is not connected`);
  return tab;
}

/** The next board version every tab has, or a rejection after the timeout. */
function nextDelivery(): { done: Promise<Delivery>; cancel: () => void } {
  let cancel = () => {};
  const done = new Promise<Delivery>((resolve, reject) => {
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(
        new Error(`no board patch reached all ${connected} tabs in ${DELIVERY_TIMEOUT_MS} ms`),
      );
    }, DELIVERY_TIMEOUT_MS);
    const listener: Listener = (_v, d) => {
      clearTimeout(timer);
      listeners.delete(listener);
      resolve(d);
    };
    listeners.add(listener);
    cancel = () => {
      clearTimeout(timer);
      listeners.delete(listener);
    };
  });
  return { done, cancel };
}

function emptyRun(): RunResult {
  return {
    messages: 0,
    deliveries: 0,
    elapsedMs: 0,
    latencies: [],
    observerLatencies: [],
    patchBytes: [],
    failures: 0,
  };
}

async function sequential(cmd: Extract<Command, { op: 'sequential' }>): Promise<RunResult> {
  const sender = tabAt(cmd.sender);
  observer = cmd.observer;
  const run = emptyRun();
  const start = nowMs();
  for (let i = 0; i < cmd.count && nowMs() - start < cmd.durationMs; i++) {
    const { done, cancel } = nextDelivery();
    done.catch(() => undefined);
    const sentAt = nowMs();
    const ok = await sendMessage(sender, cmd.firstSeq + i).catch(() => false);
    if (!ok) {
      cancel();
      run.failures++;
      continue;
    }
    const d = await done;
    run.messages++;
    run.deliveries += connected;
    run.latencies.push(d.lastAt - sentAt);
    run.observerLatencies.push(d.observerAt - sentAt);
    run.patchBytes.push(d.bytes);
    if (cmd.pauseMs > 0) await sleep(cmd.pauseMs);
  }
  run.elapsedMs = nowMs() - start;
  return run;
}

function pipelined(cmd: Extract<Command, { op: 'pipelined' }>): Promise<RunResult> {
  const senders = cmd.senders.map(tabAt);
  const run = emptyRun();
  const sendTimes: number[] = [];
  const start = nowMs();
  let sent = 0;
  let inflight = 0;
  return withTimeout(
    new Promise<RunResult>((resolve) => {
      const listener: Listener = (_v, d) => {
        inflight--;
        run.messages++;
        run.deliveries += connected;
        run.latencies.push(d.lastAt - (sendTimes.shift() ?? NaN));
        run.patchBytes.push(d.bytes);
        pump();
      };
      const pump = () => {
        while (inflight < cmd.window && sent < cmd.count && nowMs() - start < cmd.durationMs) {
          const tab = senders[sent % senders.length];
          const seq = cmd.firstSeq + sent;
          sent++;
          inflight++;
          sendTimes.push(nowMs());
          void sendMessage(tab, seq)
            .catch(() => false)
            .then((ok) => {
              if (ok) return;
              run.failures++;
              inflight--;
              pump();
            });
        }
        if (inflight > 0) return;
        listeners.delete(listener);
        run.elapsedMs = nowMs() - start;
        resolve(run);
      };
      listeners.add(listener);
      pump();
    }),
    cmd.durationMs + DELIVERY_TIMEOUT_MS,
    'pipelined run',
  ).finally(() => listeners.clear());
}

async function handle(cmd: Command): Promise<unknown> {
  switch (cmd.op) {
    case 'load': {
      await pool(cmd.count, cmd.concurrency, async () => {
        const loaded = await loadTab(cmd.kind, cmd.url);
        tabs.push(loaded.tab);
        if (loaded.board && loaded.board.messages >= board.messages) board = loaded.board;
      });
      return openResult();
    }
    case 'connect': {
      const fresh = tabs.map((tab, index) => ({ tab, index })).filter(({ tab }) => !tab.socket);
      await pool(fresh.length, cmd.concurrency, async (i) => {
        await connectTab(fresh[i].tab, onPatch(fresh[i].index));
        connected++;
      });
      return openResult();
    }
    case 'send': {
      const tab = tabAt(cmd.tab);
      const sentAt = nowMs();
      if (!(await sendMessage(tab, cmd.seq))) throw new Error(`message ${cmd.seq} was refused`);
      return { sentAt, ackAt: nowMs() } satisfies SendResult;
    }
    case 'prefill': {
      const tab = tabAt(cmd.sender);
      const start = nowMs();
      for (let i = 0; i < cmd.count; i++)
        if (!(await sendMessage(tab, cmd.firstSeq + i)))
          throw new Error(`prefill message ${i} was refused`);
      return { sent: cmd.count, elapsedMs: nowMs() - start };
    }
    case 'sequential':
      return sequential(cmd);
    case 'pipelined':
      return pipelined(cmd);
    case 'watch':
      watching = cmd.on;
      return null;
    case 'close':
      for (const tab of tabs) closeTab(tab);
      tabs.length = 0;
      connected = 0;
      pending.clear();
      return null;
  }
}

process.on('message', (request: Request) => {
  handle(request).then(
    (result) => send({ type: 'reply', id: request.id, ok: true, result }),
    (error: unknown) =>
      send({
        type: 'reply',
        id: request.id,
        ok: false,
        error: error instanceof Error ? error.message : String(error),
      }),
  );
});
process.on('disconnect', () => process.exit(0));
