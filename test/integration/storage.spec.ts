/**
 * `msg.storage` over REST: the tab id an event carries (`tabId`) picks the tab's storage,
 * an event without one gets none, the session's storage is shared by its pages and read at
 * render, and revoking the session deletes it.
 */
import { Injectable, Module } from '@nestjs/common';
import {
  Button,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  PushpageModule,
  PushpageSessions,
  WebPage,
} from 'pushpage';
import { createTestingApp, PushpageTestClient, TestingApp, TestPage } from 'pushpage/testing';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';

type Out = { out: Div };

@Injectable()
@PageRoute('/kept')
class KeptPage implements PageRenderer {
  readonly write = handler(async (_self: Button, msg: EventMessage<Out>) => {
    await msg.storage.user.set('theme', 'dark');
    await msg.storage.tab.set('draft', `written by ${msg.pageId}`);
  });

  readonly read = handler(async (_self: Button, msg: EventMessage<Out>) => {
    const theme = (await msg.storage.user.get('theme')) ?? 'none';
    let draft: string;
    try {
      draft = (await msg.storage.tab.get('draft')) ?? 'none';
    } catch (error) {
      draft = `refused: ${(error as Error).message}`;
    }
    if (msg.page.data.out) msg.page.data.out.text = `${theme} | ${draft}`;
  });

  async render(req: PageRequest): Promise<WebPage> {
    const page = new WebPage<Out>();
    page.data.out = new Div({
      text: `rendered with ${(await req.storage.user.get('theme')) ?? 'none'}`,
      attrs: { id: 'out' },
      parent: page,
    });
    new Button({ attrs: { id: 'write' }, click: this.write, parent: page });
    new Button({ attrs: { id: 'read' }, click: this.read, parent: page });
    return page;
  }
}

@Module({
  imports: [PushpageModule.forRoot({ pageRateLimit: 1000 })],
  providers: [KeptPage],
})
class StorageModule {}

describe('per-user and per-tab storage over REST', () => {
  let testing: TestingApp;

  beforeAll(async () => {
    testing = await createTestingApp(StorageModule, { logger: false });
  });
  afterAll(() => testing.close());

  /** Sends a click as the browser runtime does over HTTP, with a tab id or none. */
  async function send(
    client: PushpageTestClient,
    page: TestPage,
    button: string,
    tabId?: unknown,
  ): Promise<number> {
    const componentId = page.byId(button).id;
    const res = await fetch(`${testing.url}/api/pages/${page.pageId}/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: client.cookie, origin: testing.url },
      body: JSON.stringify({
        componentId,
        type: 'click',
        ...(tabId === undefined ? {} : { tabId }),
      }),
    });
    return res.status;
  }

  /** Clicks `read` with a tab id (or none) and answers what the page shows then. */
  async function read(client: PushpageTestClient, page: TestPage, tabId?: string): Promise<string> {
    expect(await send(client, page, 'read', tabId)).toBe(200);
    await page.refresh();
    return page.text('out');
  }

  it('gives each tab id of a session its own storage, and the session one for all', async () => {
    const client = testing.client();
    const first = await client.open('/kept');
    expect(first.text('out')).toBe('rendered with none');
    expect(await send(client, first, 'write', 'tab-one')).toBe(200);
    expect(await read(client, first, 'tab-one')).toBe(`dark | written by ${first.pageId}`);
    // another tab of the session: the session's theme, no draft
    const second = await client.open('/kept');
    expect(second.text('out')).toBe('rendered with dark');
    expect(await read(client, second, 'tab-two')).toBe('dark | none');
    // the same tab id on another page of the session is the same tab (a reload)
    expect(await read(client, second, 'tab-one')).toBe(`dark | written by ${first.pageId}`);
    // without a tab id, the tab's storage is refused, saying why
    expect(await read(client, second)).toMatch(/^dark \| refused: .*tab id/);
    // another session's tab with the same id sees nothing of it
    const other = testing.client();
    const theirs = await other.open('/kept');
    expect(theirs.text('out')).toBe('rendered with none');
    expect(await read(other, theirs, 'tab-one')).toBe('none | none');
  });

  it('refuses a malformed tab id', async () => {
    const client = testing.client();
    const page = await client.open('/kept');
    for (const bad of ['a/b', '', 'x'.repeat(65), 7])
      expect(await send(client, page, 'read', bad)).toBe(400);
  });

  it('deletes the session’s storage when the session is revoked', async () => {
    const client = testing.client();
    const page = await client.open('/kept');
    expect(await send(client, page, 'write', 'tab-one')).toBe(200);
    const sessions = testing.app.get(PushpageSessions);
    const session = sessions.sessionIdOf(client.cookie) as string;
    const store = testing.app.get<PushpageStore>(PUSHPAGE_STORE);
    const later = Date.now() + 60_000;
    expect(await store.storageGet({ session }, 'theme', later)).toBe('"dark"');
    await sessions.revoke(session);
    expect(await store.storageGetAll({ session }, later)).toEqual({});
  });
});
