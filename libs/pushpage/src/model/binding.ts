import { PushpageError } from '../errors';
import { FormValue } from '../protocol';
import { Component, ComponentData } from './component';

/**
 * Where a form control's value goes when a tab changes it, as stored with the control (the
 * field `b:value`): a rendering property or a custom data key of another component.
 */
export type ValueBinding = { to: string; prop: string } | { to: string; data: string };

/** Whether two types are the same (to tell `readonly` properties from writable ones). */
type Same<X, Y> =
  (<T>() => T extends X ? 1 : 2) extends <T>() => T extends Y ? 1 : 2 ? true : false;

/** The keys of `T` that can be assigned (not getters alone, not `readonly`). */
type WritableKeys<T> = {
  [K in keyof T]-?: Same<{ [Q in K]: T[K] }, { -readonly [Q in K]: T[K] }> extends true ? K : never;
}[keyof T];

/** Properties a binding may never write: they render HTML unsanitized. */
type UnbindableProp = 'unsafeInnerHtml';

/**
 * The properties of component `T` a control whose value is a `V` can be bound to: those that
 * can be assigned a `V` (a text input to `text`, a switch to `show`).
 */
export type BindableProp<T, V> = Exclude<
  {
    [K in WritableKeys<T>]-?: [V] extends [T[K]]
      ? T[K] extends (...args: never[]) => unknown
        ? never
        : K
      : never;
  }[WritableKeys<T>],
  UnbindableProp
> &
  string;

/** The custom data keys of component `T` that can hold a `V`. */
export type BindableData<T, V> =
  T extends Component<infer D>
    ? { [K in keyof D]-?: [V] extends [D[K]] ? K : never }[keyof D] & string
    : never;

const UNBINDABLE: ReadonlySet<string> = new Set<UnbindableProp>(['unsafeInnerHtml']);

/** Whether `prop` is a property components of this kind let code assign (a setter). */
function hasSetter(component: Component, prop: string): boolean {
  for (
    let proto: object | null = component;
    proto;
    proto = Object.getPrototypeOf(proto) as object
  ) {
    const descriptor = Object.getOwnPropertyDescriptor(proto, prop);
    if (descriptor) return typeof descriptor.set === 'function';
  }
  return false;
}

/**
 * @internal Checks a binding before it is stored; throws an error naming the problem (the
 * types stop these at compile time; this stops code that went around them).
 */
export function checkBinding(target: Component, binding: ValueBinding): void {
  if ('prop' in binding && (UNBINDABLE.has(binding.prop) || !hasSetter(target, binding.prop))) {
    throw new TypeError(
      `a form control cannot be bound to ${binding.prop} of ${target.constructor.name}: ` +
        'bind to a property it lets code assign (text, classes, show, ...)',
    );
  }
  if ('data' in binding && binding.data === '')
    throw new TypeError('a form control cannot be bound to an empty data key');
}

/** @internal The bound value as the target sees it now (to skip writes that change nothing). */
export function currentValue(target: Component, binding: ValueBinding): unknown {
  return 'prop' in binding
    ? (target as unknown as Record<string, unknown>)[binding.prop]
    : (target.data as ComponentData)[binding.data];
}

/**
 * @internal Writes a value a tab gave a bound control into the binding's target, through the
 * target's own setter (so its checks hold). A value the target refuses is a `bad-request`.
 */
export function applyBinding(target: Component, binding: ValueBinding, value: FormValue): void {
  if (JSON.stringify(currentValue(target, binding)) === JSON.stringify(value)) return;
  try {
    checkBinding(target, binding);
    if ('prop' in binding) (target as unknown as Record<string, unknown>)[binding.prop] = value;
    else (target.data as ComponentData)[binding.data] = value;
  } catch (error) {
    const where = 'prop' in binding ? binding.prop : `data.${binding.data}`;
    throw new PushpageError(
      'bad-request',
      `the value cannot be set on ${where} of component ${target.id}, which the control is ` +
        `bound to: ${error instanceof Error ? error.message : String(error)}; nothing was changed`,
    );
  }
}

/** What a bound control needs to take a value from its target. */
interface ValueTaker {
  acceptValue(value: FormValue): FormValue;
}

/**
 * @internal The target's bound value as the control would hold it, or `undefined` when the
 * target has none or the control cannot hold it (a number where text goes, text past the
 * control's `maxLength`): the control then keeps its own value.
 */
export function valueForControl(
  control: ValueTaker,
  target: Component,
  binding: ValueBinding,
): FormValue | undefined {
  const value = currentValue(target, binding);
  if (value === undefined) return undefined;
  try {
    return control.acceptValue(value as FormValue);
  } catch {
    return undefined;
  }
}
