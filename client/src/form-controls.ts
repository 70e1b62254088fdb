import type { LiveNode } from './tree';
import type { FormValue } from './types';

/** Whether a node is a checkbox or radio button, whose value is whether it is checked. */
export function isCheckable(node: Pick<LiveNode, 't' | 'p'>): boolean {
  return node.t === 'input' && (node.p.type === 'checkbox' || node.p.type === 'radio');
}

/** What a form control's element holds now: `checked` for checkables, else its text. */
export function controlValueOf(
  node: Pick<LiveNode, 't' | 'p'>,
  target: EventTarget | null,
): FormValue {
  const el = target as { value?: unknown; checked?: unknown } | null;
  if (isCheckable(node)) return el?.checked === true;
  return el && typeof el.value === 'string' ? el.value : '';
}

/**
 * The element props that show a control's value: `checked` for checkables (their `value`
 * attribute is a radio button's `choice`), else `value`.
 */
export function valueProps(node: Pick<LiveNode, 't' | 'p'>): Record<string, unknown> {
  if (!isCheckable(node)) return { value: node.p.value ?? '' };
  const props: Record<string, unknown> = { checked: node.p.value === true };
  if (typeof node.p.choice === 'string') props.value = node.p.choice;
  return props;
}
