import { join } from 'node:path';
import type { BootState, ScopePatch } from '../../../libs/pushpage/src/protocol';
import { ServerProcess } from '../../support/server-process';
import { track, untrack } from '../cleanup';
import { sleep, withTimeout } from '../clock';
import { BenchConfig } from '../config';
import { log } from '../harness';
import { cpuMs } from '../proc';
import { connectTab, Tab } from '../tab';

/** How the chart's page sends a tick: the new point only, or the whole option tree. */
export type ChartMode = 'append' | 'whole';

/** One mode, measured over `ticks` ticks with every tab connected. */
export interface ChartModeRun {
  ticks: number;
  /** bytes of `patch` messages one tab received per tick (Socket.IO frame text) */
  bytesPerTickPerTab: number;
  /** CPU of the server process per tick (the tick's handler, commit and the pushes to every tab) */
  serverCpuMsPerTick: number;
}

/** The chart scenario: a chart of `points` points moved on by one point a tick. */
export interface ChartResult {
  points: number;
  tabs: number;
  append: ChartModeRun;
  /** the baseline: every tick resends the whole option tree */
  whole: ChartModeRun;
}

/** The size of a patch as its Socket.IO frame carries it: `42["patch",{...}]`. */
function frameBytes(patch: ScopePatch): number {
  return Buffer.byteLength(`42["patch",${JSON.stringify(patch)}]`);
}

async function openTab(url: string, mode: ChartMode): Promise<Tab> {
  const res = await withTimeout(fetch(`${url}/bench-chart/${mode}`), 60_000, `GET ${mode}`);
  const html = await res.text();
  const match = /<script type="application\/json" id="pushpage-state">(.*?)<\/script>/s.exec(html);
  const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
  if (res.status !== 200 || !match || !cookie) throw new Error(`GET ${mode}: ${res.status}`);
  const { snapshot } = JSON.parse(match[1]) as BootState;
  return {
    kind: 'pushpage',
    url,
    cookie,
    pageId: snapshot.pageId,
    boardId: snapshot.pageId,
    textareaId: '',
    buttonId: snapshot.nodes.find((node) => node.t === 'button')?.i ?? '',
    versions: snapshot.versions,
  };
}

async function measureMode(
  server: ServerProcess,
  mode: ChartMode,
  tabCount: number,
  ticks: number,
): Promise<ChartModeRun> {
  const received = { patches: 0, bytes: 0 };
  let firstTab = 0;
  const tabs: Tab[] = [];
  try {
    for (let i = 0; i < tabCount; i++) {
      const tab = await openTab(server.url, mode);
      const index = i;
      await connectTab(tab, (patch) => {
        received.patches++;
        received.bytes += frameBytes(patch);
        if (index === 0) firstTab++;
      });
      tabs.push(tab);
    }
    // every tab has joined: the timer starts, a few ticks pass, then the count starts
    const start = { pageId: tabs[0].pageId, componentId: tabs[0].buttonId, type: 'click' };
    await tabs[0].socket?.timeout(30_000).emitWithAck('event', start);
    const deadline = Date.now() + 60_000 + ticks * 2_000;
    const waitFirstTab = async (count: number) => {
      while (firstTab < count) {
        if (Date.now() > deadline) throw new Error(`${mode}: ticks stopped at ${firstTab}`);
        await sleep(5);
      }
    };
    await waitFirstTab(firstTab + 3);
    const [startPatches, startBytes, startCpu, startTick] = [
      received.patches,
      received.bytes,
      cpuMs(server.child.pid ?? -1),
      firstTab,
    ];
    await waitFirstTab(startTick + ticks);
    // the last tick's patch reaches the other tabs a moment after the first
    await sleep(200);
    const cpu = cpuMs(server.child.pid ?? -1) - startCpu;
    const patches = received.patches - startPatches;
    return {
      ticks,
      bytesPerTickPerTab: (received.bytes - startBytes) / patches,
      serverCpuMsPerTick: cpu / ticks,
    };
  } finally {
    for (const tab of tabs) tab.socket?.disconnect();
  }
}

/**
 * Bytes per tick per tab and server CPU per tick of a live chart on many tabs: a chart of
 * 10,000 points (`BENCH_CHART_POINTS`) that a page timer moves on by a point each tick, sent as
 * the new point (`Chart.append`) beside the baseline that resends the whole option tree.
 */
export async function measureChart(config: BenchConfig): Promise<ChartResult> {
  const { points, tabs, ticks, tickMs } = config.chart;
  const server = await ServerProcess.start({
    name: 'chart bench server',
    script: join(__dirname, '..', 'chart-app.js'),
    env: { BENCH_CHART_POINTS: String(points), BENCH_CHART_TICK_MS: String(tickMs) },
    readyPath: '/pushpage/static/pushpage.css',
  });
  track(server.child.pid);
  try {
    log(`chart: ${points} points, ${tabs} tabs, new point only`);
    const append = await measureMode(server, 'append', tabs, ticks);
    log(`chart: the same, whole option tree each tick (baseline)`);
    const whole = await measureMode(server, 'whole', tabs, ticks);
    return { points, tabs, append, whole };
  } finally {
    untrack(server.child.pid);
    await server.stop();
  }
}
