/**
 * Pushpage on a real Redis Cluster (three masters on loopback): the Socket.IO adapter carries
 * broadcasts between two servers over sharded pub/sub, whether made from seed nodes or from a
 * `Cluster` the app gives; apps on `redisClusterNodes` report ready; and the cluster client
 * options give up within seconds, not never, when a master or the whole cluster is gone.
 * The page store itself is not exercised here.
 */
import 'reflect-metadata';
import { INestApplication, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo } from 'node:net';
import { Cluster } from 'ioredis';
import { Server } from 'socket.io';
import { io, Socket } from 'socket.io-client';
import { PushpageModule, PushpageOperationsModule, pushpageClusterOptions } from 'pushpage';
import { SocketAdapterService } from '../../libs/pushpage/src/edges/socket/socket-adapter.service';
import { PushpageMetrics } from '../../libs/pushpage/src/ops/metrics.service';
import { PushpageModuleOptions, resolveOptions } from '../../libs/pushpage/src/options';
import { clusterConnectionOptions } from '../../libs/pushpage/src/store/redis/redis-options';
import { freePort, waitFor } from '../support/ports';
import { RedisCluster } from '../support/redis-cluster';

jest.setTimeout(60_000);

const PREFIX = 'cl:';

/** A Socket.IO server on loopback with Pushpage's adapter, as the gateway installs it. */
interface AdapterServer {
  io: Server;
  adapter: SocketAdapterService;
  url: string;
  close(): Promise<void>;
}

async function adapterServer(options: PushpageModuleOptions): Promise<AdapterServer> {
  const http: HttpServer = createServer();
  const server = new Server(http);
  const adapter = new SocketAdapterService(
    resolveOptions({ ...options, keyPrefix: PREFIX }),
    new PushpageMetrics(),
  );
  adapter.install(server);
  // a tab asks to enter rooms; the server puts it in them, as the gateway does on join
  server.on('connection', (socket) => {
    socket.on('enter', (rooms: string[], ack: () => void) => {
      void socket.join(rooms);
      ack();
    });
  });
  server.on('pushpage:ping', (answer: (reply: string) => void) => answer('pong'));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    io: server,
    adapter,
    url: `http://127.0.0.1:${port}`,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await adapter.onApplicationShutdown();
    },
  };
}

function connect(url: string): Promise<Socket> {
  const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** The sharded adapter's channel for a room of the main namespace. */
const roomChannel = (room: string): string => `${PREFIX}socket.io#/#${room}#`;

describe('Pushpage on a Redis Cluster', () => {
  let cluster: RedisCluster;
  const servers: AdapterServer[] = [];
  const sockets: Socket[] = [];
  const apps: INestApplication[] = [];
  const clients: Cluster[] = [];

  beforeAll(async () => {
    Logger.overrideLogger(false);
    cluster = await RedisCluster.start({ masters: 3 });
  }, 60_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    for (const app of apps) await app.close();
    for (const server of servers) await server.close();
    for (const client of clients) client.disconnect();
    await cluster?.dispose();
  });

  const seeds = (): string[] => cluster.seeds.split(',');
  let a: AdapterServer;
  let b: AdapterServer;

  describe('the Socket.IO adapter', () => {
    beforeAll(async () => {
      // A from seed nodes, B on a Cluster the app made: both paths, talking to each other
      const given = new Cluster(seeds(), pushpageClusterOptions());
      clients.push(given);
      a = await adapterServer({ redisClusterNodes: seeds() });
      servers.push(a);
      b = await adapterServer({ redis: given });
      servers.push(b);
      await waitFor('both adapters to subscribe', () =>
        [a, b].every(({ adapter }) => adapter.state() === 'subscribed'),
      );
    });

    it('is the sharded adapter', () => {
      for (const { io } of [a, b]) {
        expect(io.of('/').adapter.constructor.name).toBe('ShardedRedisAdapter');
      }
    });

    it('delivers a room broadcast from server B to a tab of server A, rooms spread over the masters', async () => {
      const tab = await connect(a.url);
      sockets.push(tab);
      const rooms = Array.from({ length: 12 }, (_, i) => `page-${i}`);
      const owners = await Promise.all(rooms.map((room) => cluster.nodeOf(roomChannel(room))));
      expect(new Set(owners).size).toBeGreaterThanOrEqual(2);

      const received = new Map<string, string>();
      tab.on('news', (room: string, text: string) => received.set(room, text));
      await tab.timeout(5000).emitWithAck('enter', rooms);

      // A subscribes to a room's channel when the room appears: send until it has
      await waitFor(
        'every room broadcast from B to reach the tab on A',
        () => {
          for (const room of rooms) {
            if (!received.has(room)) b.io.to(room).emit('news', room, `to ${room} from B`);
          }
          return received.size === rooms.length;
        },
        10_000,
        200,
      );
      for (const room of rooms) expect(received.get(room)).toBe(`to ${room} from B`);
    });

    it('does not deliver a broadcast to a room the tab is not in', async () => {
      const tab = await connect(a.url);
      sockets.push(tab);
      const heard: string[] = [];
      tab.on('news', (room: string) => heard.push(room));
      await tab.timeout(5000).emitWithAck('enter', ['mine']);
      b.io.to('not-mine').emit('news', 'not-mine');
      await waitFor(
        'a broadcast to the tab’s own room',
        () => {
          if (!heard.includes('mine')) b.io.to('mine').emit('news', 'mine');
          return heard.includes('mine');
        },
        10_000,
        200,
      );
      expect(heard).not.toContain('not-mine');
    });

    it('counts the other server and gets its answer (serverSideEmitWithAck, as the broadcast probe does)', async () => {
      const answers = await a.io.serverSideEmitWithAck('pushpage:ping');
      expect(answers).toEqual(['pong']);
    });
  });

  describe('apps on redisClusterNodes', () => {
    async function startApp(): Promise<string> {
      @Module({
        imports: [
          PushpageModule.forRoot({
            redisClusterNodes: seeds(),
            sessionSecret: 'cluster-test-secret-0123456789',
            keyPrefix: 'app:',
          }),
          PushpageOperationsModule,
        ],
      })
      class AppModule {}
      const app = await NestFactory.create(AppModule, { logger: false, abortOnError: false });
      apps.push(app);
      await app.listen(0, '127.0.0.1');
      return (await app.getUrl()).replace('[::1]', '127.0.0.1');
    }

    it('are ready: the store answers its ping and the adapter is subscribed', async () => {
      const urls = [await startApp(), await startApp()];
      for (const url of urls) {
        let report: unknown;
        await waitFor(`${url}/readyz`, async () => {
          const response = await fetch(`${url}/readyz`);
          report = await response.json();
          return response.status === 200;
        });
        expect(JSON.stringify(report)).toContain('"store":"up"');
        expect(JSON.stringify(report)).toContain('"adapter":"subscribed"');
      }
    });
  });

  describe('the client options (pushpageClusterOptions)', () => {
    it.each([
      ['the adapter’s', clusterConnectionOptions],
      ['the store’s', pushpageClusterOptions],
    ])(
      'fail a command within seconds when no node of the cluster answers (%s)',
      async (_name, options) => {
        const nowhere = new Cluster([{ host: '127.0.0.1', port: await freePort() }], options());
        clients.push(nowhere);
        nowhere.on('error', () => undefined);
        const started = Date.now();
        await expect(nowhere.get('anything')).rejects.toThrow(/unreachable|startup nodes/);
        expect(Date.now() - started).toBeLessThan(5000);
      },
    );

    it('retry a command for a crashed master for about 3 s, then fail it', async () => {
      const client = new Cluster(seeds(), pushpageClusterOptions());
      clients.push(client);
      client.on('error', () => undefined);
      client.on('node error', () => undefined);
      let key = '';
      for (let i = 0; !key; i++) {
        const candidate = `{crash${i}}:key`;
        if ((await cluster.nodeOf(candidate)) === cluster.nodes[0]) key = candidate;
      }
      await client.set(key, 'before');
      await cluster.killMaster(0); // no replica: nothing takes over
      const started = Date.now();
      await expect(client.get(key)).rejects.toThrow();
      const elapsed = Date.now() - started;
      expect(elapsed).toBeGreaterThan(1500);
      expect(elapsed).toBeLessThan(6000);
    });
  });
});
