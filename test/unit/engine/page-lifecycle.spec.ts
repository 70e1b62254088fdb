import { resolveOptions } from '../../../libs/pushpage/src/options';
import { PageLifecycle } from '../../../libs/pushpage/src/engine/page-lifecycle';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';

describe('page lifecycle, pages used over HTTP', () => {
  it('writes a polled page’s deadline once a minute, not on every request', async () => {
    const store = new MemoryStore();
    const writes: number[] = [];
    const touch = store.touchPages.bind(store);
    store.touchPages = async (ids, deadline) => {
      writes.push(deadline);
      await touch(ids, deadline);
    };
    const lifecycle = new PageLifecycle(
      store,
      { countTabs: async () => 0 },
      resolveOptions({ sessionSecret: 'a test secret that is long enough' }),
    );
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      for (let second = 0; second < 60; second++, now += 1000) lifecycle.usedOverHttp('page');
      expect(writes).toEqual([1_000_000 + 30 * 60 * 1000]);
      lifecycle.usedOverHttp('page');
      lifecycle.usedOverHttp('other');
      expect(writes).toEqual([1_000_000, 1_060_000, 1_060_000].map((t) => t + 30 * 60 * 1000));
      // the page outlives its last request by 29 to 30 minutes
      expect(await store.expiredPages(1_060_000 + 29 * 60 * 1000, 10)).toEqual([]);
    } finally {
      clock.mockRestore();
    }
  });
});
