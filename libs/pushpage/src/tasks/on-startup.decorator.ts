/** Where a startup hook or task runs. */
export interface OnStartupOptions {
  /**
   * `replica` (default): on every replica. `cluster`: on exactly one replica at a time,
   * elected by a lease in the store; another replica takes over within seconds when the
   * holder dies. A `cluster` task that returns keeps its lease (it ran once for the cluster);
   * one that throws gives the lease up and runs again after 1 s, 2 s, 4 s, ... (at most a
   * minute), on whichever replica takes it.
   */
  once?: 'replica' | 'cluster';
  /** Name of the lease (default `ClassName.method`). */
  name?: string;
}

/** @internal */
export const ON_STARTUP = Symbol('pushpage:on-startup');

/**
 * Runs a provider method once the app has started (JustPy's `startup`), with a
 * `TaskContext`. It may run for as long as it likes: loop with `ctx.sleep()` and stop when
 * `ctx.signal` aborts (shutdown, or the lease was lost).
 */
export function OnStartup(options: OnStartupOptions = {}): MethodDecorator {
  return (target, key) => {
    Reflect.defineMetadata(ON_STARTUP, options, target, key);
  };
}
