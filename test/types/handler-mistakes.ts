/**
 * Handler references the compiler checks. Each mistake below is marked `@ts-expect-error`, so
 * `tsc` fails if it ever compiles again; the correct usages around them must compile. Type
 * checked by `npm run lint` (`tsc -p tsconfig.json` includes test/); never run. The package
 * test compiles a few of them against the published declarations too
 * (test/package/consumer-app/src/handler-checks.ts).
 */
import {
  A,
  Button,
  Checkbox,
  Component,
  ComponentData,
  ComponentOptions,
  Div,
  EventMessage,
  handler,
  Input,
  QBtn,
  QComponent,
  Form,
  Label,
  PageRenderer,
  PageRequest,
  PageRoute,
  QCheckbox,
  QInput,
  QRadio,
  QSlider,
  QTable,
  QToggle,
  QuasarPage,
  TaskContext,
  Textarea,
  WebPage,
} from '../../libs/pushpage/src';
import { Hello } from '../../apps/demo/components/hello';

type PageForm = { name: Input };

/** A component class of an app's own, as docs/library.md shows it. */
class Card<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Card';

  constructor(options: ComponentOptions<D, Card<D>> = {}) {
    super(options);
  }

  get title(): string {
    return (this.getProp('title') as string | undefined) ?? '';
  }
}

class Handlers {
  readonly send = handler((self: Button<{ message: Textarea }>, msg) => {
    self.data.message.value = msg.pageId;
  });
  readonly typed = handler((self: Textarea) => self.value.length);
  readonly onDiv = handler((self: Div) => void self.text);
  readonly anyComponent = handler((_self: unknown, msg: EventMessage<PageForm>) => {
    msg.page.data.name.value = '';
  });
  readonly key = handler(
    (_self: Input, msg: EventMessage<ComponentData, 'keydown'>) => msg.key === 'Enter',
  );
  readonly named = handler('test.named', (self: Button) => void self.text);
  readonly qInput = handler((self: QInput) => self.value);
  readonly onCard = handler((self: Card) => self.title);
  readonly wrongMessage = handler((_self: Button, msg: string) => msg);
  readonly shortcut = handler(
    (_self: Div, msg: EventMessage<ComponentData, 'keydown', 'key' | 'ctrlKey'>) =>
      msg.event.ctrlKey && msg.event.key === 'k',
  );
  readonly rowClicked = handler(
    (_self: QComponent, msg: EventMessage<ComponentData, 'row-click', 'args'>) => msg.event.args[1],
  );
  readonly onlyKey = handler((_self: Div, msg: EventMessage<ComponentData, string, 'key'>) => {
    const key: string = msg.event.key;
    // @ts-expect-error a property the handler did not ask for is not in msg.event
    return [key, msg.event.ctrlKey];
  });

  /** A method like a handler, but not declared with `handler()`. */
  method(self: Button): void {
    self.text = 'clicked';
  }
}

export function mistakes(h: Handlers): void {
  // A handler whose `self` is another component: a Textarea handler bound to a Button.
  // @ts-expect-error Button lacks Textarea's value
  new Button({ click: h.typed });
  // @ts-expect-error the same through on()
  new Button().on('click', h.typed);
  // @ts-expect-error and on a Quasar button, a QInput handler
  new QBtn({ click: h.qInput });
  // @ts-expect-error a handler for a button whose data holds a message, on a Div without it
  new Div<{ other: number }>({ click: h.send });
  // @ts-expect-error a handler of an app's own component on a Div, which has no title
  new Div({ click: h.onCard });
  // @ts-expect-error the data given contradicts what the handler reads
  new Button({ click: h.send, data: { other: 1 } });

  // A method (or any function) that is not a declared handler.
  // @ts-expect-error a plain method
  new Button({ click: h.method });
  // @ts-expect-error a plain method through on()
  new Button().on('click', h.method);
  // @ts-expect-error an arrow function
  new Button({ click: () => undefined });
  // @ts-expect-error a bound copy of a handler is a plain function
  new Button({ click: h.named.bind(h) });

  // A name that does not exist, or any name: names are not handlers.
  // @ts-expect-error a misspelt field
  new Button({ click: h.nmaed });
  // @ts-expect-error a string name
  new Button({ click: 'test.named' });
  // @ts-expect-error a string name through on()
  new Button().on('click', 'Handlers.named');

  // A handler whose `msg` does not fit the event.
  // @ts-expect-error a keydown handler bound to click
  new Input({ click: h.key });
  // @ts-expect-error the same through on()
  new Input().on('click', h.key);
  // @ts-expect-error a handler that takes no EventMessage
  new Button({ click: h.wrongMessage });
  // @ts-expect-error a keydown handler bound to another event by name
  new Input().on('dblclick', h.key);

  // Event properties: only known ones, and a handler gets what its binding asked for.
  // @ts-expect-error an unknown event property
  new Div().on('keydown', h.onDiv, { props: ['srcElement'] });
  // @ts-expect-error a handler reading ctrlKey, bound with key only
  new Div().on('keydown', h.shortcut, { props: ['key'] });
  // @ts-expect-error the same handler bound without asking for any property
  new Div().on('keydown', h.shortcut);
  // @ts-expect-error options cannot ask for properties, so a handler reading them does not fit
  new Div({ keydown: h.shortcut });
  // @ts-expect-error event names are text
  new Div().on(7, h.onDiv);
  // @ts-expect-error a throttle is a number of milliseconds, not text
  new Div().on('mousemove', h.onDiv, { throttle: '100' });
  // @ts-expect-error nor a duration object
  new Div().on('scroll', h.onDiv, { throttle: { ms: 100 } });
}

export function correct(h: Handlers): void {
  // the button's data type comes from the handler
  const send = new Button({ click: h.send });
  send.data.message = new Textarea();
  new Button<{ message: Textarea }>().on('click', h.send);
  new Textarea({ input: h.typed, change: h.typed });
  new Textarea().on('input', h.typed);
  // a handler for a base class fits its subclasses: a Div handler on a Hello
  new Hello({ click: h.onDiv });
  new Hello().on('click', h.onDiv);
  // a handler taking any component and the page's data, anywhere
  new Div({ click: h.anyComponent, mouseenter: h.anyComponent });
  new QBtn({ click: h.anyComponent });
  new QuasarPage<PageForm>({ click: h.anyComponent });
  new WebPage().on('submit', h.anyComponent);
  new Input({ keydown: h.key, keyup: h.anyComponent });
  new Input().on('keydown', h.key);
  new Button({ click: h.named, text: 'named' });
  new QInput({ change: h.qInput });
  new Card({ click: h.onCard, mouseleave: h.onDiv });
  new Card().on('click', h.onCard);
  // any event by name, with the properties its handler reads (or more)
  new Div().on('dblclick', h.onDiv).on('contextmenu', h.anyComponent);
  new Div().on('keydown', h.shortcut, { props: ['key', 'ctrlKey'] });
  new Div().on('keydown', h.shortcut, { props: ['ctrlKey', 'key', 'shiftKey'] });
  new Div().on('keypress', h.onlyKey, { props: ['key'] });
  new Div().on('drop', h.onDiv, { props: ['clientX', 'clientY', 'target.value'] });
  new QComponent({ tag: 'q-table' }).on('row-click', h.rowClicked, { props: ['args'] });
  new QInput().on('update:model-value', h.anyComponent, { props: ['args'] });
  // a throttle, with or without properties; 0 sends every event
  new Div().on('mousemove', h.onDiv, { props: ['offsetX', 'offsetY'], throttle: 200 });
  new Div().on('scroll', h.anyComponent, { throttle: 0 });
  // handlers are functions: a test may call one directly
  h.named(new Button(), {} as EventMessage);
}

/**
 * Client actions: arguments are checked against the action, and a call against the
 * functions the app declared in `ClientFunctions` (the demo declares `viewportSize` and
 * `greet`, see apps/demo/client/actions-client.ts).
 */
export async function clientActions(msg: EventMessage, ctx: TaskContext): Promise<void> {
  msg.client.notify('Saved', { type: 'positive', position: 'top', timeoutMs: 0 });
  msg.tabs.navigate('/clock');
  ctx.tabsOf(msg.page).setDark(true);
  const size: string = await msg.client.call('viewportSize');
  const greeting: string = await msg.client.callWithin(500, 'greet', 'Ann');
  void [size, greeting];
  msg.client.addHead({ tag: 'meta', name: 'description', content: 'a page' });
  msg.client.download({ content: new Uint8Array([1]), filename: 'a.bin' });

  // @ts-expect-error not a notification type
  msg.client.notify('Saved', { type: 'success' });
  // @ts-expect-error a number where text goes
  msg.tabs.notify(42);
  // @ts-expect-error dark mode is on or off
  msg.client.setDark('yes');
  // @ts-expect-error scroll to a component, not an id
  msg.client.scrollTo('c1');
  // @ts-expect-error a script is not a head tag
  msg.client.addHead({ tag: 'script', src: '/x.js' });
  // @ts-expect-error a link added to the head is a style sheet
  msg.client.addHead({ tag: 'link', rel: 'preload', href: '/x.css' });
  // @ts-expect-error content to download needs a file name
  msg.client.download({ content: 'text' });
  // @ts-expect-error every tab of a page cannot answer: no call on msg.tabs
  await msg.tabs.call('viewportSize');
  // @ts-expect-error no clipboard for every tab (the click that allows it was in one)
  msg.tabs.copy('text');
  // @ts-expect-error a function the app did not declare
  await msg.client.call('undeclared');
  // @ts-expect-error an argument of the wrong type
  await msg.client.call('greet', 42);
  // @ts-expect-error a missing argument
  await msg.client.call('greet');
  // @ts-expect-error the result has the declared type
  const wrong: number = await msg.client.call('viewportSize');
  void wrong;
}

/** Value bindings: a control binds only to what can hold its value. */
export function bindingMistakes(h: Handlers): void {
  const label = new Label();
  const page = new WebPage<{ name: string; volume: number }>();
  // @ts-expect-error a property the target does not have
  new Input().bindValue(label, 'title');
  // @ts-expect-error a property that cannot be assigned (a getter alone)
  new Input().bindValue(label, 'id');
  // @ts-expect-error a method is not a property
  new Input().bindValue(label, 'setClass');
  // @ts-expect-error text never renders unsanitized HTML, whatever a user types
  new Input().bindValue(label, 'unsafeInnerHtml');
  // @ts-expect-error a switch (true/false) bound to text
  new QToggle().bindValue(label, 'text');
  // @ts-expect-error a checkbox bound to text
  new Checkbox().bindValue(label, 'text');
  // @ts-expect-error text bound to a yes/no property
  new Input().bindValue(label, 'show');
  // @ts-expect-error a data key the target's data does not have
  new Input().bindData(page, 'age');
  // @ts-expect-error a number bound to a data key of text
  new QSlider().bindData(page, 'name');
  // @ts-expect-error a submit handler whose self is an input, on a form
  new Form({ submit: h.typed });
}

export function correctBindings(): void {
  const label = new Label();
  const page = new WebPage<{ name: string; volume: number }>();
  new Input().bindValue(label, 'text');
  new Textarea().bindValue(new Card(), 'classes');
  new QInput().bindValue(new A(), 'href');
  new QToggle().bindValue(label, 'show');
  new Checkbox().bindValue(label, 'show');
  new Input().bindData(page, 'name');
  new QSlider().bindData(page, 'volume');
}

interface Order {
  id: number;
  who: string;
  paid: boolean;
}

/** Quasar's choices and tables: value types that follow their options, rows typed. */
export function quasarChoices(): void {
  const label = new Label();
  const rowClicked = handler(
    (self: QTable<Order>, msg: EventMessage<ComponentData, 'row-click', 'args'>) =>
      self.clickedRow(msg)?.who,
  );
  const plain: boolean = new QCheckbox().value;
  const mixed: boolean | null = new QCheckbox({ toggleIndeterminate: true }).value;
  // @ts-expect-error a checkbox with the indeterminate state may hold null
  const notPlain: boolean = new QCheckbox({ toggleIndeterminate: true }).value;
  new QCheckbox().bindValue(label, 'show');
  // @ts-expect-error null cannot be bound to a yes/no property
  new QToggle({ toggleIndeterminate: true }).bindValue(label, 'show');
  const crust: string | number | null = new QRadio({ name: 'crust', val: 'thin' }).value;
  // @ts-expect-error a radio needs its group's name
  new QRadio({ val: 'thin' });
  const table = new QTable<Order>({
    rowKey: 'id',
    columns: [{ field: 'who' }],
    rowClick: rowClicked,
  });
  table.onRowClick(rowClicked);
  table.on('row-click', rowClicked, { props: ['args'] });
  // @ts-expect-error a row-click handler reading the arguments its binding did not ask for
  table.on('row-click', rowClicked);
  // @ts-expect-error a row key must be a field holding text or a number
  new QTable<Order>({ rowKey: 'paid' });
  // @ts-expect-error a column shows a field of the rows
  new QTable<Order>({ rowKey: 'id', columns: [{ field: 'price' }] });
  // @ts-expect-error rows of another shape
  new QTable<Order>({ rowKey: 'id', rows: [{ id: 1 }] });
  void [plain, mixed, notPlain, crust];
}

/** A page class whose `render` reads the parameters of another route pattern. */
class ReadsWho implements PageRenderer<'/greet/:who'> {
  render(req: PageRequest<'/greet/:who'>): WebPage {
    return new WebPage({ text: req.params.who });
  }
}

export function routeMistakes(req: PageRequest<'/greet/:name'>): void {
  // @ts-expect-error the route has :name, the page reads :who
  PageRoute('/greet/:name')(ReadsWho);
  PageRoute('/greet/:who')(ReadsWho);
  // @ts-expect-error a parameter the route does not have
  void req.params.who;
  void req.params.name;
}

/**
 * Per-user and per-tab storage, typed by what the app declared in `UserStorage` and
 * `TabStorage` (the demo declares `theme` and `draft`, see apps/demo/pages/storage.page.ts).
 */
export async function storageMistakes(msg: EventMessage, req: PageRequest): Promise<void> {
  const theme: 'light' | 'dark' | undefined = await msg.storage.user.get('theme');
  await msg.storage.user.set('theme', 'dark');
  await msg.storage.tab.set('draft', 'text');
  const draft: string | undefined = await req.storage.tab.get('draft');
  await req.storage.user.delete('theme');
  const all: { theme?: 'light' | 'dark' } = await msg.storage.user.getAll();
  // @ts-expect-error a key the app did not declare
  await msg.storage.user.get('colour');
  // @ts-expect-error a value of another type than the key's
  await msg.storage.user.set('theme', 'blue');
  // @ts-expect-error a tab's key in the session's storage
  await msg.storage.user.set('draft', 'text');
  // @ts-expect-error a value of another type than the key's
  await msg.storage.tab.set('draft', 42);
  // @ts-expect-error what is read has the key's type, not another
  const wrong: number | undefined = await msg.storage.tab.get('draft');
  // @ts-expect-error a key the app did not declare
  await msg.storage.tab.delete('theme');
  void [theme, draft, all, wrong];
}
