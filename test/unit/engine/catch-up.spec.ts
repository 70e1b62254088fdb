import { MAX_CATCH_UP_PATCHES, missedPatches } from '../../../libs/pushpage/src/engine/catch-up';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { PATCH_LOG } from '../../../libs/pushpage/src/store/store';

describe('catching a tab up from the patch logs', () => {
  let store: MemoryStore;
  beforeEach(async () => {
    store = new MemoryStore();
    const scope = (id: string) => ({
      op: 'create' as const,
      home: id,
      component: { id, type: 'Div', parent: null, children: [], scope: true, fields: {} },
    });
    await store.commit({ ops: [scope('page'), scope('board')], bump: [] });
  });

  /** Raises a scope's version `n` times, logging a patch each time. */
  async function change(scope: string, n: number): Promise<void> {
    for (let i = 0; i < n; i++)
      await store.commit({
        ops: [],
        bump: [scope],
        log: [{ scope, body: JSON.stringify({ o: [['set', scope, 'text', `${scope} ${i}`]] }) }],
      });
  }

  it('answers what each scope missed, in version order, and nothing for a current tab', async () => {
    await change('page', 3);
    await change('board', 2);
    const patches = await missedPatches(store, { page: 3, board: 2 }, { page: 1, board: 2 });
    expect(patches?.map((p) => [p.s, p.v])).toEqual([
      ['page', 2],
      ['page', 3],
    ]);
    expect(await missedPatches(store, { page: 3, board: 2 }, { page: 3, board: 2 })).toEqual([]);
  });

  it('answers null where a whole page is better', async () => {
    await change('page', 3);
    // a scope new to the tab, a scope gone from the page, a tab ahead of the store
    expect(await missedPatches(store, { page: 3, board: 0 }, { page: 3 })).toBeNull();
    expect(await missedPatches(store, { page: 3 }, { page: 3, board: 0 })).toBeNull();
    expect(await missedPatches(store, { page: 3 }, { page: 4 })).toBeNull();
  });

  it('answers null past the most it catches up, and when the log no longer reaches back', async () => {
    await change('page', MAX_CATCH_UP_PATCHES + 1);
    expect(await missedPatches(store, { page: MAX_CATCH_UP_PATCHES + 1 }, { page: 0 })).toBeNull();
    expect(
      await missedPatches(store, { page: MAX_CATCH_UP_PATCHES + 1 }, { page: 1 }),
    ).toHaveLength(MAX_CATCH_UP_PATCHES);
    await change('board', PATCH_LOG.keep + 5);
    const board = PATCH_LOG.keep + 5;
    expect(await missedPatches(store, { board }, { board: 4 })).toBeNull();
    expect(await missedPatches(store, { board }, { board: 5 })).toHaveLength(PATCH_LOG.keep);
  });
});
