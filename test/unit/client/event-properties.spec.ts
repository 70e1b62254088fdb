import { jsonSafeArgs, pickEventProperties } from '../../../client/src/event-properties';
import { listenerProp } from '../../../client/src/listeners';
import { PageTree } from '../../../client/src/tree';

/** A DOM event with the fields of a keyboard or mouse event (Node has `Event`, not those). */
function domEvent(type: string, fields: Record<string, unknown>): Event {
  const event = new Event(type);
  for (const [name, value] of Object.entries(fields))
    Object.defineProperty(event, name, { value, enumerable: true });
  return event;
}

describe('the event properties a tab sends', () => {
  it('are only those asked for', () => {
    const keydown = domEvent('keydown', { key: 'k', code: 'KeyK', ctrlKey: true, shiftKey: false });
    expect(pickEventProperties([keydown], ['key', 'ctrlKey'])).toEqual({ key: 'k', ctrlKey: true });
  });

  it('read coordinates, buttons and the target', () => {
    const target = { value: 'typed', checked: true };
    const click = domEvent('contextmenu', { clientX: 10, clientY: 20.5, button: 2, target });
    expect(
      pickEventProperties(
        [click],
        ['clientX', 'clientY', 'button', 'target.value', 'target.checked'],
      ),
    ).toEqual({
      clientX: 10,
      clientY: 20.5,
      button: 2,
      'target.value': 'typed',
      'target.checked': true,
    });
  });

  it('leave out what the event does not have, or has as another kind', () => {
    const click = domEvent('click', { clientX: NaN, key: 7 });
    expect(pickEventProperties([click], ['key', 'clientX', 'deltaY', 'ctrlKey'])).toEqual({});
  });

  it('never read names outside the list, prototype ones included', () => {
    const click = domEvent('click', { clientX: 1 });
    expect(pickEventProperties([click], ['constructor', '__proto__', 'toString'])).toEqual({});
  });

  it("carry a component event's arguments as JSON, its DOM event as null", () => {
    const evt = domEvent('click', {});
    const row = { name: 'Frozen Yogurt', calories: 159, at: new Date(0), fn: () => 1 };
    expect(pickEventProperties([evt, row, 3], ['args', 'clientX'])).toEqual({
      args: [null, { name: 'Frozen Yogurt', calories: 159, at: '1970-01-01T00:00:00.000Z' }, 3],
    });
    expect(pickEventProperties(['new value'], ['args'])).toEqual({ args: ['new value'] });
  });

  it('keep arguments within their size and depth, cycles included', () => {
    const cycle: Record<string, unknown> = { name: 'loop' };
    cycle.self = cycle;
    const args = jsonSafeArgs(['x'.repeat(20_000), 'small', cycle]);
    expect(args[0]).toBeNull();
    expect(args[1]).toBe('small');
    expect(JSON.stringify(args).length).toBeLessThanOrEqual(16 * 1024);
    expect(JSON.stringify(args)).toContain('"name":"loop"');
  });
});

describe('the listener of an event', () => {
  it.each([
    ['click', 'onClick'],
    ['dblclick', 'onDblclick'],
    ['contextmenu', 'onContextmenu'],
    ['dragover', 'onDragover'],
    ['row-click', 'onRowClick'],
    ['update:model-value', 'onUpdate:modelValue'],
  ])('of %s is the Vue prop %s', (type, prop) => {
    expect(listenerProp(type)).toBe(prop);
  });

  it.each(['onclick', 'Click', 'click"', 'vnode-mounted', 'click-once', ''])(
    'is none for %j, which is not an event name',
    (type) => {
      expect(listenerProp(type)).toBeUndefined();
    },
  );
});

describe('a tab applying listener ops', () => {
  it('keeps the properties each event asks for, and drops them with the listener', () => {
    const tree = new PageTree();
    tree.load({
      pageId: 'page',
      nodes: [{ i: 'page', t: 'div', p: {}, e: ['keydown'], a: { keydown: ['key'] } }],
      versions: { page: 1 },
    });
    const node = () => tree.nodes.get('page');
    expect(node()?.a).toEqual({ keydown: ['key'] });
    tree.apply({ s: 'page', v: 2, o: [['on', 'page', 'keydown', ['key', 'ctrlKey']]] }, undefined);
    tree.apply({ s: 'page', v: 3, o: [['on', 'page', 'dblclick']] }, undefined);
    expect(node()?.e).toEqual(['keydown', 'dblclick']);
    expect(node()?.a).toEqual({ keydown: ['key', 'ctrlKey'] });
    tree.apply({ s: 'page', v: 4, o: [['off', 'page', 'keydown']] }, undefined);
    expect(node()?.a).toEqual({});
  });
});
