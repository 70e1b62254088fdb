/** What the bench runs and how much; `BENCH_QUICK=1` makes a short smoke run. */
export interface BenchConfig {
  quick: boolean;
  /**
   * scenarios to run (`BENCH_ONLY=latency,board,fanout,rest,polling,store-cost,chart,cluster-spread`;
   * default all)
   */
  only: Set<string>;
  latency: { warmup: number; samples: number; pauseMs: number };
  board: {
    /** messages on the board when the measured run starts */
    sizes: number[];
    tabs: number;
    warmup: number;
    /** the run stops after this many messages or this long, whichever comes first */
    messages: number;
    durationMs: number;
    pipelined: { window: number; senders: number; durationMs: number; count: number };
  };
  fanout: {
    /** total tabs after each step (each step adds tabs to the previous ones) */
    sizes: number[];
    updates: number;
    workers: number;
    /** HTTP GETs and connections in flight at once, over all workers */
    concurrency: number;
    settleMs: number;
    pauseMs: number;
  };
  /** REST events: clients clicking on their own /hello pages (`rest`) */
  rest: { clients: number; durationMs: number; workers: number };
  /** clients polling the shared /dashboard with If-None-Match (`polling`) */
  polling: { clients: number; intervalMs: number; durationMs: number; workers: number };
  /** what one event costs inside Redis (`store-cost`) */
  storeCost: {
    /** the socket event: a message on the board, `tabs` tabs, `boardSize` messages at the start */
    board: { boardSize: number; tabs: number; warmup: number; messages: number };
    /** the REST click on one /hello page */
    rest: { warmup: number; clicks: number };
    /**
     * the REST click under load: `pages` /hello pages (each its own session, half on each
     * server), each clicked by its own loop, all at once, `events` clicks in all; first
     * `warmupRounds` clicks on every page; a stretch of clicks stops after `timeoutMs`
     */
    restLoaded: { pages: number; warmupRounds: number; events: number; timeoutMs: number };
    /** the idle window before the events (the background subtracted) */
    idleMs: number;
    /** events sent again under MONITOR, to tell the commands sent from those scripts ran */
    recordedEvents: number;
  };
  /** REST clicks spread over many pages on a Redis Cluster, node by node (`cluster-spread`) */
  /** a live chart: points, tabs, ticks measured, ms between ticks */
  chart: { points: number; tabs: number; ticks: number; tickMs: number };
  clusterSpread: {
    masters: number;
    /** /hello pages opened (`BENCH_CLUSTER_PAGES`) */
    pages: number;
    /** clicks in flight at once, each lane on its own pages */
    lanes: number;
    /** clicks on every page before the measurement */
    warmupRounds: number;
    /** clicks in the measured window */
    events: number;
    idleMs: number;
    recordedEvents: number;
  };
}

function numbers(raw: string | undefined, fallback: number[]): number[] {
  if (!raw) return fallback;
  const values = raw.split(',').map((s) => Number(s.trim()));
  if (values.some((v) => !Number.isInteger(v) || v <= 0))
    throw new Error(`"${raw}" is not a list of whole numbers`);
  return values;
}

/** The configuration from the environment. */
export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const quick = env.BENCH_QUICK === '1' || env.BENCH_QUICK === 'true';
  const only = new Set(
    (env.BENCH_ONLY || 'latency,board,fanout,rest,polling,store-cost,chart,cluster-spread,tracing')
      .split(',')
      .map((s) => s.trim()),
  );
  return {
    quick,
    only,
    latency: { warmup: quick ? 10 : 20, samples: quick ? 50 : 500, pauseMs: 5 },
    board: {
      sizes: numbers(env.BENCH_BOARD_SIZES, [20, 300]),
      tabs: 100,
      warmup: 10,
      messages: quick ? 100 : 300,
      durationMs: quick ? 2_000 : 10_000,
      pipelined: { window: 8, senders: 4, durationMs: quick ? 2_000 : 5_000, count: 100_000 },
    },
    fanout: {
      sizes: numbers(env.BENCH_FANOUT_SIZES, quick ? [200, 1000] : [1000, 5000]),
      updates: quick ? 5 : 20,
      workers: numbers(env.BENCH_CLIENT_WORKERS, [2])[0],
      concurrency: 50,
      settleMs: quick ? 1_500 : 3_000,
      pauseMs: 200,
    },
    rest: { clients: 50, durationMs: quick ? 3_000 : 10_000, workers: 2 },
    polling: {
      clients: quick ? 200 : 1_000,
      intervalMs: 2_500,
      durationMs: quick ? 5_000 : 15_000,
      workers: 2,
    },
    storeCost: {
      board: { boardSize: 20, tabs: 100, warmup: 10, messages: quick ? 50 : 300 },
      rest: { warmup: quick ? 20 : 50, clicks: quick ? 100 : 500 },
      restLoaded: {
        pages: quick ? 8 : 16,
        warmupRounds: quick ? 3 : 5,
        events: quick ? 300 : 3_000,
        timeoutMs: 120_000,
      },
      idleMs: quick ? 1_000 : 3_000,
      recordedEvents: quick ? 10 : 30,
    },
    chart: { points: 10_000, tabs: quick ? 20 : 100, ticks: quick ? 5 : 10, tickMs: 1000 },
    clusterSpread: {
      masters: 3,
      pages: numbers(env.BENCH_CLUSTER_PAGES, [600])[0],
      lanes: 8,
      warmupRounds: 1,
      events: quick ? 600 : 3_000,
      idleMs: quick ? 1_000 : 3_000,
      recordedEvents: quick ? 24 : 60,
    },
  };
}
