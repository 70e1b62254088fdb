import { Component } from '../components/component';
import { SharedDefinition } from '../runtime/shared';
import { UnitOfWork } from '../runtime/unit-of-work';

/** What a startup hook or background task works with. */
export class TaskContext {
  constructor(
    /** Aborted when the task must stop: shutdown, or its cluster lease was lost. */
    readonly signal: AbortSignal,
    private readonly uow: UnitOfWork,
  ) {}

  /** A shared component or page (see `defineShared`), ready to change and `update()`. */
  shared<T extends Component>(definition: SharedDefinition<T>): Promise<T> {
    return this.uow.shared(definition);
  }

  /** Waits `ms` milliseconds; resolves `false` at once if the task must stop. */
  sleep(ms: number): Promise<boolean> {
    const signal = this.signal;
    if (signal.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve(false);
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve(true);
      }, ms);
      signal.addEventListener('abort', onAbort, { once: true });
    });
  }
}
