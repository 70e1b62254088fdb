import { StoredComponent } from '../store';

/** Fields of a scope's head that belong to the store, not to the component. */
const HEAD_SYSTEM = new Set(['t', 'v', 'k', 'x', 'de', 'dv', 'db', 'f', 'b']);
/** Fields of a component inside a scope that belong to the store. */
const INSIDE_SYSTEM = new Set(['t', 'k', 'dv', 'db']);

function childList(text: string | undefined): string[] {
  return text ? text.split(' ') : [];
}

/** What a scope's head says without its components: version, edits, scopes shown inside. */
export interface ScopeHead {
  type: string;
  version: number;
  edits: number;
  /** other scopes shown inside this one */
  shown: string[];
}

/** The head of a scope from `HMGET head t v de x`; `null` if it does not exist. */
export function headOf(values: (string | null)[]): ScopeHead | null {
  const [type, version, edits, shown] = values;
  if (!type) return null;
  return {
    type,
    version: Number(version ?? 0),
    edits: Number(edits ?? 0),
    shown: [...new Set(childList(shown ?? undefined))],
  };
}

/** A scope's own record from its head hash; `null` if it does not exist. */
export function headRecord(
  scopeId: string,
  head: Record<string, string>,
  withChildren: boolean,
): StoredComponent | null {
  if (!head.t) return null;
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(head))
    if (!HEAD_SYSTEM.has(name)) fields[name] = value;
  const children = childList(head.k);
  const record: StoredComponent = {
    id: scopeId,
    type: head.t,
    parent: null,
    children: withChildren ? children : null,
    scope: true,
    version: Number(head.v ?? 0),
    fields,
  };
  if (!withChildren) record.childCount = children.length;
  if (head.de) record.edits = Number(head.de);
  if (head.b) record.bytes = Number(head.b);
  return record;
}

/**
 * The components inside a scope from its inside hash (`<id>|<name>` fields), with their
 * parents taken from the child lists; fields of a component without a type (left over by a
 * write that raced its deletion) are not a component.
 */
export function insideRecords(
  head: StoredComponent,
  inside: Record<string, string>,
): Map<string, StoredComponent> {
  const records = new Map<string, StoredComponent>();
  const byId = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(inside)) {
    const bar = key.indexOf('|');
    const id = key.slice(0, bar);
    let fields = byId.get(id);
    if (!fields) byId.set(id, (fields = {}));
    fields[key.slice(bar + 1)] = value;
  }
  for (const [id, stored] of byId) {
    if (!stored.t) continue;
    const fields: Record<string, string> = {};
    for (const [name, value] of Object.entries(stored))
      if (!INSIDE_SYSTEM.has(name)) fields[name] = value;
    records.set(id, {
      id,
      type: stored.t,
      parent: null,
      children: childList(stored.k),
      scope: false,
      version: 0,
      fields,
    });
  }
  for (const parent of [head, ...records.values()])
    for (const child of parent.children ?? []) {
      const record = records.get(child);
      if (record) record.parent = parent.id;
    }
  return records;
}
