/** Runs `step` after the previous step of the same tab; events of one tab keep their order. */
export type Sequencer = <T>(step: () => Promise<T>) => Promise<T>;

/** A tab's sequencer: each step starts once the one before it has settled, failed or not. */
export function sequencer(): Sequencer {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(step: () => Promise<T>): Promise<T> => {
    const run = tail.then(step);
    tail = run.catch(() => undefined);
    return run;
  };
}
