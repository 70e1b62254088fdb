import { lanesOf, quotasOf } from '../../bench/click-spread';
import { spreadOf } from '../../bench/cluster-spread-figures';

describe('the cluster-spread benchmark figures', () => {
  it('sets the cluster ceiling by the busiest node and one node by all nodes added up', () => {
    const spread = spreadOf(
      [
        { node: 'a', commands: 4, usec: 50, cpuMs: 0.2 },
        { node: 'b', commands: 4, usec: 40, cpuMs: 0.3 },
        { node: 'c', commands: 2, usec: 10, cpuMs: 0.1 },
      ],
      new Map([
        ['a', 5],
        ['b', 4],
        ['c', 1],
      ]),
    );
    expect(spread.total).toEqual({
      commands: 10,
      usec: 100,
      cpuMs: expect.closeTo(0.6, 9),
      pages: 10,
    });
    expect(spread.fromUsec).toMatchObject({
      cluster: 20_000,
      oneNode: 10_000,
      ratio: 2,
      busiest: 'a',
    });
    expect(spread.fromCpu.busiest).toBe('b');
    expect(spread.fromCpu.ratio).toBeCloseTo(2, 9);
    expect(spread.nodes.map((n) => n.usecShare)).toEqual([0.5, 0.4, 0.1]);
    expect(spread.nodes.map((n) => n.pages)).toEqual([5, 4, 1]);
    expect(spread.placementRatio).toBe(2);
  });

  it('gives a perfect spread over three nodes a ratio of three', () => {
    const even = ['a', 'b', 'c'].map((node) => ({ node, commands: 1, usec: 10, cpuMs: 0.1 }));
    const spread = spreadOf(even, new Map());
    expect(spread.fromUsec.ratio).toBe(3);
    expect(spread.fromCpu.ratio).toBeCloseTo(3, 9);
    expect(spread.total.pages).toBe(0);
  });

  it('never puts a page in two lanes, and splits the clicks over the lanes', () => {
    const lanes = lanesOf([0, 1, 2, 3, 4, 5, 6], 3);
    expect(lanes).toEqual([
      [0, 3, 6],
      [1, 4],
      [2, 5],
    ]);
    expect(lanesOf([0, 1], 8)).toEqual([[0], [1]]);
    expect(quotasOf(10, 3)).toEqual([4, 3, 3]);
    expect(quotasOf(3000, 8).reduce((a, b) => a + b, 0)).toBe(3000);
  });
});
