/**
 * A Nest app that mounts Pushpage on routes of its own (a REST prefix, a socket namespace, a
 * global prefix), in a real Chromium: the browser runtime must find both from the page.
 */
import 'reflect-metadata';
import { INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Browser } from 'playwright-core';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  PushpageModule,
  WebPage,
} from 'pushpage';
import { launchBrowser, screenshot } from '../support/browser';
import { waitFor } from '../support/ports';

jest.setTimeout(60_000);

const COUNTER = defineShared(
  'library-routes-counter',
  () => new Div({ text: 'pressed 0 times', attrs: { id: 'count' } }),
);

/** The same counter on a socket page and on a page without websockets. */
abstract class CounterPage implements PageRenderer {
  protected abstract readonly websockets: boolean;

  async render(req: PageRequest): Promise<WebPage> {
    const wp = new WebPage({ websockets: this.websockets });
    const counter = await req.shared(COUNTER);
    wp.add(counter);
    counter.addPage(wp);
    new Button({ text: 'press', attrs: { id: 'press' }, click: this.press, parent: wp });
    return wp;
  }

  readonly press = handler(async (_self: Button, msg: EventMessage) => {
    const counter = msg.page.children[0] as Div<{ n: number }>;
    counter.data.n = (counter.data.n ?? 0) + 1;
    counter.text = `pressed ${counter.data.n} times`;
    await counter.update();
  });
}

@Injectable()
@PageRoute('/counter')
class SocketCounterPage extends CounterPage {
  protected readonly websockets = true;
}

@Injectable()
@PageRoute('/counter-ajax')
class AjaxCounterPage extends CounterPage {
  protected readonly websockets = false;
}

@Module({
  imports: [
    PushpageModule.forRoot({
      sessionSecret: 'test-secret-0123456789',
      apiPrefix: 'live/api',
      socketNamespace: '/live',
    }),
  ],
  providers: [SocketCounterPage, AjaxCounterPage],
})
class RoutesModule {}

describe('Pushpage on an app’s own routes, in a browser', () => {
  let app: INestApplication;
  let url: string;
  let browser: Browser;

  beforeAll(async () => {
    app = await NestFactory.create(RoutesModule, { logger: false });
    app.setGlobalPrefix('v1');
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  it('connects on the namespace and posts to the prefixed API', async () => {
    const problems: string[] = [];
    const requests: string[] = [];
    let namespacedAcks = 0;
    const open = async (path: string) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('response', (r) => r.status() >= 400 && problems.push(`${r.status()} ${r.url()}`));
      page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
      page.on('websocket', (ws) => {
        requests.push(`WS ${new URL(ws.url()).pathname}`);
        // an acknowledgement on the namespace: `43/live,<id>[{"ok":true,...}]`
        ws.on('framereceived', ({ payload }) => {
          if (/^43\/live,\d+\[\{"ok":true/.test(String(payload))) namespacedAcks += 1;
        });
      });
      await page.goto(url + path);
      await page.locator('#count').waitFor();
      return page;
    };
    const socketTab = await open('/counter');
    const ajaxTab = await open('/counter-ajax');
    // the socket tab's join was acknowledged on /live: pushes reach it from now on
    await waitFor('an acknowledged join on /live', () => namespacedAcks > 0);

    await ajaxTab.locator('#press').click();
    await ajaxTab.locator('#count', { hasText: 'pressed 1 times' }).waitFor();
    await socketTab.locator('#count', { hasText: 'pressed 1 times' }).waitFor();
    await socketTab.locator('#press').click();
    await socketTab.locator('#count', { hasText: 'pressed 2 times' }).waitFor();
    await screenshot(socketTab, 'library-routes');

    expect(requests).toContain('WS /pushpage/socket.io/');
    expect(requests.some((r) => /^POST \/v1\/live\/api\/[\w-]+\/events$/.test(r))).toBe(true);
    expect(problems).toEqual([]);
  });
});
