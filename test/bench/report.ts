import { cpus, loadavg } from 'node:os';
import { clusterSpreadRows, clusterSpreadTable } from './cluster-spread-rows';
import { chartRows } from './chart-rows';
import { BenchConfig } from './config';
import { CpuProfile } from './profile';
import { BenchResults, ok, resultRows, Row, tracingRows } from './rows';
import { fmt } from './stats';
import { storeCostDetail, storeCostRows } from './store-cost-rows';

const loadAtStart = loadavg()[0].toFixed(2);

function table(rows: Row[]): string {
  const lines = [
    '| Measurement | Pushpage | Baseline | Ratio | Target | Result |',
    '| --- | ---: | ---: | ---: | --- | --- |',
  ];
  for (const row of rows)
    lines.push(
      `| ${row.measure} | ${row.pushpage} | ${row.baseline} | ${row.ratio} | ${row.target} | ${row.result} |`,
    );
  return lines.join('\n');
}

function profileTable(r: BenchResults): string {
  const entries: { label: string; profile: CpuProfile }[] = [];
  for (const entry of r.board.pushpage) {
    const p = ok(entry);
    if (p) entries.push({ label: `Pushpage, board ${p.boardStart}`, profile: p.profile });
  }
  const bare = ok(r.board.bare);
  if (bare) entries.push({ label: 'Baseline', profile: bare.profile });
  for (const [name, result] of [
    ['Pushpage', r.fanout.pushpage],
    ['Baseline', r.fanout.bare],
  ] as const) {
    for (const step of ok(result)?.steps ?? [])
      entries.push({ label: `${name}, fan-out to ${fmt(step.tabs)} tabs`, profile: step.profile });
  }
  if (entries.length === 0) return '';
  const lines = [
    '| Per message (board: 100 tabs, one at a time; fan-out: one update) | Servers CPU (ms) | Redis CPU (ms) | Client CPU (ms) | Redis commands per message (µs inside Redis) |',
    '| --- | ---: | ---: | ---: | --- |',
  ];
  for (const { label, profile: p } of entries) {
    const commands = p.redis
      .filter((c) => c.command !== 'info')
      .map((c) => `${c.command} ×${c.calls.toFixed(2)} (${c.usec.toFixed(0)} µs)`)
      .join(', ');
    lines.push(
      `| ${label} | ${p.serversMs.toFixed(2)} | ${p.redisMs.toFixed(2)} | ${p.clientsMs.toFixed(2)} | ${commands} |`,
    );
  }
  return lines.join('\n');
}

function errors(r: BenchResults): string[] {
  const out: string[] = [];
  const add = (name: string, value: unknown) => {
    if (value instanceof Error) out.push(`- ${name} failed: ${value.message}`);
  };
  add('latency (Pushpage)', r.latency.pushpage);
  add('latency (baseline)', r.latency.bare);
  r.board.pushpage.forEach((e, i) => add(`message board #${i + 1} (Pushpage)`, e));
  add('message board (baseline)', r.board.bare);
  add('fan-out (Pushpage)', r.fanout.pushpage);
  add('fan-out (baseline)', r.fanout.bare);
  add('REST events', r.rest);
  add('polling', r.polling);
  add('store cost, socket event (Pushpage)', r.storeCost?.socket.pushpage);
  add('store cost, socket event (baseline)', r.storeCost?.socket.bare);
  add('store cost, REST click', r.storeCost?.rest);
  const loaded = ok(r.storeCost?.rest)?.loaded;
  add('store cost, REST click under load (Pushpage)', loaded?.pushpage);
  add('store cost, REST click under load (baseline)', loaded?.bare);
  add('live chart', r.chart);
  add('cluster spread', r.clusterSpread);
  add('tracing', r.tracing);
  const bareOnCluster = ok(r.clusterSpread)?.bare;
  add('cluster spread (baseline)', bareOnCluster);
  return out;
}

/** The results as markdown: the main table, the CPU profile, and any failures. */
export function renderReport(r: BenchResults, config: BenchConfig, elapsedMs: number): string {
  const rows = [
    ...resultRows(r, config),
    ...storeCostRows(r.storeCost),
    ...chartRows(r.chart),
    ...clusterSpreadRows(r.clusterSpread),
    ...tracingRows(r.tracing),
  ];
  const failures = errors(r);
  const detail = storeCostDetail(r.storeCost);
  const spread = clusterSpreadTable(r.clusterSpread);
  return [
    `Run: ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, Node ${process.version}, ` +
      `${cpus().length} CPU cores, ${config.quick ? 'quick (BENCH_QUICK=1)' : 'full'} run, ` +
      `${(elapsedMs / 1000).toFixed(0)} s; load average at the start ${loadAtStart}, at the end ` +
      `${loadavg()[0].toFixed(2)}. Baseline: bare Socket.IO + Redis adapter, 2 processes.`,
    '',
    table(rows),
    '',
    'Where the time goes, per message (CPU time from /proc/<pid>/stat over the run divided by messages; ' +
      'Redis command calls and time from INFO commandstats, including commands run inside Lua scripts):',
    '',
    profileTable(r),
    ...(detail
      ? [
          '',
          'Store cost per event, by command (INFO commandstats over the measured events minus the idle ' +
            'rate; which calls scripts or MULTI/EXEC ran comes from MONITOR over a few more events, and ' +
            'their µs are also in the EVALSHA or EXEC that ran them):',
          '',
          detail,
        ]
      : []),
    ...(spread
      ? [
          '',
          'Cluster spread per node (per event of the whole run: INFO commandstats and INFO cpu of ' +
            "each master over the measured clicks minus its idle rate; a share is the node's part " +
            "of the nodes' total; one node's ceiling puts the work of all nodes on one):",
          '',
          spread,
        ]
      : []),
    ...(failures.length ? ['', 'Failures:', '', ...failures] : []),
    '',
  ].join('\n');
}
