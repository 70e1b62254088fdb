/**
 * `transaction()` in tasks and in handlers past their first update: a read-modify-write
 * that concurrent writers cannot interleave. Several tasks and long handlers raise one
 * shared counter at once, on the memory store and on Redis, and every raise counts.
 */
import { Redis } from 'ioredis';
import {
  Button,
  defineShared,
  Div,
  EventMessage,
  handler,
  HandlerRef,
  TaskContext,
  WebPage,
} from '../../libs/pushpage/src';
import { EventDispatcher } from '../../libs/pushpage/src/engine/event-dispatcher';
import { HandlerRegistry } from '../../libs/pushpage/src/engine/handler-registry';
import { UnitOfWork } from '../../libs/pushpage/src/engine/unit-of-work';
import { MemoryStore } from '../../libs/pushpage/src/store/memory/memory-store';
import { RedisStore } from '../../libs/pushpage/src/store/redis/redis-store';
import { PushpageStore } from '../../libs/pushpage/src/store/store';
import { RedisServer } from '../support/redis-server';

jest.setTimeout(60_000);

const COUNTER = defineShared(
  'test:transaction-counter',
  () => new Div<{ n: number }>({ data: { n: 0 } }),
);

async function raise(tx: { shared: TaskContext['shared'] }): Promise<void> {
  const counter = await tx.shared(COUNTER);
  counter.data.n = (counter.data.n ?? 0) + 1;
  counter.text = String(counter.data.n);
}

class LongHandlers {
  /** Commits part-way, sleeps, then raises the counter: past its first update. */
  readonly long = handler('test.long', async (_self: Button, msg: EventMessage) => {
    await msg.page.update();
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
    await msg.transaction(raise);
  });

  /** A transaction first, then a read-modify-write of the page: the raise never repeats. */
  readonly first = handler('test.first', async (self: Button<{ n: number }>, msg: EventMessage) => {
    await msg.transaction(raise);
    self.data.n = (self.data.n ?? 0) + 1;
  });
}

const handlers = new LongHandlers();

type LongHandler = HandlerRef<Button<{ n: number }>>;

/**
 * A stored page with one button bound to `run`, and a dispatcher that runs it: sends
 * `count` clicks on the button at once.
 */
async function clickAtOnce(
  store: PushpageStore,
  run: LongHandler,
  count: number,
): Promise<PromiseSettledResult<unknown>[]> {
  const uow = new UnitOfWork(store, null);
  const wp = new WebPage();
  const button = new Button({ click: run, parent: wp });
  uow.addPage(wp, { session: 's' });
  await uow.commitQuietly();
  const registry = {
    resolve: (name: string) => ({
      name,
      call: (self: Button<{ n: number }>, msg: EventMessage) => run.call(handlers, self, msg),
    }),
  } as unknown as HandlerRegistry;
  const dispatcher = new EventDispatcher(store, { publish: () => undefined }, registry);
  return Promise.allSettled(
    Array.from({ length: count }, () =>
      dispatcher.dispatch(
        { pageId: wp.id, componentId: button.id, type: 'click' },
        { sessionId: 's' },
      ),
    ),
  );
}

async function countOf(store: PushpageStore): Promise<number> {
  const counter = await new UnitOfWork(store, null).shared(COUNTER);
  return counter.data.n ?? 0;
}

describe.each(['memory', 'redis'])('transaction(), %s store', (kind) => {
  let redis: RedisServer | undefined;
  let store: PushpageStore;

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
  });
  beforeEach(() => {
    store = redis ? new RedisStore(new Redis(redis.url), `tx${Date.now()}:`) : new MemoryStore();
  });
  afterEach(() => store.close());
  afterAll(() => redis?.stop());

  it('lets four tasks raise one shared counter 25 times each at once, losing none', async () => {
    const stop = new AbortController();
    const tasks = Array.from(
      { length: 4 },
      () => new TaskContext(stop.signal, () => new UnitOfWork(store, null)),
    );
    await Promise.all(
      tasks.map(async (ctx) => {
        for (let i = 0; i < 25; i++) await ctx.transaction(raise);
      }),
    );
    expect(await countOf(store)).toBe(100);
  });

  it('lets handlers that already committed part-way raise it at once, with tasks, losing none', async () => {
    const task = new TaskContext(new AbortController().signal, () => new UnitOfWork(store, null));
    const [answers] = await Promise.all([
      clickAtOnce(store, handlers.long, 20),
      (async () => {
        for (let i = 0; i < 10; i++) await task.transaction(raise);
      })(),
    ]);
    // 30 writers on one counter: a click whose transaction met a change on every one of its
    // attempts is refused `conflict` with nothing applied (its tab sends it again); every
    // other raise counts once
    const refused = answers.filter((a) => a.status === 'rejected');
    for (const r of refused)
      expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'conflict' });
    expect(refused.length).toBeLessThanOrEqual(2);
    expect(await countOf(store)).toBe(30 - refused.length);
  });

  it('never repeats a transaction when the handler’s own later changes meet others', async () => {
    const answers = await clickAtOnce(store, handlers.first, 20);
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill('fulfilled'));
    expect(await countOf(store)).toBe(20);
  });
});
