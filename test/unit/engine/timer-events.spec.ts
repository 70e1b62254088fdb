import { EventMessage, handler, P, Timer, WebPage } from '../../../libs/pushpage/src';
import { EventDispatcher } from '../../../libs/pushpage/src/engine/event-dispatcher';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { registryOf } from '../../support/handler-registry';

type Ticker = Timer<{ count: P<{ ticks: number }> }>;
const problems: unknown[] = [];

class TimerHandlers {
  readonly tick = handler((self: Ticker) => {
    self.data.count.data.ticks += 1;
    self.data.count.text = String(self.data.count.data.ticks);
  });

  readonly notifies = handler((_self: Timer, msg: EventMessage) => {
    try {
      msg.client.notify('from a tick');
    } catch (error) {
      problems.push(error);
    }
    msg.tabs.notify('every tab');
  });
}

const handlers = new TimerHandlers();
const registry = registryOf(handlers);

/** A count, and a timer that raises it. */
function counting(page: WebPage): Ticker {
  const count = new P<{ ticks: number }>({ data: { ticks: 0 }, parent: page });
  return new Timer({ every: 500, tick: handlers.tick, data: { count }, parent: page });
}

async function setUp(build: (page: WebPage) => Timer) {
  const store = new MemoryStore();
  const page = new WebPage();
  const timer = build(page);
  const uow = new UnitOfWork(store, null);
  uow.addPage(page, { session: 'owner' });
  await uow.commitQuietly();
  const dispatcher = new EventDispatcher(store, { publish: () => undefined }, registry);
  const event = { pageId: page.id, componentId: timer.id, type: 'tick' };
  const reload = async () => (await new UnitOfWork(store, null).loadPage(page.id)) as WebPage;
  return { dispatcher, event, reload };
}

describe('a page timer’s tick', () => {
  beforeEach(() => (problems.length = 0));

  it('runs its handler when the server raises it, for a page of any session', async () => {
    const { dispatcher, event, reload } = await setUp(counting);
    await dispatcher.dispatch(event, { sessionId: '', timer: true });
    await dispatcher.dispatch(event, { sessionId: '', timer: true });
    expect((await reload()).children[0].text).toBe('2');
  });

  it('is refused when a tab sends it, even the page’s own, and changes nothing', async () => {
    const { dispatcher, event, reload } = await setUp(counting);
    await expect(
      dispatcher.dispatch(event, { sessionId: 'owner', socketId: 'tab' }),
    ).rejects.toMatchObject({ code: 'not-listening' });
    expect((await reload()).children[0].text).toBe('');
  });

  it('does not run while paused', async () => {
    const { dispatcher, event } = await setUp(
      (page) => new Timer({ every: 500, tick: handlers.tick, active: false, parent: page }),
    );
    await expect(dispatcher.dispatch(event, { sessionId: '', timer: true })).rejects.toMatchObject({
      code: 'not-listening',
    });
  });

  it('has no tab to act on: msg.client throws, msg.tabs reaches the page', async () => {
    const { dispatcher, event } = await setUp(
      (page) => new Timer({ every: 500, tick: handlers.notifies, parent: page }),
    );
    await dispatcher.dispatch(event, { sessionId: '', timer: true });
    expect(problems).toEqual([
      expect.objectContaining({
        name: 'ClientActionError',
        message: expect.stringMatching(/tick comes from no tab/),
      }),
    ]);
  });

  it('takes an interval from 100 ms to a day', () => {
    for (const every of [99, 86_400_001, 1.5, Number.NaN])
      expect(() => new Timer({ every, tick: handlers.tick as never })).toThrow(RangeError);
    const timer = new Timer({ every: 100, tick: handlers.notifies });
    expect([timer.every, timer.active]).toEqual([100, true]);
    timer.active = false;
    expect(timer.handlerFor('tick')).toBeUndefined();
  });
});
