import { DocBroadcast, ScopePatch } from '../protocol';

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

/** Pushes an edit of a collaborative document to the tabs of its scope (but `except`). */
export interface DocumentPublisher {
  publishDoc(scope: string, message: DocBroadcast, except?: string): void;
}

/** Injection token of the document publisher. */
export const PUSHPAGE_DOC_PUBLISHER = Symbol('PUSHPAGE_DOC_PUBLISHER');
