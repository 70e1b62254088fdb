/**
 * Rows that stream into a table from a task (`PushpageTasks.run`): each batch the task adds
 * reaches a tab as one `push` of those rows, a row it corrects as one `put` of that row, and
 * the tab's copy of the rows stays the one the store holds, with the memory store and with
 * Redis.
 */
import 'reflect-metadata';
import { DynamicModule, Injectable, Module } from '@nestjs/common';
import {
  defineShared,
  PageRenderer,
  PageRequest,
  PageRoute,
  PushpageModule,
  PushpageTasks,
  QTable,
  QuasarPage,
  ScopePatch,
  TaskContext,
  WebPage,
} from '../../libs/pushpage/src';
import { createTestingApp, TestingApp } from '../../libs/pushpage/src/testing';
import { UnitOfWork } from '../../libs/pushpage/src/engine/unit-of-work';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import { NodeTab } from '../support/node-tab';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

interface Reading {
  id: number;
  sensor: string;
  celsius: number;
}

const FIRST: Reading = { id: 0, sensor: 'boiler', celsius: 20 };

const READINGS = defineShared('test:table-stream', () => {
  const wp = new QuasarPage<{ table: QTable<Reading> }>();
  wp.data.table = new QTable<Reading>({
    rowKey: 'id',
    rows: [FIRST],
    selection: 'multiple',
    selected: [0],
    parent: wp,
  });
  return wp;
});

@Injectable()
@PageRoute('/readings')
class ReadingsPage implements PageRenderer {
  render(req: PageRequest): Promise<WebPage> {
    return req.shared(READINGS);
  }
}

@Injectable()
class Feed {
  constructor(private readonly tasks: PushpageTasks) {}

  /** Runs a task that adds each batch in a commit of its own, then corrects one reading. */
  stream(batches: Reading[][], keepLast: number, corrected: Reading): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tasks.run(
        async (ctx: TaskContext) => {
          try {
            // a transaction reads the rows as stored, so the push lands where tabs expect it
            for (const batch of batches)
              await ctx.transaction(async (tx) => {
                (await tx.shared(READINGS)).data.table.addRows(batch, { keepLast });
              });
            await ctx.refresh();
            const page = await ctx.shared(READINGS);
            page.data.table.updateRow(corrected);
            await page.update();
            resolve();
          } catch (error) {
            reject(error as Error);
          }
        },
        { name: 'readings' },
      );
    });
  }
}

function appModule(redisUrl?: string): DynamicModule {
  @Module({})
  class TableStreamModule {}
  return {
    module: TableStreamModule,
    imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789', redisUrl })],
    providers: [ReadingsPage, Feed],
  };
}

const reading = (id: number, celsius: number): Reading => ({ id, sensor: 'boiler', celsius });

describe.each(['memory', 'redis'])('rows streamed into a table from a task, %s store', (kind) => {
  let redis: RedisServer | undefined;
  let testing: TestingApp;
  let tab: NodeTab | undefined;

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
    testing = await createTestingApp(appModule(redis?.url), { logger: ['error'] });
  });
  afterAll(async () => {
    tab?.close();
    await testing?.close();
    await redis?.stop();
  });

  it('reaches a tab as pushes of the new rows and a put of the row corrected', async () => {
    const url = testing.url.replace('[::1]', '127.0.0.1');
    tab = await NodeTab.open(url, '/readings');
    const patches: ScopePatch[] = [];
    tab.socket.on('patch', (patch: ScopePatch) => patches.push(patch));
    const table = tab.nodeId((node) => node.t === 'q-table');

    const batches = [
      [reading(1, 21), reading(2, 22)],
      [reading(3, 23), reading(4, 24)],
      [reading(5, 25), reading(6, 26)],
    ];
    const corrected = reading(4, 24.5);
    await testing.app.get(Feed).stream(batches, 5, corrected);
    await waitFor('the correction to reach the tab', () =>
      patches.some((patch) => patch.o.some((op) => op[0] === 'put')),
    );

    const ops = patches.flatMap((patch) => patch.o);
    expect(ops).toEqual([
      ['push', table, 'rows', [], batches[0], 5],
      ['push', table, 'rows', [], batches[1], 5],
      // 0 and 1 drop out of the window, and so does the selected 0
      ['push', table, 'rows', [], batches[2], 5],
      ['set', table, 'value', []],
      // 4 is the third of the five rows left
      ['put', table, 'rows', [2], corrected],
    ]);

    const store = testing.app.get<PushpageStore>(PUSHPAGE_STORE);
    const stored = (await new UnitOfWork(store, null).shared(READINGS)).data.table;
    expect(stored.rows).toEqual([
      reading(2, 22),
      reading(3, 23),
      corrected,
      reading(5, 25),
      reading(6, 26),
    ]);
    expect(stored.value).toEqual([]);
    // the tab's own copy, made from the snapshot and the small ops alone
    expect(tab.tree.nodes.get(table)?.p).toMatchObject({ rows: stored.rows, value: [] });
    expect(tab.errors).toEqual([]);
  });
});
