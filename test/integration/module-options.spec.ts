/**
 * The module's options as an app uses them: forRootAsync with a user's module and an existing
 * ioredis client, the REST prefix and the socket namespace, asset serving, and clear errors
 * for options that cannot work. Two apps share one real Redis, as two replicas would.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  INestApplication,
  Inject,
  Injectable,
  Module,
  OnApplicationShutdown,
  Type,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { Socket } from 'socket.io-client';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  PageSnapshot,
  PushpageModule,
  pushpageAssetFolders,
  PushpageModuleOptions,
  PushpageOptionsFactory,
  pushpageRedisOptions,
  WebPage,
} from 'pushpage';
import { connectTab, loadPage, request, ViewNode, viewNodes } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const REDIS = Symbol('test:redis');
let redisUrl = '';

/** The app's own Redis client, made once and closed by the app, as a user's module would. */
@Module({
  providers: [{ provide: REDIS, useFactory: () => new Redis(redisUrl, pushpageRedisOptions()) }],
  exports: [REDIS],
})
class RedisClientModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}
  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit();
  }
}

/** A user's service the page's handler calls. */
@Injectable()
class Tally {
  label(count: number): string {
    return `${count} ${count === 1 ? 'press' : 'presses'}`;
  }
}

const BOARD = defineShared('options-test-board', () => new Div({ text: '0 presses' }));

@Injectable()
@PageRoute('/tally')
class TallyPage implements PageRenderer {
  constructor(private readonly tally: Tally) {}

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ title: 'Tally' });
    const board = await req.shared(BOARD);
    wp.add(board);
    board.addPage(wp);
    new Button({ text: 'press', click: this.press, parent: wp });
    return wp;
  }

  readonly press = handler(async (_self: Button, msg: EventMessage) => {
    const board = msg.page.children[0] as Div<{ count: number }>;
    board.data.count = (board.data.count ?? 0) + 1;
    board.text = this.tally.label(board.data.count);
    await board.update();
  });
}

const ROUTES = { apiPrefix: '/live/api/', socketNamespace: '/live' };

function appModule(options: PushpageModuleOptions | 'async-class'): object {
  @Injectable()
  class OptionsFromClass implements PushpageOptionsFactory {
    constructor(@Inject(REDIS) private readonly redis: Redis) {}
    createPushpageOptions(): PushpageModuleOptions {
      return { redis: this.redis, sessionSecret: 'test-secret-0123456789', keyPrefix: 'opt:' };
    }
  }
  @Module({
    imports: [
      options === 'async-class'
        ? PushpageModule.forRootAsync({
            imports: [RedisClientModule],
            useClass: OptionsFromClass,
            ...ROUTES,
          })
        : PushpageModule.forRoot({ ...options, ...ROUTES }),
    ],
    providers: [Tally, TallyPage],
  })
  class AppModule {}
  return AppModule;
}

async function startApp(module: object): Promise<{ app: INestApplication; url: string }> {
  const app = await NestFactory.create(module as never, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('module options', () => {
  let redis: RedisServer;
  const apps: INestApplication[] = [];
  const sockets: Socket[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    redisUrl = redis.url;
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    for (const app of apps) await app.close();
    await redis.dispose();
  });

  async function start(options: PushpageModuleOptions | 'async-class') {
    const started = await startApp(appModule(options));
    apps.push(started.app);
    return started;
  }

  async function openTab(url: string, namespace: string) {
    const page = await loadPage(url, '/tally');
    const socket = connectTab(url, page.cookie, namespace);
    sockets.push(socket);
    const texts: unknown[] = [];
    socket.on('patch', (p: { o: unknown[][] }) =>
      p.o.filter((op) => op[0] === 'set' && op[2] === 'text').forEach((op) => texts.push(op[3])),
    );
    const joined = await request<{ ok: boolean }>(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    expect(joined).toMatchObject({ ok: true });
    const button = page.snapshot.nodes.find((n) => n.t === 'button') as PageSnapshot['nodes'][0];
    return { page, socket, texts, button };
  }

  it('forRootAsync with useClass, the app’s ioredis client, a REST prefix and a socket namespace', async () => {
    const a = await start('async-class');
    const b = await start('async-class');

    // the page tells its runtime where the API and the namespace are
    const html = await (await fetch(`${a.url}/tally`)).text();
    expect(html).toContain('"apiBase":"/live/api"');
    expect(html).toContain('"socketNamespace":"/live"');

    // a tab on each app, on the namespace; a press on one reaches both, through the handler's service
    const tabA = await openTab(a.url, '/live');
    const tabB = await openTab(b.url, '/live');
    const pressed = await request<{ ok: boolean }>(tabA.socket, 'event', {
      pageId: tabA.page.snapshot.pageId,
      componentId: tabA.button.i,
      type: 'click',
    });
    expect(pressed).toMatchObject({ ok: true });
    await waitFor('the press on app b', () => tabB.texts.includes('1 press'));
    expect(tabA.texts).toContain('1 press');

    // REST on the prefix, as a non-socket client: open, press, read
    const opened = await fetch(`${b.url}/live/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/tally' }),
    });
    expect(opened.status).toBe(201);
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0];
    const view = (await opened.json()) as { pageId: string; tree: ViewNode };
    const buttonId = viewNodes(view.tree).find((n) => n.tag === 'button')?.id;
    const event = await fetch(`${b.url}/live/api/${view.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie },
      body: JSON.stringify({ componentId: buttonId, type: 'click' }),
    });
    expect(event.status).toBe(200);
    const after = (await event.json()) as { tree: ViewNode };
    expect(viewNodes(after.tree).map((n) => n.props.text)).toContain('2 presses');
    await waitFor('the REST press on the socket tab', () => tabA.texts.includes('2 presses'));

    // the default prefix is not served
    expect((await fetch(`${a.url}/api/pages`, { method: 'POST' })).status).toBe(404);

    // the keys carry the prefix given in the options
    const inspector = new Redis(redis.url);
    const keys = await inspector.keys('*').finally(() => inspector.quit());
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => !k.startsWith('opt:'))).toEqual([]);
  });

  it('leaves the app’s own client open when the app’s Pushpage closes', async () => {
    const client = new Redis(redis.url, pushpageRedisOptions());
    try {
      expect(await client.ping()).toBe('PONG');
      const { app } = await start({ redis: client, sessionSecret: 'test-secret-0123456789' });
      await app.close();
      apps.splice(apps.indexOf(app), 1);
      expect(client.status).toBe('ready');
      expect(await client.ping()).toBe('PONG');
    } finally {
      await client.quit();
    }
  });

  it('tells pages where the API is under the app’s global prefix', async () => {
    const app = await NestFactory.create(appModule({}) as never, { logger: false });
    apps.push(app);
    app.setGlobalPrefix('v2');
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const html = await (await fetch(`${url}/tally`)).text();
    expect(html).toContain('"apiBase":"/v2/live/api"');
    const opened = await fetch(`${url}/v2/live/api`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/tally' }),
    });
    expect(opened.status).toBe(201);
  });

  it('serves no assets with serveAssets: false, and says where they are', async () => {
    const { url } = await start({ serveAssets: false });
    expect((await fetch(`${url}/pushpage/static/pushpage.js`)).status).toBe(404);
    const folders = pushpageAssetFolders();
    expect(Object.keys(folders)).toContain('/pushpage/static');
    for (const dir of Object.values(folders)) expect(existsSync(dir)).toBe(true);
    expect(existsSync(join(folders['/pushpage/static'], 'pushpage.js'))).toBe(true);
  });

  it('without publicOrigins, outside production, takes the request’s own scheme and Host as its origin', async () => {
    const { url } = await start({});
    const post = (origin: string) =>
      fetch(`${url}/live/api`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify({ route: '/tally' }),
      });
    expect((await post(url)).status).toBe(201);
    expect((await post(url.replace('http:', 'https:'))).status).toBe(403);
    expect((await post('http://evil.example')).status).toBe(403);
  });

  it('gives every response of the app nosniff and no X-Powered-By, its own routes included', async () => {
    @Controller('own')
    class OwnController {
      @Get()
      hello(): { hello: string } {
        return { hello: 'world' };
      }
    }
    @Module({ imports: [appModule({}) as Type], controllers: [OwnController] })
    class WithOwnRoutes {}
    const app = await NestFactory.create(WithOwnRoutes, { logger: false });
    apps.push(app);
    app.setGlobalPrefix('v3');
    await app.listen(0, '127.0.0.1');
    const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const seen: string[] = [];
    for (const path of ['/v3/own', '/v3/nothing', '/nothing', '/pushpage/static/pushpage.js']) {
      const res = await fetch(url + path);
      seen.push(
        `${path} ${res.headers.get('x-content-type-options')} ${res.headers.get('x-powered-by')}`,
      );
    }
    expect(seen).toEqual([
      '/v3/own nosniff null',
      '/v3/nothing nosniff null',
      '/nothing nosniff null',
      '/pushpage/static/pushpage.js nosniff null',
    ]);
  });

  it('sets trustProxy on the app: X-Forwarded-For names the client, for its budgets', async () => {
    const { url } = await start({ trustProxy: 'loopback', restRateLimit: 3 });
    const statusesFrom = (client: (i: number) => string) =>
      Promise.all(
        Array.from({ length: 12 }, async (_, i) => {
          const res = await fetch(`${url}/live/api/nosuchpage`, {
            headers: { 'x-forwarded-for': client(i) },
          });
          await res.arrayBuffer();
          return res.status;
        }),
      );
    // twelve clients behind the trusted proxy: a budget each
    expect(await statusesFrom((i) => `198.51.100.${i + 1}`)).toEqual(Array(12).fill(404));
    // one client: three a second
    const one = await statusesFrom(() => '198.51.100.200');
    expect(one.filter((status) => status === 429).length).toBeGreaterThanOrEqual(6);
  });

  it.each([
    [
      { trustProxy: '10.0.0.0/99' },
      /trustProxy "10.0.0.0\/99" is not a boolean, a hop count or a list of addresses/,
    ],
    [{ trustProxy: -1 }, /trustProxy -1 is not a number of proxies/],
  ])('refuses %p at start, saying why', async (options, message) => {
    await expect(startApp(appModule(options))).rejects.toThrow(message);
  });

  it('refuses to start in production without publicOrigins, naming the setting', async () => {
    const env = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startApp(
          appModule({
            sessionSecret: 'test-secret-0123456789',
            settingNames: { publicOrigins: 'MY_APP_ORIGINS' },
          }),
        ),
      ).rejects.toThrow(/^MY_APP_ORIGINS is required in production/);
    } finally {
      process.env.NODE_ENV = env;
    }
  });

  it.each([
    [
      'a client and a URL',
      () => ({ redis: new Redis({ lazyConnect: true }), redisUrl: 'redis://127.0.0.1:1' }),
      /the redisUrl option of PushpageModule and the redis option of PushpageModule are set together; give only one/,
    ],
    [
      "a client with ioredis' keyPrefix",
      () => ({ redis: new Redis({ lazyConnect: true, keyPrefix: 'x:' }) }),
      /keyPrefix/,
    ],
  ])('refuses %s, saying why', async (_name, options, message) => {
    await expect(startApp(appModule(options()))).rejects.toThrow(message);
  });

  it.each([
    [{ apiPrefix: 'api pages' }, /apiPrefix "api pages"/],
    [{ socketNamespace: 'live' }, /socketNamespace "live" must start with \//],
  ])('refuses the routes %p at definition', (routes, message) => {
    expect(() => PushpageModule.forRoot(routes)).toThrow(message);
  });
});
