import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cluster, ClusterOptions, Redis } from 'ioredis';

/** Where a cluster node listens (always on loopback). */
export interface ClusterNodeAddress {
  readonly host: string;
  readonly port: number;
}

/** How to start the test's Redis Cluster. */
export interface RedisClusterOptions {
  /** How many masters share the 16384 slots (`redis-cli --cluster create` wants at least 3). */
  masters?: number;
}

/** One line of `CLUSTER NODES`, as the node that was asked sees that node. */
export interface ClusterNodeView {
  id: string;
  host: string;
  port: number;
  flags: string[];
  role: 'master' | 'replica';
  /** The master's id, for a replica. */
  masterId: string | undefined;
  /** Flagged `fail` or `fail?` (possibly failing). */
  failing: boolean;
  /** The slot ranges it serves, inclusive (migrating and importing slots left out). */
  slots: Array<[number, number]>;
}

const HOST = '127.0.0.1';
const SLOTS = 16384;
/** A cluster node also listens on its port + 10000, for the cluster bus. */
const BUS_OFFSET = 10_000;
/** The highest port whose bus port (port + 10000) is still a port. */
const HIGHEST_PORT = 55_534;
const LOWEST_PORT = 10_000;
const NODE_TIMEOUT_MS = 2000;

const START_TIMEOUT_MS = 10_000;
const CREATE_TIMEOUT_MS = 30_000;
const HEALTHY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5000;

/** A node that this cluster started: its process and its cluster node id. */
interface Member {
  address: ClusterNodeAddress;
  child: ChildProcess;
  id: string;
  output: OutputTail;
}

/**
 * A real Redis Cluster on loopback for one test file: `masters` (3 by default) `redis-server`
 * processes with `cluster-enabled`, joined by `redis-cli --cluster create` with every slot
 * assigned. Replicas can be added (`addReplicaOf`) and masters killed (`killMaster`) for
 * failover tests. `dispose()` stops every process it started and removes its folder.
 */
export class RedisCluster {
  private readonly members: Member[] = [];
  /** Every process spawned, including any that never answered, so `dispose()` stops them all. */
  private readonly children = new Set<ChildProcess>();
  /** Ports (and bus ports) already handed to this cluster's nodes. */
  private readonly usedPorts = new Set<number>();
  private disposed = false;

  private constructor(
    /** The temporary folder holding the nodes' `nodes-P.conf` files. */
    readonly dir: string,
  ) {}

  /**
   * Starts the nodes, creates the cluster and waits until every node says `cluster_state:ok`
   * and sees all 16384 slots assigned. Throws (after stopping what it started) if that does
   * not happen in time, or if `redis-server`/`redis-cli` is missing.
   */
  static async start(options: RedisClusterOptions = {}): Promise<RedisCluster> {
    const masters = options.masters ?? 3;
    if (!Number.isInteger(masters) || masters < 3)
      throw new Error(`a Redis Cluster needs at least 3 masters, not ${masters}`);
    await requireRedisTools();
    const cluster = new RedisCluster(await mkdtemp(join(tmpdir(), 'pushpage-redis-cluster-')));
    try {
      for (let i = 0; i < masters; i++) await cluster.startNode();
      await cluster.create();
      await cluster.waitUntilHealthy(HEALTHY_TIMEOUT_MS);
    } catch (error) {
      await cluster.dispose();
      throw error;
    }
    return cluster;
  }

  /**
   * Every node this cluster started, in order: the masters first (index `i` is the `i`-th
   * master given to `redis-cli --cluster create`), then each replica as it was added. A killed
   * node keeps its place (see `isRunning`).
   */
  get nodes(): readonly ClusterNodeAddress[] {
    return this.members.map((member) => member.address);
  }

  /** The running nodes as `host:port,host:port,...`, the form of `REDIS_CLUSTER_NODES`. */
  get seeds(): string {
    return this.running()
      .map(({ address }) => `${address.host}:${address.port}`)
      .join(',');
  }

  /** Whether this node's process is running (it is not once killed or disposed). */
  isRunning(node: ClusterNodeAddress | number): boolean {
    return isRunning(this.member(node).child);
  }

  /**
   * A new ioredis `Cluster` client seeded with the running nodes; the caller quits it. Its
   * defaults give up rather than wait forever: a few connection attempts, short connect and
   * command timeouts. `options` override them (`redisOptions` field by field).
   */
  client(options: ClusterOptions = {}): Cluster {
    const { redisOptions, ...clusterOptions } = options;
    return new Cluster(
      this.running().map(({ address }) => ({ host: address.host, port: address.port })),
      {
        clusterRetryStrategy: (times) => (times > 5 ? null : 200),
        slotsRefreshTimeout: 2000,
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 200,
        ...clusterOptions,
        redisOptions: {
          connectTimeout: 2000,
          commandTimeout: 5000,
          maxRetriesPerRequest: 2,
          ...redisOptions,
        },
      },
    );
  }

  /** A new plain client of one node (by address or index in `nodes`); the caller quits it. */
  nodeClient(node: ClusterNodeAddress | number): Redis {
    const { address } = this.member(node);
    return new Redis({
      host: address.host,
      port: address.port,
      connectTimeout: 2000,
      commandTimeout: 5000,
      maxRetriesPerRequest: 2,
    });
  }

  /** The node (an element of `nodes`) serving the slot of `key`, as a running node sees it. */
  async nodeOf(key: string): Promise<ClusterNodeAddress> {
    const [asked] = this.running();
    if (!asked) throw new Error('no node of the cluster is running');
    const { slot, views } = await withNode(asked.address.port, async (redis) => ({
      slot: Number(await redis.call('CLUSTER', 'KEYSLOT', key)),
      views: parseClusterNodes(String(await redis.call('CLUSTER', 'NODES'))),
    }));
    const owner = views.find(
      (view) =>
        view.role === 'master' && view.slots.some(([from, to]) => slot >= from && slot <= to),
    );
    if (!owner) throw new Error(`no node serves slot ${slot} (of key ${JSON.stringify(key)})`);
    const member = this.members.find(({ address }) => address.port === owner.port);
    return member?.address ?? { host: owner.host, port: owner.port };
  }

  /** The cluster as one running node (by default the first) sees it: `CLUSTER NODES`. */
  async topology(node?: ClusterNodeAddress | number): Promise<ClusterNodeView[]> {
    const member = node === undefined ? this.running()[0] : this.member(node);
    if (!member) throw new Error('no node of the cluster is running');
    return withNode(member.address.port, async (redis) =>
      parseClusterNodes(String(await redis.call('CLUSTER', 'NODES'))),
    );
  }

  /** Empties every running master (`FLUSHALL`); replicas follow their masters. */
  async flushAll(): Promise<void> {
    await Promise.all(
      this.running().map(({ address }) =>
        withNode(address.port, async (redis) => {
          if ((await role(redis)) === 'master') await redis.call('FLUSHALL');
        }),
      ),
    );
  }

  /**
   * Starts one more node and makes it a replica of the master at `masterIndex` in `nodes`
   * (`CLUSTER MEET`, then `CLUSTER REPLICATE`); resolves with its address once it is in sync
   * with its master, and every node knows it as that master's replica and says the cluster
   * is ok.
   */
  async addReplicaOf(masterIndex: number): Promise<ClusterNodeAddress> {
    const master = this.member(masterIndex);
    if (!isRunning(master.child)) throw new Error(`node ${masterIndex} is not running`);
    const masterRole = await withNode(master.address.port, role);
    if (masterRole !== 'master') throw new Error(`node ${masterIndex} is not a master`);
    const replica = await this.startNode();
    await withNode(replica.address.port, (redis) =>
      redis.call('CLUSTER', 'MEET', master.address.host, String(master.address.port)),
    );
    // CLUSTER REPLICATE needs the replica to know the master, and the master as a master
    await poll(
      `node ${replica.address.port} to learn of master ${master.address.port}`,
      START_TIMEOUT_MS,
      () =>
        withNode(replica.address.port, async (redis) => {
          const views = parseClusterNodes(String(await redis.call('CLUSTER', 'NODES')));
          const known = views.find((view) => view.id === master.id);
          if (!known) return `it does not know ${master.id} yet`;
          if (known.flags.includes('handshake')) return 'the handshake is not over';
          return known.role === 'master' ? true : `it sees ${master.id} as a ${known.role}`;
        }),
    );
    await withNode(replica.address.port, (redis) => redis.call('CLUSTER', 'REPLICATE', master.id));
    await this.waitUntilHealthy(HEALTHY_TIMEOUT_MS);
    return replica.address;
  }

  /**
   * Kills (`SIGKILL`) the node at `masterIndex` in `nodes`, which must be running as a master,
   * and waits for its process to exit. The cluster notices after `cluster-node-timeout` (2 s);
   * `waitUntilHealthy()` then waits for a replica to take over.
   */
  async killMaster(masterIndex: number): Promise<void> {
    const member = this.member(masterIndex);
    if (!isRunning(member.child)) throw new Error(`node ${masterIndex} is not running`);
    const nodeRole = await withNode(member.address.port, role);
    if (nodeRole !== 'master')
      throw new Error(`node ${masterIndex} is a ${nodeRole === 'slave' ? 'replica' : nodeRole}`);
    await stopProcess(member.child, 'SIGKILL');
  }

  /**
   * Waits until every running node says `cluster_state:ok`, sees all 16384 slots assigned and
   * served, and every running node agrees on which running node is a master serving which
   * slots and which replicates which master; a replica must also be in sync with its master.
   * Throws with the last thing that was not right once `timeoutMs` has passed.
   */
  async waitUntilHealthy(timeoutMs = HEALTHY_TIMEOUT_MS): Promise<void> {
    await poll('every node of the Redis Cluster to say cluster_state:ok', timeoutMs, () =>
      this.healthProblem(),
    );
  }

  /** Stops every process this cluster started (`SIGTERM`, then `SIGKILL`) and removes `dir`. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    await Promise.all([...this.children].map((child) => stopProcess(child, 'SIGTERM')));
    await rm(this.dir, { recursive: true, force: true });
  }

  private member(node: ClusterNodeAddress | number): Member {
    const member =
      typeof node === 'number'
        ? this.members[node]
        : this.members.find(({ address }) => address.port === node.port);
    if (!member) throw new Error(`the cluster has no node ${JSON.stringify(node)}`);
    return member;
  }

  private running(): Member[] {
    return this.members.filter(({ child }) => isRunning(child));
  }

  /** Starts one empty cluster node on free ports, trying other ports if they were taken. */
  private async startNode(): Promise<Member> {
    if (this.disposed) throw new Error('the cluster is disposed');
    for (let attempt = 1; ; attempt++) {
      const port = await pickNodePort(this.usedPorts);
      const child = spawn(
        'redis-server',
        [
          ...['--port', String(port), '--bind', HOST],
          ...['--cluster-enabled', 'yes'],
          ...['--cluster-config-file', join(this.dir, `nodes-${port}.conf`)],
          ...['--cluster-node-timeout', String(NODE_TIMEOUT_MS)],
          ...['--save', '', '--appendonly', 'no', '--dir', this.dir],
          // a new replica's full sync starts at once (Redis 7 waits 5 s for more replicas)
          ...['--repl-diskless-sync-delay', '0'],
        ],
        { stdio: ['ignore', 'pipe', 'pipe'] },
      );
      this.children.add(child);
      const output = new OutputTail(child);
      try {
        await waitUntilAnswering(port, child, output);
      } catch (error) {
        await stopProcess(child, 'SIGKILL');
        // another process took the port (or its bus port) since it was checked
        if (output.text.includes('in use') && attempt < 5) continue;
        throw error;
      }
      this.usedPorts.add(port).add(port + BUS_OFFSET);
      const id = String(await withNode(port, (redis) => redis.call('CLUSTER', 'MYID')));
      const member: Member = { address: Object.freeze({ host: HOST, port }), child, id, output };
      this.members.push(member);
      return member;
    }
  }

  /** `redis-cli --cluster create` with every node started so far as a master. */
  private async create(): Promise<void> {
    const addresses = this.members.map(({ address }) => `${address.host}:${address.port}`);
    const args = ['--cluster', 'create', ...addresses, '--cluster-replicas', '0', '--cluster-yes'];
    await new Promise<void>((resolve, reject) => {
      execFile('redis-cli', args, { timeout: CREATE_TIMEOUT_MS }, (error, stdout, stderr) => {
        if (!error) return resolve();
        const output = `${stdout}${stderr}`.trim().split('\n').slice(-15).join('\n');
        reject(new Error(`redis-cli ${args.join(' ')} failed: ${error.message}\n${output}`));
      });
    });
  }

  /** What keeps the cluster from being healthy right now, or `true` if nothing does. */
  private async healthProblem(): Promise<string | true> {
    const running = this.running();
    if (running.length === 0) return 'no node is running';
    const ids = new Set(running.map(({ id }) => id));
    let agreed: string | undefined;
    for (const member of running) {
      const name = `${member.address.host}:${member.address.port}`;
      const { info, views, replication } = await withNode(member.address.port, async (redis) => ({
        info: parseInfo(String(await redis.call('CLUSTER', 'INFO'))),
        views: parseClusterNodes(String(await redis.call('CLUSTER', 'NODES'))),
        replication: parseInfo(String(await redis.call('INFO', 'replication'))),
      }));
      if (info.cluster_state !== 'ok') return `${name} says cluster_state:${info.cluster_state}`;
      for (const field of ['cluster_slots_assigned', 'cluster_slots_ok'])
        if (info[field] !== String(SLOTS)) return `${name} says ${field}:${info[field]}`;
      const seen = views.filter((view) => ids.has(view.id));
      if (seen.length < ids.size) return `${name} knows ${seen.length} of ${ids.size} nodes`;
      const troubled = seen.find((view) => view.failing || view.flags.includes('handshake'));
      if (troubled) return `${name} sees ${troubled.port} as ${troubled.flags.join(',')}`;
      const owners = views.filter((view) => view.slots.length > 0);
      const stale = owners.find((view) => !ids.has(view.id));
      if (stale) return `${name} sees slots served by ${stale.port}, which is not running`;
      // the same layout everywhere: roles, masters and slot ranges of every running node
      const layout = seen
        .map((view) => `${view.id} ${view.role} ${view.masterId ?? '-'} ${view.slots.join(' ')}`)
        .sort()
        .join('\n');
      if (agreed !== undefined && layout !== agreed)
        return `${name} sees another layout than ${running[0].address.port} does`;
      agreed = layout;
      if (replication.role === 'slave') {
        if (replication.master_link_status !== 'up') return `${name}'s link to its master is down`;
        if (replication.master_sync_in_progress !== '0') return `${name} is still syncing`;
      }
    }
    return true;
  }
}

/** The last lines a node printed, for error messages. */
class OutputTail {
  private lines: string[] = [];
  /** Resolves once the process has exited and its output is all read. */
  readonly closed: Promise<void>;

  constructor(child: ChildProcess) {
    this.closed = new Promise((resolve) => child.once('close', () => resolve()));
    const keep = (chunk: Buffer): void => {
      this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      this.lines = this.lines.slice(-20);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  get text(): string {
    return this.lines.join('\n');
  }
}

let toolsChecked: Promise<void> | undefined;

/** Fails clearly when `redis-server` or `redis-cli` is not installed. */
function requireRedisTools(): Promise<void> {
  toolsChecked ??= (async () => {
    for (const tool of ['redis-server', 'redis-cli'])
      await new Promise<void>((resolve, reject) =>
        execFile(tool, ['--version'], { timeout: 10_000 }, (error) =>
          error
            ? reject(
                new Error(`${tool} is needed (apt-get install redis-server): ${error.message}`),
              )
            : resolve(),
        ),
      );
  })();
  toolsChecked.catch(() => (toolsChecked = undefined));
  return toolsChecked;
}

function isRunning(child: ChildProcess): boolean {
  return child.pid !== undefined && child.exitCode === null && child.signalCode === null;
}

/**
 * Stops one process by its PID and waits for it to exit: `signal`, then `SIGKILL` if it is
 * still running after a while.
 */
async function stopProcess(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  for (const next of [signal, 'SIGKILL'] as const) {
    if (!isRunning(child)) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(next);
    if (next !== 'SIGKILL') child.kill('SIGCONT'); // a paused node handles it now
    await within(exited, STOP_TIMEOUT_MS);
  }
}

/** Waits until the node that `child` runs answers on `port` (not some other process there). */
async function waitUntilAnswering(
  port: number,
  child: ChildProcess,
  output: OutputTail,
): Promise<void> {
  let spawnError: Error | undefined;
  child.on('error', (error) => (spawnError = error));
  await poll(`redis-server on port ${port} to answer`, START_TIMEOUT_MS, async () => {
    if (spawnError)
      throw new Fatal(
        `redis-server could not start (apt-get install redis-server): ${spawnError.message}`,
      );
    if (!isRunning(child)) {
      await within(output.closed, 1000); // its last words say why
      throw new Fatal(`redis-server on port ${port} exited at start:\n${output.text}`);
    }
    // whatever else listens there (it may never answer) does not hold up seeing the node exit
    const probe = withNode(port, async (redis) =>
      parseInfo(String(await redis.call('INFO', 'server'))),
    );
    probe.catch(() => undefined);
    const info = await Promise.race([probe, output.closed.then(() => undefined)]);
    if (!info) return 'it exited';
    return info.process_id === String(child.pid) || `another process (${info.process_id}) answers`;
  });
}

/** Waits for `promise`, at most `ms`. */
async function within(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([promise, new Promise((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

/** Thrown by a `poll` check to stop waiting at once. */
class Fatal extends Error {}

/**
 * Calls `check` every 50 ms until it returns `true`, at most `timeoutMs`; a string or an error
 * (except `Fatal`, which ends the wait) says what is not ready yet and ends up in the timeout
 * error.
 */
async function poll(
  what: string,
  timeoutMs: number,
  check: () => Promise<string | true>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    try {
      const result = await check();
      if (result === true) return;
      last = result;
    } catch (error) {
      if (error instanceof Fatal) throw error;
      last = error instanceof Error ? error.message : String(error);
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${last})`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Runs `use` with a short-lived connection to the node on `port` that fails fast. */
async function withNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 2000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    return await use(redis);
  } finally {
    redis.disconnect();
  }
}

/** The node's replication role, as `ROLE` says: `master`, `slave` or `sentinel`. */
async function role(redis: Redis): Promise<string> {
  const reply = await redis.call('ROLE');
  return Array.isArray(reply) ? String(reply[0]) : String(reply);
}

/** The `field:value` lines of `INFO` or `CLUSTER INFO`. */
function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

/**
 * `CLUSTER NODES`: `<id> <ip:port@bus[,hostname]> <flags> <master|-> <ping> <pong> <epoch>
 * <link> <slot ranges...>`.
 */
function parseClusterNodes(text: string): ClusterNodeView[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [id, address, flagList, master, , , , , ...slotList] = line.split(' ');
      const hostPort = address.split('@')[0];
      const colon = hostPort.lastIndexOf(':');
      const flags = flagList.split(',');
      const slots = slotList
        .filter((slot) => !slot.startsWith('['))
        .map((slot): [number, number] => {
          const [from, to = from] = slot.split('-').map(Number);
          return [from, to];
        });
      return {
        id,
        host: hostPort.slice(0, colon),
        port: Number(hostPort.slice(colon + 1)),
        flags,
        role: flags.includes('slave') ? 'replica' : 'master',
        masterId: master === '-' ? undefined : master,
        failing: flags.includes('fail') || flags.includes('fail?'),
        slots,
      };
    });
}

/** The first ephemeral port of this system (Linux says; 32768 elsewhere). */
async function firstEphemeralPort(): Promise<number> {
  try {
    const range = await readFile('/proc/sys/net/ipv4/ip_local_port_range', 'utf8');
    const low = Number(range.trim().split(/\s+/)[0]);
    return Number.isInteger(low) && low > 0 ? low : 32_768;
  } catch {
    return 32_768;
  }
}

/**
 * A port P below 55535 such that nothing listens on P or on its bus port P + 10000. Both are
 * kept below the ephemeral range when the system leaves room for that, so that a client's
 * outgoing connection cannot take one between this check and the node binding it.
 */
async function pickNodePort(used: ReadonlySet<number>): Promise<number> {
  const belowEphemeral = Math.min(HIGHEST_PORT, (await firstEphemeralPort()) - 1 - BUS_OFFSET);
  const highest = belowEphemeral - LOWEST_PORT >= 1000 ? belowEphemeral : HIGHEST_PORT;
  for (let attempt = 0; attempt < 200; attempt++) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (highest - LOWEST_PORT + 1));
    const bus = port + BUS_OFFSET;
    if (used.has(port) || used.has(bus)) continue;
    if ((await canListen(port)) && (await canListen(bus))) return port;
  }
  throw new Error(`found no free port (and bus port) between ${LOWEST_PORT} and ${highest}`);
}

/** Whether a server could listen on this loopback port right now. */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, HOST, () => server.close(() => resolve(true)));
  });
}
