import { PushpageError } from '../../../libs/pushpage/src/errors';
import { PageTimers, TimerHost } from '../../../libs/pushpage/src/engine/page-timers';
import { ClientNode } from '../../../libs/pushpage/src/protocol';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';

const timerNode = (id: string, every: number, active = true): ClientNode => ({
  i: id,
  t: 'template',
  p: active ? { every } : { every, active: false },
  e: ['tick'],
});

/** Two replicas sharing one store, each with its own tabs, and a clock the test moves. */
function cluster() {
  const store = new MemoryStore();
  let now = 10_000;
  const ticks: string[] = [];
  const failures: unknown[] = [];
  const replica = (name: string) => {
    const tabs = new Set<string>();
    const outcomes = new Map<string, () => Promise<void>>();
    const host: TimerHost = {
      hasLocalTabs: (pageId) => tabs.has(pageId),
      anyLocalTabs: () => tabs.size > 0,
      tick: async (pageId, timerId) => {
        ticks.push(`${name}:${pageId}/${timerId}`);
        await outcomes.get(timerId)?.();
      },
      failed: (_timer, error) => failures.push(error),
    };
    return { timers: new PageTimers(store, host, () => now), tabs, outcomes };
  };
  const settle = () => new Promise((resolve) => setImmediate(resolve));
  return {
    store,
    ticks,
    failures,
    one: replica('one'),
    two: replica('two'),
    advance: (ms: number) => (now += ms),
    settle,
  };
}

describe('page timers across replicas', () => {
  it('ticks once per interval for the cluster, on a replica with a tab of the page', async () => {
    const c = cluster();
    c.one.tabs.add('page');
    c.two.tabs.add('page');
    await c.one.timers.armNodes('page', [timerNode('t', 1000), { i: 'x', t: 'div', p: {} }]);
    await Promise.all([c.one.timers.poll(), c.two.timers.poll()]);
    expect(c.ticks).toEqual([]); // not due yet
    for (let second = 0; second < 3; second++) {
      c.advance(1000);
      await Promise.all([c.one.timers.poll(), c.two.timers.poll()]);
      await c.settle();
    }
    expect(c.ticks).toHaveLength(3);
    expect(new Set(c.ticks.map((tick) => tick.split(':')[1]))).toEqual(new Set(['page/t']));
  });

  it('runs a late tick once, not once per interval missed', async () => {
    const c = cluster();
    c.one.tabs.add('page');
    await c.one.timers.armNodes('page', [timerNode('t', 100)]);
    c.advance(1000);
    await c.one.timers.poll();
    await c.one.timers.poll();
    await c.settle();
    expect(c.ticks).toEqual(['one:page/t']);
    c.advance(100);
    await c.one.timers.poll();
    expect(c.ticks).toHaveLength(2);
  });

  it('sets a page’s timer aside when no replica has its tab, until a tab joins again', async () => {
    const c = cluster();
    c.one.tabs.add('elsewhere');
    c.two.tabs.add('elsewhere');
    await c.one.timers.armNodes('page', [timerNode('t', 1000)]);
    c.advance(1000);
    await c.one.timers.poll();
    expect(c.ticks).toEqual([]); // due, but nobody has a tab: it waits for one a while
    c.advance(3500);
    await c.two.timers.poll();
    expect(await c.store.dueTimers(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    c.two.tabs.add('page');
    await c.two.timers.wake('page');
    await c.two.timers.poll();
    await c.settle();
    expect(c.ticks).toEqual(['two:page/t']);
  });

  it('leaves the store alone on a replica without any tab', async () => {
    const c = cluster();
    await c.one.timers.armNodes('page', [timerNode('t', 1000)]);
    c.advance(10_000);
    await c.one.timers.poll();
    expect(c.ticks).toEqual([]);
    expect(await c.store.dueTimers(Number.MAX_SAFE_INTEGER, 10)).toHaveLength(1); // not idled
  });

  it('forgets a timer whose page or self is gone or paused, and reports other failures', async () => {
    const c = cluster();
    c.one.tabs.add('page');
    await c.one.timers.armNodes('page', [timerNode('gone', 500), timerNode('broken', 500)]);
    await c.one.timers.armNodes('page', [timerNode('paused', 500, false)]);
    c.one.outcomes.set('gone', async () => {
      throw new PushpageError('not-found', 'component gone is not on page page');
    });
    c.one.outcomes.set('broken', async () => {
      throw new PushpageError('handler-failed', 'the tick handler failed');
    });
    c.advance(500);
    await c.one.timers.poll();
    await c.settle();
    expect(c.ticks.sort()).toEqual(['one:page/broken', 'one:page/gone']); // paused never armed
    const left = await c.store.dueTimers(Number.MAX_SAFE_INTEGER, 10);
    expect(left.map((timer) => timer.timer)).toEqual(['broken']);
    expect(c.failures).toEqual([expect.objectContaining({ code: 'handler-failed' })]);
  });

  it('arms what a patch adds, and a timer whose interval changed', async () => {
    const c = cluster();
    await c.one.timers.armPatch({
      s: 'page',
      v: 2,
      o: [
        ['ins', 'page', -1, 'new'],
        ['set', 'old', 'every', 250],
        ['set', 'old', 'text', 'x'],
      ],
      n: [timerNode('new', 1000)],
    });
    const armed = await c.store.dueTimers(Number.MAX_SAFE_INTEGER, 10);
    expect(armed.map(({ timer, every }) => [timer, every])).toEqual([
      ['old', 250],
      ['new', 1000],
    ]);
  });
});
