import { Button, Handler, Textarea, WebPage } from '../../libs/pushpage/src';
import { MemoryStore } from '../../libs/pushpage/src/store/memory-store';
import { EventDispatcher, Sequencer } from '../../libs/pushpage/src/events/event-dispatcher';
import { HandlerRegistry } from '../../libs/pushpage/src/events/handler-registry';
import { UnitOfWork } from '../../libs/pushpage/src/runtime/unit-of-work';
import {
  CommitRequest,
  CommitResult,
  LoadMode,
  StoredComponent,
} from '../../libs/pushpage/src/store/store';

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
  @Handler()
  send(self: Button<{ message: Textarea }>): void {
    seen.push(self.data.message.value);
  }

  /** Reads the text box and empties it, as the message board's Send does. */
  @Handler()
  post(self: Button<{ message: Textarea }>): void {
    const message = self.data.message;
    posted.push(message.value);
    message.value = '';
  }
}

function sequencer(): Sequencer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>) => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
}

describe('event order within a tab', () => {
  it('stores text typed before a click before the click handler reads it', async () => {
    const store = new SlowStore();
    const uow = new UnitOfWork(store, null);
    const wp = new WebPage();
    const message = new Textarea({ parent: wp });
    const send = new Button<{ message: Textarea }>({
      click: SendHandlers.prototype.send,
      parent: wp,
    });
    send.data.message = message;
    uow.addPage(wp, { session: 's' });
    await uow.commitQuietly();

    const registry = {
      resolve: () => ({
        name: 'SendHandlers.send',
        call: (self: unknown) => new SendHandlers().send(self as Button<{ message: Textarea }>),
      }),
    };
    const dispatcher = new EventDispatcher(
      store,
      { publish: () => undefined },
      registry as unknown as HandlerRegistry,
    );
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
      click: SendHandlers.prototype.post,
      parent: wp,
    });
    send.data.message = message;
    uow.addPage(wp, { session: 's' });
    await uow.commitQuietly();
    const handlers = new SendHandlers();
    const registry = {
      resolve: () => ({
        name: 'SendHandlers.post',
        call: (self: unknown) => handlers.post(self as Button<{ message: Textarea }>),
      }),
    };
    const dispatcher = new EventDispatcher(
      store,
      { publish: () => undefined },
      registry as unknown as HandlerRegistry,
    );
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
