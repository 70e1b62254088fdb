import { ScopePatch } from '../protocol';

export type { ClientNode, PageSnapshot, ScopePatch, WireOp } from '../protocol';

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
