/**
 * `PushpageTasks.run()` starts a task from app code at any time (JustPy's `run_task`): the
 * task's changes reach the store, a failing task is logged and leaves the app running, and
 * shutting the app down stops a task that loops.
 */
import 'reflect-metadata';
import { INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { defineShared, Div, PushpageModule, PushpageTasks, TaskContext } from 'pushpage';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import { UnitOfWork } from '../../libs/pushpage/src/engine/unit-of-work';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

const STATUS = defineShared('test:task-run-status', () => new Div({ text: 'idle' }));

@Injectable()
class Reports {
  rounds = 0;
  stoppedBySignal = false;

  constructor(readonly tasks: PushpageTasks) {}

  startReport(text: string): void {
    this.tasks.run(
      async (ctx: TaskContext) => {
        const status = await ctx.shared(STATUS);
        status.text = text;
        await status.update();
      },
      { name: 'report' },
    );
  }

  startLoop(): void {
    this.tasks.run(
      async (ctx) => {
        while (await ctx.sleep(10)) this.rounds += 1;
        this.stoppedBySignal = ctx.signal.aborted;
      },
      { name: 'loop' },
    );
  }
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789' })],
  providers: [Reports],
})
class TaskRunModule {}

describe('PushpageTasks.run()', () => {
  let app: INestApplication;
  let store: PushpageStore;

  beforeEach(async () => {
    app = await NestFactory.create(TaskRunModule, { logger: false });
    await app.init();
    store = app.get<PushpageStore>(PUSHPAGE_STORE);
  });
  afterEach(async () => {
    await app?.close();
  });

  async function status(): Promise<string> {
    return (await new UnitOfWork(store, null).shared(STATUS)).text;
  }

  it('runs a task started by app code and commits what it changes', async () => {
    expect(await status()).toBe('idle');
    app.get(Reports).startReport('report done');
    await waitFor('the task to store its report', async () => (await status()) === 'report done');
  });

  it('logs a failing task instead of throwing it into the caller', async () => {
    const tasks = app.get(PushpageTasks);
    expect(() =>
      tasks.run(
        () => {
          throw new Error('task failed on purpose');
        },
        { name: 'failing' },
      ),
    ).not.toThrow();
    app.get(Reports).startReport('still running');
    await waitFor('the next task to run', async () => (await status()) === 'still running');
  });

  it('stops a looping task when the app shuts down', async () => {
    const reports = app.get(Reports);
    reports.startLoop();
    await waitFor('the loop to go round', () => reports.rounds > 2);
    await app.close();
    expect(reports.stoppedBySignal).toBe(true);
    const rounds = reports.rounds;
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(reports.rounds).toBe(rounds);
  });
});
