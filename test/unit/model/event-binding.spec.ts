import { Div, EVENT_NAME_PATTERN, handler } from '../../../libs/pushpage/src';
import { eventNameProblem } from '../../../libs/pushpage/src/event-wire';

const onAnything = handler('test.event-binding.any', () => undefined);

describe('event names', () => {
  it.each([
    'click',
    'dblclick',
    'contextmenu',
    'keypress',
    'dragstart',
    'drop',
    'row-click',
    'update:model-value',
    'x2.y',
  ])('%s is one', (name) => {
    expect(eventNameProblem(name)).toBeUndefined();
    expect(EVENT_NAME_PATTERN.test(name)).toBe(true);
  });

  it.each([
    ['', /not an event name/],
    ['DblClick', /lowercase letters/],
    ['drag start', /lowercase letters/],
    ['row--click', /lowercase letters/],
    ['row-2', /lowercase letters/],
    ['-click', /lowercase letters/],
    ['click"><img', /lowercase letters/],
    ['onclick', /without "on"/],
    ['onerror', /without "on"/],
    ['vnode-mounted', /vnode hooks/],
    ['click-once', /listener option/],
    ['scroll-passive', /listener option/],
    ['a'.repeat(65), /longer than 64/],
  ])('%j is not one', (name, message) => {
    expect(eventNameProblem(name)).toMatch(message);
  });

  it('is refused when binding, with what is wrong', () => {
    expect(() => new Div().on('onclick', onAnything)).toThrow(/without "on"/);
    expect(() => new Div().on('Click', onAnything)).toThrow(/is not an event name/);
  });
});

describe('binding any event', () => {
  it('stores the name and the properties asked for, without repeats', () => {
    const div = new Div().on('keydown', onAnything, { props: ['key', 'ctrlKey', 'key'] });
    div.on('dblclick', onAnything);
    expect(div.handlerFor('dblclick')).toBe('test.event-binding.any');
    expect(div.eventPropertiesFor('keydown')).toEqual(['key', 'ctrlKey']);
    expect(div.eventPropertiesFor('dblclick')).toEqual([]);
  });

  it('refuses an unknown property (from code the compiler did not check)', () => {
    const props = ['key', 'srcElement'] as unknown as readonly 'key'[];
    expect(() => new Div().on('keydown', onAnything, { props })).toThrow(
      /unknown event property "srcElement"/,
    );
  });
});
