import type { EventProperties } from '../event-wire';
import { keepLastProblem } from '../prop-path';
import { FormValue, PUSHPAGE_PROPS } from '../protocol';
import { Component, ComponentData, ComponentOptions } from './component';
import { controlsIn, formAround, groupRoot } from './forms';
import { FormControl, wrongValue } from './html';
import type { HandlerFor } from './handler-ref';
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

/**
 * The value of a {@link QToggle} or {@link QCheckbox}: `true` or `false`, and `null` too
 * (Quasar's indeterminate state) when it was made with `toggleIndeterminate: true`.
 */
export type QCheckValue<I extends boolean = false> = I extends true ? boolean | null : boolean;

/** Options of {@link QToggle} (and, with a `name`, of {@link QCheckbox}). */
export interface QToggleOptions<
  D extends ComponentData = ComponentData,
  S = QToggle<D>,
  I extends boolean = false,
> extends QuasarOptions<D, S> {
  value?: QCheckValue<I>;
  label?: string;
  color?: string;
  /**
   * `true`: a click goes from unticked to ticked to indeterminate (`null`) and back, and
   * `value` may be `null` (its type says so). Otherwise a tab can only send `true` or `false`.
   */
  toggleIndeterminate?: I;
  /** The label on the left of the box or switch. */
  leftLabel?: boolean;
  dense?: boolean;
  disable?: boolean;
}

const CHECK_PROPS = ['label', 'color', 'leftLabel', 'dense', 'disable'] as const;

/**
 * The base of {@link QToggle} and {@link QCheckbox}: a boolean value (or `null`, Quasar's
 * indeterminate state, with `toggleIndeterminate`), sent at once when clicked.
 */
abstract class QuasarCheck<I extends boolean, D extends ComponentData> extends QuasarControl<
  QCheckValue<I>,
  D
> {
  static override readonly valueEvent = 'change' as const;

  /** Subclasses pass their options on (see {@link ComponentOptions}). */
  constructor(options: QToggleOptions<D, never, I>) {
    super(options);
    // Quasar shows a missing value as indeterminate: an unset box is unticked
    if (options.value === undefined) this.value = this.emptyValue();
    if (options.toggleIndeterminate === true) this.setQuasarProp('toggleIndeterminate', true);
    setNamedProps(this, options, CHECK_PROPS);
  }

  /** Whether a click cycles through the indeterminate state (`null`) too. */
  get toggleIndeterminate(): boolean {
    return this.getProp('toggleIndeterminate') === true;
  }

  /** Whether the value is `null`: Quasar shows neither ticked nor unticked. */
  get indeterminate(): boolean {
    return this.value === null;
  }

  protected emptyValue(): QCheckValue<I> {
    return false as QCheckValue<I>;
  }

  /** @internal `true`, `false`, or `null` with `toggleIndeterminate`. */
  acceptValue(value: FormValue): QCheckValue<I> {
    if (typeof value === 'boolean') return value as QCheckValue<I>;
    if (value === null && this.toggleIndeterminate) return null as QCheckValue<I>;
    throw wrongValue(this, this.toggleIndeterminate ? 'true/false/null' : 'true/false');
  }
}

/**
 * Quasar's switch (`q-toggle`); `value` is `true` or `false`. Made with
 * `toggleIndeterminate: true` it is a `QToggle<D, true>`, whose `value` may be `null` too.
 *
 * @typeParam I - whether it has the indeterminate state (`toggleIndeterminate`)
 */
export class QToggle<
  D extends ComponentData = ComponentData,
  I extends boolean = false,
> extends QuasarCheck<I, D> {
  static override readonly typeName: string = 'QToggle';
  static override readonly tag: string = 'q-toggle';

  constructor(options: QToggleOptions<D, QToggle<D, I>, I> = {}) {
    super(options);
  }
}

/** Options of {@link QCheckbox}. */
export interface QCheckboxOptions<
  D extends ComponentData = ComponentData,
  S = QCheckbox<D>,
  I extends boolean = false,
> extends QToggleOptions<D, S, I> {
  /** The key of its value in `msg.form`. */
  name?: string;
}

/**
 * Quasar's checkbox (`q-checkbox`); `value` is whether it is ticked. Made with
 * `toggleIndeterminate: true` it is a `QCheckbox<D, true>`: a click goes from unticked to
 * ticked to indeterminate, and `value` may be `null` (the server may set `null` to show a
 * mixed state, as a "select all" box does).
 *
 * @typeParam I - whether it has the indeterminate state (`toggleIndeterminate`)
 */
export class QCheckbox<
  D extends ComponentData = ComponentData,
  I extends boolean = false,
> extends QuasarCheck<I, D> {
  static override readonly typeName: string = 'QCheckbox';
  static override readonly tag: string = 'q-checkbox';

  constructor(options: QCheckboxOptions<D, QCheckbox<D, I>, I> = {}) {
    super(options);
    setNamedProps(this, options, ['name']);
  }
}

/** What a {@link QRadio} group's value is while one of its radios is chosen. */
export type QRadioValue = string | number;

/** Options of {@link QRadio}. */
export interface QRadioOptions<
  D extends ComponentData = ComponentData,
  S = QRadio<D>,
> extends QuasarOptions<D, S> {
  /**
   * The group: the radios of one name in one form (or else one page or shared element)
   * share one value, as Quasar's radios share one `v-model`. It is also their key in
   * `msg.form`.
   */
  name: string;
  /** What the group's value is while this radio is chosen (Quasar's `val`). */
  val: QRadioValue;
  /** The group's value (`null`: none chosen); a radio made with `parent` takes its group's. */
  value?: QRadioValue | null;
  label?: string;
  color?: string;
  leftLabel?: boolean;
  dense?: boolean;
  disable?: boolean;
}

/**
 * Quasar's radio button (`q-radio`). Like Quasar's radios, those of one group share one
 * value, the `val` of the chosen one (or `null`), which `value` holds on each of them:
 *
 * ```ts
 * for (const [val, label] of [['thin', 'Thin'], ['classic', 'Classic']])
 *   new QRadio({ name: 'crust', val, label, value: 'classic', change: this.reprice, parent });
 * ```
 *
 * Choosing one in a tab, or setting `value` (or `checked`) of any of them on the server,
 * sets the value of every radio of the group that is on the page then (so every tab shows
 * the new choice, on every replica); a radio made with `parent` and no `value` takes its
 * group's. A tab can only choose a radio: it sends that radio's `val`, nothing else.
 */
export class QRadio<D extends ComponentData = ComponentData> extends QuasarControl<
  QRadioValue | null,
  D
> {
  static override readonly typeName: string = 'QRadio';
  static override readonly tag: string = 'q-radio';
  static override readonly valueEvent = 'change' as const;

  constructor(options: QRadioOptions<D>) {
    checkRadioValue(options.val, 'val');
    super(options);
    this.setQuasarProp('name', options.name);
    this.setQuasarProp('val', options.val);
    setNamedProps(this, options, ['label', 'color', 'leftLabel', 'dense', 'disable']);
    if (options.value !== undefined) this.shareValue(options.value);
    else {
      const member = this.otherMembers().next();
      if (!member.done) this.setProp('value', member.value.value);
    }
  }

  /** The group's value: the chosen radio's `val`, or `null`. Setting it sets the whole group's. */
  override get value(): QRadioValue | null {
    return super.value;
  }
  override set value(value: QRadioValue | null) {
    super.value = checkRadioValue(value, 'value');
    this.shareValue(value);
  }

  /** The group's name. */
  get name(): string {
    return (this.getProp('name') as string | undefined) ?? '';
  }

  /** What the group's value is while this radio is chosen. */
  get val(): QRadioValue {
    return this.getProp('val') as QRadioValue;
  }

  /** Whether this radio is the chosen one; `true` chooses it, `false` leaves none chosen. */
  get checked(): boolean {
    return this.value === this.val;
  }
  set checked(on: boolean) {
    if (on) this.value = this.val;
    else if (this.checked) this.value = null;
  }

  protected emptyValue(): QRadioValue | null {
    return null;
  }

  /** @internal A tab chooses this radio: it sends its `val`. */
  acceptValue(value: FormValue): QRadioValue {
    if (value !== this.val)
      throw wrongValue(this, `only its own val (${JSON.stringify(this.val)}) as`);
    return this.val;
  }

  /** @internal The group follows the radio a tab chose. */
  override valueApplied(): void {
    this.shareValue(this.value);
  }

  /** The other radios of this one's group, as far as they are loaded. */
  private *otherMembers(): Generator<QRadio> {
    const name = this.getProp('name');
    if (typeof name !== 'string') return;
    const form = formAround(this);
    for (const other of controlsIn(groupRoot(this)))
      if (other instanceof QRadio && other !== this && other.name === name)
        if (formAround(other) === form) yield other;
  }

  /** Gives the group's other radios this value. */
  private shareValue(value: QRadioValue | null): void {
    for (const other of this.otherMembers())
      if (other.value !== value) other.setProp('value', value);
  }
}

/** Refuses what cannot be a radio group's value: it travels as a choice. */
function checkRadioValue<V extends QRadioValue | null>(value: V, what: string): V {
  const fits =
    value === null ||
    (typeof value === 'string' && value.length <= 1024) ||
    (typeof value === 'number' && Number.isFinite(value));
  if (!fits)
    throw new TypeError(
      `a QRadio's ${what} must be text (up to 1024 characters) or a finite number`,
    );
  return value;
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

/**
 * What a {@link QTable}'s rows may be: objects of JSON values (an interface works too). The
 * table keeps them as they are and Quasar shows them.
 */
export type QTableRow<Row> = { [K in keyof Row]: JsonValue };

/** A row's key: the value of its `rowKey` field. */
export type QTableKey = string | number;

/** The fields of `Row` that can tell rows apart: those holding text or a number. */
export type QTableKeyField<Row> = {
  [K in keyof Row]-?: Row[K] extends QTableKey ? K : never;
}[keyof Row] &
  string;

/** A column of a {@link QTable}. */
export interface QTableColumn<Row> {
  /** The field of the rows it shows. */
  field: keyof Row & string;
  /** Its name, unique in the table (what `sortBy` names); the field unless set. */
  name?: string;
  /** Its header; the field unless set. */
  label?: string;
  align?: 'left' | 'right' | 'center';
  sortable?: boolean;
  /** Always shown (Quasar's `visible-columns` cannot hide it). */
  required?: boolean;
  /** CSS classes of its cells, and of its header. */
  classes?: string;
  headerClasses?: string;
  /** Inline CSS of its cells, and of its header. */
  style?: string;
  headerStyle?: string;
}

/** How a {@link QTable} starts: its page, how many rows a page shows, its sort. */
export interface QTablePagination {
  /** Rows on a page; `0` shows all. */
  rowsPerPage?: number;
  page?: number;
  /** The name of the column it is sorted by. */
  sortBy?: string;
  descending?: boolean;
}

/** Options of {@link QTable}. */
export interface QTableOptions<
  Row extends QTableRow<Row> = Record<string, JsonValue>,
  D extends ComponentData = ComponentData,
  S = QTable<Row, D>,
> extends QuasarOptions<D, S> {
  /** The field whose value tells the rows apart (Quasar's `row-key`); unique in the table. */
  rowKey: QTableKeyField<Row>;
  rows?: Row[];
  /** The columns; without them Quasar shows one for each field of the first row. */
  columns?: QTableColumn<Row>[];
  title?: string;
  /** Whether a tab may select rows: one (`single`), any number (`multiple`), or none. */
  selection?: 'none' | 'single' | 'multiple';
  /** The keys of the rows selected at first. */
  selected?: QTableKey[];
  /** The page, rows per page and sort it starts with; each tab pages and sorts on its own. */
  pagination?: QTablePagination;
  dense?: boolean;
  flat?: boolean;
  bordered?: boolean;
  /** Hides the bottom bar (pagination, "x rows selected"). */
  hideBottom?: boolean;
  /** What it shows without rows. */
  noDataLabel?: string;
  /**
   * The handler of a click on a row: it reads the clicked row with
   * {@link QTable.clickedRow} (see {@link QTable.onRowClick}).
   */
  rowClick?: HandlerFor<S, 'row-click', 'args'>;
}

const TABLE_PROPS = ['title', 'dense', 'flat', 'bordered', 'hideBottom', 'noDataLabel'] as const;

/**
 * Quasar's table (`q-table`) of typed rows. Rows and columns are props like any other:
 * assigning `rows` pushes the new rows to every tab (each tab sorts and pages on its own).
 * {@link QTable.updateRow} and {@link QTable.addRows} send tabs only the row changed or the
 * rows added, so a big table can change a row at a time, or take rows streaming in.
 *
 * With `selection`, `value` holds the keys of the selected rows and {@link QTable.selected}
 * the rows: a tab that ticks a row sends the keys (a `change` event, whose handler runs
 * after they are stored), and every tab shows the new selection. A tab can only select rows
 * the table has, and one at most with `single`.
 *
 * A click on a row runs the `rowClick` handler (or one bound with
 * {@link QTable.onRowClick}), which finds the row in {@link QTable.clickedRow}:
 *
 * ```ts
 * readonly showOrder = handler(
 *   (self: QTable<Order>, msg: EventMessage<ComponentData, 'row-click', 'args'>) => {
 *     const order = self.clickedRow(msg);
 *     if (order) self.title = `Order ${order.id}`;
 *   },
 * );
 * ```
 *
 * @typeParam Row - the rows' type
 */
export class QTable<
  Row extends QTableRow<Row> = Record<string, JsonValue>,
  D extends ComponentData = ComponentData,
> extends QuasarControl<QTableKey[], D> {
  static override readonly typeName: string = 'QTable';
  static override readonly tag: string = 'q-table';
  static override readonly valueEvent = 'change' as const;

  constructor(options: QTableOptions<Row, D, QTable<Row, D>>) {
    super(options);
    this.setQuasarProp('rowKey', options.rowKey);
    this.rows = options.rows ?? [];
    if (options.columns !== undefined) this.columns = options.columns;
    if (options.selection !== undefined) this.setQuasarProp('selection', options.selection);
    if (options.pagination !== undefined)
      this.setQuasarProp('pagination', { ...options.pagination });
    setNamedProps(this, options, TABLE_PROPS);
    if (options.selected !== undefined) this.value = this.acceptValue(options.selected);
    if (options.rowClick !== undefined) this.onRowClick(options.rowClick);
  }

  /** The field that tells the rows apart. */
  get rowKey(): QTableKeyField<Row> {
    return this.getProp('rowKey') as QTableKeyField<Row>;
  }

  /**
   * The rows. Assign new ones to replace them all (tabs get every row again; changes inside
   * a row are not seen); each needs a key of its own. The selection keeps the rows that are
   * still there. To change one row or add some, {@link QTable.updateRow} and
   * {@link QTable.addRows} send tabs only those rows.
   */
  get rows(): readonly Row[] {
    return (this.getProp('rows') as Row[] | undefined) ?? [];
  }
  set rows(rows: readonly Row[]) {
    const keys = new Set<QTableKey>();
    for (const row of rows) this.addKey(keys, row);
    this.setQuasarProp('rows', rows as unknown as JsonValue);
    this.keepSelection(keys);
  }

  /**
   * Replaces the row that has `row`'s key (its {@link QTable.rowKey} field) with `row`, and
   * sends tabs that row alone (a `put` at its index in `rows`), not the whole table: each
   * tab shows the new row where the old one was, keeping its own sort, page and selection.
   * The key says which row changes, so it cannot change here: to give a row another key,
   * {@link QTable.removeRow} it and {@link QTable.addRows} the new one.
   *
   * ```ts
   * const order = table.rowByKey(7);
   * if (order) table.updateRow({ ...order, status: 'delivered' });
   * ```
   *
   * @throws TypeError when `row` has no key, or the table has no row with its key.
   */
  updateRow(row: Row): void {
    const key = this.keyOf(row);
    const index = this.rows.findIndex((own) => keyOfRow(own, this.rowKey) === key);
    if (index < 0) throw this.noRow(key);
    this.patchProp('rows', [index], row as unknown as JsonValue);
  }

  /**
   * Adds rows after the last one and sends tabs only the new rows (a `push` to `rows`):
   * rows that stream in from a task, one batch per commit. Each needs a key no other row
   * has. With `keepLast`, the oldest rows are dropped so that at most that many stay (tabs
   * drop them too), and the selection loses the rows dropped.
   *
   * ```ts
   * readings.addRows([{ id: reading.id, sensor: 'boiler', celsius: 71.5 }], { keepLast: 500 });
   * ```
   *
   * @throws TypeError when a row has no key or one the table (or another new row) has, or
   * `keepLast` is not a whole number from 1; nothing is added then.
   */
  addRows(rows: readonly Row[], options: { keepLast?: number } = {}): void {
    const { keepLast } = options;
    const problem = keepLastProblem(keepLast);
    if (problem) throw new TypeError(problem);
    const keys = new Set(this.rows.map((row) => this.keyOf(row)));
    for (const row of rows) this.addKey(keys, row);
    const dropsNone = keepLast === undefined || keys.size <= keepLast;
    if (rows.length === 0 && dropsNone) return;
    this.appendToProp('rows', [], rows as unknown as JsonValue[], keepLast);
    if (!dropsNone) this.keepSelection(new Set(this.rows.map((row) => this.keyOf(row))));
  }

  /**
   * Removes the row with this key, and the key from the selection. Tabs get the whole
   * `rows` again (rows after it move up, so no single change says it): fine now and then,
   * not for a table that loses a row every second; prefer `keepLast` of
   * {@link QTable.addRows} for a sliding window.
   *
   * @throws TypeError when the table has no row with this key.
   */
  removeRow(key: QTableKey): void {
    if (this.rowByKey(key) === undefined) throw this.noRow(key);
    this.rows = this.rows.filter((row) => keyOfRow(row, this.rowKey) !== key);
  }

  /** A row's key, or why it has none. */
  private keyOf(row: Row): QTableKey {
    const key = keyOfRow(row, this.rowKey);
    if (key === undefined)
      throw new TypeError(`a row of QTable ${this.id} has no ${this.rowKey} (text or a number)`);
    return key;
  }

  /** Adds a row's key to the keys of the table's rows, refusing one it has. */
  private addKey(keys: Set<QTableKey>, row: Row): void {
    const key = this.keyOf(row);
    if (keys.has(key))
      throw new TypeError(`two rows of QTable ${this.id} have the ${this.rowKey} ${key}`);
    keys.add(key);
  }

  private noRow(key: QTableKey): TypeError {
    return new TypeError(`QTable ${this.id} has no row with the ${this.rowKey} ${key}`);
  }

  /** Keeps selected only rows with one of these keys (those the table still has). */
  private keepSelection(keys: ReadonlySet<QTableKey>): void {
    const kept = this.value.filter((key) => keys.has(key));
    if (kept.length !== this.value.length) this.value = kept;
  }

  /** The columns as given (with their names and labels filled in). */
  get columns(): readonly QTableColumn<Row>[] {
    return (this.getProp('columns') as QTableColumn<Row>[] | undefined) ?? [];
  }
  set columns(columns: readonly QTableColumn<Row>[]) {
    const filled = columns.map((column) => ({
      ...column,
      name: column.name ?? column.field,
      label: column.label ?? column.field,
    }));
    const names = new Set(filled.map((column) => column.name));
    if (names.size !== filled.length)
      throw new TypeError(`two columns of QTable ${this.id} have one name`);
    this.setQuasarProp('columns', filled as unknown as JsonValue);
  }

  get title(): string {
    return (this.getProp('title') as string | undefined) ?? '';
  }
  set title(value: string) {
    this.setQuasarProp('title', value);
  }

  /** Whether a tab may select rows: `none`, `single` or `multiple`. */
  get selection(): 'none' | 'single' | 'multiple' {
    return (this.getProp('selection') as 'single' | 'multiple' | undefined) ?? 'none';
  }

  /** The selected rows, in the table's order; assigning selects those rows. */
  get selected(): Row[] {
    const keys = new Set(this.value);
    return this.rows.filter((row) => keys.has(keyOfRow(row, this.rowKey) as QTableKey));
  }
  set selected(rows: readonly Row[]) {
    this.value = rows.map((row) => keyOfRow(row, this.rowKey) as QTableKey);
  }

  /** The row with this key, if the table has it. */
  rowByKey(key: QTableKey): Row | undefined {
    return this.rows.find((row) => keyOfRow(row, this.rowKey) === key);
  }

  /**
   * Binds a handler to a click on a row (`row-click`, asking for its arguments); it finds
   * the row with {@link QTable.clickedRow}.
   */
  onRowClick(handler: HandlerFor<this, 'row-click', 'args'>): this {
    return this.on('row-click', handler, { props: ['args'] });
  }

  /**
   * The row a `row-click` event was about: this table's own row whose key the tab sent (not
   * what the tab sent as the row), or `undefined` when the table has no such row (any more).
   */
  clickedRow(msg: { readonly event: EventProperties<'args'> }): Row | undefined {
    const sent = msg.event.args[1];
    if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) return undefined;
    const key = sent[this.rowKey];
    return typeof key === 'string' || typeof key === 'number' ? this.rowByKey(key) : undefined;
  }

  protected emptyValue(): QTableKey[] {
    return [];
  }

  /** @internal The keys of rows of this table, one at most with `single` selection. */
  acceptValue(value: FormValue): QTableKey[] {
    const selection = this.selection;
    if (selection === 'none') throw wrongValue(this, 'no selection');
    if (!Array.isArray(value)) throw wrongValue(this, 'row-key list');
    const keys = [...new Set(value)];
    if (selection === 'single' && keys.length > 1) throw wrongValue(this, 'one row key at most as');
    const known = new Set(this.rows.map((row) => keyOfRow(row, this.rowKey)));
    if (!keys.every((key) => known.has(key))) throw wrongValue(this, 'keys of its own rows as');
    return keys;
  }
}

/** The key of a row, if it has one that can be. */
function keyOfRow(row: object, field: string): QTableKey | undefined {
  const key = (row as Record<string, unknown>)[field];
  return typeof key === 'string' || (typeof key === 'number' && Number.isFinite(key))
    ? key
    : undefined;
}
