import { Component } from '../model/component';

/** A component shared by every page and replica, found by a stable name. */
export interface SharedDefinition<T extends Component> {
  readonly name: string;
  readonly factory: () => T;
}

/**
 * Declares a shared component (JustPy's module-level component with `delete_flag=False`).
 * The factory runs once per cluster, the first time any replica asks for the name; every
 * later request, on any replica, gets the stored component. Build everything the shared
 * component starts with (the welcome message of a message board) inside the factory, and
 * it is created exactly once.
 *
 * ```ts
 * const BOARD = defineShared('message-board', () => new Div({ classes: 'm-2 border' }));
 * // in a render or handler:  const board = await req.shared(BOARD);
 * ```
 */
export function defineShared<T extends Component>(
  name: string,
  factory: () => T,
): SharedDefinition<T> {
  if (!/^[\w.:/-]{1,128}$/.test(name)) {
    throw new Error(`shared name "${name}" must be 1-128 letters, digits, or . : / - _`);
  }
  return { name, factory };
}
