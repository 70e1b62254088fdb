import { PushpageError } from '../../../libs/pushpage/src';
import { validateEvent } from '../../../libs/pushpage/src/engine/event.dto';

describe('event validation', () => {
  const valid = { pageId: 'abcDEF123_-', componentId: 'xyz', type: 'click' };

  it('accepts a well-formed event', () => {
    expect(validateEvent({ ...valid, values: [{ id: 'a', value: 'b' }] })).toMatchObject(valid);
  });

  it.each([
    ['not an object', 'x', /JSON object/],
    ['an array', [valid], /JSON object/],
    ['an unknown type', { ...valid, type: 'dblclick' }, /type must be one of/],
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
