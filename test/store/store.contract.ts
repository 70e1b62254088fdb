import {
  CommitResult,
  DOC_FULL,
  NewStoredComponent,
  PushpageStore,
  StoredComponent,
} from '../../libs/pushpage/src/store/store';
import { revisionEtag, revisionOf } from '../../libs/pushpage/src/store/revision';
import { componentBytes, PATCH_LOG, StoreOp } from '../../libs/pushpage/src/store/store';

function component(id: string, overrides: Partial<NewStoredComponent> = {}): NewStoredComponent {
  return { id, type: 'Div', parent: null, children: [], scope: false, fields: {}, ...overrides };
}

/** A commit's result without the scopes' byte counts (which their own test checks). */
function withoutBytes(result: CommitResult): CommitResult {
  if (!result.ok) return result;
  const rest = { ...result };
  delete rest.bytes;
  return rest;
}

function byId(list: StoredComponent[]): Record<string, StoredComponent> {
  return Object.fromEntries(list.map((c) => [c.id, c]));
}

/**
 * The behaviour every store must have. Runs against the in-memory store and against a
 * real redis-server; `makeStore` gives a fresh, empty store for each test.
 */
export function storeContract(name: string, makeStore: () => Promise<PushpageStore>): void {
  describe(`${name} store contract`, () => {
    let store: PushpageStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close();
    });

    /** page → [a → [a1], shared] ; shared → [s1] */
    async function seedPage(): Promise<void> {
      const result = await store.commit({
        ops: [
          {
            op: 'create',
            home: 'page',
            component: component('page', {
              type: 'WebPage',
              scope: true,
              children: ['a', 'shared'],
              fields: { 'm:session': '"s1"' },
            }),
          },
          {
            op: 'create',
            home: 'page',
            component: component('a', {
              parent: 'page',
              children: ['a1'],
              fields: { 'p:text': '"hello"' },
            }),
          },
          { op: 'create', home: 'page', component: component('a1', { parent: 'a' }) },
          {
            op: 'create',
            home: 'shared',
            component: component('shared', { scope: true, children: ['s1'] }),
          },
          {
            op: 'create',
            home: 'shared',
            component: component('s1', { parent: 'shared', fields: { 'p:text': '"inside"' } }),
          },
        ],
        bump: [],
      });
      expect(withoutBytes(result)).toEqual({ ok: true, versions: {} });
    }

    /** The components of a scope, by id, loaded whole. */
    async function inScope(scope: string): Promise<Record<string, StoredComponent>> {
      return byId(await store.load([scope], 'page'));
    }

    const bytes = (...values: number[]) => Uint8Array.from(values);
    /** A byte budget no test's document comes near. */
    const ROOMY = 1 << 20;

    /** Takes `a` (and `a1` inside it) off the seeded page and deletes them. */
    const removeA: StoreOp[] = [
      { op: 'remove', home: 'page', id: 'page', child: 'a' },
      {
        op: 'delete',
        home: 'page',
        id: 'a',
        parts: [
          { id: 'a', fields: ['p:text'], hasDoc: false },
          { id: 'a1', fields: [], hasDoc: false },
        ],
      },
    ];

    it('stores components whole and loads them back field for field', async () => {
      await seedPage();
      expect((await inScope('page')).a).toEqual({
        id: 'a',
        type: 'Div',
        parent: 'page',
        children: ['a1'],
        scope: false,
        version: 0,
        fields: { 'p:text': '"hello"' },
      });
    });

    it('loads a page without the insides of shared elements, a tree with them', async () => {
      await seedPage();
      const page = await store.load(['page'], 'page');
      expect(page.map((c) => c.id)).toEqual(['page', 'a', 'shared', 'a1']);
      const tree = await store.load(['page'], 'tree');
      expect(tree.map((c) => c.id).sort()).toEqual(['a', 'a1', 'page', 's1', 'shared']);
      const sharedAsRoot = await store.load(['shared'], 'page');
      expect(sharedAsRoot.map((c) => c.id)).toEqual(['shared', 's1']);
    });

    it('loads scopes only: a root that is not a page or shared element is skipped', async () => {
      await seedPage();
      expect(await store.load(['a', 's1'], 'tree')).toEqual([]);
      expect((await store.load(['nope', 'a', 'shared'], 'page')).map((c) => c.id)).toEqual([
        'shared',
        's1',
      ]);
    });

    it('leaves out child lists it was not asked to read', async () => {
      await seedPage();
      const self = byId(await store.load(['page', 'shared'], 'self'));
      expect(Object.keys(self).sort()).toEqual(['page', 'shared']);
      expect(self.page.children).toBeNull();
      expect(self.shared.children).toBeNull();
      // but says how many there are, for a writer's count of a scope it did not load whole
      expect([self.page.childCount, self.shared.childCount]).toEqual([2, 1]);
      const page = await inScope('page');
      expect(page.page.children).toEqual(['a', 'shared']);
      expect(page.shared.children).toBeNull();
      expect(page.shared.childCount).toBe(1);
      expect(page.a.children).toEqual(['a1']);
      expect(page.a1.children).toEqual([]);
    });

    it('reads a page state: every scope version and the access fields, and null for a non-page', async () => {
      await seedPage();
      await store.commit({ ops: [], bump: ['shared', 'shared', 'page'] });
      await store.commit({ ops: [], bump: ['shared'] });
      expect(await store.pageState('page')).toEqual({
        versions: { page: 1, shared: 2 },
        fields: { 'm:session': '"s1"' },
        docs: {},
      });
      expect(await store.pageState('a')).toBeNull();
      expect(await store.pageState('shared')).toBeNull();
      expect(await store.pageState('missing')).toBeNull();
    });

    it('keeps the scopes a page shows as shared elements come and go, nested or not', async () => {
      await seedPage();
      const scopes = async () => Object.keys((await store.pageState('page'))?.versions ?? {});
      await store.commit({
        ops: [
          { op: 'create', home: 'inner', component: component('inner', { scope: true }) },
          { op: 'insert', home: 'shared', id: 's1', child: 'inner', index: -1 },
          { op: 'create', home: 'other', component: component('other', { scope: true }) },
          { op: 'insert', home: 'page', id: 'a1', child: 'other', index: -1 },
        ],
        bump: [],
      });
      expect((await scopes()).sort()).toEqual(['inner', 'other', 'page', 'shared']);
      await store.commit({
        ops: [{ op: 'remove', home: 'shared', id: 's1', child: 'inner' }],
        bump: [],
      });
      expect((await scopes()).sort()).toEqual(['other', 'page', 'shared']);
      await store.commit({
        ops: [...removeA],
        bump: [],
      });
      expect((await scopes()).sort()).toEqual(['page', 'shared']);
      // what the page shows is what a whole read of it finds
      const tree = await store.load(['page'], 'tree');
      expect(tree.filter((c) => c.scope).map((c) => c.id)).toEqual(['page', 'shared']);
    });

    it('skips missing children', async () => {
      await seedPage();
      await store.commit({
        ops: [{ op: 'insert', home: 'page', id: 'a', child: 'ghost', index: -1 }],
        bump: [],
      });
      const loaded = await store.load(['page'], 'tree');
      expect(loaded.map((c) => c.id)).toEqual(['page', 'a', 'shared', 'a1', 's1']);
      expect(Object.keys((await store.pageState('page'))?.versions ?? {}).sort()).toEqual([
        'page',
        'shared',
      ]);
    });

    it('sets and unsets fields, of a scope and of a component inside one', async () => {
      await seedPage();
      await store.commit({
        ops: [
          { op: 'set', home: 'page', id: 'a', field: 'p:classes', value: '"m-2"' },
          { op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"changed"' },
          { op: 'unset', home: 'page', id: 'a', field: 'p:classes' },
          { op: 'set', home: 'shared', id: 'shared', field: 'p:title', value: '"board"' },
        ],
        bump: [],
      });
      expect((await inScope('page')).a.fields).toEqual({ 'p:text': '"changed"' });
      expect((await inScope('shared')).shared.fields).toEqual({ 'p:title': '"board"' });
    });

    it('inserts at an index, appends past the end, moves an existing child, and sets its parent', async () => {
      await seedPage();
      await store.commit({
        ops: [
          { op: 'create', home: 'shared', component: component('x') },
          { op: 'create', home: 'shared', component: component('y') },
          { op: 'create', home: 'shared', component: component('z') },
          { op: 'insert', home: 'shared', id: 'shared', child: 'x', index: 0 },
          { op: 'insert', home: 'shared', id: 'shared', child: 'y', index: 99 },
          { op: 'insert', home: 'shared', id: 'shared', child: 'z', index: 1 },
          { op: 'insert', home: 'shared', id: 'shared', child: 'y', index: 0 },
          { op: 'insert', home: 'shared', id: 's1', child: 'z', index: 0 },
          { op: 'insert', home: 'shared', id: 'shared', child: 'z', index: 2 },
        ],
        bump: [],
      });
      const loaded = byId(await store.load(['shared'], 'tree'));
      expect(loaded.shared.children).toEqual(['y', 'x', 'z', 's1']);
      expect(loaded.s1.children).toEqual(['z']);
      expect(loaded.x.parent).toBe('shared');
    });

    it('applies each operation of a commit to what the ones before it left', async () => {
      await seedPage();
      const result = await store.commit({
        ops: [
          // a new parent filled, written whole again (its children replaced), filled again
          { op: 'create', home: 'page', component: component('n', { children: ['n1'] }) },
          { op: 'create', home: 'page', component: component('n1') },
          { op: 'create', home: 'page', component: component('n2') },
          { op: 'insert', home: 'page', id: 'a1', child: 'n', index: -1 },
          { op: 'insert', home: 'page', id: 'n', child: 'n2', index: 0 },
          {
            op: 'create',
            home: 'page',
            component: component('n', { children: ['n2'], fields: { 'p:title': '"again"' } }),
          },
          { op: 'insert', home: 'page', id: 'n', child: 'n1', index: -1 },
          { op: 'set', home: 'page', id: 'n1', field: 'p:text', value: '"one"' },
          // the page's own list edited twice
          { op: 'remove', home: 'page', id: 'page', child: 'shared' },
          { op: 'insert', home: 'page', id: 'page', child: 'shared', index: 0 },
          // a shared element inside a component deleted by the same commit is not shown
          { op: 'create', home: 'other', component: component('other', { scope: true }) },
          { op: 'create', home: 'page', component: component('gone') },
          { op: 'insert', home: 'page', id: 'a', child: 'gone', index: -1 },
          { op: 'insert', home: 'page', id: 'gone', child: 'other', index: 0 },
          { op: 'remove', home: 'page', id: 'a', child: 'gone' },
          {
            op: 'delete',
            home: 'page',
            id: 'gone',
            parts: [{ id: 'gone', fields: [], hasDoc: false }],
          },
          // and an insert into it afterwards is skipped
          { op: 'insert', home: 'page', id: 'gone', child: 'n2', index: 0 },
        ],
        bump: ['page'],
      });
      expect(withoutBytes(result)).toEqual({ ok: true, versions: { page: 1 } });
      const loaded = byId(await store.load(['page'], 'tree'));
      expect(Object.keys(loaded).sort()).toEqual([
        'a',
        'a1',
        'n',
        'n1',
        'n2',
        'page',
        's1',
        'shared',
      ]);
      expect(loaded.page.children).toEqual(['shared', 'a']);
      expect(loaded.a.children).toEqual(['a1']);
      expect(loaded.a1.children).toEqual(['n']);
      expect(loaded.n.children).toEqual(['n2', 'n1']);
      expect(loaded.n.fields).toEqual({ 'p:title': '"again"' });
      expect(loaded.n1.fields).toEqual({ 'p:text': '"one"' });
      expect(Object.keys((await store.pageState('page'))?.versions ?? {}).sort()).toEqual([
        'page',
        'shared',
      ]);
    });

    it('removes a child: it is no longer loaded with its scope', async () => {
      await seedPage();
      await store.commit({
        ops: [{ op: 'remove', home: 'page', id: 'page', child: 'a' }],
        bump: [],
      });
      const loaded = await store.load(['page'], 'page');
      expect(loaded.map((c) => c.id)).toEqual(['page', 'shared']);
      expect(loaded[0].children).toEqual(['shared']);
    });

    it('deletes a subtree, and a page, but never a shared element inside them', async () => {
      await seedPage();
      await store.commit({
        ops: [...removeA],
        bump: [],
      });
      expect(await store.countComponents()).toBe(3);
      await store.deletePage('page');
      expect(await store.load(['page'], 'tree')).toEqual([]);
      expect((await store.load(['shared'], 'tree')).map((c) => c.id)).toEqual(['shared', 's1']);
      expect(await store.countComponents()).toBe(2);
      await store.deletePage('page');
    });

    it('raises the version of each bumped scope once per commit, and only of scopes', async () => {
      await seedPage();
      const first = await store.commit({
        ops: [],
        bump: ['page', 'shared', 'page', 'a', 'missing'],
      });
      expect(withoutBytes(first)).toEqual({ ok: true, versions: { page: 1, shared: 1 } });
      const second = await store.commit({
        ops: [{ op: 'set', home: 'shared', id: 's1', field: 'p:text', value: '"x"' }],
        bump: ['shared'],
      });
      expect(withoutBytes(second)).toEqual({ ok: true, versions: { shared: 2 } });
      const [page] = await store.load(['page'], 'self');
      expect(page.version).toBe(1);
    });

    it('keeps the version of a scope written whole again', async () => {
      await seedPage();
      await store.commit({ ops: [], bump: ['shared'] });
      await store.commit({
        ops: [
          {
            op: 'create',
            home: 'shared',
            component: component('shared', { scope: true, children: [] }),
          },
        ],
        bump: [],
      });
      const [shared] = await store.load(['shared'], 'page');
      expect(shared.version).toBe(1);
      expect(shared.children).toEqual([]);
    });

    it('claims a name once; a second claim changes nothing and returns the holder', async () => {
      const first = await store.commit({
        ops: [{ op: 'create', home: 'one', component: component('one', { scope: true }) }],
        bump: [],
        claim: { name: 'board', id: 'one' },
      });
      expect(first.ok).toBe(true);
      const second = await store.commit({
        ops: [{ op: 'create', home: 'two', component: component('two', { scope: true }) }],
        bump: [],
        claim: { name: 'board', id: 'two' },
      });
      expect(second).toEqual({ ok: false, existing: 'one' });
      expect(await store.lookupName('board')).toBe('one');
      expect(await store.load(['two'], 'self')).toEqual([]);
      expect(await store.lookupName('other')).toBeNull();
    });

    it('forgets a name whose component was deleted, so it can be claimed again', async () => {
      await store.commit({
        ops: [{ op: 'create', home: 'one', component: component('one', { scope: true }) }],
        bump: [],
        claim: { name: 'n', id: 'one' },
      });
      await store.deletePage('one');
      expect(await store.lookupName('n')).toBeNull();
      const again = await store.commit({
        ops: [{ op: 'create', home: 'two', component: component('two', { scope: true }) }],
        bump: [],
        claim: { name: 'n', id: 'two' },
      });
      expect(again.ok).toBe(true);
      expect(await store.lookupName('n')).toBe('two');
    });

    it('agrees on one value per setting: the first candidate stored wins, for every caller', async () => {
      const answers = await Promise.all(
        ['first', 'second', 'third'].map((candidate) => store.agreeOn('secret', candidate)),
      );
      expect(new Set(answers).size).toBe(1);
      expect(await store.agreeOn('secret', 'later')).toBe(answers[0]);
      expect(await store.agreeOn('another', 'own')).toBe('own');
    });

    it('skips operations on components and scopes that do not exist', async () => {
      await seedPage();
      const result = await store.commit({
        ops: [
          { op: 'insert', home: 'page', id: 'gone', child: 'c', index: 0 },
          { op: 'remove', home: 'page', id: 'gone', child: 'c' },
          { op: 'set', home: 'nowhere', id: 'nowhere', field: 'p:text', value: '"x"' },
          { op: 'insert', home: 'nowhere', id: 'nowhere', child: 'c', index: 0 },
        ],
        bump: ['gone', 'nowhere'],
      });
      expect(withoutBytes(result)).toEqual({ ok: true, versions: {} });
      expect(await store.load(['nowhere'], 'tree')).toEqual([]);
      expect((await store.load(['page'], 'tree')).map((c) => c.id).sort()).toEqual([
        'a',
        'a1',
        'page',
        's1',
        'shared',
      ]);
    });

    it('keeps field text opaque: JSON with spaces, quotes, bars, unicode and empty arrays round-trips', async () => {
      const value = JSON.stringify({
        list: [],
        text: 'a "b" | c\n',
        emoji: '✓ ü',
        nested: { empty: {} },
      });
      await store.commit({
        ops: [
          {
            op: 'create',
            home: 'c',
            component: component('c', { scope: true, fields: { 'd:x': value } }),
          },
          { op: 'create', home: 'c', component: component('in', { fields: { 'd:y': value } }) },
          { op: 'insert', home: 'c', id: 'c', child: 'in', index: 0 },
        ],
        bump: [],
      });
      const loaded = await inScope('c');
      expect(loaded.c.fields['d:x']).toBe(value);
      expect(loaded.in.fields['d:y']).toBe(value);
    });

    it('applies concurrent commits one at a time: 50 parallel inserts at 0 all land', async () => {
      await store.commit({
        ops: [{ op: 'create', home: 'board', component: component('board', { scope: true }) }],
        bump: [],
      });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) =>
          store.commit({
            ops: [
              { op: 'create', home: 'board', component: component(`m${i}`) },
              { op: 'insert', home: 'board', id: 'board', child: `m${i}`, index: 0 },
            ],
            bump: ['board'],
          }),
        ),
      );
      const versions = results.map((r) => (r.ok ? r.versions.board : -1)).sort((a, b) => a - b);
      expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      const [board] = await store.load(['board'], 'tree');
      expect(new Set(board.children).size).toBe(50);
    });

    it('lists pages past their deadline until they are touched again or deleted', async () => {
      await seedPage();
      await store.touchPages(['page', 'other'], 1000);
      await store.touchPages(['later'], 5000);
      expect((await store.expiredPages(2000, 10)).sort()).toEqual(['other', 'page']);
      expect(await store.expiredPages(2000, 1)).toHaveLength(1);
      await store.touchPages(['other'], 3000);
      await store.deletePage('page');
      expect(await store.expiredPages(2000, 10)).toEqual([]);
      expect((await store.expiredPages(6000, 10)).sort()).toEqual(['later', 'other']);
    });

    it('lets one owner apply an event id, and remembers it once applied', async () => {
      expect(await store.beginEvent('page', 'e1', 'r1', 1000)).toBe('run');
      expect(await store.beginEvent('page', 'e1', 'r2', 1000)).toBe('running');
      expect(await store.beginEvent('page', 'e1', 'r1', 1000)).toBe('run');
      // the same event id on another page is another event
      expect(await store.beginEvent('other', 'e1', 'r2', 1000)).toBe('run');
      await store.endEvent('page', 'e1', 'r2', true, 1000);
      expect(await store.beginEvent('page', 'e1', 'r2', 1000)).toBe('running');
      await store.endEvent('page', 'e1', 'r1', true, 1000);
      expect(await store.beginEvent('page', 'e1', 'r2', 1000)).toBe('done');
    });

    it('marks an event done in the same step as its changes, only while it holds it', async () => {
      await seedPage();
      expect(await store.beginEvent('page', 'e3', 'r1', 1000)).toBe('run');
      const done = await store.commit({
        ops: [{ op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"once"' }],
        bump: [],
        receipt: { scope: 'page', eventId: 'e3', owner: 'r1', doneTtlMs: 1000 },
      });
      expect(done.ok).toBe(true);
      expect(await store.beginEvent('page', 'e3', 'r2', 1000)).toBe('done');
      const lost = await store.commit({
        ops: [{ op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"twice"' }],
        bump: [],
        receipt: { scope: 'page', eventId: 'e4', owner: 'r9', doneTtlMs: 1000 },
      });
      expect(lost).toEqual({ ok: false, receiptLost: true });
      expect((await inScope('page')).a.fields['p:text']).toBe('"once"');
    });

    it('commits only if every expected scope is still at its version; a conflict changes nothing', async () => {
      await seedPage();
      await store.commit({ ops: [], bump: ['page'] });
      expect(await store.beginEvent('page', 'e5', 'r1', 1000)).toBe('run');
      const stale = await store.commit({
        ops: [
          { op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"stale"' },
          { op: 'insert', home: 'shared', id: 'shared', child: 'a1', index: 0 },
        ],
        bump: ['page', 'shared'],
        expect: { page: 0 },
        receipt: { scope: 'page', eventId: 'e5', owner: 'r1', doneTtlMs: 1000 },
        log: [{ scope: 'page', body: '{"o":[]}' }],
      });
      expect(stale).toEqual({ ok: false, conflict: 'page' });
      const gone = await store.commit({ ops: [], bump: [], expect: { missing: 0 } });
      expect(gone).toEqual({ ok: false, conflict: 'missing' });
      // nothing changed: no field, no child, no version, no log, and the event still held
      const records = byId(await store.load(['page'], 'tree'));
      expect(records.a.fields['p:text']).toBe('"hello"');
      expect(records.shared.children).toEqual(['s1']);
      expect([records.page.version, records.shared.version]).toEqual([1, 0]);
      expect(await store.patchesSince('page', 0, 2)).toBeNull();
      expect(await store.beginEvent('page', 'e5', 'r1', 1000)).toBe('run');

      const current = await store.commit({
        ops: [{ op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"current"' }],
        bump: ['page'],
        expect: { page: 1, shared: 0 },
        receipt: { scope: 'page', eventId: 'e5', owner: 'r1', doneTtlMs: 1000 },
      });
      expect(withoutBytes(current)).toEqual({ ok: true, versions: { page: 2 } });
      expect(await store.beginEvent('page', 'e5', 'r2', 1000)).toBe('done');
    });

    it('stops a commit over several scopes at any stale scope, changing none of them', async () => {
      await seedPage();
      await store.commit({ ops: [], bump: ['shared'] });
      expect(await store.beginEvent('page', 'e8', 'r1', 1000)).toBe('run');
      const request = (sharedVersion: number) => ({
        ops: [
          { op: 'set' as const, home: 'page', id: 'a', field: 'p:text', value: '"both"' },
          { op: 'set' as const, home: 'shared', id: 's1', field: 'p:text', value: '"both"' },
        ],
        bump: ['page', 'shared'],
        expect: { page: 0, shared: sharedVersion },
        receipt: { scope: 'page', eventId: 'e8', owner: 'r1', doneTtlMs: 1000 },
      });
      expect(await store.commit(request(0))).toEqual({ ok: false, conflict: 'shared' });
      let tree = byId(await store.load(['page'], 'tree'));
      expect([tree.a.fields['p:text'], tree.s1.fields['p:text']]).toEqual(['"hello"', '"inside"']);
      // the failed attempt left no fence behind: the next commit of either scope goes through
      expect(withoutBytes(await store.commit(request(1)))).toEqual({
        ok: true,
        versions: { page: 1, shared: 2 },
      });
      tree = byId(await store.load(['page'], 'tree'));
      expect([tree.a.fields['p:text'], tree.s1.fields['p:text']]).toEqual(['"both"', '"both"']);
      expect(
        withoutBytes(await store.commit({ ops: [], bump: ['shared'], expect: { shared: 2 } })),
      ).toEqual({
        ok: true,
        versions: { shared: 3 },
      });
    });

    it('recognises its own commit sent again after the answer was lost, and applies it once', async () => {
      await seedPage();
      expect(await store.beginEvent('page', 'e7', 'r1', 1000)).toBe('run');
      const request = {
        ops: [{ op: 'insert' as const, home: 'shared', id: 'shared', child: 'a1', index: 0 }],
        bump: ['shared'],
        expect: { shared: 0 },
        receipt: { scope: 'page', eventId: 'e7', owner: 'r1', doneTtlMs: 1000 },
      };
      expect(withoutBytes(await store.commit(request))).toEqual({
        ok: true,
        versions: { shared: 1 },
      });
      expect(withoutBytes(await store.commit(request))).toEqual({
        ok: true,
        versions: {},
        replayed: true,
      });
      // another owner's commit of the same event is not this one
      expect(
        await store.commit({ ...request, receipt: { ...request.receipt, owner: 'r2' } }),
      ).toEqual({ ok: false, receiptLost: true });
      const [shared] = await store.load(['shared'], 'page');
      expect([shared.version, shared.children]).toEqual([1, ['a1', 's1']]);
      expect(await store.beginEvent('page', 'e7', 'r3', 1000)).toBe('done');
    });

    it('leaves an event held when a limit refuses its commit', async () => {
      await seedPage();
      expect(await store.beginEvent('page', 'e6', 'r1', 1000)).toBe('run');
      const refused = await store.commit({
        ops: [{ op: 'insert', home: 'shared', id: 'shared', child: 'a1', index: -1 }],
        bump: ['shared'],
        receipt: { scope: 'page', eventId: 'e6', owner: 'r1', doneTtlMs: 1000 },
        maxChildren: 1,
      });
      expect(refused).toEqual({ ok: false, tooManyChildren: 'shared' });
      // not marked done: the event was not applied, and may be tried again
      expect(await store.beginEvent('page', 'e6', 'r1', 1000)).toBe('run');
    });

    it('forgets an event that was not applied, or whose owner died', async () => {
      expect(await store.beginEvent('page', 'e2', 'r1', 1000)).toBe('run');
      await store.endEvent('page', 'e2', 'r1', false, 1000);
      expect(await store.beginEvent('page', 'e2', 'r2', 150)).toBe('run');
      await store.renewEvent('page', 'e2', 'r2', 150);
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.beginEvent('page', 'e2', 'r3', 1000)).toBe('run');
    });

    it('logs patches under the versions their commit gives, for tabs that catch up', async () => {
      await seedPage();
      const body = (text: string) => JSON.stringify({ o: [['set', 'a', 'text', text]] });
      for (const text of ['one', 'two', 'three'])
        await store.commit({ ops: [], bump: ['page'], log: [{ scope: 'page', body: body(text) }] });
      // a scope the commit does not bump logs nothing
      await store.commit({ ops: [], bump: [], log: [{ scope: 'shared', body: body('x') }] });
      const since = await store.patchesSince('page', 1, 3);
      expect(since?.map((t) => JSON.parse(t) as unknown)).toEqual([
        { s: 'page', v: 2, o: [['set', 'a', 'text', 'two']] },
        { s: 'page', v: 3, o: [['set', 'a', 'text', 'three']] },
      ]);
      expect(await store.patchesSince('page', 3, 3)).toEqual([]);
      expect(await store.patchesSince('page', 0, 4)).toBeNull();
      expect(await store.patchesSince('shared', 0, 1)).toBeNull();
      await store.deletePage('page');
      expect(await store.patchesSince('page', 1, 3)).toBeNull();
    });

    it('keeps the catch-up log to its last patches however many come', async () => {
      await seedPage();
      const body = JSON.stringify({ o: [] });
      for (let i = 0; i < PATCH_LOG.keep + 40; i++)
        await store.commit({ ops: [], bump: ['page'], log: [{ scope: 'page', body }] });
      const last = PATCH_LOG.keep + 40;
      expect(await store.patchesSince('page', last - 100, last)).toHaveLength(100);
      expect(await store.patchesSince('page', 0, last)).toBeNull();
    });

    it('limits the pages of a session, counting only pages that still exist', async () => {
      const open = (id: string) =>
        store.commit({
          ops: [
            {
              op: 'create',
              home: id,
              component: component(id, {
                type: 'WebPage',
                scope: true,
                fields: { 'm:session': '"s9"' },
              }),
            },
          ],
          bump: [],
          sessionPage: { session: 's9', pageId: id, max: 2 },
        });
      expect((await open('p1')).ok).toBe(true);
      expect((await open('p2')).ok).toBe(true);
      expect(await open('p3')).toEqual({ ok: false, tooManyPages: true });
      expect(await store.load(['p3'], 'self')).toEqual([]);
      await store.deletePage('p1');
      expect((await open('p3')).ok).toBe(true);
    });

    it("records a session's last use and its revocation apart; a touch never undoes a revocation", async () => {
      const day = 24 * 3600 * 1000;
      expect(await store.sessionRecord('s1')).toBeNull();
      await store.touchSession('s1', 1000, day);
      expect(await store.sessionRecord('s1')).toEqual({ usedAt: 1000 });
      await store.touchSession('s1', 2000, day);
      expect(await store.sessionRecord('s1')).toEqual({ usedAt: 2000 });
      await store.revokeSession('s1', 3000, day);
      await store.touchSession('s1', 4000, day);
      expect(await store.sessionRecord('s1')).toEqual({ usedAt: 4000, revokedAt: 3000 });
      // a session revoked before any use was recorded, and one nothing is known of
      await store.revokeSession('s2', 5000, day);
      expect(await store.sessionRecord('s2')).toEqual({ revokedAt: 5000 });
      expect(await store.sessionRecord('s3')).toBeNull();
      // other sessions' pages and records are left alone
      await seedPage();
      await store.deletePage('page');
      expect(await store.sessionRecord('s1')).toEqual({ usedAt: 4000, revokedAt: 3000 });
    });

    it("forgets a session's use and revocation once the time they were kept for has passed", async () => {
      await store.touchSession('s1', 1000, 150);
      await store.revokeSession('s1', 1000, 60_000);
      await store.revokeSession('s2', 1000, 150);
      await store.touchSession('s2', 1000, 60_000);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await store.sessionRecord('s1')).toEqual({ revokedAt: 1000 });
      expect(await store.sessionRecord('s2')).toEqual({ usedAt: 1000 });
      await store.touchSession('s3', 1000, 150);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await store.sessionRecord('s3')).toBeNull();
    });

    it('refuses a commit that would give a component more children than allowed, changing nothing', async () => {
      await seedPage();
      const add = (ids: string[]) =>
        store.commit({
          ops: ids.flatMap((id) => [
            { op: 'create' as const, home: 'page', component: component(id, { parent: 'a' }) },
            { op: 'insert' as const, home: 'page', id: 'a', child: id, index: -1 },
          ]),
          bump: [],
          maxChildren: 3,
        });
      expect((await add(['x1', 'x2'])).ok).toBe(true);
      expect(await add(['x3', 'x4'])).toEqual({ ok: false, tooManyChildren: 'a' });
      const page = await inScope('page');
      expect(page.x3).toBeUndefined();
      expect(page.a.children).toEqual(['a1', 'x1', 'x2']);
    });

    /** What a scope holds as `componentBytes` counts it, from its records loaded whole. */
    async function countedBytes(scope: string): Promise<number> {
      const records = await store.load([scope], 'page');
      return records
        .filter((r) => r.id === scope || !r.scope)
        .reduce(
          (sum, r) =>
            sum + componentBytes({ ...r, children: r.children ?? new Array(r.childCount) }, scope),
          0,
        );
    }

    /** The byte count the store keeps for a scope. */
    async function keptBytes(scope: string): Promise<number | undefined> {
      return (await store.load([scope], 'self'))[0]?.bytes;
    }

    it('keeps the bytes each scope holds, through every kind of change, and answers them', async () => {
      await seedPage();
      const steps: StoreOp[][] = [
        [{ op: 'set', home: 'page', id: 'a', field: 'p:text', value: '"a longer text, é"' }],
        [{ op: 'set', home: 'page', id: 'page', field: 'p:title', value: '"Title"' }],
        [{ op: 'unset', home: 'page', id: 'a', field: 'p:text' }],
        [
          { op: 'create', home: 'shared', component: component('s2', { fields: { 'd:n': '1' } }) },
          { op: 'insert', home: 'shared', id: 'shared', child: 's2', index: 0 },
          { op: 'set', home: 'shared', id: 's1', field: 'p:text', value: '"x"' },
        ],
        [{ op: 'insert', home: 'shared', id: 'shared', child: 's2', index: -1 }],
        [
          { op: 'remove', home: 'page', id: 'a', child: 'a1' },
          {
            op: 'delete',
            home: 'page',
            id: 'a1',
            parts: [{ id: 'a1', fields: [], hasDoc: false }],
          },
        ],
        [{ op: 'insert', home: 'page', id: 'a', child: 'a2', index: 0 }],
        removeA,
      ];
      for (const ops of steps) {
        const result = await store.commit({ ops, bump: [] });
        expect(result.ok).toBe(true);
        for (const scope of ['page', 'shared']) {
          const counted = await countedBytes(scope);
          expect(await keptBytes(scope)).toBe(counted);
          if (result.ok && result.bytes?.[scope] !== undefined)
            expect(result.bytes[scope]).toBe(counted);
        }
      }
    });

    it('refuses a commit that would take a scope past its byte budget, changing nothing', async () => {
      await seedPage();
      const before = await keptBytes('shared');
      const budget = (before ?? 0) + 100;
      const post = (id: string, text: string) =>
        store.commit({
          ops: [
            { op: 'set', home: 'page', id: 'a', field: 'p:text', value: `"${id}"` },
            {
              op: 'create',
              home: 'shared',
              component: component(id, { fields: { 'p:text': JSON.stringify(text) } }),
            },
            { op: 'insert', home: 'shared', id: 'shared', child: id, index: 0 },
          ],
          bump: ['page', 'shared'],
          maxScopeBytes: budget,
        });
      expect((await post('m1', 'x'.repeat(20))).ok).toBe(true);
      // the board's part is too large: neither scope changes
      expect(await post('m2', 'x'.repeat(200))).toEqual({ ok: false, tooLarge: 'shared' });
      expect((await inScope('page')).a.fields['p:text']).toBe('"m1"');
      expect((await inScope('shared')).m2).toBeUndefined();
      expect((await inScope('shared')).shared.children).toEqual(['m1', 's1']);
      // a change that makes a scope over its budget smaller applies
      const shrink = await store.commit({
        ops: [{ op: 'set', home: 'shared', id: 'm1', field: 'p:text', value: '""' }],
        bump: [],
        maxScopeBytes: 10,
      });
      expect(shrink.ok).toBe(true);
      expect(await keptBytes('shared')).toBe(await countedBytes('shared'));
      // and one that grows it does not, on the scope's own step either
      expect(
        await store.commit({
          ops: [{ op: 'set', home: 'shared', id: 'm1', field: 'p:text', value: '"y"' }],
          bump: [],
          maxScopeBytes: 10,
        }),
      ).toEqual({ ok: false, tooLarge: 'shared' });
    });

    it('keeps a document log per component, binary-safe, and deletes it with the component', async () => {
      await seedPage();
      expect(await store.appendDocUpdate('page', 'a1', bytes(0, 255, 10, 13, 0), ROOMY)).toBe(1);
      expect(await store.appendDocUpdate('page', 'a1', bytes(1), ROOMY)).toBe(2);
      expect(await store.appendDocUpdate('page', 'ghost', bytes(2), ROOMY)).toBe(0);
      expect(await store.appendDocUpdate('shared', 'shared', bytes(3), ROOMY)).toBe(1);
      expect((await store.loadDocUpdates('page', 'a1')).map((u) => [...u])).toEqual([
        [0, 255, 10, 13, 0],
        [1],
      ]);
      expect(await store.loadDocUpdates('page', 'ghost')).toEqual([]);
      await store.deletePage('page');
      expect(await store.loadDocUpdates('page', 'a1')).toEqual([]);
      expect(await store.appendDocUpdate('page', 'a1', bytes(3), ROOMY)).toBe(0);
      expect(await store.loadDocUpdates('shared', 'shared')).toHaveLength(1);
    });

    it('deletes the document of a component deleted from its scope', async () => {
      await seedPage();
      await store.appendDocUpdate('page', 'a1', bytes(1), ROOMY);
      await store.commit({
        ops: [
          { op: 'remove', home: 'page', id: 'a', child: 'a1' },
          { op: 'delete', home: 'page', id: 'a1', parts: [{ id: 'a1', fields: [], hasDoc: true }] },
        ],
        bump: [],
      });
      expect(await store.loadDocUpdates('page', 'a1')).toEqual([]);
    });

    it('compacts a document log only while it still starts with what was read', async () => {
      await seedPage();
      for (const n of [1, 2, 3]) await store.appendDocUpdate('page', 'a', bytes(n), ROOMY);
      expect(await store.compactDoc('page', 'a', 2, bytes(1), bytes(12))).toBe(true);
      // a second replica that read the same two updates must not trim again
      expect(await store.compactDoc('page', 'a', 2, bytes(1), bytes(12))).toBe(false);
      await store.appendDocUpdate('page', 'a', bytes(4), ROOMY);
      expect((await store.loadDocUpdates('page', 'a')).map((u) => [...u])).toEqual([
        [12],
        [3],
        [4],
      ]);
      // compaction merges updates; the edit count only rises
      expect((await store.load(['page'], 'self'))[0].edits).toBe(4);
    });

    it('refuses a document update past the byte budget, changing nothing', async () => {
      await seedPage();
      expect(await store.appendDocUpdate('page', 'a1', bytes(1, 2, 3, 4), 10)).toBe(1);
      expect(await store.appendDocUpdate('page', 'a1', bytes(5, 6, 7, 8, 9, 10), 10)).toBe(2);
      // the log holds 10 bytes: one more is refused, and nothing changes
      const before = await store.load(['page'], 'tree');
      expect(await store.appendDocUpdate('page', 'a1', bytes(11), 10)).toBe(DOC_FULL);
      expect(await store.load(['page'], 'tree')).toEqual(before);
      expect((await store.loadDocUpdates('page', 'a1')).map((u) => [...u])).toEqual([
        [1, 2, 3, 4],
        [5, 6, 7, 8, 9, 10],
      ]);
      // a larger budget takes it; each document has a budget of its own
      expect(await store.appendDocUpdate('page', 'a1', bytes(11), 11)).toBe(3);
      expect(await store.appendDocUpdate('page', 'a', bytes(1, 2, 3, 4, 5, 6, 7, 8), 10)).toBe(1);
      expect(await store.appendDocUpdate('shared', 'shared', bytes(1, 2), 2)).toBe(1);
      expect(await store.appendDocUpdate('shared', 'shared', bytes(3), 2)).toBe(DOC_FULL);
      // an update larger than the whole budget is refused on an empty document too
      expect(await store.appendDocUpdate('shared', 's1', bytes(1, 2, 3), 2)).toBe(DOC_FULL);
      expect(await store.loadDocUpdates('shared', 's1')).toEqual([]);
      expect((await store.load(['page'], 'self'))[0].edits).toBe(4);
    });

    it("lowers a document's byte count when compaction merges its log", async () => {
      await seedPage();
      for (const n of [1, 2, 3]) await store.appendDocUpdate('page', 'a', bytes(n, n, n, n), 12);
      expect(await store.appendDocUpdate('page', 'a', bytes(4), 12)).toBe(DOC_FULL);
      // the first two (8 bytes) become one of 2: the log holds 6 bytes, so 6 more fit
      expect(await store.compactDoc('page', 'a', 2, bytes(1, 1, 1, 1), bytes(1, 2))).toBe(true);
      expect(await store.appendDocUpdate('page', 'a', bytes(4, 4, 4, 4, 4, 4), 12)).toBe(3);
      expect(await store.appendDocUpdate('page', 'a', bytes(5), 12)).toBe(DOC_FULL);
      // a compaction that lost the race counts nothing
      expect(await store.compactDoc('page', 'a', 2, bytes(1, 1, 1, 1), bytes(9))).toBe(false);
      expect(await store.appendDocUpdate('page', 'a', bytes(5), 12)).toBe(DOC_FULL);
    });

    it("forgets a document's byte count with its component", async () => {
      await seedPage();
      expect(await store.appendDocUpdate('page', 'a1', bytes(1, 2, 3), 3)).toBe(1);
      const a1 = () => component('a1', { parent: 'a' });
      await store.commit({
        ops: [
          { op: 'remove', home: 'page', id: 'a', child: 'a1' },
          { op: 'delete', home: 'page', id: 'a1', parts: [{ id: 'a1', fields: [], hasDoc: true }] },
        ],
        bump: [],
      });
      await store.commit({
        ops: [
          { op: 'create', home: 'page', component: a1() },
          { op: 'insert', home: 'page', id: 'a', child: 'a1', index: -1 },
        ],
        bump: [],
      });
      expect(await store.appendDocUpdate('page', 'a1', bytes(4, 5, 6), 3)).toBe(1);
    });

    it('counts document edits on their scope, never as a field, without moving versions', async () => {
      await seedPage();
      const before = byId(await store.load(['page'], 'tree'));
      await store.appendDocUpdate('page', 'a1', bytes(1), ROOMY);
      await store.appendDocUpdate('page', 'a1', bytes(2), ROOMY);
      await store.appendDocUpdate('shared', 'shared', bytes(3), ROOMY);
      const after = byId(await store.load(['page'], 'tree'));
      expect(after.page).toEqual({ ...before.page, edits: 2 });
      expect(after.shared).toEqual({ ...before.shared, edits: 1 });
      expect(after.a1).toEqual(before.a1);
      expect(before.page.edits).toBeUndefined();
      expect(await store.pageState('page')).toMatchObject({
        versions: { page: 0, shared: 0 },
        docs: { page: 2, shared: 1 },
      });
    });

    it('reads a page with its ETag, and without records when the ETag is the known one', async () => {
      await seedPage();
      expect(await store.readPage('a')).toBeNull();
      expect(await store.readPage('missing', 'W/"x"')).toBeNull();
      const first = await store.readPage('page');
      if (!first?.records) throw new Error('the first read must carry the records');
      expect(first.records).toEqual(await store.load(['page'], 'tree'));
      expect(first.fields).toEqual({ 'm:session': '"s1"' });
      // the store computes the same tag as the REST layer does from records
      expect(first.etag).toBe(revisionEtag(revisionOf(first.records)));
      expect(first.etag).toMatch(/^W\/"[0-9a-f]{16}"$/);
      expect(await store.readPage('page', first.etag)).toEqual({
        etag: first.etag,
        fields: first.fields,
      });

      const etags = new Set([first.etag]);
      const expectNewRevision = async () => {
        const read = await store.readPage('page', first.etag);
        if (!read?.records) throw new Error('a changed page must be read whole');
        expect(read.etag).toBe(revisionEtag(revisionOf(read.records)));
        expect(etags.has(read.etag)).toBe(false);
        etags.add(read.etag);
        expect(await store.readPage('page', read.etag)).not.toHaveProperty('records');
      };
      await store.commit({ ops: [], bump: ['page'] });
      await expectNewRevision();
      await store.commit({ ops: [], bump: ['shared'] });
      await expectNewRevision();
      await store.appendDocUpdate('page', 'a1', bytes(1), ROOMY);
      await expectNewRevision();
      await store.commit({
        ops: [
          { op: 'create', home: 'other', component: component('other', { scope: true }) },
          { op: 'insert', home: 'page', id: 'page', child: 'other', index: -1 },
        ],
        bump: [],
      });
      await expectNewRevision();
    });

    it('gives a lease to one owner at a time until it expires or is released', async () => {
      expect(await store.acquireLease('clock', 'r1', 5000)).toBe(true);
      expect(await store.acquireLease('clock', 'r2', 5000)).toBe(false);
      expect(await store.acquireLease('clock', 'r1', 5000)).toBe(true);
      await store.releaseLease('clock', 'r2');
      expect(await store.acquireLease('clock', 'r2', 5000)).toBe(false);
      await store.releaseLease('clock', 'r1');
      expect(await store.acquireLease('clock', 'r2', 100)).toBe(true);
      await new Promise((r) => setTimeout(r, 250));
      expect(await store.acquireLease('clock', 'r1', 100)).toBe(true);
    });

    describe('per-user and per-tab storage', () => {
      const later = () => Date.now() + 60_000;
      const user = { session: 's1' };
      const tab = { session: 's1', tab: 't1' };

      it('keeps JSON texts per owner, apart from other owners', async () => {
        expect(await store.storageSet(user, 'theme', '"dark"', 1000, later())).toBe(true);
        expect(await store.storageSet(tab, 'theme', '"light"', 1000, later())).toBe(true);
        expect(await store.storageSet({ session: 's1', tab: 't2' }, 'n', '2', 1000, later())).toBe(
          true,
        );
        expect(await store.storageGet(user, 'theme', later())).toBe('"dark"');
        expect(await store.storageGet(tab, 'theme', later())).toBe('"light"');
        expect(await store.storageGet(tab, 'n', later())).toBeNull();
        // another session does not see the tab's storage under the same tab id
        expect(await store.storageGet({ session: 's2', tab: 't1' }, 'theme', later())).toBeNull();
        expect(await store.storageGet({ session: 's2' }, 'theme', later())).toBeNull();
        expect(await store.storageGetAll(tab, later())).toEqual({ theme: '"light"' });
        await store.storageSet(user, 'draft', '{"a":[1,2]}', 1000, later());
        expect(await store.storageGetAll(user, later())).toEqual({
          theme: '"dark"',
          draft: '{"a":[1,2]}',
        });
        await store.storageDelete(user, 'theme', later());
        await store.storageDelete(user, 'missing', later());
        expect(await store.storageGetAll(user, later())).toEqual({ draft: '{"a":[1,2]}' });
        await store.storageDrop(user);
        expect(await store.storageGetAll(user, later())).toEqual({});
        expect(await store.storageGet(tab, 'theme', later())).toBe('"light"');
      });

      it('refuses a write that would take the owner past its bytes, storing nothing', async () => {
        // each entry counts its key and its text: 'a' + 10 = 11 bytes
        const ten = '"' + 'x'.repeat(8) + '"';
        expect(await store.storageSet(user, 'a', ten, 30, later())).toBe(true);
        expect(await store.storageSet(user, 'b', ten, 30, later())).toBe(true);
        expect(await store.storageSet(user, 'c', ten, 30, later())).toBe(false);
        expect(await store.storageGet(user, 'c', later())).toBeNull();
        // replacing a value counts the new size instead of the old one
        const eighteen = '"' + 'y'.repeat(16) + '"';
        expect(await store.storageSet(user, 'a', eighteen, 30, later())).toBe(true);
        expect(await store.storageSet(user, 'a', eighteen + ' ', 30, later())).toBe(false);
        expect(await store.storageGet(user, 'a', later())).toBe(eighteen);
        // what a delete gives back can be used again
        await store.storageDelete(user, 'b', later());
        expect(await store.storageSet(user, 'c', ten, 30, later())).toBe(true);
        expect(await store.storageGetAll(user, later())).toEqual({ a: eighteen, c: ten });
        // bytes are UTF-8 bytes: 'é' counts two
        expect(await store.storageSet(tab, 'k', '"éé"', 6, later())).toBe(false);
        expect(await store.storageSet(tab, 'k', '"éé"', 7, later())).toBe(true);
      });

      it('counts the owner’s bytes under writes at once', async () => {
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) =>
            store.storageSet(user, `k${i}`, '"' + 'z'.repeat(7) + '"', 50, later()),
          ),
        );
        // each entry is 2 or 3 bytes of key and 9 of text: 4 fit in 50 bytes
        expect(results.filter(Boolean)).toHaveLength(4);
        expect(Object.keys(await store.storageGetAll(user, later()))).toHaveLength(4);
      });

      it('expires an owner’s storage when a call says so, reads included', async () => {
        await store.storageSet(tab, 'draft', '"hi"', 1000, later());
        // a read moves the expiry: to a time past, the storage goes
        expect(await store.storageGet(tab, 'draft', Date.now() - 1)).toBeNull();
        expect(await store.storageGet(tab, 'draft', later())).toBeNull();
        await store.storageSet(tab, 'draft', '"again"', 1000, Date.now() + 300);
        await new Promise((r) => setTimeout(r, 600));
        expect(await store.storageGetAll(tab, later())).toEqual({});
        // an expired owner starts with nothing held: the whole budget is there again
        expect(await store.storageSet(tab, 'x', '"' + 'w'.repeat(20) + '"', 23, later())).toBe(
          true,
        );
      });
    });

    describe('page timers', () => {
      const tick = { page: 'page', timer: 't1', every: 1000, due: 5000 };
      const other = { page: 'other', timer: 't2', every: 200, due: 4000 };

      it('says which timers are due, earliest first, and keeps an armed one’s due time', async () => {
        await store.armTimers([tick, other]);
        await store.armTimers([{ ...tick, due: 1 }]); // already armed: stays at 5000
        expect(await store.dueTimers(3999, 10)).toEqual([]);
        expect(await store.dueTimers(5000, 10)).toEqual([other, tick]);
        expect(await store.dueTimers(5000, 1)).toEqual([other]);
        // another interval is another timer
        await store.armTimers([{ ...tick, every: 500, due: 100 }]);
        expect(await store.dueTimers(100, 10)).toEqual([{ ...tick, every: 500, due: 100 }]);
      });

      it('lets one caller claim each tick', async () => {
        await store.armTimers([tick]);
        const claims = await Promise.all([
          store.claimTimer(tick, 6000),
          store.claimTimer(tick, 6000),
          store.claimTimer(tick, 6000),
        ]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await store.dueTimers(5999, 10)).toEqual([]);
        expect(await store.dueTimers(6000, 10)).toEqual([{ ...tick, due: 6000 }]);
        expect(await store.claimTimer({ ...tick, due: 5000 }, 7000)).toBe(false); // stale
        await store.disarmTimer(tick);
        expect(await store.dueTimers(10_000, 10)).toEqual([]);
        expect(await store.claimTimer({ ...tick, due: 6000 }, 7000)).toBe(false);
      });

      it('sets a page’s timers aside until a tab wakes them, and drops them with the page', async () => {
        const second = { ...tick, timer: 't3' };
        await store.armTimers([tick, second, other]);
        await store.idleTimer(tick);
        await store.idleTimer({ ...second, due: 1 }); // moved since: not set aside
        expect(await store.dueTimers(10_000, 10)).toEqual([other, second]);
        await store.idleTimer(second);
        expect(await store.dueTimers(10_000, 10)).toEqual([other]);
        await store.wakeTimers('page', 9000);
        expect(await store.dueTimers(10_000, 10)).toEqual([
          other,
          { ...tick, due: 9000 },
          { ...second, due: 9000 },
        ]);
        await store.wakeTimers('page', 9500); // nothing idle any more
        expect(await store.dueTimers(9000, 10)).toHaveLength(3);
        await store.idleTimer(other);
        await store.dropIdleTimers('other');
        await store.wakeTimers('other', 9000);
        expect(await store.dueTimers(10_000, 10)).toHaveLength(2);
      });
    });
  });
}
