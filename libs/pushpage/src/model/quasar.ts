import { FormValue, PUSHPAGE_PROPS } from '../protocol';
import { Component, ComponentData, ComponentOptions } from './component';
import { FormControl, wrongValue } from './html';
import { JsonValue } from './json';
import { WebPage, WebPageOptions } from './web-page';

const PUSHPAGE_PROP_SET: ReadonlySet<string> = new Set(PUSHPAGE_PROPS);

const PROP_NAME = /^[a-z][A-Za-z0-9]*$/;
const QUASAR_TAG = /^q-[a-z0-9]+(-[a-z0-9]+)*$/;

/** A Quasar prop's name, checked: never an event listener nor one of Pushpage's props. */
function quasarPropName(name: string): string {
  if (!PROP_NAME.test(name) || PUSHPAGE_PROP_SET.has(name) || /^on[A-Z]/.test(name)) {
    throw new Error(
      `"${name}" cannot be a Quasar prop: use a camelCase name that is not an event ` +
        `listener (on...) nor one of Pushpage's own (${PUSHPAGE_PROPS.join(', ')})`,
    );
  }
  return name;
}

function slotName(name: string): string | undefined {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new Error(`"${name}" is not a slot name`);
  return name === 'default' ? undefined : name;
}

/** Applies the `props` and `slot` options. */
function applyQuasarOptions(c: Component, options: QuasarOptions<ComponentData, never>): void {
  for (const [name, value] of Object.entries(options.props ?? {}))
    c.setProp(quasarPropName(name), value);
  if (options.slot !== undefined) c.setProp('slot', slotName(options.slot));
}

/** Sets the Quasar props given in `options` under these names. */
function setNamedProps(c: Component, options: object, names: readonly string[]): void {
  const values = options as Record<string, JsonValue | undefined>;
  for (const name of names)
    if (values[name] !== undefined) c.setProp(quasarPropName(name), values[name]);
}

/** Options every Quasar component accepts. */
export interface QuasarOptions<
  D extends ComponentData = ComponentData,
  S = QuasarComponent<D>,
> extends ComponentOptions<D, S> {
  /** Props of the Quasar component, by their camelCase names: `{ color: 'primary', dense: true }`. */
  props?: Record<string, JsonValue>;
  /** The parent's slot this component fills (`append`, `prepend`, `header`, ...); default: `default`. */
  slot?: string;
}

/**
 * A page that loads Quasar (its styles, Material Icons and Roboto, served from the installed
 * `quasar` and `@quasar/extras` packages). Quasar components work on any page (the runtime
 * loads Quasar when it meets one); a `QuasarPage` also loads Quasar's styles up front.
 * Stored and loaded as a {@link WebPage}.
 */
export class QuasarPage<D extends ComponentData = ComponentData> extends WebPage<D> {
  constructor(options: WebPageOptions<D, QuasarPage<D>> = {}) {
    super(options);
    this.setProp('quasar', true);
  }
}

/** The base of the Quasar components: Pushpage's props plus the Quasar component's own. */
export abstract class QuasarComponent<
  D extends ComponentData = ComponentData,
> extends Component<D> {
  /** Subclasses pass their options on (see {@link ComponentOptions}). */
  constructor(options: QuasarOptions<D, never> = {}) {
    super(options);
    applyQuasarOptions(this, options);
  }

  /** Sets a prop of the Quasar component (`undefined` removes it); every tab follows. */
  setQuasarProp(name: string, value: JsonValue | undefined): void {
    this.setProp(quasarPropName(name), value);
  }

  /** A prop of the Quasar component. */
  getQuasarProp(name: string): JsonValue | undefined {
    return this.getProp(name);
  }

  /** The parent's slot this component fills; `default` unless set. */
  get slot(): string {
    return (this.getProp('slot') as string | undefined) ?? 'default';
  }
  set slot(name: string) {
    this.setProp('slot', slotName(name));
  }
}

/** Options of {@link QComponent}. */
export interface QComponentOptions<
  D extends ComponentData = ComponentData,
  S = QComponent<D>,
> extends QuasarOptions<D, S> {
  /** The Quasar component's tag: `q-chip`, `q-linear-progress`, `q-card-section`, ... */
  tag: string;
}

/**
 * Any Quasar component by its tag, with its props, its slot in the parent, children in its
 * default slot (or the slots they name) and the DOM events of {@link EVENT_TYPES}:
 * `new QComponent({ tag: 'q-chip', props: { icon: 'bookmark', color: 'teal' }, text: 'Saved' })`.
 */
export class QComponent<D extends ComponentData = ComponentData> extends QuasarComponent<D> {
  static override readonly typeName: string = 'QComponent';

  constructor(options: QComponentOptions<D>) {
    if (!QUASAR_TAG.test(options.tag)) {
      throw new Error(`"${options.tag}" is not a Quasar tag (q-something)`);
    }
    super(options);
    this.setProp('qtag', options.tag);
  }

  /** @internal */
  static override tagFor(props: Record<string, JsonValue>): string {
    return typeof props.qtag === 'string' && QUASAR_TAG.test(props.qtag) ? props.qtag : 'div';
  }
}

/** Options of {@link QBtn}. */
export interface QBtnOptions<
  D extends ComponentData = ComponentData,
  S = QBtn<D>,
> extends QuasarOptions<D, S> {
  label?: string;
  /** A Quasar colour: `primary`, `red-7`, ... */
  color?: string;
  /** A Material icon name (`send`) or another icon set's (`fa-solid fa-bomb`). */
  icon?: string;
  flat?: boolean;
  outline?: boolean;
  round?: boolean;
  dense?: boolean;
  unelevated?: boolean;
  loading?: boolean;
  disable?: boolean;
}

const BTN_PROPS = [
  'label',
  'color',
  'icon',
  'flat',
  'outline',
  'round',
  'dense',
  'unelevated',
  'loading',
  'disable',
] as const;

/** Quasar's button (`q-btn`). */
export class QBtn<D extends ComponentData = ComponentData> extends QuasarComponent<D> {
  static override readonly typeName: string = 'QBtn';
  static override readonly tag: string = 'q-btn';

  constructor(options: QBtnOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, BTN_PROPS);
  }

  get label(): string {
    return (this.getProp('label') as string | undefined) ?? '';
  }
  set label(value: string) {
    this.setQuasarProp('label', value);
  }

  /** Shows a spinner instead of the label while true. */
  get loading(): boolean {
    return this.getProp('loading') === true;
  }
  set loading(value: boolean) {
    this.setQuasarProp('loading', value || undefined);
  }
}

/** Options of {@link QCard}. */
export interface QCardOptions<
  D extends ComponentData = ComponentData,
  S = QCard<D>,
> extends QuasarOptions<D, S> {
  flat?: boolean;
  bordered?: boolean;
}

/** Quasar's card (`q-card`); put `q-card-section`s in it with {@link QComponent}. */
export class QCard<D extends ComponentData = ComponentData> extends QuasarComponent<D> {
  static override readonly typeName: string = 'QCard';
  static override readonly tag: string = 'q-card';

  constructor(options: QCardOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, ['flat', 'bordered']);
  }
}

/** Options of {@link QBadge}. */
export interface QBadgeOptions<
  D extends ComponentData = ComponentData,
  S = QBadge<D>,
> extends QuasarOptions<D, S> {
  label?: string | number;
  color?: string;
  floating?: boolean;
  rounded?: boolean;
}

/** Quasar's badge (`q-badge`). */
export class QBadge<D extends ComponentData = ComponentData> extends QuasarComponent<D> {
  static override readonly typeName: string = 'QBadge';
  static override readonly tag: string = 'q-badge';

  constructor(options: QBadgeOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, ['label', 'color', 'floating', 'rounded']);
  }

  get label(): string | number {
    return (this.getProp('label') as string | number | undefined) ?? '';
  }
  set label(value: string | number) {
    this.setQuasarProp('label', value);
  }
}

/** Options of {@link QIcon}. */
export interface QIconOptions<
  D extends ComponentData = ComponentData,
  S = QIcon<D>,
> extends QuasarOptions<D, S> {
  /** A Material icon name (`favorite`) or another set's classes (`fa-solid fa-bomb`). */
  name?: string;
  color?: string;
  /** A CSS size (`2em`) or a Quasar size (`md`). */
  size?: string;
}

/** Quasar's icon (`q-icon`). */
export class QIcon<D extends ComponentData = ComponentData> extends QuasarComponent<D> {
  static override readonly typeName: string = 'QIcon';
  static override readonly tag: string = 'q-icon';

  constructor(options: QIconOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, ['name', 'color', 'size']);
  }

  get name(): string {
    return (this.getProp('name') as string | undefined) ?? '';
  }
  set name(value: string) {
    this.setQuasarProp('name', value);
  }
}

/**
 * The base of Quasar's form controls: the value lives in `value` like the HTML controls'
 * and is sent by tabs with the control's value event.
 */
abstract class QuasarControl<
  V extends FormValue,
  D extends ComponentData = ComponentData,
> extends FormControl<V, D> {
  /** Subclasses pass their options on (see {@link ComponentOptions}). */
  constructor(options: QuasarOptions<D, never> & { value?: V }) {
    super(options);
    applyQuasarOptions(this, options);
    if (options.value !== undefined) this.value = options.value;
  }

  /** Sets a prop of the Quasar component (`undefined` removes it); every tab follows. */
  setQuasarProp(name: string, value: JsonValue | undefined): void {
    this.setProp(quasarPropName(name), value);
  }
}

/** Options of {@link QInput}. */
export interface QInputOptions<
  D extends ComponentData = ComponentData,
  S = QInput<D>,
> extends QuasarOptions<D, S> {
  value?: string;
  label?: string;
  /** `text` (default), `textarea`, `number`, `email`, `password`, ... */
  type?: string;
  placeholder?: string;
  hint?: string;
  filled?: boolean;
  outlined?: boolean;
  dense?: boolean;
  clearable?: boolean;
  /** The longest text a tab may send (see {@link FormControl.maxLength}). */
  maxLength?: number;
}

/** Quasar's text field (`q-input`); its text is in `value`. */
export class QInput<D extends ComponentData = ComponentData> extends QuasarControl<string, D> {
  static override readonly typeName: string = 'QInput';
  static override readonly tag: string = 'q-input';

  constructor(options: QInputOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, [
      'label',
      'type',
      'placeholder',
      'hint',
      'filled',
      'outlined',
      'dense',
      'clearable',
    ]);
    if (options.maxLength !== undefined) this.maxLength = options.maxLength;
  }

  protected emptyValue(): string {
    return '';
  }

  /** @internal A cleared field sends `null`: stored as empty text. */
  acceptValue(value: FormValue): string {
    if (value === null) return '';
    if (typeof value === 'number') return String(value);
    if (typeof value !== 'string') throw wrongValue(this, 'text');
    return this.acceptText(value);
  }
}

/** Options of {@link QToggle}. */
export interface QToggleOptions<
  D extends ComponentData = ComponentData,
  S = QToggle<D>,
> extends QuasarOptions<D, S> {
  value?: boolean;
  label?: string;
  color?: string;
}

/** Quasar's switch (`q-toggle`); `value` is `true` or `false`. */
export class QToggle<D extends ComponentData = ComponentData> extends QuasarControl<boolean, D> {
  static override readonly typeName: string = 'QToggle';
  static override readonly tag: string = 'q-toggle';
  static override readonly valueEvent = 'change' as const;

  constructor(options: QToggleOptions<D> = {}) {
    super(options);
    setNamedProps(this, options, ['label', 'color']);
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

/** A choice of a {@link QSelect}: a plain value, or a label with its value. */
export type QSelectOption = string | number | { label: string; value: string | number };

/** Options of {@link QSelect}. */
export interface QSelectOptions<
  D extends ComponentData = ComponentData,
  S = QSelect<D>,
> extends QuasarOptions<D, S> {
  /** The choices. */
  options: QSelectOption[];
  /** The chosen value (a list of them with `multiple`). */
  value?: string | number | null | (string | number)[];
  label?: string;
  multiple?: boolean;
  filled?: boolean;
  outlined?: boolean;
  dense?: boolean;
}

/**
 * Quasar's select (`q-select`). `value` holds the chosen option's value (not the option
 * object), and a tab can only choose among `options`.
 */
export class QSelect<D extends ComponentData = ComponentData> extends QuasarControl<FormValue, D> {
  static override readonly typeName: string = 'QSelect';
  static override readonly tag: string = 'q-select';
  static override readonly valueEvent = 'change' as const;

  constructor(options: QSelectOptions<D>) {
    super(options);
    this.setQuasarProp('emitValue', true);
    this.setQuasarProp('mapOptions', true);
    this.options = options.options;
    setNamedProps(this, options, ['label', 'multiple', 'filled', 'outlined', 'dense']);
  }

  get options(): QSelectOption[] {
    return (this.getProp('options') as QSelectOption[] | undefined) ?? [];
  }
  set options(value: QSelectOption[]) {
    this.setQuasarProp('options', value as JsonValue);
  }

  protected emptyValue(): FormValue {
    return this.getProp('multiple') === true ? [] : null;
  }

  /** @internal */
  acceptValue(value: FormValue): FormValue {
    const allowed = new Set(this.options.map((o) => (typeof o === 'object' ? o.value : o)));
    const multiple = this.getProp('multiple') === true;
    const chosen = Array.isArray(value) ? value : [value];
    if (Array.isArray(value) !== multiple && value !== null)
      throw wrongValue(this, multiple ? 'list' : 'single');
    for (const item of chosen) {
      if (item !== null && !allowed.has(item as string | number))
        throw wrongValue(this, 'one of its options');
    }
    return value;
  }
}

/** Options of {@link QSlider}. */
export interface QSliderOptions<
  D extends ComponentData = ComponentData,
  S = QSlider<D>,
> extends QuasarOptions<D, S> {
  value?: number;
  min?: number;
  max?: number;
  step?: number;
  /** Show the value above the thumb while sliding. */
  label?: boolean;
  color?: string;
}

/** Quasar's slider (`q-slider`); `value` is a number between `min` and `max`. */
export class QSlider<D extends ComponentData = ComponentData> extends QuasarControl<number, D> {
  static override readonly typeName: string = 'QSlider';
  static override readonly tag: string = 'q-slider';
  static override readonly valueEvent = 'change' as const;

  constructor(options: QSliderOptions<D> = {}) {
    super(options);
    this.setQuasarProp('min', options.min ?? 0);
    this.setQuasarProp('max', options.max ?? 100);
    setNamedProps(this, options, ['step', 'label', 'color']);
  }

  protected emptyValue(): number {
    return (this.getProp('min') as number | undefined) ?? 0;
  }

  /** @internal */
  acceptValue(value: FormValue): number {
    const min = (this.getProp('min') as number | undefined) ?? 0;
    const max = (this.getProp('max') as number | undefined) ?? 100;
    if (typeof value !== 'number' || value < min || value > max)
      throw wrongValue(this, `numeric (${min} to ${max})`);
    return value;
  }
}

/** Options of {@link QEditor}. */
export interface QEditorOptions<
  D extends ComponentData = ComponentData,
  S = QEditor<D>,
> extends QuasarOptions<D, S> {
  /** The initial document (HTML). */
  value?: string;
  /** Every toolbar command Quasar has (JustPy's `kitchen_sink=True`). */
  kitchenSink?: boolean;
  /** Quasar's `toolbar` prop, when not the kitchen sink. */
  toolbar?: JsonValue;
  /** CSS height of the editor (`94vh`). */
  height?: string;
  minHeight?: string;
  placeholder?: string;
  /**
   * `true` (default): one document edited by every tab at once, merged character by
   * character (a Yjs document kept in the store); no keystroke of anyone is lost. `false`:
   * a plain value control, where the last tab to send its text wins.
   */
  collaborative?: boolean;
}

/**
 * Quasar's rich text editor (`q-editor`). Collaborative by default: every tab showing it
 * edits one document together (see docs/collaborative-editing.md); read and replace that
 * document on the server with `PushpageDocuments`. `value` is the initial document.
 */
export class QEditor<D extends ComponentData = ComponentData> extends QuasarControl<string, D> {
  static override readonly typeName: string = 'QEditor';
  static override readonly tag: string = 'q-editor';

  constructor(options: QEditorOptions<D> = {}) {
    super(options);
    if (options.kitchenSink) this.setProp('kitchenSink', true);
    setNamedProps(this, options, ['toolbar', 'height', 'minHeight', 'placeholder']);
    if (options.collaborative !== false) this.setProp('collab', true);
  }

  /** Whether the tabs edit one merged document (see {@link QEditorOptions.collaborative}). */
  get collaborative(): boolean {
    return this.getProp('collab') === true;
  }

  protected emptyValue(): string {
    return '';
  }

  /** @internal */
  acceptValue(value: FormValue): string {
    if (this.collaborative)
      throw wrongValue(this, 'no plain (it is collaborative: tabs send document updates)');
    if (typeof value !== 'string') throw wrongValue(this, 'text');
    return this.acceptText(value);
  }
}
