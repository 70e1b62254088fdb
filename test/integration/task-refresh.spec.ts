/**
 * A long-running task sees what others changed only after `ctx.refresh()`: without it, the
 * components it got stay as first read; with it, each round reads the store again, and
 * whatever the task changed but did not `update()` is committed, not lost.
 */
import 'reflect-metadata';
import { DynamicModule, INestApplication, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { defineShared, Div, OnStartup, PushpageModule, TaskContext } from 'pushpage';
import { PUSHPAGE_STORE, PushpageStore } from '../../libs/pushpage/src/store/store';
import { UnitOfWork } from '../../libs/pushpage/src/engine/unit-of-work';
import { waitFor } from '../support/ports';
import { RedisServer } from '../support/redis-server';

jest.setTimeout(30_000);

const COUNTER = defineShared('test:refresh-counter', () => new Div({ text: '0' }));
const ROUNDS = defineShared('test:refresh-rounds', () => new Div({ text: '' }));

@Injectable()
class Watchers {
  /** What the task that never refreshes read in each round. */
  readonly kept: string[] = [];
  /** What the task that refreshes read in each round. */
  readonly refreshed: string[] = [];

  @OnStartup({ name: 'keeps' })
  async keeps(ctx: TaskContext): Promise<void> {
    do this.kept.push((await ctx.shared(COUNTER)).text);
    while (await ctx.sleep(20));
  }

  @OnStartup({ name: 'refreshes' })
  async refreshes(ctx: TaskContext): Promise<void> {
    let round = 0;
    do {
      await ctx.refresh();
      this.refreshed.push((await ctx.shared(COUNTER)).text);
      // changed without update(): the next refresh must commit it
      (await ctx.shared(ROUNDS)).text = `round ${++round}`;
    } while (await ctx.sleep(20));
  }
}

function appModule(redisUrl?: string): DynamicModule {
  @Module({})
  class RefreshModule {}
  return {
    module: RefreshModule,
    imports: [PushpageModule.forRoot({ sessionSecret: 'test-secret-0123456789', redisUrl })],
    providers: [Watchers],
  };
}

describe.each(['memory', 'redis'])('ctx.refresh() in a long-running task, %s store', (kind) => {
  let redis: RedisServer | undefined;
  let app: INestApplication;
  let store: PushpageStore;

  beforeAll(async () => {
    if (kind === 'redis') redis = await RedisServer.start();
    app = await NestFactory.create(appModule(redis?.url), { logger: false });
    await app.init();
    store = app.get<PushpageStore>(PUSHPAGE_STORE);
  });
  afterAll(async () => {
    await app?.close();
    await redis?.stop();
  });

  /** Reads a shared component as a handler on another replica would. */
  async function read(definition: typeof COUNTER): Promise<string> {
    return (await new UnitOfWork(store, null).shared(definition)).text;
  }

  it('shows the task what others changed, and commits what the task left un-updated', async () => {
    const watchers = app.get(Watchers);
    await waitFor(
      'both tasks running',
      () => watchers.kept.length > 0 && watchers.refreshed.length > 0,
    );

    const other = new UnitOfWork(store, null);
    const counter = await other.shared(COUNTER);
    counter.text = '5';
    await other.flush();

    await waitFor('the refreshing task to read 5', () => watchers.refreshed.includes('5'));
    const keptRounds = watchers.kept.length;
    await waitFor('the keeping task to go on', () => watchers.kept.length > keptRounds + 2);
    expect(new Set(watchers.kept)).toEqual(new Set(['0']));

    await waitFor('the rounds the task never updated to be stored', async () =>
      /^round \d+$/.test(await read(ROUNDS)),
    );
  });
});
