import { Injectable } from '@nestjs/common';
import {
  Div,
  EventMessage,
  handler,
  PageRenderer,
  PageRoute,
  QBadge,
  QBtn,
  QCard,
  QComponent,
  QIcon,
  QInput,
  QSelect,
  QSlider,
  QToggle,
  QuasarPage,
  WebPage,
} from 'pushpage';

const PRICES: Record<string, number> = { small: 8, medium: 11, large: 14 };
const CHEESE = 1.5;

/** What the order page keeps: its controls, and where the price and orders go. */
interface OrderForm {
  name: QInput;
  size: QSelect;
  quantity: QSlider;
  cheese: QToggle;
  total: QBadge;
  orders: Div;
  [key: string]: unknown;
}

function priceOf(form: OrderForm): number {
  const each = (PRICES[String(form.size.value)] ?? 0) + (form.cheese.value ? CHEESE : 0);
  return each * form.quantity.value;
}

/**
 * `/quasar`: a small order form of Quasar components. Every control's value is kept on the
 * server, which prices the order as it changes; ordering adds a chip to the list.
 */
@Injectable()
@PageRoute('/quasar', { title: 'Quasar components' })
export class QuasarDemoPage implements PageRenderer {
  render(): WebPage {
    const wp = new QuasarPage<OrderForm>({ title: 'Quasar components', classes: 'q-pa-md' });
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
    wp.data.name = name;
    wp.data.size = size;
    wp.data.quantity = quantity;
    wp.data.cheese = cheese;
    wp.data.total = total;
    wp.data.orders = orders;
    total.label = `€${priceOf(wp.data as OrderForm).toFixed(2)}`;
    return wp;
  }

  readonly reprice = handler((_self: unknown, msg: EventMessage<OrderForm>) => {
    const form = msg.page.data as OrderForm;
    form.total.label = `€${priceOf(form).toFixed(2)}`;
  });

  readonly order = handler((_self: QBtn, msg: EventMessage<OrderForm>) => {
    const form = msg.page.data as OrderForm;
    const who = form.name.value.trim() || 'Someone';
    const what = `${who}: ${form.quantity.value} × ${String(form.size.value)}${form.cheese.value ? ' + cheese' : ''}, €${priceOf(form).toFixed(2)}`;
    new QComponent({
      tag: 'q-chip',
      props: { icon: 'check', color: 'green-1', textColor: 'green-9' },
      text: what,
      parent: form.orders,
    });
  });
}
