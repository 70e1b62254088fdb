import { PushpageError } from '../errors';
import { FormValue } from '../protocol';
import { Component, ComponentData, ComponentOptions } from './component';
import { BindableData, BindableProp, checkBinding, ValueBinding, valueForControl } from './binding';

/** `<div>` */
export class Div<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Div';
  static override readonly tag: string = 'div';

  constructor(options: ComponentOptions<D, Div<D>> = {}) {
    super(options);
  }
}

/** `<span>` */
export class Span<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Span';
  static override readonly tag: string = 'span';

  constructor(options: ComponentOptions<D, Span<D>> = {}) {
    super(options);
  }
}

/** `<p>` */
export class P<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'P';
  static override readonly tag: string = 'p';

  constructor(options: ComponentOptions<D, P<D>> = {}) {
    super(options);
  }
}

/** `<pre>` */
export class Pre<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Pre';
  static override readonly tag: string = 'pre';

  constructor(options: ComponentOptions<D, Pre<D>> = {}) {
    super(options);
  }
}

/** `<button>` */
export class Button<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Button';
  static override readonly tag: string = 'button';

  constructor(options: ComponentOptions<D, Button<D>> = {}) {
    super(options);
  }
}

/** `<h1>` */
export class H1<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H1';
  static override readonly tag: string = 'h1';

  constructor(options: ComponentOptions<D, H1<D>> = {}) {
    super(options);
  }
}
/** `<h2>` */
export class H2<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H2';
  static override readonly tag: string = 'h2';

  constructor(options: ComponentOptions<D, H2<D>> = {}) {
    super(options);
  }
}
/** `<h3>` */
export class H3<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H3';
  static override readonly tag: string = 'h3';

  constructor(options: ComponentOptions<D, H3<D>> = {}) {
    super(options);
  }
}
/** `<h4>` */
export class H4<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H4';
  static override readonly tag: string = 'h4';

  constructor(options: ComponentOptions<D, H4<D>> = {}) {
    super(options);
  }
}
/** `<h5>` */
export class H5<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H5';
  static override readonly tag: string = 'h5';

  constructor(options: ComponentOptions<D, H5<D>> = {}) {
    super(options);
  }
}
/** `<h6>` */
export class H6<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'H6';
  static override readonly tag: string = 'h6';

  constructor(options: ComponentOptions<D, H6<D>> = {}) {
    super(options);
  }
}

/** Options of {@link A}. */
export interface AOptions<
  D extends ComponentData = ComponentData,
  S = A<D>,
> extends ComponentOptions<D, S> {
  href?: string;
  target?: string;
}

/** `<a>`: a link. */
export class A<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'A';
  static override readonly tag: string = 'a';

  constructor(options: AOptions<D> = {}) {
    super(options);
    if (options.href !== undefined) this.href = options.href;
    if (options.target !== undefined) this.setProp('target', options.target);
  }

  /** The link target. `javascript:` URLs are refused. */
  get href(): string {
    return (this.getProp('href') as string | undefined) ?? '';
  }
  set href(value: string) {
    this.setProp('href', checkUrl(value));
  }
}

/** Options of {@link Img}. */
export interface ImgOptions<
  D extends ComponentData = ComponentData,
  S = Img<D>,
> extends ComponentOptions<D, S> {
  src?: string;
  alt?: string;
}

/** `<img>` */
export class Img<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Img';
  static override readonly tag: string = 'img';

  constructor(options: ImgOptions<D> = {}) {
    super(options);
    if (options.src !== undefined) this.src = options.src;
    if (options.alt !== undefined) this.setProp('alt', options.alt);
  }

  get src(): string {
    return (this.getProp('src') as string | undefined) ?? '';
  }
  set src(value: string) {
    this.setProp('src', checkUrl(value));
  }
}

function checkUrl(value: string): string {
  if (/^\s*(javascript|vbscript):/i.test(value)) {
    throw new Error(`refused URL "${value.slice(0, 40)}": script URLs are not allowed`);
  }
  return value;
}

/** Options of the form controls. */
export interface InputOptions<
  D extends ComponentData = ComponentData,
  S = ValueComponent<D>,
> extends ComponentOptions<D, S> {
  value?: string;
  placeholder?: string;
  disabled?: boolean;
  name?: string;
  /**
   * The longest text a tab may send (the `maxlength` attribute, enforced by the server
   * too); {@link DEFAULT_MAX_TEXT_LENGTH} when not set.
   */
  maxLength?: number;
}

/**
 * The longest text a tab may send a text control that sets no `maxLength` of its own: a
 * longer value is refused (`too-large`) and changes nothing.
 */
export const DEFAULT_MAX_TEXT_LENGTH = 10_000;

/**
 * Base of components whose value the user edits (inputs, switches, sliders, choices). The
 * browser's value is copied into `value` before any handler of the same tab runs.
 *
 * @typeParam V - the type of the value
 */
export abstract class FormControl<
  V extends FormValue,
  D extends ComponentData = ComponentData,
> extends Component<D> {
  /** The DOM (or component) event that carries a new value. */
  static readonly valueEvent: 'input' | 'change' = 'input';

  /** The current value, as last sent by any tab or set by the server. */
  get value(): V {
    const value = this.getProp('value');
    return value === undefined ? this.emptyValue() : (value as V);
  }
  set value(value: V) {
    this.setProp('value', value);
  }

  /** The value before anything was set. */
  protected abstract emptyValue(): V;

  /**
   * Binds this control's value to a property of another component on the same page (or a
   * shared element on it), both ways: JustPy's `model=` and NiceGUI's `bind_value`.
   *
   * - When a tab changes the value, the server sets `target[prop]` in the same commit,
   *   before any handler runs, and every tab showing `target` follows, on every replica.
   * - When server code changes `target[prop]` (a handler, a task), or sets the control's
   *   `value`, the other side follows in the same commit; so do other controls bound to the
   *   same property, in every tab, the typing tab included.
   * - Binding takes the target's current value into the control (the target wins), unless
   *   the target has none or the control cannot hold it.
   *
   * Only properties that can be assigned this control's value type compile
   * (`input.bindValue(label, 'text')`, `toggle.bindValue(panel, 'show')`);
   * `unsafeInnerHtml` never does. A value of the target the control cannot hold (text past
   * its `maxLength`, say) leaves the control as it is. Both components must be loaded
   * together for server-side changes to follow: on the same page, or the target in a shared
   * element shown on it. One binding per control: binding again replaces it. Returns the
   * control.
   */
  bindValue<T extends Component>(target: T, prop: BindableProp<T, V>): this {
    return this.setBinding(target, { to: target.id, prop });
  }

  /**
   * Binds this control's value to a custom data key of another component (the page's
   * `data.name`, say): see {@link FormControl.bindValue}. The key's type must hold the value.
   */
  bindData<T extends Component>(target: T, key: BindableData<T, V>): this {
    return this.setBinding(target, { to: target.id, data: key });
  }

  /** Removes this control's binding, if it has one. */
  unbind(): this {
    if (this._s.binding === undefined) return this;
    delete this._s.binding;
    this.recordBinding();
    return this;
  }

  /** The control's binding (the target's id and its prop or data key), if it has one. */
  get binding(): Readonly<ValueBinding> | undefined {
    this._s.tracker?.recordRead(this);
    return this._s.binding;
  }

  private setBinding(target: Component, binding: ValueBinding): this {
    if (target === this) throw new TypeError(`component ${this.id} cannot be bound to itself`);
    checkBinding(target, binding);
    const start = valueForControl(this, target, binding);
    if (start !== undefined && JSON.stringify(start) !== JSON.stringify(this.value)) {
      this.value = start as V;
      this.valueApplied();
    }
    this._s.binding = binding;
    this.recordBinding();
    return this;
  }

  private recordBinding(): void {
    const tracker = this._s.tracker;
    if (!tracker) return;
    if (this._s.stored) tracker.recordField(this, { kind: 'binding', binding: this._s.binding });
    tracker.bindingChanged(this);
  }

  /**
   * @internal Called after a tab's value was applied to this control, before any handler
   * runs: a control that keeps others in step (a radio button, its group) does it here.
   */
  valueApplied(): void {}

  /**
   * @internal Checks a value a tab sent, and returns it as this control's type; throws a
   * `bad-request` error for a value the control cannot hold.
   */
  abstract acceptValue(value: FormValue): V;

  /**
   * The longest text a tab may send this control: its `maxlength` attribute, or
   * {@link DEFAULT_MAX_TEXT_LENGTH}. Browsers stop typing there; the server refuses more.
   */
  get maxLength(): number {
    const limit = this.getProp('maxlength');
    return typeof limit === 'number' ? limit : DEFAULT_MAX_TEXT_LENGTH;
  }
  set maxLength(limit: number) {
    if (!Number.isInteger(limit) || limit < 0)
      throw new RangeError(`maxLength must be a whole number, not ${limit}`);
    this.setProp('maxlength', limit);
  }

  /** Text a tab sent, checked against {@link FormControl.maxLength}. */
  protected acceptText(text: string): string {
    if (text.length > this.maxLength) {
      throw new PushpageError(
        'too-large',
        `component ${this.id} takes at most ${this.maxLength} characters, not ${text.length}; nothing was changed`,
      );
    }
    return text;
  }
}

/** Refuses a value of the wrong kind for a form control. */
export function wrongValue(component: Component, expected: string): PushpageError {
  return new PushpageError('bad-request', `component ${component.id} takes ${expected} values`);
}

/** Base of the HTML form controls, whose value is text. */
export abstract class ValueComponent<D extends ComponentData = ComponentData> extends FormControl<
  string,
  D
> {
  /** Subclasses pass their options on (see {@link ComponentOptions}). */
  constructor(options: InputOptions<D, never> = {}) {
    super(options);
    if (options.value !== undefined) this.value = options.value;
    if (options.placeholder !== undefined) this.placeholder = options.placeholder;
    if (options.disabled !== undefined) this.setProp('disabled', options.disabled || undefined);
    if (options.name !== undefined) this.setProp('name', options.name);
    if (options.maxLength !== undefined) this.maxLength = options.maxLength;
  }

  override get value(): string {
    return super.value;
  }
  override set value(value: string) {
    super.value = String(value);
  }

  protected emptyValue(): string {
    return '';
  }

  /** @internal */
  acceptValue(value: FormValue): string {
    if (typeof value !== 'string') throw wrongValue(this, 'text');
    return this.acceptText(value);
  }

  get placeholder(): string {
    return (this.getProp('placeholder') as string | undefined) ?? '';
  }
  set placeholder(value: string) {
    this.setProp('placeholder', value);
  }
}

/** Options of {@link Input}. */
export interface InputElementOptions<
  D extends ComponentData = ComponentData,
  S = Input<D>,
> extends InputOptions<D, S> {
  /** The `type` attribute: `text` (default), `number`, `email`, `password`, ... */
  type?: string;
}

/** `<input>` */
export class Input<D extends ComponentData = ComponentData> extends ValueComponent<D> {
  static override readonly typeName: string = 'Input';
  static override readonly tag: string = 'input';

  constructor(options: InputElementOptions<D> = {}) {
    if (options.type === 'checkbox' || options.type === 'radio') {
      // their value is whether they are checked, not text: classes of their own hold that
      throw new TypeError(
        `an Input cannot be a ${options.type}: use ${options.type === 'checkbox' ? 'Checkbox' : 'Radio'}`,
      );
    }
    super(options);
    if (options.type !== undefined) this.setProp('type', options.type);
  }
}

/** `<textarea>` */
export class Textarea<D extends ComponentData = ComponentData> extends ValueComponent<D> {
  static override readonly typeName: string = 'Textarea';
  static override readonly tag: string = 'textarea';

  constructor(options: InputOptions<D, Textarea<D>> = {}) {
    super(options);
  }
}

/** `<select>`; add {@link Option} children. */
export class Select<D extends ComponentData = ComponentData> extends ValueComponent<D> {
  static override readonly typeName: string = 'Select';
  static override readonly tag: string = 'select';
  static override readonly valueEvent = 'change' as const;

  constructor(options: InputOptions<D, Select<D>> = {}) {
    super(options);
  }
}

/** Options of {@link Option}. */
export interface OptionOptions<
  D extends ComponentData = ComponentData,
  S = Option<D>,
> extends ComponentOptions<D, S> {
  value?: string;
}

/** `<option>` of a {@link Select}. */
export class Option<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Option';
  static override readonly tag: string = 'option';

  constructor(options: OptionOptions<D> = {}) {
    super(options);
    if (options.value !== undefined) this.setProp('value', options.value);
  }
}

/** Options of {@link Icon}. */
export interface IconOptions<
  D extends ComponentData = ComponentData,
  S = Icon<D>,
> extends ComponentOptions<D, S> {
  /** A Font Awesome icon name without prefix: `paper-plane`, `bomb`. */
  icon?: string;
  /** Font Awesome style: `solid` (default), `regular` or `brands`. */
  iconStyle?: 'solid' | 'regular' | 'brands';
}

/** A Font Awesome icon (`<i class="fa-solid fa-bomb">`). */
export class Icon<D extends ComponentData = ComponentData> extends Component<D> {
  static override readonly typeName: string = 'Icon';
  static override readonly tag: string = 'i';

  constructor(options: IconOptions<D> = {}) {
    super(options);
    if (options.icon !== undefined) this.icon = options.icon;
    if (options.iconStyle !== undefined) this.setProp('iconStyle', options.iconStyle);
  }

  get icon(): string {
    return (this.getProp('icon') as string | undefined) ?? '';
  }
  set icon(value: string) {
    if (!/^[a-z0-9-]*$/.test(value)) throw new Error(`"${value}" is not a Font Awesome icon name`);
    this.setProp('icon', value);
  }
}
