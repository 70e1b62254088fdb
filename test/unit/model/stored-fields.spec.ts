import type { FieldChange } from '../../../libs/pushpage/src/model/component';
import {
  accessOf,
  referencesIn,
  storedFieldName,
  storedFieldValue,
} from '../../../libs/pushpage/src/model/serialize';

describe('stored fields', () => {
  it.each<[FieldChange, string, string | undefined]>([
    [{ kind: 'prop', name: 'text', value: 'Send' }, 'p:text', '"Send"'],
    [{ kind: 'prop', name: 'classes', value: undefined }, 'p:classes', undefined],
    [{ kind: 'data', key: 'count', value: { n: [1, 2] } }, 'd:count', '{"n":[1,2]}'],
    [
      { kind: 'data', key: 'message', value: { $ref: 'c1', in: 'p1' } },
      'd:message',
      '{"$ref":"c1","in":"p1"}',
    ],
    [{ kind: 'data', key: 'gone', value: undefined }, 'd:gone', undefined],
    [{ kind: 'event', type: 'click', handler: 'Board.send' }, 'e:click', '"Board.send"'],
    [{ kind: 'event', type: 'keyup', handler: undefined }, 'e:keyup', undefined],
  ])('store %j as %s = %s', (change, name, value) => {
    expect(storedFieldName(change)).toBe(name);
    expect(storedFieldValue(change)).toBe(value);
  });

  it('give a page its access from its meta fields', () => {
    expect(accessOf({ 'm:session': '"s1"', 'p:title': '"T"' })).toEqual({
      session: 's1',
      shared: false,
    });
    expect(accessOf({ 'm:shared': 'true' })).toEqual({ session: undefined, shared: true });
    expect(accessOf({ 'm:session': '7', 'm:shared': 'false' })).toEqual({
      session: undefined,
      shared: false,
    });
  });

  it('find the component references in custom data only', () => {
    expect(
      referencesIn({
        'd:message': '{"$ref":"c1","in":"p1"}',
        'd:count': '2',
        'd:note': '"mentions $ref in text"',
        'p:data': '{"$ref":"not-data"}',
      }),
    ).toEqual([{ $ref: 'c1', in: 'p1' }]);
  });
});
