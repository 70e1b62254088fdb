import { Socket } from 'socket.io-client';
import * as Y from 'yjs';
import { DocBroadcast, PageSnapshot, PushpageDocuments, QEditor } from '../../libs/pushpage/src';
import { UnitOfWork } from '../../libs/pushpage/src/engine/unit-of-work';
import { connectTab, DemoApp, loadPage, LoadedPage, request } from '../support/demo-app';
import { waitFor } from '../support/ports';
import { metric, refusalsDuring } from '../support/metrics';
import { RedisServer } from '../support/redis-server';

type Ack<T extends object = object> =
  ({ ok: true } & T) | { ok: false; error: { code: string; message: string } };

interface EditorTab {
  page: LoadedPage;
  socket: Socket;
  editorId: string;
  received: DocBroadcast[];
  doc: Y.Doc;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
/** The state vector of an empty document: a tab that has nothing yet. */
const EMPTY_SV = b64(Y.encodeStateVector(new Y.Doc()));
const bytes = (text: string) => Uint8Array.from(Buffer.from(text, 'base64'));

/** A tab's own edit: the Yjs update of typing `text` at `index` of its copy. */
function type(tab: EditorTab, index: number, text: string): string {
  const before = Y.encodeStateVector(tab.doc);
  tab.doc.getText('html').insert(index, text);
  return b64(Y.encodeStateAsUpdate(tab.doc, before));
}

/** Opens the demo's shared editor in a new tab with a socket that joined it. */
async function openEditor(app: DemoApp, sockets: Socket[]): Promise<EditorTab> {
  const page = await loadPage(app.url, '/editor');
  const socket = connectTab(app.url, page.cookie);
  sockets.push(socket);
  const received: DocBroadcast[] = [];
  socket.on('doc', (message: DocBroadcast) => received.push(message));
  const join = await request<Ack>(socket, 'join', {
    pageId: page.snapshot.pageId,
    versions: page.snapshot.versions,
  });
  expect(join.ok).toBe(true);
  const editor = page.snapshot.nodes.find((n) => n.t === 'q-editor');
  if (!editor || typeof editor.p.doc !== 'string') throw new Error('no collaborative editor');
  const doc = new Y.Doc();
  Y.applyUpdate(doc, bytes(editor.p.doc));
  return { page, socket, editorId: editor.i, received, doc };
}

/** Sends a `doc` message for the tab's editor. */
function send(tab: EditorTab, body: Record<string, unknown>): Promise<Ack<{ update?: string }>> {
  return request(tab.socket, 'doc', {
    pageId: tab.page.snapshot.pageId,
    componentId: tab.editorId,
    ...body,
  });
}

describe.each(['memory', 'redis'])('collaborative documents over Socket.IO, %s store', (kind) => {
  let app: DemoApp;
  let redis: RedisServer | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
    app = await DemoApp.start(redis ? { REDIS_URL: redis.url } : {});
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
    await redis?.stop();
  });

  it('stores an edit, sends it to the other tabs only, and gives late tabs the whole document', async () => {
    const [one, two] = [await openEditor(app, sockets), await openEditor(app, sockets)];
    const start = one.doc.getText('html').length;
    const ack = await send(one, { update: type(one, start, 'hello ') });
    expect(ack).toEqual({ ok: true });
    await waitFor('the broadcast', async () => two.received.length === 1, 2000);
    Y.applyUpdate(two.doc, bytes(two.received[0].u));
    expect(two.doc.getText('html').toString()).toContain('hello ');
    expect(two.received[0].c).toBe(one.editorId);
    expect(one.received).toEqual([]);

    // the second tab typed meanwhile without knowing: a sync sends its edit and gets the rest
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(two.doc));
    const sync = await send(two, {
      update: type(two, 0, 'world '),
      sv: b64(Y.encodeStateVector(offline)),
    });
    if (!sync.ok || !sync.update) throw new Error(`sync failed: ${JSON.stringify(sync)}`);
    Y.applyUpdate(offline, bytes(sync.update));
    expect(offline.getText('html').toString()).toContain('world ');

    const late = await loadPage(app.url, '/editor');
    const node = late.snapshot.nodes.find((n) => n.i === one.editorId);
    const lateDoc = new Y.Doc();
    Y.applyUpdate(lateDoc, bytes(String(node?.p.doc)));
    expect(lateDoc.getText('html').toString()).toBe(two.doc.getText('html').toString());
  });

  it('shows REST clients the current document as the value of the editor', async () => {
    const tab = await openEditor(app, sockets);
    const ack = await send(tab, { update: type(tab, 0, 'for REST readers ') });
    expect(ack.ok).toBe(true);
    const opened = await fetch(`${app.url}/api/pages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ route: '/editor' }),
    });
    const view = (await opened.json()) as {
      tree: { children: { tag: string; props: Record<string, unknown> }[] };
    };
    const editor = view.tree.children.find((c) => c.tag === 'q-editor');
    expect(editor?.props.value).toBe(tab.doc.getText('html').toString());
    expect(editor?.props.doc).toBeUndefined();
  });

  it('gives REST pollers each edit: a new ETag and version, 304 only while nothing changed', async () => {
    const tab = await openEditor(app, sockets);
    const path = `${app.url}/api/pages/${tab.page.snapshot.pageId}`;
    const read = async (etag?: string) => {
      const res = await fetch(path, {
        headers: { cookie: tab.page.cookie, ...(etag ? { 'if-none-match': etag } : {}) },
      });
      const text = await res.text();
      return { status: res.status, etag: res.headers.get('etag') ?? '', text };
    };
    const valueOf = (text: string) => {
      const view = JSON.parse(text) as {
        version: number;
        tree: { children: { tag: string; props: Record<string, unknown> }[] };
      };
      const editor = view.tree.children.find((c) => c.tag === 'q-editor');
      return { version: view.version, value: editor?.props.value };
    };
    const first = await read();
    expect(first.status).toBe(200);
    expect((await read(first.etag)).status).toBe(304);

    expect((await send(tab, { update: type(tab, 0, 'polled ') })).ok).toBe(true);
    const second = await read(first.etag);
    expect(second.status).toBe(200);
    expect(second.etag).not.toBe(first.etag);
    expect(valueOf(second.text).value).toBe(tab.doc.getText('html').toString());
    expect(valueOf(second.text).version).toBe(valueOf(first.text).version + 1);
    expect((await read(second.etag)).status).toBe(304);
  });

  it('lets handlers read and replace a document, and every tab follows', async () => {
    const tab = await openEditor(app, sockets);
    const documents = app.app.get(PushpageDocuments);
    const uow = new UnitOfWork(app.store, null);
    const page = await uow.loadPage(tab.page.snapshot.pageId);
    const editor = page?.children.find((c): c is QEditor => c instanceof QEditor);
    if (!editor) throw new Error('the editor page has no QEditor');
    expect(await documents.read(editor)).toBe(tab.doc.getText('html').toString());
    await documents.replace(editor, '<p>replaced</p>');
    await waitFor('the replacement', async () => tab.received.length === 1, 2000);
    Y.applyUpdate(tab.doc, bytes(tab.received[0].u));
    expect(tab.doc.getText('html').toString()).toBe('<p>replaced</p>');
    expect(await documents.read(editor)).toBe('<p>replaced</p>');
  });

  it.each([
    ['a malformed update', { update: 'not base64!' }, 'bad-request'],
    [
      'bytes that are no update',
      { update: b64(Uint8Array.from([1, 2, 3, 4, 5, 99, 200])) },
      'bad-request',
    ],
    ['an oversized update', { update: Buffer.alloc(600 * 1024).toString('base64') }, 'too-large'],
    ['an unknown field', { update: '', extra: 1 }, 'bad-request'],
    ['neither update nor state vector', {}, 'bad-request'],
    ['a state vector that is not one', { sv: b64(Uint8Array.from([5])) }, 'bad-request'],
    ['an unknown component', { componentId: 'nope', sv: EMPTY_SV }, 'not-found'],
    ['another page', { pageId: 'AAAAAAAAAAAAAAAAAAAAAA', sv: EMPTY_SV }, 'forbidden'],
  ])('refuses %s and changes nothing', async (_what, body, code) => {
    const tab = await openEditor(app, sockets);
    const before = await loadPage(app.url, '/editor');
    const ack = await send(tab, body);
    expect(ack.ok).toBe(false);
    if (!ack.ok) expect(ack.error.code).toBe(code);
    const after = await loadPage(app.url, '/editor');
    const docOf = (page: LoadedPage) => page.snapshot.nodes.find((n) => n.t === 'q-editor')?.p.doc;
    expect(docOf(after)).toBe(docOf(before));
    expect(tab.socket.connected).toBe(true);
  });

  it('refuses edits of a component that is not a collaborative document', async () => {
    const tab = await openEditor(app, sockets);
    const ack = await request<Ack>(tab.socket, 'doc', {
      pageId: tab.page.snapshot.pageId,
      componentId: tab.page.snapshot.pageId,
      update: type(tab, 0, 'x'),
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'not-listening' } });
  });

  it('refuses edits from a socket that has not joined the page', async () => {
    const page = await loadPage(app.url, '/editor');
    const socket = connectTab(app.url, page.cookie);
    sockets.push(socket);
    const editor = page.snapshot.nodes.find((n) => n.t === 'q-editor');
    const ack = await request<Ack>(socket, 'doc', {
      pageId: page.snapshot.pageId,
      componentId: editor?.i,
      sv: EMPTY_SV,
    });
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});

describe.each(['memory', 'redis'])("a collaborative document's byte budget, %s store", (kind) => {
  const BUDGET = 1024 * 1024; // the default maxDocumentBytes
  let app: DemoApp;
  let redis: RedisServer | undefined;
  const sockets: Socket[] = [];

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
    app = await DemoApp.start({
      PUSHPAGE_METRICS_PUBLIC: 'true',
      ...(redis ? { REDIS_URL: redis.url } : {}),
    });
  });
  afterAll(async () => {
    for (const s of sockets) s.disconnect();
    await app?.stop();
    await redis?.stop();
  });

  it('refuses the edit that would take the document past the budget with too-large, storing nothing of it', async () => {
    const tab = await openEditor(app, sockets);
    const scope = tab.page.snapshot.pageId; // the editor page is shared: its own scope
    const storedBytes = async () =>
      (await app.store.loadDocUpdates(scope, tab.editorId)).reduce((n, u) => n + u.length, 0);
    // updates of 200 KB, well inside the message limit, as fast as the rate limit allows
    let refused: Ack | undefined;
    let accepted = 0;
    let lastSize = 0;
    for (let i = 0; i < 20 && !refused; i++) {
      const before = { text: tab.doc.getText('html').toString(), bytes: await storedBytes() };
      const update = type(tab, 0, String(i % 10).repeat(200 * 1024));
      lastSize = bytes(update).length;
      let ack: Ack | undefined;
      const added = await refusalsDuring(app, async () => {
        ack = await send(tab, { update });
      });
      if (ack?.ok) {
        accepted += 1;
        expect(added).toEqual({});
        continue;
      }
      refused = ack;
      expect(added).toEqual({ 'too-large socket': 1 });
      // nothing of the refused edit is stored; a new tab gets the document as it was
      expect(await storedBytes()).toBe(before.bytes);
      expect((await openEditor(app, sockets)).doc.getText('html').toString()).toBe(before.text);
    }
    expect(accepted).toBeGreaterThan(0);
    expect(refused).toMatchObject({ ok: false, error: { code: 'too-large' } });
    if (refused && !refused.ok) expect(refused.error.message).toMatch(/at most 1048576 bytes/);
    const stored = await storedBytes();
    expect(stored).toBeLessThanOrEqual(BUDGET);
    expect(stored + lastSize).toBeGreaterThan(BUDGET);
    expect(await metric(app, 'pushpage_doc_updates_total', { result: 'too-large' })).toBe(1);
    // a handler that replaces the full document is refused the same way
    const page = await new UnitOfWork(app.store, null).loadPage(scope);
    const editor = page?.children.find((c): c is QEditor => c instanceof QEditor);
    if (!editor) throw new Error('the editor page has no QEditor');
    await expect(
      app.app.get(PushpageDocuments).replace(editor, 'x'.repeat(200 * 1024)),
    ).rejects.toMatchObject({ code: 'too-large' });
    expect(await storedBytes()).toBe(stored);
  });
});

export type { PageSnapshot };
