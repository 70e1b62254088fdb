import { QTable, QuasarPage } from '../../../libs/pushpage/src';
import { ScopePatch } from '../../../libs/pushpage/src/engine/patch';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';

interface Order {
  id: number;
  who: string;
  status: string;
}

const ORDERS: Order[] = [
  { id: 1, who: 'Ada', status: 'placed' },
  { id: 2, who: 'Bob', status: 'placed' },
  { id: 3, who: 'Cy', status: 'placed' },
];

/**
 * A stored page with a table of ORDERS (1 and 3 selected), loaded again by a unit of work
 * whose commits are caught as a tab's socket would get them.
 */
async function storedTable() {
  const store = new MemoryStore();
  const page = new QuasarPage();
  new QTable<Order>({
    rowKey: 'id',
    rows: ORDERS,
    selection: 'multiple',
    selected: [1, 3],
    parent: page,
  });
  const first = new UnitOfWork(store, null);
  first.addPage(page, { session: 's' });
  await first.commitQuietly();
  const patches: ScopePatch[] = [];
  const work = new UnitOfWork(store, { publish: (sent) => void patches.push(...sent) });
  const loaded = (await work.loadPage(page.id)) as QuasarPage;
  const table = loaded.children[0] as QTable<Order>;
  /** The table as the store holds it now, read by another unit of work. */
  const reload = async () => {
    const fresh = (await new UnitOfWork(store, null).loadPage(page.id)) as QuasarPage;
    return fresh.children[0] as QTable<Order>;
  };
  const ops = () => patches.flatMap((patch) => patch.o);
  return { work, table, ops, reload };
}

describe('QTable row by row', () => {
  it('sends tabs only the row it updates, put at its index, and stores all the rows', async () => {
    const { work, table, ops, reload } = await storedTable();
    table.updateRow({ id: 2, who: 'Bob', status: 'delivered' });
    expect(table.rowByKey(2)).toEqual({ id: 2, who: 'Bob', status: 'delivered' });
    await work.flush();
    expect(ops()).toEqual([
      ['put', table.id, 'rows', [1], { id: 2, who: 'Bob', status: 'delivered' }],
    ]);
    const stored = await reload();
    expect(stored.rows).toEqual([ORDERS[0], { ...ORDERS[1], status: 'delivered' }, ORDERS[2]]);
    expect(stored.value).toEqual([1, 3]);
  });

  it('copies the row it is given, so a later change to it is neither kept nor sent', async () => {
    const { work, table, ops } = await storedTable();
    const row = { id: 3, who: 'Cy', status: 'baking' };
    table.updateRow(row);
    row.status = 'burnt';
    await work.flush();
    expect(table.rowByKey(3)?.status).toBe('baking');
    expect(ops()).toEqual([['put', table.id, 'rows', [2], { id: 3, who: 'Cy', status: 'baking' }]]);
  });

  it('refuses a row it does not have, or one without a key, and changes nothing', async () => {
    const { work, table, ops, reload } = await storedTable();
    // the key says which row: a row with a new key is not an update of another
    expect(() => table.updateRow({ id: 9, who: 'Bob', status: 'placed' })).toThrow(
      new TypeError(`QTable ${table.id} has no row with the id 9`),
    );
    expect(() => table.updateRow({ who: 'Bob' } as unknown as Order)).toThrow(
      /a row of QTable .* has no id/,
    );
    expect(() => table.updateRow({ id: '2', who: 'Bob' } as unknown as Order)).toThrow(
      /has no row with the id 2/,
    );
    await work.flush();
    expect(ops()).toEqual([]);
    expect((await reload()).rows).toEqual(ORDERS);
  });

  it('sends tabs only the rows it adds, as one push', async () => {
    const { work, table, ops, reload } = await storedTable();
    const added = [
      { id: 4, who: 'Di', status: 'placed' },
      { id: 5, who: 'Ed', status: 'placed' },
    ];
    table.addRows(added);
    await work.flush();
    expect(ops()).toEqual([['push', table.id, 'rows', [], added]]);
    expect((await reload()).rows).toEqual([...ORDERS, ...added]);
  });

  it('keeps the last rows asked for, and the selection of those still there', async () => {
    const { work, table, ops, reload } = await storedTable();
    const added = [{ id: 4, who: 'Di', status: 'placed' }];
    table.addRows(added, { keepLast: 2 });
    expect(table.rows.map((row) => row.id)).toEqual([3, 4]);
    expect(table.value).toEqual([3]);
    await work.flush();
    expect(ops()).toEqual([
      ['push', table.id, 'rows', [], added, 2],
      ['set', table.id, 'value', [3]],
    ]);
    const stored = await reload();
    expect(stored.rows.map((row) => row.id)).toEqual([3, 4]);
    expect(stored.selected).toEqual([ORDERS[2]]);
    // the ids dropped may come again
    stored.addRows([ORDERS[0]]);
    expect(stored.rows.map((row) => row.id)).toEqual([3, 4, 1]);
  });

  it('refuses rows whose keys it has, keys shared by new rows, and a bad keepLast', async () => {
    const { work, table, ops } = await storedTable();
    const di = { id: 4, who: 'Di', status: 'placed' };
    expect(() => table.addRows([di, { ...ORDERS[1], who: 'Mallory' }])).toThrow(
      new TypeError(`two rows of QTable ${table.id} have the id 2`),
    );
    expect(() => table.addRows([di, di])).toThrow(/two rows of QTable .* have the id 4/);
    expect(() => table.addRows([{ who: 'x' } as unknown as Order])).toThrow(/has no id/);
    for (const keepLast of [0, 1.5, -1])
      expect(() => table.addRows([di], { keepLast })).toThrow(/keepLast must be a whole number/);
    // nothing to add and nothing to drop: nothing sent
    table.addRows([]);
    table.addRows([], { keepLast: 3 });
    await work.flush();
    expect(ops()).toEqual([]);
    expect(table.rows).toEqual(ORDERS);
  });

  it('drops rows with keepLast even when adding none', async () => {
    const { work, table, ops } = await storedTable();
    table.addRows([], { keepLast: 1 });
    await work.flush();
    expect(ops()).toEqual([
      ['push', table.id, 'rows', [], [], 1],
      ['set', table.id, 'value', [3]],
    ]);
  });

  it('removes a row by its key, sending the rows whole, and unselects it', async () => {
    const { work, table, ops, reload } = await storedTable();
    table.removeRow(1);
    expect(() => table.removeRow(1)).toThrow(
      new TypeError(`QTable ${table.id} has no row with the id 1`),
    );
    await work.flush();
    expect(ops()).toEqual([
      ['set', table.id, 'rows', [ORDERS[1], ORDERS[2]]],
      ['set', table.id, 'value', [3]],
    ]);
    const stored = await reload();
    expect(stored.rows).toEqual([ORDERS[1], ORDERS[2]]);
    expect(stored.value).toEqual([3]);
  });

  it('puts each row updated in one commit at its own index', async () => {
    const { work, table, ops } = await storedTable();
    table.addRows([{ id: 4, who: 'Di', status: 'placed' }]);
    table.updateRow({ id: 4, who: 'Di', status: 'baking' });
    table.updateRow({ id: 1, who: 'Ada', status: 'baking' });
    await work.flush();
    expect(ops()).toEqual([
      ['push', table.id, 'rows', [], [{ id: 4, who: 'Di', status: 'placed' }]],
      ['put', table.id, 'rows', [3], { id: 4, who: 'Di', status: 'baking' }],
      ['put', table.id, 'rows', [0], { id: 1, who: 'Ada', status: 'baking' }],
    ]);
  });
});
