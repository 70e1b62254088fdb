import {
  ComponentData,
  Div,
  EventMessage,
  Form,
  formValues,
  handler,
  JsonValue,
  PushpageError,
  QCheckbox,
  QRadio,
  QTable,
  QToggle,
  QuasarPage,
} from '../../../libs/pushpage/src';
import {
  clientNodeOf,
  fromStored,
  toStoredComponent,
} from '../../../libs/pushpage/src/model/serialize';
import { componentClass } from '../../../libs/pushpage/src/model/registry';

/** What a tab's value does: accepted (the value), or refused (the error's code and text). */
function sent(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    return error instanceof PushpageError
      ? `${error.code}: ${error.message}`
      : `error: ${String(error)}`;
  }
}

interface Order {
  id: number;
  who: string;
  total: number;
}

const ORDERS: Order[] = [
  { id: 1, who: 'Ada', total: 11 },
  { id: 2, who: 'Bob', total: 14 },
  { id: 3, who: 'Cy', total: 8 },
];

/** The message of a `row-click` whose component event gave these arguments. */
function rowClick(args: JsonValue[]): EventMessage<ComponentData, 'row-click', 'args'> {
  return { event: { args } } as unknown as EventMessage<ComponentData, 'row-click', 'args'>;
}

describe('Quasar checkboxes, toggles and radios', () => {
  it('are registered under their names and render as their q- tags, sent on change', () => {
    for (const [type, ctor] of [
      ['QCheckbox', QCheckbox],
      ['QRadio', QRadio],
      ['QTable', QTable],
    ] as const)
      expect(componentClass(type)).toBe(ctor);
    const box = new QCheckbox({ label: 'Napkins', name: 'napkins', value: true });
    expect(clientNodeOf(box)).toMatchObject({
      t: 'q-checkbox',
      v: 'change',
      p: { label: 'Napkins', name: 'napkins', value: true },
    });
    const radio = new QRadio({ name: 'crust', val: 'thin', label: 'Thin' });
    expect(clientNodeOf(radio)).toMatchObject({
      t: 'q-radio',
      v: 'change',
      p: { name: 'crust', val: 'thin', label: 'Thin' },
    });
  });

  it('take true or false from a tab, and null only with toggleIndeterminate', () => {
    const box = new QCheckbox();
    expect(box.value).toBe(false);
    // sent as false: Quasar would show a missing value as indeterminate
    expect(clientNodeOf(box).p.value).toBe(false);
    expect(clientNodeOf(new QToggle()).p.value).toBe(false);
    expect(box.acceptValue(true)).toBe(true);
    expect(box.acceptValue(false)).toBe(false);
    expect(sent(() => box.acceptValue(null))).toBe(
      `bad-request: component ${box.id} takes true/false values`,
    );
    expect(sent(() => box.acceptValue('on'))).toMatch(/^bad-request: .* takes true\/false values/);

    const mixed = new QCheckbox({ toggleIndeterminate: true, value: null });
    expect(mixed.toggleIndeterminate).toBe(true);
    expect(clientNodeOf(mixed).p).toMatchObject({ toggleIndeterminate: true, value: null });
    expect(mixed.indeterminate).toBe(true);
    expect(mixed.acceptValue(null)).toBeNull();
    expect(mixed.acceptValue(true)).toBe(true);
    expect(sent(() => mixed.acceptValue(1))).toBe(
      `bad-request: component ${mixed.id} takes true/false/null values`,
    );

    const toggle = new QToggle();
    expect(sent(() => toggle.acceptValue(null))).toMatch(/takes true\/false values/);
    const threeWay = new QToggle({ toggleIndeterminate: true });
    expect(threeWay.acceptValue(null)).toBeNull();
    expect(sent(() => threeWay.acceptValue('null'))).toMatch(/takes true\/false\/null values/);
  });

  it('keep a radio group on one value, the chosen radio’s val, within its form', () => {
    const page = new QuasarPage();
    const form = new Form({ parent: page });
    const [thin, classic, stuffed] = ['thin', 'classic', 'stuffed'].map(
      (val) => new QRadio({ name: 'crust', val, value: 'classic', parent: form }),
    );
    const sauce = new QRadio({ name: 'sauce', val: 'tomato', parent: form });
    const elsewhere = new QRadio({ name: 'crust', val: 'thin', parent: page });
    expect([thin, classic, stuffed].map((r) => r.value)).toEqual(['classic', 'classic', 'classic']);
    expect(classic.checked).toBe(true);
    expect(formValues(form)).toEqual({ crust: 'classic', sauce: null });

    // a tab chooses a radio by sending its val, and only that
    expect(stuffed.acceptValue('stuffed')).toBe('stuffed');
    expect(sent(() => stuffed.acceptValue('thin'))).toBe(
      `bad-request: component ${stuffed.id} takes only its own val ("stuffed") as values`,
    );
    expect(sent(() => stuffed.acceptValue(null))).toMatch(/^bad-request: /);
    // the dispatcher's steps for a tab's value: set it, then let the group follow
    stuffed.value = 'stuffed';
    stuffed.valueApplied();
    expect([thin, classic, stuffed].map((r) => r.value)).toEqual(['stuffed', 'stuffed', 'stuffed']);
    expect([thin, classic, stuffed].map((r) => r.checked)).toEqual([false, false, true]);
    expect(sauce.value).toBeNull();
    expect(elsewhere.value).toBeNull(); // another group: outside the form
    expect(formValues(form)).toEqual({ crust: 'stuffed', sauce: null });

    // the server sets the group's value through any of its radios
    thin.checked = true;
    expect([thin, classic, stuffed].map((r) => r.value)).toEqual(['thin', 'thin', 'thin']);
    thin.checked = false;
    expect([thin, classic, stuffed].map((r) => r.value)).toEqual([null, null, null]);
    classic.value = 'classic';
    expect(stuffed.value).toBe('classic');

    // a radio joining the group takes its value
    const late = new QRadio({ name: 'crust', val: 'pan', parent: form });
    expect(late.value).toBe('classic');
    expect(() => new QRadio({ name: 'crust', val: Number.NaN })).toThrow(/finite number/);
  });
});

describe('QTable', () => {
  it('renders its typed rows and columns as Quasar props', () => {
    const table = new QTable<Order>({
      rowKey: 'id',
      rows: ORDERS,
      columns: [
        { field: 'who', label: 'Who' },
        { field: 'total', align: 'right' },
      ],
      title: 'Orders',
      selection: 'multiple',
      selected: [2],
      pagination: { rowsPerPage: 5, sortBy: 'total' },
    });
    expect(clientNodeOf(table)).toMatchObject({
      t: 'q-table',
      v: 'change',
      p: {
        rowKey: 'id',
        rows: ORDERS,
        columns: [
          { name: 'who', field: 'who', label: 'Who' },
          { name: 'total', field: 'total', label: 'total', align: 'right' },
        ],
        title: 'Orders',
        selection: 'multiple',
        pagination: { rowsPerPage: 5, sortBy: 'total' },
        value: [2],
      },
    });
    expect(table.selected).toEqual([ORDERS[1]]);
    expect(table.rowByKey(3)).toEqual(ORDERS[2]);
  });

  it('takes from a tab only keys of its own rows, one at most with single selection', () => {
    const several = new QTable<Order>({ rowKey: 'id', rows: ORDERS, selection: 'multiple' });
    expect(several.value).toEqual([]);
    expect(several.acceptValue([3, 1, 3])).toEqual([3, 1]);
    expect(sent(() => several.acceptValue([4]))).toBe(
      `bad-request: component ${several.id} takes keys of its own rows as values`,
    );
    expect(sent(() => several.acceptValue('1'))).toMatch(/takes row-key list values/);
    expect(sent(() => several.acceptValue(['1']))).toMatch(/keys of its own rows/);

    const one = new QTable<Order>({ rowKey: 'id', rows: ORDERS, selection: 'single' });
    expect(one.acceptValue([2])).toEqual([2]);
    expect(one.acceptValue([])).toEqual([]);
    expect(sent(() => one.acceptValue([1, 2]))).toMatch(/takes one row key at most as values/);

    const none = new QTable<Order>({ rowKey: 'id', rows: ORDERS });
    expect(sent(() => none.acceptValue([1]))).toBe(
      `bad-request: component ${none.id} takes no selection values`,
    );
  });

  it('keeps the selection to rows it still has, and refuses rows without a key of their own', () => {
    const table = new QTable<Order>({
      rowKey: 'id',
      rows: ORDERS,
      selection: 'multiple',
      selected: [1, 3],
    });
    table.rows = ORDERS.slice(0, 2);
    expect(table.value).toEqual([1]);
    table.selected = [ORDERS[1]];
    expect(table.value).toEqual([2]);
    expect(() => {
      table.rows = [ORDERS[0], { ...ORDERS[1], id: 1 }];
    }).toThrow(/two rows of QTable .* have the id 1/);
    expect(() => {
      table.rows = [{ who: 'x' } as unknown as Order];
    }).toThrow(/has no id/);
    expect(
      () => new QTable<Order>({ rowKey: 'id', columns: [{ field: 'who' }, { field: 'who' }] }),
    ).toThrow(/two columns/);
  });

  it('finds a clicked row among its own rows by the key the tab sent', () => {
    const table = new QTable<Order>({ rowKey: 'id', rows: ORDERS });
    // Quasar's row-click gives (event, row, index); the event travels as null
    expect(table.clickedRow(rowClick([null, { id: 2, who: 'Bob', total: 14 }, 1]))).toBe(
      table.rows[1],
    );
    // what the tab says about the row is not believed: the server's own row is given
    expect(table.clickedRow(rowClick([null, { id: 3, who: 'Mallory', total: 0 }, 0]))).toEqual(
      ORDERS[2],
    );
    expect(table.clickedRow(rowClick([null, { id: 9 }, 0]))).toBeUndefined();
    expect(table.clickedRow(rowClick([null, 'id', 0]))).toBeUndefined();
    expect(table.clickedRow(rowClick([]))).toBeUndefined();
  });

  it('binds its row-click handler asking for the event’s arguments, and survives a store round trip', () => {
    const clicked = handler(
      'QuasarChoicesSpec.rowClicked',
      (_self: QTable<Order>, _msg: EventMessage<ComponentData, 'row-click', 'args'>) => undefined,
    );
    const table = new QTable<Order>({
      rowKey: 'id',
      rows: ORDERS,
      selection: 'single',
      selected: [1],
      rowClick: clicked,
      parent: new Div(),
    });
    expect(table.handlerFor('row-click')).toBe('QuasarChoicesSpec.rowClicked');
    expect(table.eventPropertiesFor('row-click')).toEqual(['args']);
    expect(clientNodeOf(table)).toMatchObject({ e: ['row-click'], a: { 'row-click': ['args'] } });
    const loaded = fromStored(
      { ...toStoredComponent(table), children: [], version: 1 },
      null as never,
    ) as QTable<Order>;
    expect(loaded).toBeInstanceOf(QTable);
    expect(loaded.selected).toEqual([ORDERS[0]]);
    expect(loaded.acceptValue([3])).toEqual([3]);
  });
});
