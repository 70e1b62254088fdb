/**
 * A store outage while cluster-once tasks hold their leases is logged once, as a warning, and
 * its end once; the tasks stop and run again when the store is back.
 */
import 'reflect-metadata';
import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnStartup, PushpageModule, TaskContext } from 'pushpage';
import { MemoryStore } from '../../libs/pushpage/src/store/memory/memory-store';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

@Injectable()
class Samplers {
  starts = { a: 0, b: 0, c: 0 };

  private async run(which: 'a' | 'b' | 'c', ctx: TaskContext): Promise<void> {
    this.starts[which] += 1;
    while (await ctx.sleep(100));
  }

  @OnStartup({ once: 'cluster' })
  a(ctx: TaskContext): Promise<void> {
    return this.run('a', ctx);
  }

  @OnStartup({ once: 'cluster' })
  b(ctx: TaskContext): Promise<void> {
    return this.run('b', ctx);
  }

  @OnStartup({ once: 'cluster' })
  c(ctx: TaskContext): Promise<void> {
    return this.run('c', ctx);
  }
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789' })],
  providers: [Samplers],
})
class TaskModule {}

describe('cluster-once tasks through a 5 s store outage', () => {
  let app: INestApplication;
  const warnings: string[] = [];
  const infos: string[] = [];

  /** While true, lease calls hang a while and fail, as a Redis client's do while it reconnects. */
  let outage = false;

  beforeAll(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => {
      warnings.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      infos.push(String(message));
    });
    jest.spyOn(Logger.prototype, 'debug').mockImplementation(() => undefined);
    // before the app starts: the metered store keeps the method it first sees
    const acquire = MemoryStore.prototype.acquireLease;
    jest.spyOn(MemoryStore.prototype, 'acquireLease').mockImplementation(function (
      this: MemoryStore,
      ...args
    ) {
      if (!outage) return acquire.apply(this, args);
      return new Promise((_, reject) =>
        setTimeout(() => reject(new Error('Connection is closed.')), 1500),
      );
    });
    app = await NestFactory.create(TaskModule, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    jest.restoreAllMocks();
  });

  it('warns once, says once that it is over, and runs the tasks again', async () => {
    const samplers = app.get(Samplers);
    await waitFor('every task running', () => Object.values(samplers.starts).every((n) => n === 1));
    // from here on: what the outage logs
    warnings.length = 0;
    infos.length = 0;
    outage = true;
    await new Promise((resolve) => setTimeout(resolve, 5000));
    outage = false;
    await waitFor('every task running again', () =>
      Object.values(samplers.starts).every((n) => n === 2),
    );
    expect(warnings).toEqual([
      expect.stringMatching(/^leases cannot be taken or renewed \(Connection is closed\.\)/),
    ]);
    expect(infos.filter((m) => m.includes('answers lease calls again'))).toHaveLength(1);
    expect(infos.filter((m) => m.includes('until the store answers again'))).toHaveLength(3);
  });
});
