import { Redis } from 'ioredis';
import { RedisStore } from '../../libs/pushpage/src/store/redis/redis-store';
import { DOC_FULL, NewStoredComponent, StoreOp } from '../../libs/pushpage/src/store/store';
import { RedisServer } from '../support/redis-server';
import { storeContract } from './store.contract';

let server: RedisServer;
let run = 0;

beforeAll(async () => {
  server = await RedisServer.start();
});

afterAll(async () => {
  await server?.stop();
});

// Each test gets its own key prefix, so tests never see each other's keys.
storeContract('redis', async () => new RedisStore(server.client(), `test${++run}:`));

type StepCall = (...args: unknown[]) => Promise<unknown>;

const scopeRecord = (id: string, type: string): NewStoredComponent => ({
  id,
  type,
  parent: null,
  children: [],
  scope: true,
  fields: {},
});

/** A store holding a page and a board, with the mode of every step script it runs. */
async function pageAndBoard(prefix: string) {
  const client = server.client();
  const store = new RedisStore(client, prefix);
  await store.commit({
    ops: [
      { op: 'create', home: 'page', component: scopeRecord('page', 'WebPage') },
      { op: 'create', home: 'board', component: scopeRecord('board', 'Div') },
    ],
    bump: [],
  });
  const steps = client as unknown as { ppStep: StepCall };
  const real = steps.ppStep.bind(client);
  const modes: unknown[] = [];
  steps.ppStep = (...args) => {
    modes.push(args[5]); // after the five keys
    return real(...args);
  };
  const stop = async () => {
    steps.ppStep = real;
    await store.close();
  };
  return { store, modes, stop };
}

describe('the redis store, when a replica dies between the scopes of one commit', () => {
  it('finishes the commit when the event is sent again, and never applies a scope twice', async () => {
    const client = server.client();
    const store = new RedisStore(client, 'crash:');
    const div = (id: string, scope = false) => ({
      id,
      type: scope ? 'WebPage' : 'Div',
      parent: null,
      children: [],
      scope,
      fields: {},
    });
    await store.commit({
      ops: [
        { op: 'create', home: 'page', component: div('page', true) },
        { op: 'create', home: 'board', component: { ...div('board', true), type: 'Div' } },
      ],
      bump: [],
    });
    expect(await store.beginEvent('page', 'e1', 'r1', 5000)).toBe('run');

    // the step on the second scope never reaches Redis: the replica "dies" after the first
    const steps = client as unknown as { ppStep: StepCall };
    const real = steps.ppStep.bind(client);
    let calls = 0;
    steps.ppStep = (...args) => {
      calls += 1;
      return calls === 2 ? Promise.reject(new Error('connection lost')) : real(...args);
    };
    const commit = store.commit({
      ops: [
        { op: 'set', home: 'page', id: 'page', field: 'p:text', value: '"sent"' },
        { op: 'create', home: 'board', component: div('m1') },
        { op: 'insert', home: 'board', id: 'board', child: 'm1', index: 0 },
      ],
      bump: ['page', 'board'],
      receipt: { scope: 'page', eventId: 'e1', owner: 'r1', doneTtlMs: 60_000 },
    });
    await expect(commit).rejects.toMatchObject({ code: 'unavailable' });
    steps.ppStep = real;
    expect((await store.load(['board'], 'page'))[0].children).toEqual([]);

    // the tab sends the event again, to any replica: it is done, and its rest is applied
    expect(await store.beginEvent('page', 'e1', 'r2', 5000)).toBe('done');
    const [board] = await store.load(['board'], 'page');
    expect([board.children, board.version]).toEqual([['m1'], 1]);
    expect(await store.beginEvent('page', 'e1', 'r3', 5000)).toBe('done');
    expect((await store.load(['board'], 'page'))[0].version).toBe(1);
    const [page] = await store.load(['page'], 'self');
    expect([page.fields['p:text'], page.version]).toEqual(['"sent"', 1]);
    await store.close();
  });
});

describe('the redis store, inserting into a scope the commit did not read', () => {
  it('checks its child limit in a step of its own only when the writer is near it or did not count', async () => {
    const { store, modes, stop } = await pageAndBoard('limit:');
    let n = 0;
    const post = async (childrenAfter?: number) => {
      modes.length = 0;
      const child = `m${++n}`;
      const insert = { op: 'insert' as const, home: 'board', id: 'board', child, index: 0 };
      const result = await store.commit({
        ops: [
          { op: 'set', home: 'page', id: 'page', field: 'p:text', value: '""' },
          {
            op: 'create',
            home: 'board',
            component: { ...scopeRecord(child, 'Div'), scope: false },
          },
          childrenAfter === undefined ? insert : { ...insert, childrenAfter },
        ],
        bump: ['page', 'board'],
        expect: { page: n - 1 },
        maxChildren: 2000,
      });
      expect(result.ok).toBe(true);
      return [...modes];
    };
    expect(await post(1)).toEqual(['main', 'part']);
    expect(await post()).toEqual(['check', 'main', 'part']);
    expect(await post(1001)).toEqual(['check', 'main', 'part']);
    expect(await post(1000)).toEqual(['main', 'part']);
    await stop();
  });
});

describe('the redis store, writing into a scope the commit did not read', () => {
  it('checks its byte budget in a step of its own only when the writer is near it or did not count', async () => {
    const { store, modes, stop } = await pageAndBoard('bytes:');
    let n = 0;
    const budget = 16 * 1024; // its slack is 4 KiB
    const post = async (knownBytes: number | undefined, text = 'hi') => {
      modes.length = 0;
      const result = await store.commit({
        ops: [
          { op: 'set', home: 'page', id: 'page', field: 'p:text', value: `"${++n}"` },
          { op: 'set', home: 'board', id: 'board', field: 'p:text', value: JSON.stringify(text) },
        ],
        bump: ['page', 'board'],
        expect: { page: n - 1 },
        maxScopeBytes: budget,
        knownBytes: knownBytes === undefined ? undefined : { board: knownBytes },
      });
      return { result, modes: [...modes] };
    };
    expect(await post(0)).toMatchObject({ result: { ok: true }, modes: ['main', 'part'] });
    expect(await post(undefined)).toMatchObject({ modes: ['check', 'main', 'part'] });
    expect(await post(12 * 1024)).toMatchObject({ modes: ['check', 'main', 'part'] });
    // near the budget, the check refuses what the board's own step could not (it is decided)
    expect(await post(12 * 1024, 'x'.repeat(budget))).toEqual({
      result: { ok: false, tooLarge: 'board' },
      modes: ['check'],
    });
    n -= 1;
    // others filled the board past the budget since this writer loaded it: a writer far
    // below by its count skips the check, and the decided part applies whatever its size
    // (why the slack is a quarter of the budget); one that checks is refused
    await store.commit({
      ops: [{ op: 'set', home: 'board', id: 'board', field: 'p:big', value: 'x'.repeat(budget) }],
      bump: [],
    });
    expect(await post(0, 'hi!')).toMatchObject({ result: { ok: true }, modes: ['main', 'part'] });
    expect(await post(undefined, 'hi!!')).toEqual({
      result: { ok: false, tooLarge: 'board' },
      modes: ['check'],
    });
    await stop();
  });

  it('counts a scope stored before the byte count was kept once, from its fields', async () => {
    const client = server.client();
    const store = new RedisStore(client, 'legacy:');
    const div = (id: string, fields: Record<string, string> = {}) => ({
      id,
      type: 'Div',
      parent: id === 'board' ? null : 'board',
      children: [],
      scope: id === 'board',
      fields,
    });
    await store.commit({
      ops: [
        { op: 'create', home: 'board', component: { ...div('board'), children: ['m1'] } },
        { op: 'create', home: 'board', component: div('m1', { 'p:text': '"first"' }) },
      ],
      bump: [],
    });
    const counted = (await store.load(['board'], 'self'))[0].bytes;
    await client.hdel('legacy:{board}', 'b');
    expect((await store.load(['board'], 'self'))[0].bytes).toBeUndefined();
    const result = await store.commit({
      ops: [{ op: 'set', home: 'board', id: 'm1', field: 'p:text', value: '"second"' }],
      bump: [],
    });
    expect(result).toMatchObject({ ok: true, bytes: { board: (counted ?? 0) + 1 } });
    expect((await store.load(['board'], 'self'))[0].bytes).toBe((counted ?? 0) + 1);
    await store.close();
  });
});

describe('the redis store, counting the commands a commit runs', () => {
  /** Every command Redis ran for `run`, those of scripts too, but not the scripts themselves. */
  async function commandsOf(client: Redis, run: () => Promise<unknown>): Promise<number> {
    await client.config('RESETSTAT');
    await run();
    const stats = await client.info('commandstats');
    let calls = 0;
    for (const [, name, count] of stats.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm))
      if (!/^(config|info|evalsha|eval|script)\b/.test(name)) calls += Number(count);
    return calls;
  }

  const div = (id: string, children: string[] = [], type = 'Div'): NewStoredComponent => ({
    id,
    type,
    parent: null,
    children,
    scope: type !== 'Div',
    fields: { 'p:classes': '"m-2"' },
  });

  /** `n` messages on a board: a row of three new components each, inserted at the top */
  const messages = (n: number, tag: string): StoreOp[] =>
    Array.from({ length: n }, (_, i): StoreOp[] => {
      const row = `${tag}${i}`;
      const parts = ['icon', 'time', 'text'].map((part) => `${row}-${part}`);
      return [
        { op: 'create', home: 'board', component: div(row, parts) },
        ...parts.map((id): StoreOp => ({ op: 'create', home: 'board', component: div(id) })),
        { op: 'insert', home: 'board', id: 'board', child: row, index: 0 },
      ];
    }).flat();

  /** a new page of `n` components, the first holding the board */
  const newPage = (id: string, n: number): StoreOp[] => {
    const ids = Array.from({ length: n }, (_, i) => `${id}-${i}`);
    return [
      { op: 'create', home: id, component: div(id, ids, 'WebPage') },
      ...ids.map((child, i): StoreOp => ({
        op: 'create',
        home: id,
        component: div(child, i === 0 ? ['board'] : []),
      })),
    ];
  };

  it('writes each hash of a scope once, however many operations the commit has on it', async () => {
    const client = server.client();
    const store = new RedisStore(client, 'count:');
    try {
      await store.commit({
        ops: [{ op: 'create', home: 'board', component: div('board', [], 'Board') }],
        bump: [],
      });
      const post = (n: number, tag: string) =>
        commandsOf(client, () =>
          store.commit({
            ops: messages(n, tag),
            bump: ['board'],
            maxChildren: 1000,
            log: [{ scope: 'board', body: '{"o":[]}' }],
          }),
        );
      // the head read with the checks, one read of the inside fields the commit writes (the
      // sizes they replace, for the byte count), one write of each hash, the catch-up log
      expect(await post(1, 'a')).toBe(5);
      expect(await post(10, 'b')).toBe(5);
      expect((await store.load(['board'], 'page'))[0].children).toHaveLength(11);

      // a deleted head, its write, the inside's write, and one read more: whether the board
      // (a child not created by the commit) is a scope
      const create = (id: string, n: number) =>
        commandsOf(client, () => store.commit({ ops: newPage(id, n), bump: [] }));
      expect(await create('p1', 2)).toBe(5);
      expect(await create('p2', 20)).toBe(5);
      expect(Object.keys((await store.pageState('p2'))?.versions ?? {}).sort()).toEqual([
        'board',
        'p2',
      ]);
    } finally {
      await store.close();
    }
  });
});

describe('the redis store, with a document log stored before logs had a byte count', () => {
  it('counts the log once, at its next append, and keeps the budget from then on', async () => {
    const client = server.client();
    const store = new RedisStore(client, 'legacy:');
    try {
      await store.commit({
        ops: [
          {
            op: 'create',
            home: 'page',
            component: {
              id: 'page',
              type: 'WebPage',
              parent: null,
              children: [],
              scope: true,
              fields: {},
            },
          },
        ],
        bump: [],
      });
      // 8 bytes written as an earlier version did: the list, and no count beside it
      await client.rpush(
        'legacy:{page}:doc:page',
        Buffer.from([1, 2, 3, 4]),
        Buffer.from([5, 6, 7, 8]),
      );
      expect(await store.appendDocUpdate('page', 'page', Uint8Array.from([9, 9, 9]), 10)).toBe(
        DOC_FULL,
      );
      expect(await store.appendDocUpdate('page', 'page', Uint8Array.from([9, 9]), 10)).toBe(3);
      expect(await client.hget('legacy:{page}', 'db')).toBe('10');
      expect(await store.appendDocUpdate('page', 'page', Uint8Array.from([9]), 10)).toBe(DOC_FULL);
    } finally {
      await store.close();
    }
  });
});
