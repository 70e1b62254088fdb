import 'reflect-metadata';
import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Socket } from 'socket.io-client';
import {
  Button,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRoute,
  PageSnapshot,
  PushpageModule,
  WebPage,
} from '../../libs/pushpage/src';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import { connectTab, loadPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';

type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

/** A service a page injects, to show pages are ordinary providers. */
@Injectable()
class Greeter {
  greet(n: number): string {
    return `clicked ${n}`;
  }
}

@Injectable()
@PageRoute('/test-handlers')
class HandlersPage implements PageRenderer {
  constructor(private readonly greeter: Greeter) {}

  render(): WebPage {
    const wp = new WebPage();
    new Button({ text: 'slow', click: this.slow, attrs: { name: 'slow' }, parent: wp });
    new Button({ text: 'fast', click: this.fast, attrs: { name: 'fast' }, parent: wp });
    new Button({ text: 'boom', click: this.boom, attrs: { name: 'boom' }, parent: wp });
    new Button({ text: 'quiet', click: this.quiet, attrs: { name: 'quiet' }, parent: wp });
    new Div({ text: '', attrs: { name: 'out' }, parent: wp });
    return wp;
  }

  private out(msg: EventMessage): Div {
    return msg.page.children.find((c) => c.attrs.name === 'out') as Div;
  }

  readonly slow = handler(async (_self: Button, msg: EventMessage) => {
    this.out(msg).text = 'slow started';
    await msg.page.update();
    await new Promise((r) => setTimeout(r, 1500));
    this.out(msg).text = 'slow done';
  });

  readonly fast = handler((self: Button<{ n: number }>, msg: EventMessage) => {
    self.data.n = (self.data.n ?? 0) + 1;
    this.out(msg).text = this.greeter.greet(self.data.n);
  });

  readonly boom = handler(() => {
    throw new Error('kaboom');
  });

  readonly quiet = handler((_self: Button, msg: EventMessage): boolean => {
    this.out(msg).text = 'changed quietly';
    return true;
  });
}

@Module({
  imports: [
    PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789', disconnectGraceMs: 300 }),
  ],
  providers: [Greeter, HandlersPage],
})
class TestModule {}

describe('handlers', () => {
  let app: INestApplication;
  let url: string;
  const sockets: Socket[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    app = await NestFactory.create(TestModule, { logger: false });
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      errors.push(typeof message === 'object' ? JSON.stringify(message) : String(message));
    });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app.close();
  });

  async function open() {
    const page = await loadPage(url, '/test-handlers');
    const socket = connectTab(url, page.cookie);
    sockets.push(socket);
    const patches: { o: unknown[][] }[] = [];
    socket.on('patch', (p: { o: unknown[][] }) => patches.push(p));
    await request(socket, 'join', {
      pageId: page.snapshot.pageId,
      versions: page.snapshot.versions,
    });
    const id = (name: string) =>
      (
        page.snapshot.nodes.find(
          (n) => (n.p.attrs as Record<string, string> | undefined)?.name === name,
        ) as PageSnapshot['nodes'][number]
      ).i;
    const click = (name: string) =>
      request<Ack<{ updated: boolean }>>(socket, 'event', {
        pageId: page.snapshot.pageId,
        componentId: id(name),
        type: 'click',
      });
    const texts = () =>
      patches
        .flatMap((p) => p.o)
        .filter((op) => op[0] === 'set' && op[1] === id('out'))
        .map((op) => op[3]);
    return { page, socket, click, texts };
  }

  it('runs handlers concurrently: a sleeping handler on one page never delays a click on another', async () => {
    const a = await open();
    const b = await open();
    const order: string[] = [];
    const slow = a.click('slow').then(() => order.push('slow'));
    await waitFor('the slow handler to start', () => a.texts().includes('slow started'));
    const fast = b.click('fast').then(() => order.push('fast'));
    await Promise.all([slow, fast]);
    expect(order).toEqual(['fast', 'slow']);
    expect(b.texts()).toEqual(['clicked 1']);
    expect(a.texts()).toEqual(['slow started', 'slow done']);
  });

  it('also runs a second event of the same tab while its first handler sleeps', async () => {
    const a = await open();
    const slow = a.click('slow');
    await waitFor('the slow handler to start', () => a.texts().includes('slow started'));
    expect(await a.click('fast')).toEqual({ ok: true, updated: true });
    await slow;
    expect(a.texts()).toEqual(['slow started', 'clicked 1', 'slow done']);
  });

  it('keeps custom data between events and uses injected services', async () => {
    const a = await open();
    await a.click('fast');
    await a.click('fast');
    expect(a.texts()).toEqual(['clicked 1', 'clicked 2']);
  });

  it('answers a throwing handler with an error, logs it with page and handler, and keeps the socket', async () => {
    const a = await open();
    const ack = await a.click('boom');
    expect(ack).toMatchObject({ ok: false, error: { code: 'handler-failed' } });
    const reference = /reference (\w+)/.exec(ack.ok ? '' : ack.error.message)?.[1];
    const logged = errors.find((e) => e.includes(`[${reference}]`));
    expect(JSON.parse(logged ?? '{}')).toMatchObject({
      handler: 'HandlersPage.boom',
      pageId: a.page.snapshot.pageId,
      eventType: 'click',
      reference,
      error: expect.stringContaining('kaboom') as unknown,
    });
    expect(a.socket.connected).toBe(true);
    expect(await a.click('fast')).toEqual({ ok: true, updated: true });
  });

  it('does not push when a handler returns something, but stores the change', async () => {
    const a = await open();
    expect(await a.click('quiet')).toEqual({ ok: true, updated: false });
    expect(a.texts()).toEqual([]);
    const store = app.get<PushpageStore>(PUSHPAGE_STORE);
    const tree = await store.load([a.page.snapshot.pageId], 'tree');
    expect(tree.some((c) => c.fields['p:text'] === '"changed quietly"')).toBe(true);
  });

  it('answers 204 over REST when the handler skips the update', async () => {
    const a = await open();
    const quiet = a.page.snapshot.nodes.find(
      (n) => (n.p.attrs as Record<string, string> | undefined)?.name === 'quiet',
    );
    const res = await fetch(`${url}/api/pages/${a.page.snapshot.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: a.page.cookie },
      body: JSON.stringify({ componentId: quiet?.i, type: 'click' }),
    });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('deletes a page once its last tab has been gone for the grace period', async () => {
    const a = await open();
    const store = app.get<PushpageStore>(PUSHPAGE_STORE);
    expect(await store.load([a.page.snapshot.pageId], 'self')).toHaveLength(1);
    a.socket.disconnect();
    await waitFor(
      'the page to expire',
      async () => (await store.load([a.page.snapshot.pageId], 'tree')).length === 0,
      3000,
    );
  });
});
