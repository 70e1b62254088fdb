import type { ClientNode, JsonValue, PageSnapshot, ScopePatch } from 'pushpage';
import { Socket } from 'socket.io-client';
import { pushAt, putAt } from '../../libs/pushpage/src/prop-path';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';
import { Replica, startOpsReplica } from '../support/replicas';

type JoinAck = { ok: boolean; snapshot?: PageSnapshot; patches?: ScopePatch[] };

/**
 * A tab of the ops dashboard without a browser: the page's nodes, kept current with the
 * patches the tab receives as the browser runtime keeps them (in version order, a whole
 * page after a gap), and every text each node showed.
 */
class OpsTab {
  private readonly nodes = new Map<string, ClientNode>();
  private versions: Record<string, number> = {};
  private readonly texts = new Map<string, string[]>();
  /** How many `push` ops (new points, new rows) the tab received, and their bytes. */
  readonly pushes = { count: 0, bytes: 0 };
  private joined = false;
  private readonly early: ScopePatch[] = [];

  private constructor(
    readonly replica: Replica,
    readonly pageId: string,
    readonly socket: Socket,
  ) {}

  /** Loads `/` from a replica as a new session and joins the page over Socket.IO. */
  static async open(replica: Replica): Promise<OpsTab> {
    const page = await loadPage(replica.url, '/');
    const tab = new OpsTab(replica, page.snapshot.pageId, connectTab(replica.url, page.cookie));
    tab.show(page.snapshot);
    tab.socket.on('patch', (p: ScopePatch) => (tab.joined ? tab.apply(p) : tab.early.push(p)));
    const ack = await request<JoinAck>(tab.socket, 'join', {
      pageId: tab.pageId,
      versions: page.snapshot.versions,
    });
    if (!ack.ok) throw new Error(`join refused: ${JSON.stringify(ack)}`);
    if (ack.snapshot) tab.show(ack.snapshot);
    for (const p of ack.patches ?? []) tab.apply(p);
    tab.joined = true;
    for (const p of tab.early.splice(0)) tab.apply(p);
    return tab;
  }

  close(): void {
    this.socket.disconnect();
  }

  /** Every node whose attributes include these. */
  find(attrs: Record<string, string>): ClientNode[] {
    return [...this.nodes.values()].filter((n) => {
      const own = (n.p.attrs ?? {}) as Record<string, unknown>;
      return Object.entries(attrs).every(([k, v]) => own[k] === v);
    });
  }

  /** The first node at or below `id` whose attributes include these. */
  within(id: string, attrs: Record<string, string>): ClientNode | undefined {
    const node = this.nodes.get(id);
    if (!node) return undefined;
    const own = (node.p.attrs ?? {}) as Record<string, unknown>;
    if (Object.entries(attrs).every(([k, v]) => own[k] === v)) return node;
    for (const child of node.k ?? []) {
      const found = this.within(child, attrs);
      if (found) return found;
    }
    return undefined;
  }

  node(id: string): ClientNode | undefined {
    return this.nodes.get(id);
  }

  /** Every text a node showed, oldest first. */
  history(id: string): string[] {
    return this.texts.get(id) ?? [];
  }

  /** The service tiles, by service id. */
  tiles(): Map<string, ClientNode> {
    const tiles = this.find({}).filter((n) => {
      const attrs = (n.p.attrs ?? {}) as Record<string, string>;
      return attrs['data-service'] && !attrs['data-role'];
    });
    return new Map(tiles.map((t) => [(t.p.attrs as Record<string, string>)['data-service'], t]));
  }

  /** The latency figure of each tile. */
  latencyFigures(): ClientNode[] {
    return [...this.tiles().values()].map((t) => {
      const figure = this.within(t.i, { 'data-metric': 'latency' });
      if (!figure) throw new Error(`tile ${t.i} has no latency figure`);
      return figure;
    });
  }

  /** The incident rows, newest first. */
  incidents(): ClientNode[] {
    const [list] = this.find({ 'data-role': 'incidents' });
    return (list?.k ?? [])
      .map((id) => this.nodes.get(id))
      .filter((n): n is ClientNode => n !== undefined)
      .filter(
        (n) => (n.p.attrs as Record<string, string> | undefined)?.['data-role'] === 'incident',
      );
  }

  /** The fleet history chart's series, by service name: `[time, latency]` points. */
  historySeries(): Map<string, [number, number][]> {
    const [chart] = this.find({ 'data-role': 'history' });
    const options = chart?.p.options as
      { series: { name: string; data: [number, number][] }[] } | undefined;
    return new Map((options?.series ?? []).map((s) => [s.name, s.data]));
  }

  /** Every sampler line the tab showed: the sample number and the pid that sampled it. */
  samples(): { n: number; pid: number }[] {
    const [line] = this.find({ 'data-role': 'sampler' });
    return this.history(line?.i ?? '').flatMap((text) => {
      const m = /^sample #(\d+) at .* \(pid (\d+)\)$/.exec(text);
      return m ? [{ n: Number(m[1]), pid: Number(m[2]) }] : [];
    });
  }

  private show(snapshot: PageSnapshot): void {
    this.nodes.clear();
    for (const node of snapshot.nodes) this.put(node);
    this.versions = { ...snapshot.versions };
  }

  private put(node: ClientNode): void {
    this.nodes.set(node.i, structuredClone(node));
    if (typeof node.p.text === 'string') this.saw(node.i, node.p.text);
  }

  private saw(id: string, text: string): void {
    const seen = this.texts.get(id) ?? [];
    if (seen[seen.length - 1] !== text) seen.push(text);
    this.texts.set(id, seen);
  }

  private apply(patch: ScopePatch): void {
    const have = this.versions[patch.s];
    if (have === undefined || patch.v <= have) return;
    if (patch.v !== have + 1) {
      this.resync().catch(() => undefined); // a closed tab
      return;
    }
    for (const node of patch.n ?? []) this.put(node);
    for (const op of patch.o) {
      const node = this.nodes.get(op[1]);
      if (!node) continue;
      if (op[0] === 'set') {
        node.p[op[2]] = op[3];
        if (op[2] === 'text' && typeof op[3] === 'string') this.saw(node.i, op[3]);
      } else if (op[0] === 'unset') {
        delete node.p[op[2]];
      } else if (op[0] === 'ins') {
        const kids = (node.k ??= []).filter((k) => k !== op[3]);
        kids.splice(op[2] < 0 ? kids.length : op[2], 0, op[3]);
        node.k = kids;
      } else if (op[0] === 'rm') {
        node.k = (node.k ?? []).filter((k) => k !== op[2]);
      } else if (op[0] === 'put') {
        node.p[op[2]] = putAt(node.p[op[2]] as JsonValue, op[3], op[4]);
      } else if (op[0] === 'push') {
        node.p[op[2]] = pushAt(node.p[op[2]] as JsonValue, op[3], op[4], op[5]);
        this.pushes.count++;
        this.pushes.bytes += JSON.stringify(op).length;
      }
    }
    this.versions[patch.s] = patch.v;
  }

  private async resync(): Promise<void> {
    const ack = await request<JoinAck>(this.socket, 'resync', { pageId: this.pageId });
    if (ack.ok && ack.snapshot) this.show(ack.snapshot);
  }
}

const TASK = 'OpsDashboardPage.sample';

/** Whether a replica holds the sampler's lease, from its `/metrics`. */
async function holdsLease(replica: Replica): Promise<boolean> {
  const text = await (await fetch(`${replica.url}/metrics`)).text();
  const match = new RegExp(`^pushpage_lease_owned\\{task="${TASK}"\\} (\\d+)$`, 'm').exec(text);
  return match?.[1] === '1';
}

/** Whether a replica's own log says it started sampling. */
function startedSampling(replica: Replica): boolean {
  return replica.output.join('').includes('sampling the fleet every 200 ms on this replica');
}

/** Waits until every tile of the tab showed `count` more latencies than it had at `from`. */
async function waitForTileChanges(tab: OpsTab, count: number, from = new Map<string, number>()) {
  await waitFor(
    `${count} new latencies on every tile of a tab on port ${tab.replica.port}`,
    () => {
      const figures = tab.latencyFigures();
      return (
        figures.length === 5 &&
        figures.every((f) => tab.history(f.i).length - (from.get(f.i) ?? 0) >= count)
      );
    },
    15_000,
  );
}

function latenciesSeen(tab: OpsTab): Map<string, number> {
  return new Map(tab.latencyFigures().map((f) => [f.i, tab.history(f.i).length]));
}

/**
 * The built ops dashboard (`apps/ops`) as two processes on one real Redis, with Socket.IO
 * clients as tabs: the sampler's tile updates reach tabs of both replicas, one replica
 * samples and the other takes over when it dies, and an acknowledgement made through one
 * replica shows on the tabs of the other.
 */
describe('the ops dashboard on two replicas sharing one Redis', () => {
  let redis: RedisServer;
  let replicas: Replica[] = [];
  const tabs: OpsTab[] = [];

  /** The replica that holds the sampler's lease, and the other one. */
  async function roles(): Promise<{ leader: Replica; follower: Replica }> {
    const held = await Promise.all(replicas.map(holdsLease));
    expect(held.filter(Boolean)).toHaveLength(1);
    const leader = replicas[held.indexOf(true)];
    return { leader, follower: replicas.find((r) => r !== leader) as Replica };
  }

  beforeAll(async () => {
    redis = await RedisServer.start();
    // a sample every 200 ms, and limits so low that every service is critical at once
    const env = { REDIS_URL: redis.url, OPS_SAMPLE_MS: '200', OPS_THRESHOLD_SCALE: '0.05' };
    replicas = await Promise.all([startOpsReplica(env), startOpsReplica(env)]);
  }, 60_000);

  afterAll(async () => {
    for (const tab of tabs) tab.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await redis?.dispose();
  }, 30_000);

  it('changes the tiles on tabs of both replicas, sampled by exactly one of them', async () => {
    for (const replica of replicas) tabs.push(await OpsTab.open(replica));
    for (const tab of tabs) expect(tab.tiles().size).toBe(5);
    // every tile of every tab shows several samples' latencies
    for (const tab of tabs) await waitForTileChanges(tab, 3);

    await waitFor('one replica holding the lease', async () => {
      const held = await Promise.all(replicas.map(holdsLease));
      return held.filter(Boolean).length === 1;
    });
    const { leader, follower } = await roles();
    expect(startedSampling(leader)).toBe(true);
    expect(startedSampling(follower)).toBe(false);
    // the fleet history grows by small appends, with the same points on both replicas' tabs
    await waitFor('three points of history per service on both tabs', () =>
      tabs.every((t) => [...t.historySeries().values()].every((d) => d.length >= 3)),
    );
    const [historyA, historyB] = tabs.map((t) => t.historySeries());
    expect(historyA.size).toBe(5);
    for (const [service, points] of historyA) {
      const other = historyB.get(service) ?? [];
      const common = Math.min(points.length, other.length) - 1;
      expect(points.slice(0, common)).toEqual(other.slice(0, common));
      expect(points.every(([at, ms]) => Number.isFinite(at) && ms > 0)).toBe(true);
    }
    await waitFor('new history points pushed to both tabs', () =>
      tabs.every((t) => t.pushes.count >= 5),
    );
    for (const tab of tabs) {
      // one point per op: a few dozen bytes, never the chart's whole options
      expect(tab.pushes.bytes / tab.pushes.count).toBeLessThan(200);
    }

    // every sample either tab saw was taken by the leader
    for (const tab of tabs) {
      const samples = tab.samples();
      expect(samples.length).toBeGreaterThan(0);
      expect(new Set(samples.map((s) => s.pid))).toEqual(new Set([leader.pid]));
    }
  }, 60_000);

  it('acknowledges an incident on a tab of one replica for the tabs of the other', async () => {
    const [tabA, tabB] = tabs;
    await waitFor('an incident per service on both tabs', () =>
      tabs.every((t) => t.incidents().length === 5),
    );
    // once from each side: a tab of A acknowledges for B, then a tab of B for A
    for (const [clicker, watcher] of [
      [tabA, tabB],
      [tabB, tabA],
    ]) {
      const ackState = (tab: OpsTab, row: string) =>
        tab.within(row, { 'data-role': 'ack-state' })?.p.text;
      const row = clicker.incidents().find((r) => ackState(clicker, r.i) === 'Unacknowledged');
      if (!row) throw new Error('no unacknowledged incident left');
      expect(ackState(watcher, row.i)).toBe('Unacknowledged');
      const button = clicker.within(row.i, { 'data-action': 'acknowledge' }) as ClientNode;

      const ack = await request<{ ok: boolean }>(clicker.socket, 'event', {
        pageId: clicker.pageId,
        componentId: button.i,
        type: 'click',
      });
      expect(ack).toMatchObject({ ok: true });

      await waitFor(`the acknowledgement on the tab of port ${watcher.replica.port}`, () =>
        /^Acknowledged \d\d:\d\d:\d\d$/.test(String(ackState(watcher, row.i))),
      );
      const seen = watcher.node(row.i) as ClientNode;
      expect(String(seen.p.classes)).toContain('bg-white');
      expect(watcher.node(button.i)?.p.show).toBe(false);
      // the clicker's own tab shows it too, and the other incidents stay as they were
      expect(ackState(clicker, row.i)).toMatch(/^Acknowledged/);
      const others = watcher.incidents().filter((r) => r.i !== row.i);
      expect(others.some((r) => ackState(watcher, r.i) === 'Unacknowledged')).toBe(true);
    }

    // the sampler goes on sampling and leaves the acknowledgements alone
    const before = Math.max(...tabA.samples().map((s) => s.n));
    await waitFor('five more samples', () => tabA.samples().some((s) => s.n >= before + 5));
    for (const tab of tabs) {
      const acknowledged = tab
        .incidents()
        .filter((r) =>
          /^Acknowledged/.test(String(tab.within(r.i, { 'data-role': 'ack-state' })?.p.text)),
        );
      expect(acknowledged).toHaveLength(2);
    }
  }, 60_000);

  it('hands the sampler to the other replica when the sampling one dies', async () => {
    const { leader, follower } = await roles();
    const survivor = tabs.find((t) => t.replica === follower) as OpsTab;
    for (const tab of tabs) if (tab.replica === leader) tab.close();
    const lastByLeader = Math.max(...survivor.samples().map((s) => s.n));
    const seenBefore = latenciesSeen(survivor);
    const lastPointBefore = Math.max(
      ...[...survivor.historySeries().values()].map((d) => d[d.length - 1]?.[0] ?? 0),
    );

    await leader.stop('SIGKILL');
    await waitFor('the other replica holding the lease', () => holdsLease(follower), 15_000);
    expect(startedSampling(follower)).toBe(true);
    await waitFor(
      'a sample by the other replica',
      () => survivor.samples().some((s) => s.pid === follower.pid),
      15_000,
    );
    // the tiles go on changing, and the walk goes on from the stored samples
    await waitForTileChanges(survivor, 3, seenBefore);
    const byFollower = survivor.samples().filter((s) => s.pid === follower.pid);
    expect(Math.min(...byFollower.map((s) => s.n))).toBeGreaterThan(lastByLeader);
    // the history goes on from the stored points: the leader's are still there, new ones follow
    await waitFor('new history points from the other replica', () =>
      [...survivor.historySeries().values()].every(
        (d) => d.length > 3 && d[d.length - 1][0] > lastPointBefore,
      ),
    );
    // the open incidents (and their acknowledgements) came over with the store: no new ones
    expect(survivor.incidents()).toHaveLength(5);
    const acknowledged = survivor
      .incidents()
      .filter((r) =>
        /^Acknowledged/.test(String(survivor.within(r.i, { 'data-role': 'ack-state' })?.p.text)),
      );
    expect(acknowledged).toHaveLength(2);
  }, 60_000);
});
