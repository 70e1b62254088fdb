import {
  Button,
  defineShared,
  Div,
  handler,
  P,
  Pre,
  Span,
  Textarea,
  WebPage,
} from '../../../libs/pushpage/src';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { CommitRequest, StoredComponent } from '../../../libs/pushpage/src/store/store';
import { Publisher, ScopeJoin, ScopePatch } from '../../../libs/pushpage/src/engine/patch';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';

class RecordingPublisher implements Publisher {
  patches: ScopePatch[] = [];
  joins: ScopeJoin[] = [];
  publish(patches: ScopePatch[], joins: ScopeJoin[]): void {
    this.patches.push(...patches);
    this.joins.push(...joins);
  }
}

/** Named here: no handler registry runs in these tests to name it after a provider's field. */
const sendMessage = handler('BoardHandlers.send', () => undefined);

let boardCount = 0;
function newBoard() {
  return defineShared(`board-${++boardCount}`, () => {
    const board = new Div({ classes: 'board' });
    board.add(new Pre({ text: 'Welcome' }));
    return board;
  });
}

/** Renders a message-board-like page as a fresh request would, and stores it. */
async function renderPage(store: MemoryStore, board: ReturnType<typeof newBoard>) {
  const uow = new UnitOfWork(store, null);
  const wp = new WebPage();
  const message = new Textarea({ parent: wp });
  const send = new Button<{ message: Textarea }>({
    text: 'Send',
    click: sendMessage,
    parent: wp,
  });
  const shared = await uow.shared(board);
  wp.add(shared);
  shared.addPage(wp);
  send.data.message = message;
  uow.addPage(wp, { session: 's1' });
  await uow.commitQuietly();
  return { pageId: wp.id, sendId: send.id, messageId: message.id, boardId: shared.id };
}

describe('unit of work', () => {
  let store: MemoryStore;
  let publisher: RecordingPublisher;
  beforeEach(() => {
    store = new MemoryStore();
    publisher = new RecordingPublisher();
  });

  /** A component as stored, found through the scope that holds it. */
  async function recordOf(scope: string, id: string): Promise<StoredComponent> {
    const record = (await store.load([scope], 'page')).find((r) => r.id === id);
    if (!record) throw new Error(`${id} is not stored in ${scope}`);
    return record;
  }

  it('stores a new page with its tree, session and custom attributes', async () => {
    const ids = await renderPage(store, newBoard());
    const [page] = await store.load([ids.pageId], 'page');
    expect(page.fields['m:session']).toBe('"s1"');
    expect(page.children).toEqual([ids.messageId, ids.sendId, ids.boardId]);
    const send = await recordOf(ids.pageId, ids.sendId);
    expect(JSON.parse(send.fields['d:message'])).toEqual({ $ref: ids.messageId, in: ids.pageId });
    expect(send.fields['e:click']).toBe('"BoardHandlers.send"');
  });

  it('loads a page in another unit of work with references resolved', async () => {
    const ids = await renderPage(store, newBoard());
    const uow = new UnitOfWork(store, publisher);
    const page = await uow.loadPage(ids.pageId);
    const send = uow.get(ids.sendId) as Button<{ message: Textarea }>;
    expect(page?.children.map((c) => c.id)).toEqual([ids.messageId, ids.sendId, ids.boardId]);
    expect(send.data.message).toBe(uow.get(ids.messageId));
    expect(send.text).toBe('Send');
  });

  it('does not load the insides of a shared element with the page', async () => {
    const ids = await renderPage(store, newBoard());
    const uow = new UnitOfWork(store, publisher);
    await uow.loadPage(ids.pageId);
    const board = uow.get(ids.boardId) as Div;
    expect(() => board.children).toThrow(/not loaded/);
    expect((await board.loadChildren()).map((c) => c.text)).toEqual(['Welcome']);
  });

  it('pushes only the changed fields, to the scope of the changed component', async () => {
    const ids = await renderPage(store, newBoard());
    const uow = new UnitOfWork(store, publisher);
    const page = await uow.loadPage(ids.pageId);
    (uow.get(ids.messageId) as Textarea).value = 'hi';
    await page?.update();
    expect(publisher.patches).toEqual([
      { s: ids.pageId, v: 1, o: [['set', ids.messageId, 'value', 'hi']] },
    ]);
  });

  it('sends an element update to the element alone, with the new nodes', async () => {
    const board = newBoard();
    const ids = await renderPage(store, board);
    const uow = new UnitOfWork(store, publisher);
    const shared = await uow.shared(board);
    const row = new Div({ classes: 'flex' });
    row.add(new P({ text: 'now' }), new Pre({ text: 'hello' }));
    shared.addComponent(row, 0);
    await shared.update();
    expect(publisher.patches).toHaveLength(1);
    const patch = publisher.patches[0];
    expect(patch.s).toBe(ids.boardId);
    expect(patch.o).toEqual([['ins', ids.boardId, 0, row.id]]);
    expect(patch.n?.map((n) => n.p.text ?? n.p.classes)).toEqual(['flex', 'now', 'hello']);
    const [stored] = await store.load([ids.boardId], 'page');
    expect(stored.children?.[0]).toBe(row.id);
    expect(stored.version).toBe(1);
  });

  it('keeps a patch small however long the board is', async () => {
    const board = newBoard();
    await renderPage(store, board);
    const sizes: number[] = [];
    for (let i = 0; i < 300; i++) {
      const uow = new UnitOfWork(store, publisher);
      const shared = await uow.shared(board);
      shared.addComponent(new Pre({ text: `message ${i}` }), 0);
      await shared.update();
      sizes.push(JSON.stringify(publisher.patches.at(-1)).length);
    }
    expect(Math.max(...sizes)).toBeLessThan(200);
    expect(sizes[299] - sizes[0]).toBeLessThan(10);
  });

  it('creates a shared element once, even when asked for concurrently', async () => {
    const board = newBoard();
    const [a, b] = await Promise.all([
      new UnitOfWork(store, null).shared(board),
      new UnitOfWork(store, null).shared(board),
    ]);
    expect(a.id).toBe(b.id);
    expect((await store.load([a.id], 'tree')).length).toBe(2);
    expect(await store.countComponents()).toBe(2);
  });

  it('deletes a removed component from the store, and keeps a moved one', async () => {
    const uow = new UnitOfWork(store, publisher);
    const wp = new WebPage();
    const gone = new Div({ parent: wp });
    new Span({ parent: gone });
    const moved = new Div({ parent: wp });
    const target = new Div({ parent: wp });
    uow.addPage(wp, {});
    await uow.flush();
    wp.remove(gone);
    target.add(moved);
    await wp.update();
    const records = await store.load([wp.id], 'tree');
    expect(records.map((r) => r.id).sort()).toEqual([wp.id, moved.id, target.id].sort());
    expect(await store.countComponents()).toBe(3);
    expect((await recordOf(wp.id, moved.id)).parent).toBe(target.id);
  });

  it('commits quietly: stored, version raised, nothing pushed', async () => {
    const ids = await renderPage(store, newBoard());
    const uow = new UnitOfWork(store, publisher);
    await uow.loadPage(ids.pageId);
    (uow.get(ids.sendId) as Button).text = 'Go';
    await uow.commitQuietly();
    expect(publisher.patches).toEqual([]);
    const send = await recordOf(ids.pageId, ids.sendId);
    expect(send.fields['p:text']).toBe('"Go"');
    const [page] = await store.load([ids.pageId], 'self');
    expect(page.version).toBe(1);
  });

  it('drops changes when discarded', async () => {
    const ids = await renderPage(store, newBoard());
    const uow = new UnitOfWork(store, publisher);
    await uow.loadPage(ids.pageId);
    (uow.get(ids.sendId) as Button).text = 'Go';
    uow.discard();
    await uow.flush();
    const send = await recordOf(ids.pageId, ids.sendId);
    expect(send.fields['p:text']).toBe('"Send"');
  });

  it('tells the tabs of a page to join a shared element added to it later', async () => {
    const board = newBoard();
    const uow = new UnitOfWork(store, publisher);
    const wp = new WebPage();
    uow.addPage(wp, {});
    await uow.flush();
    const shared = await uow.shared(board);
    wp.add(shared);
    await wp.update();
    expect(publisher.joins).toEqual([{ scope: wp.id, joins: shared.id }]);
  });

  describe('knows a page as stored after its commit (the reply to an HTTP event)', () => {
    async function pageWithoutBoard(): Promise<{ pageId: string; buttonId: string }> {
      const uow = new UnitOfWork(store, null);
      const wp = new WebPage();
      const button = new Button({ text: 'Go', parent: wp });
      uow.addPage(wp, { session: 's1' });
      await uow.commitQuietly();
      return { pageId: wp.id, buttonId: button.id };
    }

    it('gives the page with the new version once its own commit is the only change', async () => {
      const ids = await pageWithoutBoard();
      const uow = new UnitOfWork(store, publisher);
      await uow.loadPage(ids.pageId);
      (uow.get(ids.buttonId) as Button).text = 'Gone';
      expect(uow.currentPage(ids.pageId)).toBeUndefined(); // a change waits for its commit
      await uow.flush();
      const current = uow.currentPage(ids.pageId);
      expect(current?.revision).toEqual({ versions: { [ids.pageId]: 1 }, docs: {} });
      expect(current?.components.map((c) => c.id)).toEqual([ids.pageId, ids.buttonId]);
    });

    it('does not claim a page another commit changed in between', async () => {
      const ids = await pageWithoutBoard();
      const uow = new UnitOfWork(store, publisher);
      await uow.loadPage(ids.pageId);
      const other = new UnitOfWork(store, null);
      await other.loadPage(ids.pageId);
      (other.get(ids.buttonId) as Button).text = 'Other';
      await other.flush();
      (uow.get(ids.buttonId) as Button).text = 'Mine'; // a blind write: no read, no validation
      await uow.flush();
      expect(uow.currentPage(ids.pageId)).toBeUndefined();
    });

    it('does not claim a page whose shared element it has not loaded whole', async () => {
      const ids = await renderPage(store, newBoard());
      const uow = new UnitOfWork(store, publisher);
      await uow.loadPage(ids.pageId);
      expect(uow.currentPage(ids.pageId)).toBeUndefined();
      await (uow.get(ids.boardId) as Div).loadChildren();
      expect(uow.currentPage(ids.pageId)?.revision.versions).toEqual({
        [ids.pageId]: 0,
        [ids.boardId]: 0,
      });
    });
  });

  it('counts the children of a shared element it did not load whole, for the store to check the limit', async () => {
    const ids = await renderPage(store, newBoard());
    const requests: CommitRequest[] = [];
    const commit = store.commit.bind(store);
    store.commit = (request) => (requests.push(request), commit(request));
    const uow = new UnitOfWork(store, publisher);
    await uow.loadPage(ids.pageId);
    const board = uow.get(ids.boardId) as Div;
    expect(board.childCount).toBe(1);
    board.addComponent(new P({ text: 'one' }), 0);
    board.addComponent(new P({ text: 'two' }), 0);
    expect(board.childCount).toBe(3);
    await board.update();
    const inserts = requests[0].ops.filter((op) => op.op === 'insert');
    expect(inserts.map((op) => op.op === 'insert' && op.childrenAfter)).toEqual([3, 3]);
  });
});
