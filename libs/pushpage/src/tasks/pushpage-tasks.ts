import { Injectable } from '@nestjs/common';
import { OnStartupOptions } from './on-startup.decorator';
import { TaskFunction, TasksService } from './tasks.service';

/**
 * Starts background tasks from anywhere in the app, not only at start-up (JustPy's
 * `run_task`): inject it, then `tasks.run(async (ctx) => { ... })` from a handler or a
 * service. The task gets a {@link TaskContext} like an `@OnStartup()` one: it ends when its
 * function returns or when the app shuts down (`ctx.signal`, `ctx.sleep()`), and its errors
 * are logged, never thrown into the caller.
 *
 * A task runs on the replica that started it. With `once: 'cluster'` it runs on one replica
 * at a time, under a lease named after the task, and moves to another replica if that one
 * dies; start such a task with the same `name` on every replica (each start takes part in
 * the election).
 */
@Injectable()
export class PushpageTasks {
  constructor(private readonly tasks: TasksService) {}

  /** Starts `task` now; `options.name` names it in logs and, with `once`, its lease. */
  run(task: TaskFunction, options: OnStartupOptions = {}): void {
    this.tasks.runTask(task, options);
  }
}
