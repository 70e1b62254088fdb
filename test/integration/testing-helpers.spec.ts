/**
 * `pushpage/testing` as an app's own tests use it: a small app booted in this process with
 * createTestingApp (in-memory store), its pages driven over the REST API by the helpers.
 */
import { Injectable, Module } from '@nestjs/common';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  handler,
  Input,
  PageRenderer,
  PageRequest,
  PageRoute,
  PushpageModule,
  WebPage,
} from 'pushpage';
import {
  createTestingApp,
  openTestPage,
  PushpageApiError,
  PushpageTestClient,
  TestingApp,
} from 'pushpage/testing';

const COUNT = defineShared(
  'testing-helpers:count',
  () => new Div<{ clicks: number }>({ text: 'Clicked 0 times', attrs: { id: 'count' } }),
);

/** One count shared by every session, a label that listens to nothing. */
@Injectable()
@PageRoute('/counter')
class CounterPage implements PageRenderer {
  async render(req: PageRequest): Promise<WebPage> {
    const page = new WebPage({ title: 'Counter' });
    new Div({ text: 'Shared counter', attrs: { id: 'title' }, parent: page });
    const count = await req.shared(COUNT);
    page.add(count);
    count.addPage(page);
    new Button({ text: 'Click me', attrs: { id: 'click' }, click: this.increment, parent: page });
    new Button({ text: 'Peek', attrs: { id: 'peek' }, click: this.peek, parent: page });
    return page;
  }

  readonly increment = handler(async (_self: Button, msg: EventMessage) => {
    const count = await msg.shared(COUNT);
    count.data.clicks = (count.data.clicks ?? 0) + 1;
    count.text = `Clicked ${count.data.clicks} times`;
    await count.update();
  });

  /** Returns a value: the event is answered without an update. */
  readonly peek = handler((self: Button) => self.text);
}

/** A form: the name typed in the input, greeted by the button's handler. */
@Injectable()
@PageRoute('/greet')
class GreetPage implements PageRenderer {
  render(req: PageRequest): WebPage {
    const page = new WebPage({ title: 'Greeter' });
    const name = new Input({ attrs: { id: 'name' }, parent: page });
    const output = new Div({ text: `${req.query.greeting ?? 'Hello'}?`, attrs: { id: 'output' } });
    const greet = new Button<{ name: Input; output: Div; greeting: string }>({
      text: 'Greet',
      attrs: { id: 'greet' },
      click: this.greet,
      parent: page,
    });
    page.add(output);
    greet.data.name = name;
    greet.data.output = output;
    greet.data.greeting = req.query.greeting ?? 'Hello';
    return page;
  }

  readonly greet = handler((self: Button<{ name: Input; output: Div; greeting: string }>) => {
    self.data.output.text = `${self.data.greeting}, ${self.data.name.value}!`;
  });
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'testing-helpers-secret-0123456789' })],
  providers: [CounterPage, GreetPage],
})
class TestAppModule {}

describe('pushpage/testing against an app in this process', () => {
  let testing: TestingApp;

  beforeAll(async () => {
    testing = await createTestingApp(TestAppModule);
  });
  afterAll(async () => {
    await testing?.close();
  });

  it('listens on a free port of 127.0.0.1', () => {
    expect(testing.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('opens a page, finds its elements and clicks: the answer is the page after the handler', async () => {
    const page = await testing.open('/counter');
    expect(page.route).toBe('/counter');
    expect(page.byText('Shared counter').tag).toBe('div');
    expect(page.all((n) => n.tag === 'button').map((n) => page.text(n))).toEqual([
      'Click me',
      'Peek',
    ]);
    const before = Number(/\d+/.exec(page.text('count'))?.[0]);

    const after = await page.click('click');

    expect(page.text('count')).toBe(`Clicked ${before + 1} times`);
    expect(after.version).toBeGreaterThan(0);
    expect(page.view).toBe(after);
  });

  it('waits for a change another session made to a shared element', async () => {
    const watcher = await testing.open('/counter');
    const clicker = await testing.open('/counter');
    expect(clicker.pageId).not.toBe(watcher.pageId);
    const seen = watcher.text('count');

    await clicker.click(clicker.byId('click'));
    const expected = clicker.text('count');
    expect(expected).not.toBe(seen);

    await watcher.waitFor((p) => p.text('count') === expected, { description: 'the click' });
    expect(watcher.text('count')).toBe(expected);
  });

  it('fills a form control and sends its value with the query the page was opened with', async () => {
    const page = await testing.open('/greet?greeting=Hi');
    expect(page.text('output')).toBe('Hi?');

    await page.fill('name', 'Ada');
    await page.click('greet');

    expect(page.text('output')).toBe('Hi, Ada!');
    expect(page.byId('name').props.value).toBe('Ada');
  });

  it('takes the page again when the handler answered without an update', async () => {
    const page = await testing.open('/counter');
    const version = page.version;
    const after = await page.send('peek', 'click');
    expect(after.version).toBe(version);
  });

  it('keeps one session per client: its pages share the session cookie', async () => {
    const client = testing.client();
    expect(client.cookie).toBe('');
    await client.open('/counter');
    const cookie = client.cookie;
    expect(cookie).toMatch(/^pp_session=/);
    await client.open('/greet');
    expect(client.cookie).toBe(cookie);
  });

  it('drives a Nest app given as such, and a base URL', async () => {
    const fromApp = await new PushpageTestClient(testing.app).open('/counter');
    const fromUrl = await openTestPage(testing.url, '/counter');
    expect(fromApp.byId('click').events).toContain('click');
    expect(fromUrl.byId('click').events).toContain('click');
  });

  it('turns a refused event into an error with the API’s code and message', async () => {
    const page = await testing.open('/counter');
    const refusal = page.click('title');
    await expect(refusal).rejects.toThrow(PushpageApiError);
    await expect(refusal).rejects.toMatchObject({ status: 422, code: 'not-listening' });
    await expect(refusal).rejects.toThrow(
      /^click on <div id="title"> "Shared counter" on page .* \(\/counter\) was refused: 422 not-listening: component .* does not listen to click events$/,
    );
    await expect(page.send('click', 'keydown', { key: 'Enter' })).rejects.toThrow(
      /422 not-listening: .*does not listen to keydown events$/,
    );
    await expect(page.send('click', 'dblclick')).rejects.toThrow(
      /422 not-listening: .*does not listen to dblclick events$/,
    );
    await expect(page.send('click', 'dbl click')).rejects.toThrow(
      /400 bad-request: invalid event: type: "dbl click" is not an event name/,
    );
    await expect(page.fill('click', 'x')).rejects.toThrow(
      /<button id="click"> "Click me" on page .* is not a form control/,
    );
  });

  it('says what is missing when a finder finds nothing', async () => {
    const page = await testing.open('/counter');
    expect(() => page.byId('nope')).toThrow(
      /^no element with id "nope" on page .* \(\/counter\); ids: title, count, click, peek$/,
    );
    expect(() => page.byText(/^Clicked 1000000 times$/)).toThrow(
      /^no element with text \/\^Clicked 1000000 times\$\/ on page .*; texts: "Shared counter", "Clicked \d+ times", "Click me", "Peek"$/,
    );
  });

  it('refuses to open a route the app does not serve, and a closed page', async () => {
    await expect(testing.open('/nowhere')).rejects.toMatchObject({
      status: 404,
      code: 'not-found',
      message: 'opening /nowhere was refused: 404 not-found: no page is served at /nowhere',
    });
    const page = await testing.open('/greet');
    await page.close();
    await expect(page.refresh()).rejects.toMatchObject({
      status: 404,
      reason: 'page-gone',
    });
  });

  it('gives up waiting after its timeout, saying on what', async () => {
    const page = await testing.open('/counter');
    const started = Date.now();
    await expect(
      page.waitFor((p) => p.text('count') === 'Clicked -1 times', {
        timeoutMs: 300,
        description: 'a count of -1',
      }),
    ).rejects.toThrow(
      /^waitFor timed out after 300 ms on page .* \(\/counter\) at version \d+: a count of -1 never held$/,
    );
    expect(Date.now() - started).toBeLessThan(2000);

    await expect(
      page.waitFor((p) => p.byId('missing') !== undefined, { timeoutMs: 100 }),
    ).rejects.toThrow(/the predicate never held; it last threw: no element with id "missing"/);
  });
});
