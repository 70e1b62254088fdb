import { Injectable } from '@nestjs/common';
import {
  defineShared,
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRequest,
  PageRoute,
  QBadge,
  QBtn,
  QCard,
  QCheckbox,
  QComponent,
  QIcon,
  QInput,
  QRadio,
  QSelect,
  QSlider,
  QTable,
  QToggle,
  QuasarPage,
  WebPage,
} from 'pushpage';

const PRICES: Record<string, number> = { small: 8, medium: 11, large: 14 };
const CHEESE = 1.5;
const CRUSTS: [val: string, label: string, extra: number][] = [
  ['thin', 'Thin', 0],
  ['classic', 'Classic', 0],
  ['stuffed', 'Stuffed (+€2)', 2],
];

/** An order placed, as a row of the orders table. */
interface OrderRow {
  id: number;
  who: string;
  pizza: string;
  /** The total as shown, `€13.00`. */
  total: string;
  /** The total in euros (no column shows it). */
  euros: number;
  status: 'placed' | 'delivered';
}

/** What the order page keeps: its controls, and where the price and orders go. */
interface OrderForm {
  name: QInput;
  size: QSelect;
  quantity: QSlider;
  cheese: QToggle;
  /** One radio of the crust group: each holds the group's value. */
  crust: QRadio;
  napkins: QCheckbox;
  total: QBadge;
  summary: Div;
  orders: Div;
  table: QTable<OrderRow>;
  shown: Div;
  picked: Div;
  [key: string]: unknown;
}

function crustOf(form: OrderForm): string {
  return String(form.crust.value ?? 'classic');
}

function priceOf(form: OrderForm): number {
  const crust = CRUSTS.find(([val]) => val === crustOf(form))?.[2] ?? 0;
  const each = (PRICES[String(form.size.value)] ?? 0) + (form.cheese.value ? CHEESE : 0) + crust;
  return each * form.quantity.value;
}

/** The pizza as the order list names it: `3 × large + cheese`, `1 × small, stuffed crust`. */
function pizzaOf(form: OrderForm): string {
  const crust = crustOf(form);
  return (
    `${form.quantity.value} × ${String(form.size.value)}` +
    `${crust === 'classic' ? '' : `, ${crust} crust`}${form.cheese.value ? ' + cheese' : ''}`
  );
}

/** The total and the line that sums the order up, from the controls' values. */
function reprice(form: OrderForm): void {
  const price = `€${priceOf(form).toFixed(2)}`;
  form.total.label = price;
  form.summary.text =
    `${form.quantity.value} × ${String(form.size.value)}, ${crustOf(form)} crust` +
    `${form.cheese.value ? ' + cheese' : ''}${form.napkins.value ? ', extra napkins' : ''}: ${price}`;
}

/** Says which orders are selected, and what they come to. */
function showPicked(form: OrderForm): void {
  const selected = form.table.selected;
  const sum = selected.reduce((all, row) => all + row.euros, 0);
  form.picked.text =
    selected.length === 0
      ? 'No order selected.'
      : `${selected.length} ${selected.length === 1 ? 'order' : 'orders'} selected ` +
        `(${selected.map((row) => row.id).join(', ')}): €${sum.toFixed(2)}`;
}

/** A line of text under the table, where a handler answers. */
function lineBelow(wp: WebPage, id: string, text: string): Div {
  return new Div({
    text,
    classes: 'q-mt-sm q-mx-auto text-body2',
    style: 'max-width: 480px',
    attrs: { id },
    parent: wp,
  });
}

/**
 * `/quasar`: a small order form of Quasar components. Every control's value is kept on the
 * server, which prices the order as it changes; ordering adds a chip and a row to the table
 * of orders, clicking a row shows that order, ticking rows sums the orders selected, and
 * delivering them changes their rows (tabs get only those rows). `/quasar/shared` is the same form, one
 * for everybody: every tab, on any replica, edits one order together.
 */
@Injectable()
@PageRoute('/quasar', { title: 'Quasar components' })
export class QuasarDemoPage implements PageRenderer {
  render(): WebPage {
    return this.build('Quasar components');
  }

  /** The order page. */
  build(title: string): QuasarPage<OrderForm> {
    const wp = new QuasarPage<OrderForm>({ title, classes: 'q-pa-md' });
    const card = new QCard({
      bordered: true,
      classes: 'q-mx-auto',
      style: 'max-width: 480px',
      parent: wp,
    });
    const header = new QComponent({
      tag: 'q-card-section',
      classes: 'row items-center',
      parent: card,
    });
    new QIcon({ name: 'local_pizza', color: 'orange-8', size: '2em', parent: header });
    new Div({ text: 'Pizza order', classes: 'text-h6 q-ml-sm', parent: header });
    const total = new QBadge({
      label: '€0.00',
      color: 'teal',
      classes: 'q-ml-auto text-subtitle2',
      parent: header,
    });
    const body = new QComponent({ tag: 'q-card-section', classes: 'q-gutter-y-md', parent: card });
    const name = new QInput({
      label: 'Your name',
      outlined: true,
      dense: true,
      debounce: 300,
      parent: body,
    });
    const size = new QSelect({
      label: 'Size',
      outlined: true,
      dense: true,
      options: [
        { label: 'Small (€8)', value: 'small' },
        { label: 'Medium (€11)', value: 'medium' },
        { label: 'Large (€14)', value: 'large' },
      ],
      value: 'medium',
      change: this.reprice,
      parent: body,
    });
    new Div({ text: 'How many', classes: 'text-caption text-grey-8', parent: body });
    const quantity = new QSlider({
      min: 1,
      max: 10,
      value: 1,
      label: true,
      color: 'orange-8',
      change: this.reprice,
      parent: body,
    });
    const cheese = new QToggle({
      label: 'Extra cheese (+€1.50 each)',
      color: 'orange-8',
      change: this.reprice,
      parent: body,
    });
    const crusts = new Div({ classes: 'row items-center q-gutter-x-sm', parent: body });
    new Div({ text: 'Crust', classes: 'text-caption text-grey-8', parent: crusts });
    const crust = CRUSTS.map(
      ([val, label]) =>
        new QRadio({
          name: 'crust',
          val,
          label,
          value: 'classic',
          color: 'orange-8',
          change: this.reprice,
          parent: crusts,
        }),
    )[0];
    const napkins = new QCheckbox({
      label: 'Extra napkins',
      color: 'orange-8',
      change: this.reprice,
      parent: body,
    });
    const summary = new Div({
      classes: 'text-body2 text-grey-9',
      attrs: { id: 'order-summary' },
      parent: body,
    });
    const actions = new QComponent({
      tag: 'q-card-actions',
      props: { align: 'right' },
      parent: card,
    });
    new QBtn({
      label: 'Order',
      color: 'primary',
      icon: 'send',
      click: this.order,
      parent: actions,
    });
    const orders = new Div({ classes: 'q-mt-md q-mx-auto', style: 'max-width: 480px', parent: wp });
    const table = new QTable<OrderRow>({
      title: 'Orders placed',
      rowKey: 'id',
      columns: [
        { field: 'id', label: '#', align: 'left', sortable: true },
        { field: 'who', label: 'Who', align: 'left', sortable: true },
        { field: 'pizza', label: 'Pizza', align: 'left' },
        { field: 'total', label: 'Total', align: 'right' },
        { field: 'status', label: 'Status', align: 'left' },
      ],
      pagination: { rowsPerPage: 5, sortBy: 'id', descending: true },
      noDataLabel: 'No orders yet',
      selection: 'multiple',
      change: this.selectionChanged,
      flat: true,
      bordered: true,
      dense: true,
      props: { wrapCells: true },
      rowClick: this.showOrder,
      classes: 'q-mt-md q-mx-auto',
      style: 'max-width: 480px',
      parent: wp,
    });
    const below = new Div({
      classes: 'row justify-end q-mt-sm q-mx-auto',
      style: 'max-width: 480px',
      parent: wp,
    });
    new QBtn({
      label: 'Deliver selected',
      color: 'teal',
      icon: 'local_shipping',
      props: { flat: true, dense: true },
      click: this.deliver,
      parent: below,
    });
    const shown = lineBelow(wp, 'order-shown', 'Click an order to see it here.');
    const picked = lineBelow(wp, 'orders-selected', 'No order selected.');
    Object.assign(wp.data, { name, size, quantity, cheese, crust, napkins, total, summary });
    Object.assign(wp.data, { orders, table, shown, picked });
    reprice(wp.data as OrderForm);
    return wp;
  }

  readonly reprice = handler((_self: unknown, msg: EventMessage<OrderForm>) => {
    reprice(msg.page.data as OrderForm);
  });

  readonly order = handler((_self: QBtn, msg: EventMessage<OrderForm>) => {
    const form = msg.page.data as OrderForm;
    const who = form.name.value.trim() || 'Someone';
    const euros = priceOf(form);
    const total = `€${euros.toFixed(2)}`;
    const napkins = form.napkins.value ? ', extra napkins' : '';
    new QComponent({
      tag: 'q-chip',
      props: { icon: 'check', color: 'green-1', textColor: 'green-9' },
      text: `${who}: ${pizzaOf(form)}, ${total}${napkins}`,
      parent: form.orders,
    });
    const id = form.table.rows.reduce((last, row) => Math.max(last, row.id), 0) + 1;
    // tabs get the new row alone, not the table again
    form.table.addRows([
      { id, who, pizza: pizzaOf(form) + napkins, total, euros, status: 'placed' },
    ]);
    msg.client.notify(`Order ${id} placed`, { type: 'positive', caption: `${who}, ${total}` });
  });

  readonly selectionChanged = handler(
    (_self: QTable<OrderRow>, msg: EventMessage<OrderForm, 'change'>) => {
      showPicked(msg.page.data as OrderForm);
    },
  );

  /** Marks the selected orders delivered: tabs get each of those rows, not the table. */
  readonly deliver = handler((_self: QBtn, msg: EventMessage<OrderForm>) => {
    const form = msg.page.data as OrderForm;
    const selected = form.table.selected;
    for (const row of selected) form.table.updateRow({ ...row, status: 'delivered' });
    form.table.selected = [];
    showPicked(form);
    if (selected.length > 0)
      msg.client.notify(`${selected.length === 1 ? 'Order' : 'Orders'} delivered`, {
        type: 'positive',
        caption: selected.map((row) => row.id).join(', '),
      });
  });

  readonly showOrder = handler(
    (self: QTable<OrderRow>, msg: EventMessage<OrderForm, 'row-click', 'args'>) => {
      const row = self.clickedRow(msg);
      const form = msg.page.data as OrderForm;
      form.shown.text = row
        ? `Order ${row.id}: ${row.who}, ${row.pizza}, ${row.total}`
        : 'That order is gone.';
    },
  );
}

/** `/quasar/shared`: the order form of `/quasar`, one for everybody, on every replica. */
@Injectable()
@PageRoute('/quasar/shared', { title: 'A pizza order for everyone' })
export class SharedQuasarDemoPage implements PageRenderer {
  private readonly page = defineShared('demo:quasar', () =>
    this.orders.build('A pizza order for everyone'),
  );

  constructor(private readonly orders: QuasarDemoPage) {}

  render(req: PageRequest): Promise<WebPage> {
    return req.shared(this.page);
  }
}
