import { applyBinding, valueForControl } from '../model/binding';
import { Component } from '../model/component';
import { FormControl } from '../model/html';
import { FormValue } from '../protocol';

/**
 * How deep one change may ripple through bindings (a control bound to a control bound to
 * ...); every step also stops where a value is already in place, so cycles end at once.
 */
const MAX_RIPPLE = 16;

/**
 * Keeps form controls and the properties they are bound to in step, both ways, among the
 * components one unit of work has loaded: when a bound control's value changes its target
 * takes it, and when a target changes every control bound to it takes the new value. Runs
 * as each change is recorded, so a handler reads consistent state right away, and the
 * followers' changes commit with the change that caused them.
 */
export class ValueBindings {
  /** Bound controls by the id of the component they are bound to. */
  private readonly byTarget = new Map<string, Set<FormControl<FormValue>>>();
  /** Where each indexed control is bound now (to move it when its binding changes). */
  private readonly targetOf = new Map<FormControl<FormValue>, string>();
  private held: Component[] | undefined;
  private depth = 0;

  constructor(
    private readonly loaded: ReadonlyMap<string, Component>,
    /** Runs `work` without its reads counting as the handler's (see `UnitOfWork.recordRead`). */
    private readonly unobserved: (work: () => void) => void,
  ) {}

  /**
   * A component came into the unit of work, or its binding changed: the index follows. Called
   * for each component as it is loaded or adopted, so the index is never rebuilt by a scan.
   */
  note(component: Component): void {
    if (!(component instanceof FormControl)) return;
    const control = component as FormControl<FormValue>;
    const was = this.targetOf.get(control);
    const now = control._s.binding?.to;
    if (was === now) return;
    if (was !== undefined) {
      this.byTarget.get(was)?.delete(control);
      this.targetOf.delete(control);
    }
    if (now === undefined) return;
    const controls = this.byTarget.get(now) ?? new Set();
    controls.add(control);
    this.byTarget.set(now, controls);
    this.targetOf.set(control, now);
  }

  /**
   * Runs `apply` with changes held, then lets bindings follow them: the changes `apply`
   * makes come first in the commit (values a tab typed, which that tab does not need back).
   */
  holding(apply: () => void): void {
    const outer = this.held;
    this.held = outer ?? [];
    try {
      apply();
    } finally {
      if (!outer) {
        const held = this.held;
        this.held = undefined;
        for (const component of new Set(held)) this.changed(component);
      }
    }
  }

  /** A rendering property or a data field of `component` changed. */
  changed(component: Component): void {
    // most changes touch no binding: nothing to do, and nothing allocated
    const followers = this.byTarget.get(component.id);
    if (!component._s.binding && (!followers || followers.size === 0)) return;
    if (this.held) {
      this.held.push(component);
      return;
    }
    if (this.depth >= MAX_RIPPLE) return;
    this.depth++;
    try {
      this.unobserved(() => {
        this.pushToTarget(component);
        for (const control of [...(followers ?? [])])
          // a control deleted by an earlier commit of this unit of work follows nothing
          if (this.loaded.get(control.id) === control) follow(control, component);
      });
    } finally {
      this.depth--;
    }
  }

  /** A bound control's value goes to its target, if the target is loaded. */
  private pushToTarget(component: Component): void {
    const binding = component._s.binding;
    if (!binding || !(component instanceof FormControl)) return;
    const target = this.loaded.get(binding.to);
    if (target) applyBinding(target, binding, (component as FormControl<FormValue>).value);
  }
}

/** A control takes its target's bound value, if it can hold it and does not already. */
function follow(control: FormControl<FormValue>, target: Component): void {
  const binding = control._s.binding;
  if (!binding || binding.to !== target.id) return;
  const value = valueForControl(control, target, binding);
  if (value === undefined || JSON.stringify(value) === JSON.stringify(control.value)) return;
  control.value = value;
  control.valueApplied();
}
