import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { metric } from '../support/metrics';
import { Replica, startReplica } from '../support/replicas';

const SHUTDOWN_DELAY_MS = 1500;
const CLOCK_TASK = 'ClockPage.tick';

/** The replica's log lines, parsed (JSON logs: one object per line). */
function logLines(replica: Replica): Record<string, unknown>[] {
  return replica.output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('operations: health, readiness, metrics, logs, shutdown, config', () => {
  let redis: RedisServer;
  const replicas: Replica[] = [];
  const tabs: NodeTab[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    const env = { REDIS_URL: redis.url, PUSHPAGE_SHUTDOWN_DELAY_MS: String(SHUTDOWN_DELAY_MS) };
    replicas.push(await startReplica(env), await startReplica(env));
  }, 60_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  it('refuses to start on a bad variable, naming it', async () => {
    const main = join(__dirname, '..', '..', 'dist', 'apps', 'demo', 'main.js');
    const child = spawn(process.execPath, [main], {
      env: { ...process.env, PORT: 'eighty', PUSHPAGE_REDIS_ADAPTER: 'cluster' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(2);
    expect(stderr).toContain('configuration error');
    expect(stderr).toContain('PORT="eighty"');
    expect(stderr).toContain('PUSHPAGE_REDIS_ADAPTER="cluster"');
  });

  it('is live and ready with Redis reachable and the adapter subscribed', async () => {
    for (const replica of replicas) {
      expect((await fetch(`${replica.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${replica.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({
        status: 'ok',
        info: { pushpage: { store: 'up', adapter: 'subscribed', draining: false } },
      });
    }
  });

  it('counts tabs, events and handler time, probes the other replica, and owns each lease once', async () => {
    const tab = await NodeTab.open(replicas[0].url, '/message-board');
    tabs.push(tab);
    const textarea = tab.nodeId((n) => n.t === 'textarea');
    const button = tab.nodeId((n) => n.t === 'button');
    tab.typeAndClick(textarea, button, 'counted');
    await waitFor('the event to be answered', async () => tab.connection.unacknowledged === 0);

    const [one, two] = replicas;
    expect(await metric(one, 'pushpage_connected_tabs')).toBe(1);
    expect(await metric(one, 'pushpage_live_pages')).toBe(1);
    expect(
      await metric(one, 'pushpage_events_total', {
        type: 'click',
        transport: 'socket',
        outcome: 'applied',
      }),
    ).toBe(1);
    expect(
      await metric(one, 'pushpage_handler_duration_seconds_count', {
        handler: 'MessageBoardPage.sendMessage',
      }),
    ).toBe(1);
    expect(await metric(one, 'pushpage_commits_total', { result: 'ok' })).toBeGreaterThan(0);
    expect(await metric(one, 'pushpage_redis_errors_total')).toBeUndefined();
    const owners = [
      await metric(one, 'pushpage_lease_owned', { task: CLOCK_TASK }),
      await metric(two, 'pushpage_lease_owned', { task: CLOCK_TASK }),
    ];
    expect(owners.map((o) => o ?? 0).sort()).toEqual([0, 1]);
    // the broadcast probe runs every few seconds and finds the other replica
    await waitFor(
      'a broadcast probe',
      async () => ((await metric(one, 'pushpage_broadcast_roundtrip_seconds_count')) ?? 0) > 0,
      15_000,
    );
    expect(await metric(one, 'pushpage_peer_replicas')).toBe(1);
  }, 30_000);

  it('logs JSON lines, with the request id a caller sends', async () => {
    await fetch(`${replicas[1].url}/api/pages/nope-nope-nope`, {
      headers: { 'x-request-id': 'trace-42' },
    });
    await waitFor('the request log', async () =>
      logLines(replicas[1]).some((line) => line.requestId === 'trace-42' && line.res),
    );
    const lines = logLines(replicas[1]).filter((l) => l.requestId === 'trace-42');
    expect(lines.find((l) => l.res)).toMatchObject({
      level: 30,
      req: { method: 'GET', url: '/api/pages/nope-nope-nope' },
      res: { statusCode: 404 },
    });
    // the refusal is logged once, with its reason, under the same request id
    expect(lines.filter((l) => !l.res)).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(
          /^a REST request was refused \(page-gone\): page nope-nope-nope/,
        ),
      }),
    ]);
    expect(logLines(replicas[1]).some((l) => l.context === 'Pushpage')).toBe(true);
  }, 15_000);

  it('on SIGTERM turns unready, keeps serving for the delay, releases its leases, then exits', async () => {
    const holder =
      (await metric(replicas[0], 'pushpage_lease_owned', { task: CLOCK_TASK })) === 1 ? 0 : 1;
    const leaving = replicas[holder];
    const staying = replicas[1 - holder];
    const exited = leaving.stop('SIGTERM');
    await waitFor('readiness to go false', async () => {
      const res = await fetch(`${leaving.url}/readyz`);
      return res.status === 503;
    });
    const unready = (await (await fetch(`${leaving.url}/readyz`)).json()) as {
      error: { pushpage: { draining: boolean } };
    };
    expect(unready.error.pushpage.draining).toBe(true);
    // still alive and serving pages during the delay
    expect((await fetch(`${leaving.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${leaving.url}/clock`)).status).toBe(200);
    await exited;
    // Nest re-raises the signal once closed: the process ends by SIGTERM, not by a crash
    expect([leaving.child.exitCode, leaving.child.signalCode]).toEqual([null, 'SIGTERM']);
    const messages = logLines(leaving).map((l) => String(l.msg));
    expect(messages).toContain(`task ${CLOCK_TASK}: lease released`);
    await waitFor(
      'the other replica to take the task over',
      async () => (await metric(staying, 'pushpage_lease_owned', { task: CLOCK_TASK })) === 1,
      10_000,
    );
  }, 30_000);
});
