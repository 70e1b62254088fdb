import { Component, FieldChange, nearestScope } from '../model/component';
import type { CommitRequest } from '../store/store';
import { nodesOf } from './component-tree';
import { ScopeJoin, ScopePatch, WireOp } from './patch';

/** A change a unit of work tracked, in the order it was made. */
export type TrackedChange =
  | { kind: 'field'; component: Component; field: FieldChange }
  | { kind: 'insert'; parent: Component; child: Component; index: number }
  | { kind: 'remove'; parent: Component; child: Component }
  /** A stored component became a scope of its own (JustPy's `add_page`). */
  | { kind: 'scope'; component: Component };

/** What a commit did besides its changes, as far as its patches show it. */
export interface CommitFacts {
  /** How many changes, from the first, are values the tab `origin` (a socket) typed. */
  typed?: { count: number; origin?: string };
  /** Components the commit creates: the patch that inserts one carries its nodes. */
  created: ReadonlySet<Component>;
}

/** What tabs are sent for a commit, before the store numbers the scopes' new versions. */
export interface CommitPatches {
  /** One patch per scope the changes touch, in order of first change, each at version 0. */
  patches: ScopePatch[];
  /** Scopes whose tabs start receiving the patches of another scope. */
  joins: ScopeJoin[];
}

/**
 * The patches of a commit's changes, read from the components as they are at commit time
 * (a change's scope is the one its component is in now). Every change raises its scope's
 * version, custom data too, since commits validated against the scope must see it: a change
 * tabs do not render makes its scope's patch without adding an op to it.
 */
export function buildPatches(changes: readonly TrackedChange[], facts: CommitFacts): CommitPatches {
  const patches = new Map<string, ScopePatch>();
  const joins: ScopeJoin[] = [];
  const typedCount = facts.typed?.count ?? 0;
  for (const [index, change] of changes.entries()) {
    if (change.kind === 'scope') {
      const parent = change.component._s.parent;
      const outer = parent ? nearestScope(parent) : null;
      if (outer) joins.push({ scope: outer.id, joins: change.component.id });
    }
    const scope = nearestScope(targetOf(change));
    if (!scope) continue;
    let patch = patches.get(scope.id);
    if (!patch) {
      patch = { s: scope.id, v: 0, o: [] };
      patches.set(scope.id, patch);
    }
    const op = wireOpOf(change);
    if (!op) continue;
    patch.o.push(op);
    // typed values come first in the changes, so first in each patch
    if (index < typedCount && facts.typed?.origin) {
      patch.src = facts.typed.origin;
      patch.t = (patch.t ?? 0) + 1;
    }
    if (change.kind !== 'insert') continue;
    if (facts.created.has(change.child)) (patch.n ??= []).push(...nodesOf(change.child));
    if (change.child._s.scope) joins.push({ scope: scope.id, joins: change.child.id });
  }
  return { patches: [...patches.values()], joins };
}

/** The component whose scope a change's patch goes to. */
function targetOf(change: TrackedChange): Component {
  return change.kind === 'insert' || change.kind === 'remove' ? change.parent : change.component;
}

/** The op tabs apply for a change; none for custom data and for becoming a scope. */
export function wireOpOf(change: TrackedChange): WireOp | undefined {
  switch (change.kind) {
    case 'field':
      return fieldOpOf(change.component.id, change.field);
    case 'insert':
      return ['ins', change.parent.id, change.index, change.child.id];
    case 'remove':
      return ['rm', change.parent.id, change.child.id];
    case 'scope':
      return undefined;
  }
}

function fieldOpOf(id: string, field: FieldChange): WireOp | undefined {
  switch (field.kind) {
    case 'prop':
      if (field.value === undefined) return ['unset', id, field.name];
      if (field.delta?.op === 'put')
        return ['put', id, field.name, [...field.delta.path], field.delta.value];
      if (field.delta?.op === 'push') {
        const { path, items, keepLast } = field.delta;
        return keepLast === undefined
          ? ['push', id, field.name, [...path], [...items]]
          : ['push', id, field.name, [...path], [...items], keepLast];
      }
      return ['set', id, field.name, field.value];
    case 'event':
      if (field.handler === undefined) return ['off', id, field.type];
      if (field.throttle !== undefined)
        return ['on', id, field.type, [...(field.props ?? [])], field.throttle];
      return field.props && field.props.length > 0
        ? ['on', id, field.type, [...field.props]]
        : ['on', id, field.type];
    case 'data':
    case 'binding':
      return undefined;
  }
}

/** The catch-up log entries of a commit's patches: each patch without its scope and version. */
export function patchLog(patches: readonly ScopePatch[]): NonNullable<CommitRequest['log']> {
  return patches.map(({ s, o, n, src, t }) => ({
    scope: s,
    body: JSON.stringify({ o, n, src, t }),
  }));
}

/**
 * The patches to push once the commit gave their scopes new versions; a patch whose scope
 * got none (the store skipped it) is left out.
 */
export function numberedPatches(
  patches: readonly ScopePatch[],
  versions: Readonly<Record<string, number>>,
): ScopePatch[] {
  const numbered: ScopePatch[] = [];
  for (const patch of patches) {
    const version = versions[patch.s];
    if (version !== undefined) numbered.push({ ...patch, v: version });
  }
  return numbered;
}

/** A property of a component, as `propKeysOf` names it. */
function propKey(component: Component, name: string): string {
  return `${component.id} ${name}`;
}

/**
 * The properties the changes set, by scope (`<component id> <prop>`); with `partsOnly`, only
 * those of stored components sent in part (a `put` or `push`), which are right for tabs only
 * on top of the value the writer changed.
 */
export function propKeysOf(
  changes: readonly TrackedChange[],
  partsOnly?: { created: ReadonlySet<Component> },
): Map<string, Set<string>> {
  const keys = new Map<string, Set<string>>();
  for (const change of changes) {
    if (change.kind !== 'field' || change.field.kind !== 'prop') continue;
    if (partsOnly && (!change.field.delta || partsOnly.created.has(change.component))) continue;
    const scope = nearestScope(change.component);
    if (!scope) continue;
    let set = keys.get(scope.id);
    if (!set) keys.set(scope.id, (set = new Set()));
    set.add(propKey(change.component, change.field.name));
  }
  return keys;
}

/** The changes with the property parts in `scopes` sent whole instead (a `set`). */
export function wholeIn(
  changes: readonly TrackedChange[],
  scopes: ReadonlySet<string>,
): TrackedChange[] {
  return changes.map((change) => {
    if (change.kind !== 'field' || change.field.kind !== 'prop' || !change.field.delta)
      return change;
    const scope = nearestScope(change.component);
    if (!scope || !scopes.has(scope.id)) return change;
    const { name, value } = change.field;
    return { ...change, field: { kind: 'prop', name, value } };
  });
}
