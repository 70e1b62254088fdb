import { Button, handler, Textarea, WebPage } from '../../../libs/pushpage/src';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { EventDispatcher } from '../../../libs/pushpage/src/engine/event-dispatcher';
import { sequencer } from '../../../libs/pushpage/src/engine/sequencer';
import { registryOf } from '../../support/handler-registry';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';
import { ScopePatch } from '../../../libs/pushpage/src/engine/patch';
import {
  CommitRequest,
  CommitResult,
  LoadMode,
  StoredComponent,
} from '../../../libs/pushpage/src/store/store';

/** A store whose calls take a random while, so that concurrent work interleaves. */
class JitteryStore extends MemoryStore {
  override async load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]> {
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    return super.load(roots, mode);
  }
  override async commit(request: CommitRequest): Promise<CommitResult> {
    await new Promise((r) => setTimeout(r, Math.random() * 20));
    return super.commit(request);
  }
}

/** A store whose every call takes a while, as a remote Redis does under load. */
class SlowStore extends MemoryStore {
  override async load(roots: readonly string[], mode: LoadMode): Promise<StoredComponent[]> {
    await new Promise((r) => setTimeout(r, 15));
    return super.load(roots, mode);
  }
  override async commit(request: CommitRequest): Promise<CommitResult> {
    await new Promise((r) => setTimeout(r, 15));
    return super.commit(request);
  }
}

const seen: string[] = [];
const posted: string[] = [];

class SendHandlers {
  readonly send = handler((self: Button<{ message: Textarea }>) => {
    seen.push(self.data.message.value);
  });

  /** Reads the text box and empties it, as the message board's Send does. */
  readonly post = handler((self: Button<{ message: Textarea }>) => {
    const message = self.data.message;
    posted.push(message.value);
    message.value = '';
  });
}

const sendHandlers = new SendHandlers();
const sendRegistry = registryOf(sendHandlers);

describe('event order within a tab', () => {
  it('stores text typed before a click before the click handler reads it', async () => {
    const store = new SlowStore();
    const uow = new UnitOfWork(store, null);
    const wp = new WebPage();
    const message = new Textarea({ parent: wp });
    const send = new Button<{ message: Textarea }>({
      click: sendHandlers.send,
      parent: wp,
    });
    send.data.message = message;
    uow.addPage(wp, { session: 's' });
    await uow.commitQuietly();

    const dispatcher = new EventDispatcher(store, { publish: () => undefined }, sendRegistry);
    const origin = { sessionId: 's', socketId: 'sock' };
    const tab = sequencer();
    await Promise.all([
      dispatcher.dispatch(
        { pageId: wp.id, componentId: message.id, type: 'input', value: 'typed first' },
        origin,
        tab,
      ),
      dispatcher.dispatch({ pageId: wp.id, componentId: send.id, type: 'click' }, origin, tab),
    ]);
    expect(seen).toEqual(['typed first']);
  });
});

describe('events of one tab in flight together', () => {
  it('run one after another up to their first commit, so they never invalidate each other', async () => {
    const store = new JitteryStore();
    const uow = new UnitOfWork(store, null);
    const wp = new WebPage();
    const message = new Textarea({ parent: wp });
    const send = new Button<{ message: Textarea }>({
      click: sendHandlers.post,
      parent: wp,
    });
    send.data.message = message;
    uow.addPage(wp, { session: 's' });
    await uow.commitQuietly();
    const dispatcher = new EventDispatcher(store, { publish: () => undefined }, sendRegistry);
    const tab = sequencer();
    const texts = Array.from({ length: 8 }, (_, i) => `message ${i}`);
    await Promise.all(
      texts.map((text) =>
        dispatcher.dispatch(
          {
            pageId: wp.id,
            componentId: send.id,
            type: 'click',
            values: [{ id: message.id, value: text }],
          },
          { sessionId: 's', socketId: 'sock' },
          tab,
        ),
      ),
    );
    // each handler ran once (no conflict, no re-run), on its own event's text, in order
    expect(posted).toEqual(texts);
  });
});

/** A store that counts commits, and a publisher that keeps what it is given. */
class CountingStore extends MemoryStore {
  commits = 0;
  override async commit(request: CommitRequest): Promise<CommitResult> {
    this.commits++;
    return super.commit(request);
  }
}

class TypedHandlers {
  static calls: string[] = [];

  readonly post = handler((self: Button<{ message: Textarea }>) => {
    TypedHandlers.calls.push(`post ${self.data.message.value}`);
    self.data.message.value = '';
  });

  readonly slow = handler(async (self: Button<{ message: Textarea }>) => {
    await new Promise((r) => setTimeout(r, 900));
    self.text = 'done';
  });

  readonly fail = handler(() => {
    throw new Error('this handler fails');
  });

  readonly quiet = handler((self: Button<{ message: Textarea }>): boolean => {
    self.text = 'not pushed';
    return false;
  });

  readonly read = handler((self: Button<{ message: Textarea }>) => {
    TypedHandlers.calls.push(`read ${self.data.message.value}`);
  });
}

describe('values an event carries', () => {
  const handlers = new TypedHandlers();
  const registry = registryOf(handlers);

  async function setUp(handler: keyof TypedHandlers) {
    const store = new CountingStore();
    const patches: ScopePatch[] = [];
    const uow = new UnitOfWork(store, null);
    const wp = new WebPage();
    const message = new Textarea({ parent: wp });
    const button = new Button<{ message: Textarea }>({
      click: handlers[handler],
      parent: wp,
    });
    const reader = new Button<{ message: Textarea }>({
      click: handlers.read,
      parent: wp,
    });
    button.data.message = message;
    reader.data.message = message;
    uow.addPage(wp, { session: 's' });
    await uow.commitQuietly();
    store.commits = 0;
    TypedHandlers.calls = [];
    const dispatcher = new EventDispatcher(
      store,
      { publish: (out: ScopePatch[]) => void patches.push(...out) },
      registry,
    );
    const origin = { sessionId: 's', socketId: 'sock' };
    const click = (id: string, text?: string) => ({
      pageId: wp.id,
      componentId: id,
      type: 'click',
      values: text === undefined ? undefined : [{ id: message.id, value: text }],
    });
    const storedText = async () => {
      const records = await store.load([wp.id], 'page');
      return records.find((r) => r.id === message.id)?.fields['p:value'];
    };
    return { store, patches, dispatcher, origin, click, storedText, button, reader };
  }

  it('commit with the handler in one step; the sender keeps its text, the handler’s change reaches it', async () => {
    const t = await setUp('post');
    await t.dispatcher.dispatch(t.click(t.button.id, 'hello'), t.origin);
    expect(TypedHandlers.calls).toEqual(['post hello']);
    expect(t.store.commits).toBe(1);
    expect(t.patches).toHaveLength(1);
    const [patch] = t.patches;
    expect(patch).toMatchObject({ src: 'sock', t: 1 });
    expect(patch.o.map((op) => op.slice(2))).toEqual([
      ['value', 'hello'],
      ['value', ''],
    ]);
  });

  it('are stored before the tab’s next event when the handler sleeps before its first commit', async () => {
    const t = await setUp('slow');
    const tab = sequencer();
    const slow = t.dispatcher.dispatch(t.click(t.button.id, 'typed'), t.origin, tab);
    await t.dispatcher.dispatch(t.click(t.reader.id), t.origin, tab);
    expect(TypedHandlers.calls).toEqual(['read typed']);
    await slow;
    expect(await t.storedText()).toBe('"typed"');
  });

  it('are applied when the tab’s event before them was refused', async () => {
    const t = await setUp('post');
    const tab = sequencer();
    const refused = t.dispatcher.dispatch(t.click('no-such-component'), t.origin, tab);
    const next = t.dispatcher.dispatch(t.click(t.button.id, 'after'), t.origin, tab);
    await expect(refused).rejects.toThrow(/is not on page/);
    await next;
    expect(TypedHandlers.calls).toEqual(['post after']);
  });

  it('are stored and pushed when the handler fails', async () => {
    const t = await setUp('fail');
    await expect(t.dispatcher.dispatch(t.click(t.button.id, 'kept'), t.origin)).rejects.toThrow(
      /handler failed/,
    );
    expect(await t.storedText()).toBe('"kept"');
    expect(t.patches).toMatchObject([{ src: 'sock', t: 1 }]);
  });

  it('are pushed when the handler asks for no update; its own change is stored, not pushed', async () => {
    const t = await setUp('quiet');
    const outcome = await t.dispatcher.dispatch(t.click(t.button.id, 'quietly'), t.origin);
    expect(outcome.updated).toBe(false);
    expect(await t.storedText()).toBe('"quietly"');
    expect(t.patches).toHaveLength(1);
    expect(t.patches[0].o).toEqual([['set', expect.any(String), 'value', 'quietly']]);
  });
});
