import type { DynamicModule, INestApplication, LogLevel, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { PushpageTestClient, TestClientOptions } from './test-client';
import type { TestPage } from './test-page';

/** Options of {@link createTestingApp}. */
export interface TestingAppOptions extends TestClientOptions {
  /**
   * Prepares the app before it listens, as your `main.ts` does (a global prefix, pipes,
   * middleware). A global prefix moves the REST API: give `apiPrefix` too.
   */
  configure?: (app: INestApplication) => void | Promise<void>;
  /**
   * Nest's log levels. Default errors only (start-up warnings, e.g. on options a test leaves
   * unset, stay out of the test's output); `false` for none.
   */
  logger?: LogLevel[] | false;
}

/** An app made by {@link createTestingApp}, listening on a free port of 127.0.0.1. */
export interface TestingApp {
  /** The Nest app, to get providers from (`app.get(MyService)`). */
  readonly app: INestApplication;
  /** Its base URL (`http://127.0.0.1:<port>`). */
  readonly url: string;
  /** A new client of the app: a session of its own. */
  client(): PushpageTestClient;
  /**
   * Opens a page of `route` in a new session (a new client's first page); `query` as in
   * {@link PushpageTestClient.open}.
   */
  open(route: string, query?: Record<string, string>): Promise<TestPage>;
  /** Closes the app: its server, the module's store connections and tasks. */
  close(): Promise<void>;
}

/**
 * Starts your app's root module in this process on a free port of 127.0.0.1, for tests.
 * The store is the one the module's options choose: with `redisUrl` unset (no Redis in the
 * test's environment), the in-memory store of one process.
 *
 * ```ts
 * const testing = await createTestingApp(AppModule);
 * const page = await testing.open('/greet');
 * // ...
 * await testing.close();
 * ```
 *
 * To override providers first, build the module with `@nestjs/testing`, call
 * `createNestApplication()` and `listen(0, '127.0.0.1')`, and pass that app to
 * {@link PushpageTestClient} or {@link openTestPage}.
 */
export async function createTestingApp(
  module: Type<unknown> | DynamicModule,
  options: TestingAppOptions = {},
): Promise<TestingApp> {
  const { configure, logger, ...clientOptions } = options;
  // abortOnError false: a module that fails to start fails the test instead of the process
  const app = await NestFactory.create(module, {
    logger: logger ?? ['error'],
    abortOnError: false,
  });
  try {
    await configure?.(app);
    await app.listen(0, '127.0.0.1');
    const url = await app.getUrl();
    const client = () => new PushpageTestClient(url, clientOptions);
    return {
      app,
      url,
      client,
      open: (route, query) => client().open(route, query),
      close: () => app.close(),
    };
  } catch (error) {
    await app.close();
    throw error;
  }
}
