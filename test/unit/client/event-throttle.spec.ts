/**
 * The tab's throttle of events: the listeners a node's bindings get, sending through the
 * runtime's own `EventSender`, on Jest's fake clock.
 */
import { EventSender } from '../../../client/src/events';
import { addListeners } from '../../../client/src/listeners';
import { LiveNode, PageTree } from '../../../client/src/tree';
import type { OutgoingEvent } from '../../../client/src/types';

/** A DOM event with the fields of a mouse event (Node has `Event`, not `MouseEvent`). */
function mouseEvent(type: string, fields: Record<string, number> = {}): Event {
  const event = new Event(type, { cancelable: true });
  for (const [name, value] of Object.entries(fields))
    Object.defineProperty(event, name, { value, enumerable: true, configurable: true });
  return event;
}

function nodeOf(fields: Partial<LiveNode>): LiveNode {
  return { i: 'pad', t: 'div', p: {}, e: [], a: {}, r: {}, k: [], m: 0, replay: 0, ...fields };
}

type Listener = (...received: unknown[]) => void;

/** A node's listeners, and what they sent: each event with the fake clock's time. */
function listen(node: LiveNode) {
  const sent: (OutgoingEvent & { at: number })[] = [];
  const sender = new EventSender(
    () => 'page',
    (event) => sent.push({ ...event, at: Date.now() }),
  );
  const props: Record<string, unknown> = {};
  addListeners(node, sender, props);
  const fire = (prop: string, event: Event) => (props[prop] as Listener)(event);
  return { sent, sender, props, fire };
}

const START = 1_000_000;

beforeEach(() => {
  jest.useFakeTimers({ now: START });
});

afterEach(() => {
  jest.useRealTimers();
});

describe('a throttled event', () => {
  const pad = () =>
    nodeOf({ e: ['mousemove'], a: { mousemove: ['offsetX'] }, r: { mousemove: 100 } });

  it('sends the first firing at once, with its properties', () => {
    const { sent, fire } = listen(pad());
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 5 }));
    expect(sent).toEqual([
      { pageId: 'page', componentId: 'pad', type: 'mousemove', event: { offsetX: 5 }, at: START },
    ]);
  });

  it('sends the last firing of a burst when the throttle is over, and nothing more', () => {
    const { sent, fire } = listen(pad());
    for (let x = 0; x < 8; x++) {
      fire('onMousemove', mouseEvent('mousemove', { offsetX: x }));
      jest.advanceTimersByTime(10);
    }
    // the first at once; the seven others wait for the throttle
    expect(sent.map((e) => e.event)).toEqual([{ offsetX: 0 }]);
    jest.advanceTimersByTime(19);
    expect(sent).toHaveLength(1);
    jest.advanceTimersByTime(1);
    expect(sent.map((e) => [e.event, e.at - START])).toEqual([
      [{ offsetX: 0 }, 0],
      [{ offsetX: 7 }, 100],
    ]);
    jest.advanceTimersByTime(1_000);
    expect(sent).toHaveLength(2);
  });

  it('sends at most one event per throttle while it keeps firing, the final one last', () => {
    const { sent, fire } = listen(pad());
    // every 7 ms for a second: 143 firings
    let x = 0;
    for (; x * 7 <= 1_000; x++) {
      fire('onMousemove', mouseEvent('mousemove', { offsetX: x }));
      jest.advanceTimersByTime(7);
    }
    jest.advanceTimersByTime(100);
    const times = sent.map((e) => e.at - START);
    expect(times).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(sent.at(-1)?.event).toEqual({ offsetX: x - 1 });
    // each sent firing is the latest one before it went
    expect(sent[1].event).toEqual({ offsetX: Math.floor(99 / 7) });
  });

  it('sends a firing at once again after a quiet throttle', () => {
    const { sent, fire } = listen(pad());
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 1 }));
    jest.advanceTimersByTime(150);
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 2 }));
    expect(sent.map((e) => [e.event, e.at - START])).toEqual([
      [{ offsetX: 1 }, 0],
      [{ offsetX: 2 }, 150],
    ]);
    // a firing right after a sent one waits for the rest of the throttle
    jest.advanceTimersByTime(30);
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 3 }));
    jest.advanceTimersByTime(69);
    expect(sent).toHaveLength(2);
    jest.advanceTimersByTime(1);
    expect(sent.map((e) => [e.event, e.at - START]).at(-1)).toEqual([{ offsetX: 3 }, 250]);
  });

  it('reads the properties when the event fires, not when it is sent', () => {
    const { sent, fire } = listen(pad());
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 1 }));
    const late = mouseEvent('mousemove', { offsetX: 2 });
    fire('onMousemove', late);
    Object.defineProperty(late, 'offsetX', { value: 99 });
    jest.advanceTimersByTime(100);
    expect(sent.map((e) => e.event)).toEqual([{ offsetX: 1 }, { offsetX: 2 }]);
  });

  it('goes before any other event of the tab, so the server sees the order they fired in', () => {
    const node = nodeOf({ e: ['mousemove', 'click'], r: { mousemove: 100 } });
    const { sent, fire } = listen(node);
    fire('onMousemove', mouseEvent('mousemove'));
    jest.advanceTimersByTime(20);
    fire('onMousemove', mouseEvent('mousemove'));
    fire('onClick', mouseEvent('click'));
    expect(sent.map((e) => [e.type, e.at - START])).toEqual([
      ['mousemove', 0],
      ['mousemove', 20],
      ['click', 20],
    ]);
    // it went already: its timer sends nothing more
    jest.advanceTimersByTime(500);
    expect(sent).toHaveLength(3);
  });

  it('keeps each component and event apart', () => {
    const node = nodeOf({ e: ['mousemove', 'wheel'], r: { mousemove: 100, wheel: 300 } });
    const { sent, fire } = listen(node);
    for (let t = 0; t < 300; t += 10) {
      fire('onMousemove', mouseEvent('mousemove'));
      fire('onWheel', mouseEvent('wheel'));
      jest.advanceTimersByTime(10);
    }
    jest.advanceTimersByTime(300);
    const wheels = sent.filter((e) => e.type === 'wheel').map((e) => e.at - START);
    const moves = sent.filter((e) => e.type === 'mousemove').map((e) => e.at - START);
    expect(wheels).toEqual([0, 300]);
    // a throttled event never hurries another along: each keeps to its own throttle
    expect(moves).toEqual([0, 100, 200, 300]);
  });

  it('is sent by flush, as typed values are when the tab goes away', () => {
    const { sent, sender, fire } = listen(pad());
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 1 }));
    fire('onMousemove', mouseEvent('mousemove', { offsetX: 2 }));
    expect(sender.hasThrottled).toBe(true);
    sender.flush();
    expect(sender.hasThrottled).toBe(false);
    expect(sent.map((e) => e.event)).toEqual([{ offsetX: 1 }, { offsetX: 2 }]);
    jest.advanceTimersByTime(500);
    expect(sent).toHaveLength(2);
  });
});

describe('the default throttle', () => {
  it('throttles the high-frequency events by 100 ms when the binding sets none', () => {
    const node = nodeOf({ e: ['pointermove', 'scroll'] });
    const { sent, fire } = listen(node);
    for (let t = 0; t < 100; t += 10) {
      fire('onPointermove', mouseEvent('pointermove'));
      fire('onScroll', mouseEvent('scroll'));
      jest.advanceTimersByTime(10);
    }
    expect(sent.map((e) => [e.type, e.at - START])).toEqual([
      ['pointermove', 0],
      ['scroll', 0],
      ['pointermove', 100],
      ['scroll', 100],
    ]);
  });

  it('sends every firing of other events, and of a binding with throttle 0', () => {
    const node = nodeOf({ e: ['mousemove', 'click'], r: { mousemove: 0 } });
    const { sent, fire } = listen(node);
    for (let i = 0; i < 5; i++) {
      fire('onMousemove', mouseEvent('mousemove'));
      fire('onClick', mouseEvent('click'));
    }
    expect(sent).toHaveLength(10);
    expect(sent.every((e) => e.at === START)).toBe(true);
  });
});

describe('a throttled dragover', () => {
  it("prevents the browser's default on every firing, sent or not", () => {
    const box = nodeOf({ i: 'box', e: ['dragover', 'drop'] });
    const { sent, fire } = listen(box);
    const firings = Array.from({ length: 6 }, () => mouseEvent('dragover'));
    for (const event of firings) {
      fire('onDragover', event);
      jest.advanceTimersByTime(10);
    }
    expect(firings.map((e) => e.defaultPrevented)).toEqual(Array(6).fill(true));
    expect(sent.map((e) => e.type)).toEqual(['dragover']);
    const drop = mouseEvent('drop');
    fire('onDrop', drop);
    expect(drop.defaultPrevented).toBe(true);
    // the last dragover goes before the drop
    expect(sent.map((e) => [e.type, e.at - START])).toEqual([
      ['dragover', 0],
      ['dragover', 60],
      ['drop', 60],
    ]);
  });
});

describe('a tab applying listener ops with a throttle', () => {
  it('keeps the throttle each binding set, and drops it with the listener', () => {
    const tree = new PageTree();
    tree.load({
      pageId: 'page',
      nodes: [{ i: 'page', t: 'div', p: {}, e: ['mousemove'], r: { mousemove: 250 } }],
      versions: { page: 1 },
    });
    const node = () => tree.nodes.get('page');
    expect(node()?.r).toEqual({ mousemove: 250 });
    tree.apply({ s: 'page', v: 2, o: [['on', 'page', 'scroll', [], 0]] }, undefined);
    tree.apply({ s: 'page', v: 3, o: [['on', 'page', 'mousemove', ['offsetX'], 50]] }, undefined);
    expect(node()?.r).toEqual({ mousemove: 50, scroll: 0 });
    expect(node()?.a).toEqual({ mousemove: ['offsetX'] });
    tree.apply({ s: 'page', v: 4, o: [['on', 'page', 'mousemove']] }, undefined);
    tree.apply({ s: 'page', v: 5, o: [['off', 'page', 'scroll']] }, undefined);
    expect(node()?.r).toEqual({});
    expect(node()?.a).toEqual({});
    expect(node()?.e).toEqual(['mousemove']);
  });
});
