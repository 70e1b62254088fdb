import { ScopePatch } from '../../libs/pushpage/src';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startReplicas } from '../support/replicas';

/** Patch arrival times of the clock page, seen by a tab on `replica`. */
async function watchClock(replica: Replica): Promise<{ times: number[]; stop: () => void }> {
  const page = await loadPage(replica.url, '/clock');
  const socket = connectTab(replica.url, page.cookie);
  const times: number[] = [];
  socket.on('patch', (p: ScopePatch) => {
    if (p.s === page.snapshot.pageId) times.push(Date.now());
  });
  await request(socket, 'join', { pageId: page.snapshot.pageId, versions: page.snapshot.versions });
  return { times, stop: () => socket.disconnect() };
}

function holdsClockLease(replica: Replica): boolean {
  return replica.output.join('').includes('task ClockPage.tick: this replica holds the lease');
}

describe('cluster-once tasks on three replicas', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    replicas = await startReplicas(3, redis.url);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.stop();
  }, 30_000);

  it('ticks the clock once a second for the whole cluster, not once per replica', async () => {
    const watchers = await Promise.all(replicas.map(watchClock));
    await new Promise((r) => setTimeout(r, 10_000));
    for (const w of watchers) w.stop();
    for (const w of watchers) {
      expect(w.times.length).toBeGreaterThanOrEqual(8);
      expect(w.times.length).toBeLessThanOrEqual(12);
    }
    expect(replicas.filter(holdsClockLease)).toHaveLength(1);
  }, 30_000);

  it('hands the clock to another replica within 5 s of the runner dying', async () => {
    const leader = replicas.find(holdsClockLease);
    if (!leader) throw new Error('no replica runs the clock');
    const others = replicas.filter((r) => r !== leader);
    const watcher = await watchClock(others[0]);
    await waitFor('a tick before the kill', () => watcher.times.length > 0, 3000);
    await leader.stop('SIGKILL');
    const killedAt = Date.now();
    await waitFor(
      'a tick from the new runner',
      () => watcher.times.some((t) => t > killedAt + 100),
      8000,
      20,
    );
    const resumedAfter = (watcher.times.find((t) => t > killedAt + 100) as number) - killedAt;
    watcher.stop();
    // a measurement, not a pass mark (the lease's 3 s TTL bounds it on an idle machine)
    console.log(`clock resumed ${resumedAfter} ms after its runner was killed`);
    expect(others.filter(holdsClockLease)).toHaveLength(1);
  }, 30_000);
});
