/**
 * A cluster-once task that fails is run again (after a pause that grows with each failure),
 * instead of keeping its lease while doing nothing; one that keeps running is left alone.
 */
import 'reflect-metadata';
import { INestApplication, Injectable, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { OnStartup, PushpageModule, TaskContext } from 'pushpage';
import { waitFor } from '../support/ports';

jest.setTimeout(30_000);

@Injectable()
class FlakySampler {
  runs = 0;
  running = false;

  @OnStartup({ once: 'cluster' })
  async sample(ctx: TaskContext): Promise<void> {
    this.runs += 1;
    if (this.runs <= 2) throw new Error(`sampler failure ${this.runs}`);
    this.running = true;
    while (await ctx.sleep(100));
    this.running = false;
  }
}

@Module({
  imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789' })],
  providers: [FlakySampler],
})
class TaskModule {}

describe('a failing cluster-once task', () => {
  let app: INestApplication;
  const logged: string[] = [];

  beforeAll(async () => {
    const keep = (message: unknown) => {
      logged.push(String(message));
    };
    jest.spyOn(Logger.prototype, 'error').mockImplementation(keep);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(keep);
    app = await NestFactory.create(TaskModule, { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    jest.restoreAllMocks();
  });

  it('is run again after each failure until it runs, saying so in the logs', async () => {
    const sampler = app.get(FlakySampler);
    await waitFor('the third run', () => sampler.running, 15_000);
    expect(sampler.runs).toBe(3);
    expect(logged.filter((m) => m.includes('FlakySampler.sample failed'))).toHaveLength(2);
    expect(logged).toContainEqual(
      expect.stringMatching(/failed 1 time\(s\) in a row; retrying in 1000 ms/),
    );
    expect(logged).toContainEqual(
      expect.stringMatching(/failed 2 time\(s\) in a row; retrying in 2000 ms/),
    );
  });
});
