import {
  applyDelta,
  pathProblem,
  PropPathError,
  pushAt,
  putAt,
} from '../../libs/pushpage/src/prop-path';
import { JsonValue } from '../../libs/pushpage/src/protocol';

const options = (): JsonValue => ({
  title: { text: 'Load' },
  series: [
    { name: 'a', data: [1, 2, 3] },
    { name: 'b', data: [] },
  ],
});

describe('paths into a prop', () => {
  it('puts a value at a key, a new key or an index, and appends at the index past the end', () => {
    const before = options();
    expect(putAt(before, ['title', 'text'], 'CPU')).toMatchObject({ title: { text: 'CPU' } });
    expect(putAt(before, ['title', 'subtext'], 'now')).toMatchObject({
      title: { text: 'Load', subtext: 'now' },
    });
    expect(putAt(before, ['series', 0, 'data', 1], 20)).toMatchObject({
      series: [{ data: [1, 20, 3] }, { data: [] }],
    });
    expect(putAt(before, ['series', 0, 'data', 3], 4)).toMatchObject({
      series: [{ data: [1, 2, 3, 4] }, { data: [] }],
    });
    expect(before).toEqual(options()); // never changed in place
  });

  it('copies only the containers along the path', () => {
    type Options = { title: object; series: { data: number[] }[] };
    const before = options();
    const after = putAt(before, ['series', 0, 'data', 0], 9) as unknown as Options;
    const was = before as unknown as Options;
    expect(after.title).toBe(was.title);
    expect(after.series[1]).toBe(was.series[1]);
    expect(after.series[0]).not.toBe(was.series[0]);
  });

  it('appends items and keeps only the last ones asked for', () => {
    const before = options();
    expect(pushAt(before, ['series', 0, 'data'], [4, 5])).toMatchObject({
      series: [{ data: [1, 2, 3, 4, 5] }, {}],
    });
    expect(pushAt(before, ['series', 0, 'data'], [4, 5], 3)).toMatchObject({
      series: [{ data: [3, 4, 5] }, {}],
    });
    expect(pushAt([1, 2], [], [3], 2)).toEqual([2, 3]);
    expect(applyDelta([1], { op: 'push', path: [], items: [2] })).toEqual([1, 2]);
    expect(applyDelta({ a: 1 }, { op: 'put', path: ['a'], value: 2 })).toEqual({ a: 2 });
    expect(before).toEqual(options());
  });

  it.each([
    [['series', 5, 'data'], /series\[5\] is past the end/],
    [['series', 0, 'missing', 'x'], /series\[0\]\.missing does not exist/],
    [['title', 0], /\.title is not an array/],
    [['series', 'name'], /\.series is not an object/],
  ])('refuses a path that does not fit the value: %j', (path, message) => {
    expect(() => putAt(options(), path, 1)).toThrow(PropPathError);
    expect(() => putAt(options(), path, 1)).toThrow(message);
  });

  it('refuses to append where there is no array, or to keep fewer than one', () => {
    expect(() => pushAt(options(), ['title'], [1])).toThrow(/\.title is not an array/);
    expect(() => pushAt(options(), ['series', 0, 'nothing'], [1])).toThrow(/not an array/);
    expect(() => pushAt([1], [], [2], 0)).toThrow(/keepLast must be a whole number from 1/);
  });

  it.each([
    [{}, /must be an array/],
    [['__proto__'], /cannot be a key/],
    [['constructor', 'x'], /cannot be a key/],
    [[''], /1 to 100 characters/],
    [['x'.repeat(101)], /1 to 100 characters/],
    [[-1], /not an index/],
    [[1.5], /not an index/],
    [[true], /each step of a path is a key/],
    [Array.from({ length: 17 }, () => 'a'), /at most 16 steps/],
  ])('says what is wrong with a path that is not one: %j', (path, message) => {
    expect(pathProblem(path)).toMatch(message);
    expect(() => putAt({ a: 1 }, path as never, 1)).toThrow(PropPathError);
  });

  it('never reaches into a prototype', () => {
    const before = options();
    expect(() => putAt(before, ['__proto__', 'polluted'], true)).toThrow(PropPathError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
