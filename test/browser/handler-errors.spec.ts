/**
 * A handler that throws is not a silent failure: the tab shows an error with the reference
 * the server logged it under, on socket pages and on pages without websockets, and the page
 * goes on working.
 */
import 'reflect-metadata';
import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Browser } from 'playwright-core';
import {
  Button,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRoute,
  PushpageModule,
  WebPage,
} from 'pushpage';
import { launchBrowser, screenshot } from '../support/browser';

jest.setTimeout(60_000);

abstract class FailingPage implements PageRenderer {
  protected abstract readonly websockets: boolean;

  render(): WebPage {
    const wp = new WebPage({ websockets: this.websockets });
    new Button({ text: 'fail', attrs: { id: 'fail' }, click: this.fail, parent: wp });
    new Button({ text: 'count', attrs: { id: 'count' }, click: this.count, parent: wp });
    new Div({ text: 'not clicked', attrs: { id: 'out' }, parent: wp });
    return wp;
  }

  readonly fail = handler(() => {
    throw new Error('the database said no');
  });

  readonly count = handler((_self: Button, msg: EventMessage) => {
    const out = msg.page.children[2] as Div;
    out.text = 'counted';
  });
}

@Injectable()
@PageRoute('/failing')
class SocketFailingPage extends FailingPage {
  protected readonly websockets = true;
}

@Injectable()
@PageRoute('/failing-ajax')
class AjaxFailingPage extends FailingPage {
  protected readonly websockets = false;
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789' })],
  providers: [SocketFailingPage, AjaxFailingPage],
})
class FailingModule {}

describe('a handler that throws (Chromium)', () => {
  let app: INestApplication;
  let url: string;
  let browser: Browser;
  const logged: string[] = [];

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(JSON.stringify(message));
    });
    app = await NestFactory.create(FailingModule, { logger: ['error'] });
    await app.listen(0, '127.0.0.1');
    url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    browser = await launchBrowser();
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await browser?.close();
    await app?.close();
  });

  it.each(['/failing', '/failing-ajax'])(
    'shows the error and its logged reference in the tab of %s, and the page goes on',
    async (path) => {
      const page = await (await browser.newContext()).newPage();
      await page.goto(url + path);
      await page.locator('#fail').waitFor();
      await page.locator('#fail').click();
      const error = page.locator('.pushpage-error');
      await error.waitFor({ state: 'visible' });
      const text = await error.innerText();
      const reference = /reference (\w+) in the server log/.exec(text)?.[1];
      expect(reference).toBeDefined();
      expect(logged.some((line) => line.includes(`[${reference}]`))).toBe(true);
      // drawn where the user sees it: inside the viewport, not hidden
      const box = await error.boundingBox();
      const viewport = page.viewportSize();
      expect(box && viewport && box.y + box.height <= viewport.height && box.width > 0).toBe(true);
      await screenshot(page, `handler-error${path.replace('/', '-')}`);

      await page.locator('#count').click();
      await page.locator('#out', { hasText: 'counted' }).waitFor();
      await page.context().close();
    },
  );
});
