import {
  Checkbox,
  Div,
  Fieldset,
  Form,
  formValues,
  Input,
  Label,
  Legend,
  Radio,
  Select,
  Td,
  Tr,
  Ul,
  WebPage,
} from '../../../libs/pushpage/src';
import {
  clientNodeOf,
  fromStored,
  toStoredComponent,
} from '../../../libs/pushpage/src/model/serialize';
import { componentClass } from '../../../libs/pushpage/src/model/registry';

describe('form components', () => {
  it('registers the form and common HTML elements under their names, with their tags', () => {
    for (const [type, tag] of [
      ['Form', 'form'],
      ['Label', 'label'],
      ['Fieldset', 'fieldset'],
      ['Legend', 'legend'],
      ['Checkbox', 'input'],
      ['Radio', 'input'],
      ['Ul', 'ul'],
      ['Li', 'li'],
      ['Table', 'table'],
      ['Tr', 'tr'],
      ['Td', 'td'],
      ['Th', 'th'],
      ['Section', 'section'],
      ['Strong', 'strong'],
      ['Hr', 'hr'],
      ['Br', 'br'],
    ])
      expect(componentClass(type).tagFor({})).toBe(tag);
    expect(clientNodeOf(new Tr().add(new Td({ text: 'cell' }))).t).toBe('tr');
    expect(clientNodeOf(new Ul()).t).toBe('ul');
  });

  it('makes checkboxes and radio buttons whose value is whether they are checked', () => {
    const box = new Checkbox({ name: 'agree', checked: true });
    expect(box.value).toBe(true);
    expect(clientNodeOf(box)).toMatchObject({
      t: 'input',
      p: { type: 'checkbox', value: true },
      v: 'change',
    });
    expect(box.acceptValue(false)).toBe(false);
    expect(() => box.acceptValue('on')).toThrow(/takes true\/false values/);
    const radio = new Radio({ name: 'size', choice: 'l' });
    expect(clientNodeOf(radio).p).toEqual({ type: 'radio', name: 'size', choice: 'l' });
    expect(() => new Input({ type: 'checkbox' })).toThrow(/use Checkbox/);
    expect(() => new Input({ type: 'radio' })).toThrow(/use Radio/);
  });

  it('labels a control by its element id', () => {
    const plain = new Input();
    const named = new Input({ attrs: { id: 'email' } });
    expect(new Label({ for: plain }).getProp('for')).toBe(plain.id);
    expect(new Label({ for: named }).getProp('for')).toBe('email');
  });

  it('collects the named values of a form, radio groups as their chosen choice', () => {
    const form = new Form();
    const group = new Fieldset({ parent: form }).add(new Legend({ text: 'Size' }));
    const small = new Radio({ name: 'size', choice: 's', parent: group });
    const large = new Radio({ name: 'size', choice: 'l', parent: group });
    new Radio({ name: 'colour', choice: 'red', parent: group });
    new Input({ name: 'who', value: 'Ada', parent: new Div({ parent: form }) });
    new Checkbox({ name: 'agree', parent: form });
    new Input({ value: 'no name, not sent', parent: form });
    const select = new Select({ name: 'town', value: 'Paris', parent: form });
    expect(formValues(form)).toEqual({
      size: null,
      colour: null,
      who: 'Ada',
      agree: false,
      town: 'Paris',
    });
    large.checked = true;
    small.checked = true; // the browser unchecks the others of the group; the server does too
    expect([small.value, large.value]).toEqual([true, false]);
    expect(formValues(form)).toMatchObject({ size: 's' });
    expect(select.value).toBe('Paris');
  });

  it('keeps radio groups apart across forms', () => {
    const page = new WebPage();
    const first = new Radio({
      name: 'x',
      choice: '1',
      checked: true,
      parent: new Form({ parent: page }),
    });
    const second = new Radio({ name: 'x', choice: '2', parent: new Form({ parent: page }) });
    second.checked = true;
    expect(first.value).toBe(true);
  });

  it('stores a binding as a field of its own and reads it back', () => {
    const label = new Div({ text: 'preview' });
    const input = new Input({ name: 'who' }).bindValue(label, 'text');
    const stored = toStoredComponent(input);
    expect(JSON.parse(stored.fields['b:value'])).toEqual({ to: label.id, prop: 'text' });
    const loaded = fromStored({ ...stored, children: [], version: 1 }, null as never) as Input;
    expect(loaded.binding).toEqual({ to: label.id, prop: 'text' });
    // the binding took the label's text as the control's value; tabs never see the binding
    expect(clientNodeOf(loaded).p).toEqual({ name: 'who', value: 'preview' });
    expect(toStoredComponent(input.unbind()).fields['b:value']).toBeUndefined();
  });
});
