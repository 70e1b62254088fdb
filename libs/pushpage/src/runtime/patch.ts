import { ClientNode } from '../components/serialize';
import { JsonValue } from '../components/json';

/**
 * One change as the browser applies it:
 * - `['set', id, prop, value]` / `['unset', id, prop]`: a rendering prop;
 * - `['on', id, event]` / `['off', id, event]`: an event listener;
 * - `['ins', parentId, index, childId]`: insert a child (-1: append); the patch's nodes
 *   describe new children;
 * - `['rm', parentId, childId]`: remove a child.
 */
export type WireOp =
  | ['set', string, string, JsonValue]
  | ['unset', string, string]
  | ['on', string, string]
  | ['off', string, string]
  | ['ins', string, number, string]
  | ['rm', string, string];

/** What the server pushes for one scope (a page or a shared element) after a commit. */
export interface ScopePatch {
  /** the scope: a page id or a shared element id */
  s: string;
  /** the scope's version after this patch */
  v: number;
  /** the changes, in commit order */
  o: WireOp[];
  /** nodes of components this patch inserts */
  n?: ClientNode[];
  /** the socket whose typing produced these values; it keeps its own text */
  src?: string;
}

/** A whole page as the browser needs it to render. */
export interface PageSnapshot {
  pageId: string;
  nodes: ClientNode[];
  /** version of the page and of every shared element on it */
  versions: Record<string, number>;
}

/** Pushes patches to the tabs that show their scopes. */
export interface Publisher {
  publish(patches: ScopePatch[], joins: ScopeJoin[]): void;
}

/** Tabs of `scope` start receiving the patches of `joins` (a shared element was added). */
export interface ScopeJoin {
  scope: string;
  joins: string;
}

/** Injection token of the publisher. */
export const PUSHPAGE_PUBLISHER = Symbol('PUSHPAGE_PUBLISHER');
