import { FormValue } from '../protocol';
import { Component, ComponentData, ComponentOptions } from './component';
import { FormControl, wrongValue } from './html';

/**
 * `<form>`. Bind a `submit` handler: the tab never reloads the page (Enter in a field or a
 * `<button>` inside submits), and the handler reads every named control's value in
 * `msg.form` (see {@link formValues}).
 */
export class Form<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Form';
  static override readonly tag: string = 'form';

  constructor(options: ComponentOptions<D, Form<D>> = {}) {
    super(options);
  }
}

/** `<fieldset>`: groups controls of a form; add a {@link Legend} first. */
export class Fieldset<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Fieldset';
  static override readonly tag: string = 'fieldset';

  constructor(options: ComponentOptions<D, Fieldset<D>> = {}) {
    super(options);
  }
}

/** `<legend>`: the caption of a {@link Fieldset}. */
export class Legend<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Legend';
  static override readonly tag: string = 'legend';

  constructor(options: ComponentOptions<D, Legend<D>> = {}) {
    super(options);
  }
}

/** Options of {@link Label}. */
export interface LabelOptions<
  D extends ComponentData = ComponentData,
  S = Label<D>,
> extends ComponentOptions<D, S> {
  /** The control the label names: clicking the label focuses or toggles it. */
  for?: Component;
}

/** `<label>`: names a control (`for`), or wraps it. */
export class Label<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Label';
  static override readonly tag: string = 'label';

  constructor(options: LabelOptions<D> = {}) {
    super(options);
    if (options.for !== undefined) this.labels(options.for);
  }

  /** Makes this label name `control` (the `for` attribute: the control's element id). */
  labels(control: Component): this {
    const htmlId = control.attrs.id;
    this.setProp('for', typeof htmlId === 'string' ? htmlId : control.id);
    return this;
  }
}

/** Options of {@link Checkbox}. */
export interface CheckboxOptions<
  D extends ComponentData = ComponentData,
  S = Checkbox<D>,
> extends ComponentOptions<D, S> {
  checked?: boolean;
  /** The key of its value in `msg.form`. */
  name?: string;
  disabled?: boolean;
}

/**
 * The base of `<input>`s whose value is whether they are checked ({@link Checkbox},
 * {@link Radio}): tabs send their `checked` state, `true` or `false`, never text.
 */
export abstract class CheckableInput<D extends ComponentData = ComponentData> extends FormControl<
  boolean,
  D
> {
  static override readonly tag: string = 'input';
  static override readonly valueEvent = 'change' as const;

  /** Subclasses pass their options on (see {@link ComponentOptions}). */
  constructor(
    type: 'checkbox' | 'radio',
    options: ComponentOptions<D, never> & { checked?: boolean; name?: string; disabled?: boolean },
  ) {
    super(options);
    this.setProp('type', type);
    if (options.name !== undefined) this.setProp('name', options.name);
    if (options.disabled) this.setProp('disabled', true);
    if (options.checked !== undefined) this.value = options.checked;
  }

  /** Whether it is checked: the same as `value`. */
  get checked(): boolean {
    return this.value;
  }
  set checked(value: boolean) {
    this.value = value;
    this.valueApplied();
  }

  protected emptyValue(): boolean {
    return false;
  }

  /** @internal */
  acceptValue(value: FormValue): boolean {
    if (typeof value !== 'boolean') throw wrongValue(this, 'true/false');
    return value;
  }
}

/** `<input type="checkbox">`; `value` (and `checked`) is whether it is ticked. */
export class Checkbox<D extends ComponentData = ComponentData> extends CheckableInput<D> {
  static override readonly typeName: string = 'Checkbox';

  constructor(options: CheckboxOptions<D> = {}) {
    super('checkbox', options);
  }
}

/** Options of {@link Radio}. */
export interface RadioOptions<
  D extends ComponentData = ComponentData,
  S = Radio<D>,
> extends ComponentOptions<D, S> {
  /** The group: radio buttons of one name in one form (or page) exclude each other. */
  name: string;
  /** What the group's value is in `msg.form` while this one is chosen. */
  choice: string;
  checked?: boolean;
  disabled?: boolean;
}

/**
 * `<input type="radio">`; `value` (and `checked`) is whether it is the chosen one of its
 * group. Choosing it (in a tab, or `checked = true` on the server) unchecks the others of
 * its group (same `name`, same form) on the server too.
 */
export class Radio<D extends ComponentData = ComponentData> extends CheckableInput<D> {
  static override readonly typeName: string = 'Radio';

  constructor(options: RadioOptions<D>) {
    super('radio', options);
    this.setProp('choice', options.choice);
  }

  /** The group's name. */
  get name(): string {
    return (this.getProp('name') as string | undefined) ?? '';
  }

  /** What the group's value is while this one is chosen. */
  get choice(): string {
    return (this.getProp('choice') as string | undefined) ?? '';
  }

  /** @internal Unchecks the others of its group: a browser does not say it unchecked them. */
  override valueApplied(): void {
    if (!this.value) return;
    for (const other of controlsIn(groupRoot(this)))
      if (other instanceof Radio && other !== this && other.name === this.name && other.value)
        other.value = false;
  }
}

/**
 * @internal Where a radio button's group ends: its form, or else its page or shared element.
 */
export function groupRoot(component: Component): Component {
  let root = component;
  for (let c = component._s.parent; c; c = c._s.parent) {
    root = c;
    if (c instanceof Form || c._s.scope) break;
  }
  return root;
}

/** @internal The form controls at or under `root`, as far as their children are loaded. */
export function* controlsIn(root: Component): Generator<FormControl<FormValue>> {
  const stack: Component[] = [root];
  while (stack.length > 0) {
    const c = stack.pop() as Component;
    if (c instanceof FormControl) yield c as FormControl<FormValue>;
    if (c._s.children) stack.push(...[...c._s.children].reverse());
  }
}

/**
 * The values of the named controls of a form, by `name`: text for inputs, `true`/`false`
 * for checkboxes, the chosen `choice` of a radio group (`null` when none is chosen). What a
 * `submit` handler finds in `msg.form`.
 */
export function formValues(form: Component): Record<string, FormValue> {
  const values: Record<string, FormValue> = {};
  for (const control of controlsIn(form)) {
    const name = control.getProp('name');
    if (typeof name !== 'string' || name === '') continue;
    if (control instanceof Radio) {
      if (control.value) values[name] = control.choice;
      else if (!(name in values)) values[name] = null;
    } else {
      values[name] = control.value;
    }
  }
  return values;
}

/** The form a component is in (or is), if any. */
export function formAround(component: Component): Form | undefined {
  for (let c: Component | null = component; c; c = c._s.parent) if (c instanceof Form) return c;
  return undefined;
}
