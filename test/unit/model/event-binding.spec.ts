import {
  DEFAULT_EVENT_THROTTLE_MS,
  Div,
  EVENT_NAME_PATTERN,
  handler,
  MAX_EVENT_THROTTLE_MS,
  THROTTLED_EVENTS,
} from '../../../libs/pushpage/src';
import { eventNameProblem } from '../../../libs/pushpage/src/event-wire';
import type { ChangeTracker } from '../../../libs/pushpage/src/model/component';
import {
  clientNodeOf,
  clientNodeOfStored,
  fromStored,
  toStoredComponent,
} from '../../../libs/pushpage/src/model/serialize';
import type { StoredComponent } from '../../../libs/pushpage/src/store/store';

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

describe('throttling a binding', () => {
  // reading a binding back from its stored form never reaches the unit of work
  const tracker = null as unknown as ChangeTracker;

  it('stores the throttle given, 0 included', () => {
    const div = new Div()
      .on('mousemove', onAnything, { props: ['offsetX'], throttle: 250 })
      .on('scroll', onAnything, { throttle: 0 })
      .on('input', onAnything, { throttle: 1000 / 60 });
    expect(div.eventThrottleFor('mousemove')).toBe(250);
    expect(div.eventThrottleFor('scroll')).toBe(0);
    expect(div.eventThrottleFor('input')).toBeCloseTo(16.667, 3);
    expect(div.eventPropertiesFor('mousemove')).toEqual(['offsetX']);
  });

  it('throttles the high-frequency events by default, and no others', () => {
    const div = new Div();
    for (const type of THROTTLED_EVENTS) div.on(type, onAnything);
    div.on('click', onAnything).on('input', onAnything).on('mouseover', onAnything);
    for (const type of THROTTLED_EVENTS)
      expect(div.eventThrottleFor(type)).toBe(DEFAULT_EVENT_THROTTLE_MS);
    expect(DEFAULT_EVENT_THROTTLE_MS).toBe(100);
    expect([...THROTTLED_EVENTS].sort()).toEqual([
      'drag',
      'dragover',
      'mousemove',
      'pointermove',
      'resize',
      'scroll',
      'touchmove',
      'wheel',
    ]);
    expect(div.eventThrottleFor('click')).toBe(0);
    expect(div.eventThrottleFor('input')).toBe(0);
    expect(div.eventThrottleFor('mouseover')).toBe(0);
    expect(div.eventThrottleFor('keydown')).toBeUndefined();
  });

  it.each<[unknown, RegExp]>([
    [-1, /not -1$/],
    [Number.NaN, /not NaN$/],
    [Number.POSITIVE_INFINITY, /not Infinity$/],
    [MAX_EVENT_THROTTLE_MS + 1, /not 10001$/],
    ['100', /not "100"$/],
    [null, /not object$/],
    [true, /not boolean$/],
  ])('refuses %p with a TypeError that says what it takes', (throttle, shown) => {
    const bind = () => new Div().on('mousemove', onAnything, { throttle: throttle as number });
    expect(bind).toThrow(TypeError);
    expect(bind).toThrow(
      /^cannot bind a handler to mousemove: throttle must be a number of milliseconds from 0 to 10000, /,
    );
    expect(bind).toThrow(shown);
  });

  it('takes the longest throttle there is', () => {
    const div = new Div().on('wheel', onAnything, { throttle: MAX_EVENT_THROTTLE_MS });
    expect(div.eventThrottleFor('wheel')).toBe(10_000);
  });

  it('is stored, read back and carried to the tab with the binding', () => {
    const div = new Div()
      .on('mousemove', onAnything, { props: ['offsetX', 'offsetY'], throttle: 250 })
      .on('scroll', onAnything, { throttle: 0 })
      .on('dragover', onAnything)
      .on('keydown', onAnything, { props: ['key'] });
    const stored = toStoredComponent(div);
    expect(JSON.parse(stored.fields['e:mousemove'])).toEqual({
      handler: 'test.event-binding.any',
      props: ['offsetX', 'offsetY'],
      throttle: 250,
    });
    expect(JSON.parse(stored.fields['e:scroll'])).toEqual({
      handler: 'test.event-binding.any',
      throttle: 0,
    });
    // a binding without properties or throttle is stored as it always was: the handler's name
    expect(JSON.parse(stored.fields['e:dragover'])).toBe('test.event-binding.any');

    const node = clientNodeOf(div);
    expect(node.r).toEqual({ mousemove: 250, scroll: 0 });
    expect(node.a).toEqual({ mousemove: ['offsetX', 'offsetY'], keydown: ['key'] });
    const asStored: StoredComponent = { ...stored, children: [], version: 1 };
    expect(clientNodeOfStored(asStored).r).toEqual({ mousemove: 250, scroll: 0 });

    const back = fromStored(asStored, tracker);
    expect(back.eventThrottleFor('mousemove')).toBe(250);
    expect(back.eventThrottleFor('scroll')).toBe(0);
    expect(back.eventThrottleFor('dragover')).toBe(DEFAULT_EVENT_THROTTLE_MS);
    expect(back.eventPropertiesFor('mousemove')).toEqual(['offsetX', 'offsetY']);
  });

  it('leaves out a stored throttle that is not one, as it does an unknown property', () => {
    const div = new Div().on('mousemove', onAnything);
    const stored: StoredComponent = { ...toStoredComponent(div), children: [], version: 1 };
    stored.fields['e:mousemove'] = JSON.stringify({
      handler: 'test.event-binding.any',
      props: ['offsetX', 'srcElement'],
      throttle: -5,
    });
    expect(clientNodeOfStored(stored).r).toBeUndefined();
    expect(clientNodeOfStored(stored).a).toEqual({ mousemove: ['offsetX'] });
    expect(fromStored(stored, tracker).eventThrottleFor('mousemove')).toBe(
      DEFAULT_EVENT_THROTTLE_MS,
    );
  });
});
