import {
  Button,
  Checkbox,
  defineShared,
  Div,
  EventMessage,
  Form,
  FormValue,
  handler,
  Input,
  Radio,
  WebPage,
} from '../../../libs/pushpage/src';
import { MemoryStore } from '../../../libs/pushpage/src/store/memory/memory-store';
import { EventDispatcher } from '../../../libs/pushpage/src/engine/event-dispatcher';
import { ScopePatch } from '../../../libs/pushpage/src/engine/patch';
import { UnitOfWork } from '../../../libs/pushpage/src/engine/unit-of-work';
import { registryOf } from '../../support/handler-registry';

const received: { form: Readonly<Record<string, FormValue>>; value?: FormValue }[] = [];

class FormHandlers {
  readonly submit = handler((_self: Form, msg: EventMessage) => {
    received.push({ form: msg.form });
  });

  readonly ticked = handler((self: Checkbox, msg: EventMessage) => {
    received.push({ form: msg.form, value: self.checked });
  });
}

/** Server-side changes to one end of a binding. */
class BindingHandlers {
  readonly retitle = handler((self: Button<{ heading: Div }>) => {
    self.data.heading.text = 'Set by the server';
  });

  readonly refill = handler((self: Button<{ field: Input }>) => {
    self.data.field.value = 'Filled by the server';
  });
}

const handlers = new FormHandlers();
const bindingHandlers = new BindingHandlers();
const registry = registryOf(handlers, bindingHandlers); // names the handlers, as an app's start does
const PREVIEW = defineShared('form-events:preview', () => new Div({ text: 'nobody yet' }));

async function setUp(build: (page: WebPage, uow: UnitOfWork) => Promise<void> | void) {
  const store = new MemoryStore();
  const patches: ScopePatch[] = [];
  const uow = new UnitOfWork(store, null);
  const page = new WebPage();
  await build(page, uow);
  uow.addPage(page, { session: 's' });
  await uow.commitQuietly();
  const dispatcher = new EventDispatcher(
    store,
    { publish: (sent) => void patches.push(...sent) },
    registry,
  );
  const send = (event: Record<string, unknown>) =>
    dispatcher.dispatch({ pageId: page.id, ...event }, { sessionId: 's', socketId: 'tab' });
  const reload = async () => {
    const fresh = new UnitOfWork(store, null);
    return (await fresh.loadPage(page.id)) as WebPage;
  };
  return { store, patches, page, send, reload };
}

beforeEach(() => (received.length = 0));

describe('form events', () => {
  it('delivers a checkbox’s checked state to its handler', async () => {
    let box!: Checkbox;
    const { send } = await setUp((page) => {
      box = new Checkbox({ name: 'agree', change: handlers.ticked, parent: page });
    });
    await send({ componentId: box.id, type: 'change', value: true });
    expect(received).toEqual([{ form: {}, value: true }]);
    await expect(send({ componentId: box.id, type: 'change', value: 'on' })).rejects.toMatchObject({
      code: 'bad-request',
    });
  });

  it('gives a submit handler the form’s values, typed text and choices included', async () => {
    let form!: Form;
    let name!: Input;
    let large!: Radio;
    const { send } = await setUp((page) => {
      form = new Form({ submit: handlers.submit, parent: page });
      name = new Input({ name: 'name', parent: form });
      new Radio({ name: 'size', choice: 's', checked: true, parent: form });
      large = new Radio({ name: 'size', choice: 'l', parent: form });
      new Checkbox({ name: 'agree', parent: form });
      new Button({ text: 'Send', parent: form });
    });
    await send({ componentId: large.id, type: 'change', value: true });
    await send({
      componentId: form.id,
      type: 'submit',
      values: [{ id: name.id, value: 'Ada' }],
    });
    expect(received).toEqual([{ form: { name: 'Ada', size: 'l', agree: false } }]);
  });

  it('sets the bound property when a tab types, with no handler, and pushes it', async () => {
    let input!: Input;
    let preview!: Div;
    const { send, reload, patches } = await setUp((page) => {
      preview = new Div({ text: 'nobody yet', parent: page });
      input = new Input({ parent: page }).bindValue(preview, 'text');
    });
    await send({ componentId: input.id, type: 'input', value: 'Ada' });
    const page = await reload();
    expect(page.children.map((c) => c.text)).toEqual(['Ada', '']);
    expect(patches.flatMap((p) => p.o)).toContainEqual(['set', preview.id, 'text', 'Ada']);
  });

  it('reaches a bound shared element, and a data key', async () => {
    let input!: Input;
    let shared!: Div;
    let page!: WebPage<{ name: string }>;
    const { send, store } = await setUp(async (p, uow) => {
      page = p as WebPage<{ name: string }>;
      shared = await uow.shared(PREVIEW);
      page.add(shared);
      input = new Input({ parent: page }).bindValue(shared, 'text');
      new Input({ attrs: { id: 'data' }, parent: page }).bindData(page, 'name');
    });
    await send({ componentId: input.id, type: 'input', value: 'Grace' });
    const fresh = new UnitOfWork(store, null);
    expect((await fresh.shared(PREVIEW)).text).toBe('Grace');
    const second = (await fresh.loadPage(page.id)) as WebPage<{ name: string }>;
    const dataInput = second.children.find((c) => c.attrs.id === 'data') as Input;
    await send({ componentId: dataInput.id, type: 'input', value: 'Hopper' });
    const third = (await new UnitOfWork(store, null).loadPage(page.id)) as WebPage<{
      name: string;
    }>;
    expect(third.data.name).toBe('Hopper');
  });

  it('changes nothing when the bound target refuses the value', async () => {
    const { A } = await import('../../../libs/pushpage/src');
    let input!: Input;
    const { send, reload } = await setUp((page) => {
      const link = new A({ href: '/start', parent: page });
      input = new Input({ parent: page }).bindValue(link, 'href');
    });
    await expect(
      send({ componentId: input.id, type: 'input', value: 'javascript:alert(1)' }),
    ).rejects.toMatchObject({ code: 'bad-request' });
    const page = await reload();
    expect([
      (page.children[0] as InstanceType<typeof A>).href,
      (page.children[1] as Input).value,
    ]).toEqual(['/start', '/start']);
  });

  describe('two-way bindings', () => {
    it('moves the bound control when a handler changes its target, in the store and in tabs', async () => {
      let field!: Input;
      let heading!: Div;
      let button!: Button<{ heading: Div }>;
      const { send, reload, patches } = await setUp((page) => {
        heading = new Div({ text: 'Type below', parent: page });
        field = new Input({ parent: page }).bindValue(heading, 'text');
        button = new Button<{ heading: Div }>({
          click: bindingHandlers.retitle,
          data: { heading },
          parent: page,
        });
      });
      expect(field.value).toBe('Type below'); // binding took the target's value
      await send({ componentId: button.id, type: 'click' });
      const page = await reload();
      expect((page.children[1] as Input).value).toBe('Set by the server');
      expect(patches.flatMap((p) => p.o)).toContainEqual([
        'set',
        field.id,
        'value',
        'Set by the server',
      ]);
    });

    it('moves the target when a handler sets the control’s value', async () => {
      let field!: Input;
      let button!: Button<{ field: Input }>;
      let page!: WebPage<{ name?: string }>;
      const { send, reload } = await setUp((p) => {
        page = p as WebPage<{ name?: string }>;
        field = new Input({ parent: page }).bindData(page, 'name');
        button = new Button<{ field: Input }>({
          click: bindingHandlers.refill,
          data: { field },
          parent: page,
        });
      });
      await send({ componentId: button.id, type: 'click' });
      expect(((await reload()) as WebPage<{ name?: string }>).data.name).toBe(
        'Filled by the server',
      );
    });

    it('sends the typing tab what its value moved, sparing it only its own value', async () => {
      let first!: Input;
      let second!: Input;
      let mirror!: Input;
      const { send, reload, patches } = await setUp((p) => {
        const page = p as WebPage<{ name?: string }>;
        first = new Input({ parent: page }).bindData(page, 'name');
        second = new Input({ parent: page }).bindData(page, 'name');
        mirror = new Input({ parent: page }).bindValue(second, 'value');
      });
      await send({ componentId: first.id, type: 'input', value: 'Ada' });
      const page = await reload();
      expect(page.children.map((c) => (c as Input).value)).toEqual(['Ada', 'Ada', 'Ada']);
      const [patch] = patches;
      // the typing tab skips the first `t` ops: its own value, and nothing it did not type
      expect(patch.src).toBe('tab');
      expect(patch.o.slice(0, patch.t)).toEqual([['set', first.id, 'value', 'Ada']]);
      expect(patch.o.slice(patch.t ?? 0)).toEqual(
        expect.arrayContaining([
          ['set', second.id, 'value', 'Ada'],
          ['set', mirror.id, 'value', 'Ada'],
        ]),
      );
    });

    it('ends a cycle of bindings once every value is in place', async () => {
      let a!: Input;
      let b!: Input;
      const { send, reload } = await setUp((page) => {
        a = new Input({ parent: page });
        b = new Input({ parent: page });
        a.bindValue(b, 'value');
        b.bindValue(a, 'value');
      });
      await send({ componentId: b.id, type: 'input', value: 'round' });
      const page = await reload();
      expect(page.children.map((c) => (c as Input).value)).toEqual(['round', 'round']);
    });

    it('leaves a control as it is when its target holds what it cannot', async () => {
      let short!: Input;
      let button!: Button<{ heading: Div }>;
      const { send, reload } = await setUp((page) => {
        const heading = new Div({ text: 'ok', parent: page });
        short = new Input({ maxLength: 5, parent: page }).bindValue(heading, 'text');
        button = new Button<{ heading: Div }>({
          click: bindingHandlers.retitle,
          data: { heading },
          parent: page,
        });
      });
      await send({ componentId: button.id, type: 'click' });
      const page = await reload();
      expect([page.children[0].text, (page.children[1] as Input).value]).toEqual([
        'Set by the server',
        'ok',
      ]);
      expect(short.binding).toBeDefined();
    });
  });
});
