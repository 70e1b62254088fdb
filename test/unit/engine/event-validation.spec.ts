import { PushpageError } from '../../../libs/pushpage/src';
import { validateEvent } from '../../../libs/pushpage/src/engine/event.dto';

describe('event validation', () => {
  const valid = { pageId: 'abcDEF123_-', componentId: 'xyz', type: 'click' };

  it('accepts a well-formed event', () => {
    expect(validateEvent({ ...valid, values: [{ id: 'a', value: 'b' }] })).toMatchObject(valid);
  });

  it.each(['dblclick', 'contextmenu', 'drop', 'row-click', 'update:model-value', 'x.y'])(
    'accepts any well-formed event name: %s',
    (type) => {
      expect(validateEvent({ ...valid, type }).type).toBe(type);
    },
  );

  it('accepts event properties of the right types', () => {
    const event = { key: 'k', ctrlKey: true, clientX: 1.5, 'target.value': 'v', args: [{ a: 1 }] };
    expect(validateEvent({ ...valid, type: 'keydown', event }).event).toEqual(event);
  });

  it.each([
    ['not an object', 'x', /JSON object/],
    ['an array', [valid], /JSON object/],
    ['a malformed type', { ...valid, type: 'Dbl Click' }, /type: "Dbl Click" is not an event name/],
    ['an attribute as type', { ...valid, type: 'onclick' }, /name the event without "on"/],
    ['a type that is not text', { ...valid, type: 7 }, /an event name must be text/],
    [
      'an unknown event property',
      { ...valid, event: { ctrlKey: true, srcElement: 'x' } },
      /event\.srcElement is not an event property/,
    ],
    [
      'a property of the wrong type',
      { ...valid, event: { ctrlKey: 'yes' } },
      /event\.ctrlKey must be true or false/,
    ],
    [
      'a number that is not finite',
      { ...valid, event: { clientX: null } },
      /event\.clientX must be a finite number/,
    ],
    [
      'a long key',
      { ...valid, event: { key: 'k'.repeat(65) } },
      /event\.key must be text up to 64/,
    ],
    ['event properties that are a list', { ...valid, event: ['key'] }, /event must be an object/],
    [
      'component arguments over their size',
      { ...valid, event: { args: ['x'.repeat(17 * 1024)] } },
      /event\.args must take at most 16384 characters/,
    ],
    ['a bad id', { ...valid, componentId: '../etc' }, /componentId must be a component id/],
    ['an unknown field', { ...valid, extra: 1 }, /property extra should not exist/],
    ['a wrong value type', { ...valid, value: { text: 'x' } }, /value must be text up to/],
    ['an endless number', { ...valid, value: Infinity }, /value must be text up to/],
    ['a list of objects', { ...valid, value: [{}] }, /value must be text up to/],
    ['a nested bad value', { ...valid, values: [{ id: 'a', value: {} }] }, /values\.0\.value/],
    [
      'a prototype key',
      JSON.parse('{"pageId":"a","componentId":"b","type":"click","__proto__":{"x":1}}'),
      /should not exist/,
    ],
  ])('refuses %s with a clear message', (_what, body, message) => {
    try {
      validateEvent(body);
      throw new Error('accepted');
    } catch (error) {
      expect(error).toBeInstanceOf(PushpageError);
      expect((error as PushpageError).code).toBe('bad-request');
      expect((error as PushpageError).status).toBe(400);
      expect((error as Error).message).toMatch(message);
    }
  });
});
