import { Component } from '../model/component';
import { PushpageError } from '../errors';
import { SharedDefinition } from './shared';
import { UnitOfWork } from './unit-of-work';

/** How many times a change runs before a conflict is given up on (the tab sends it again). */
export const MAX_ATTEMPTS = 12;

/**
 * A random pause before the next attempt, growing with each (up to about 100 ms), so that
 * changes that collided spread out instead of colliding again.
 */
function retryPause(attempt: number): number {
  return Math.random() * Math.min(100, 2 ** attempt);
}

/**
 * Runs `attempt` (given its number, from 1) until it ends without its first commit meeting a
 * concurrent change (`conflicted()` tells), pausing a little more before each new attempt;
 * after {@link MAX_ATTEMPTS}, a `conflict` error the client sends again.
 */
export async function retryConflicts<T>(
  attempt: (n: number) => Promise<T>,
  conflicted: () => boolean,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (!conflicted()) throw error;
      if (n >= MAX_ATTEMPTS) {
        throw new PushpageError(
          'conflict',
          `what this change read kept changing meanwhile (${n} attempts); send it again`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, retryPause(n)));
    }
  }
}

/**
 * What a {@link EventMessage.transaction} or {@link TaskContext.transaction} change works
 * with: components read fresh for this attempt. Read and change them, and return; the
 * changes commit together only if nothing they were computed from changed meanwhile.
 */
export class Transaction {
  /** @internal Pushpage makes one for each attempt. */
  constructor(
    private readonly uow: UnitOfWork,
    private readonly page?: string,
  ) {}

  /** A shared component or page (see `defineShared`), as it is now. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }

  /**
   * A component by id, as it is now, with its page or shared element loaded around it: a
   * page or shared element itself, or a component on `within` (the id of a page or shared
   * element; by default the event's page in `msg.transaction`). Components are found through
   * the page or shared element that holds them, never by id alone.
   */
  async component<T extends Component = Component>(id: string, within?: string): Promise<T> {
    // the page first: most ids are of components on it, found with one load
    const scopes = within ? [within] : this.page ? [this.page, id] : [id];
    const { component } = await this.uow.loadWithScope(id, scopes);
    if (!component) throw new PushpageError('not-found', `component ${id} does not exist`);
    return component as T;
  }
}

/**
 * Runs `change` on fresh state and commits and pushes what it changed, validated: if
 * anything it read changed meanwhile, nothing is applied and it runs again on the new
 * state (up to {@link MAX_ATTEMPTS} times, then a `conflict` error).
 */
export function runTransaction<T>(
  newUnitOfWork: () => UnitOfWork,
  change: (tx: Transaction) => Promise<T> | T,
  page?: string,
): Promise<T> {
  let uow = newUnitOfWork();
  return retryConflicts(
    async (n) => {
      if (n > 1) uow = newUnitOfWork();
      uow.validateUntilNextCommit();
      const result = await change(new Transaction(uow, page));
      if (uow.conflicted) throw uow.conflicted;
      await uow.flush();
      return result;
    },
    () => uow.conflicted !== undefined,
  );
}
