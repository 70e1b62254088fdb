import type { EventSender } from './events';
import type { LiveNode } from './tree';
import type { FormValue, JsonValue } from './types';

type RowKey = string | number;

function keyOf(row: unknown, field: string): RowKey | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const key = (row as Record<string, unknown>)[field];
  return typeof key === 'string' || typeof key === 'number' ? key : undefined;
}

/**
 * A `q-table`'s selection: the server keeps the selected rows' keys (its value), the table
 * takes and emits the rows themselves (`selected`, `update:selected`).
 */
function tableSelection(node: LiveNode, sender: EventSender): Record<string, unknown> {
  const field = typeof node.p.rowKey === 'string' ? node.p.rowKey : 'id';
  const keys = new Set<JsonValue>(Array.isArray(node.p.value) ? node.p.value : []);
  const rows = Array.isArray(node.p.rows) ? node.p.rows : [];
  return {
    selected: rows.filter((row) => {
      const key = keyOf(row, field);
      return key !== undefined && keys.has(key);
    }),
    'onUpdate:selected': (selected: unknown) => {
      const chosen = Array.isArray(selected) ? selected : [];
      sender.valueChanged(
        node,
        chosen.map((row) => keyOf(row, field)).filter((key) => key !== undefined),
      );
    },
  };
}

/**
 * The Vue props that show a Quasar control's value and send it when the user changes it:
 * `modelValue` and its update for most, the selection of a `q-table`.
 */
export function quasarModelProps(node: LiveNode, sender: EventSender): Record<string, unknown> {
  if (node.t === 'q-table') return tableSelection(node, sender);
  return {
    modelValue: node.p.value ?? null,
    'onUpdate:modelValue': (value: FormValue) => sender.valueChanged(node, value),
  };
}
