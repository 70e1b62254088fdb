import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  Optional,
} from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { randomBytes } from 'node:crypto';
import { PushpageMetrics } from '../ops/metrics.service';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { PUSHPAGE_PUBLISHER, Publisher } from '../engine/patch';
import { tabsOfPage } from '../engine/page-tabs';
import { PUSHPAGE_TAB_CHANNEL, TabChannel } from '../engine/tab-channel';
import { UnitOfWork } from '../engine/unit-of-work';
import { PUSHPAGE_STORE, LeaseStore, TreeStore } from '../store/store';
import { ON_STARTUP, OnStartupOptions } from './on-startup.decorator';
import { TaskContext } from './task-context';

/** A background task: gets a context, may run until its signal aborts. */
export type TaskFunction = (ctx: TaskContext) => unknown;

const LEASE_TTL_MS = 3000;
/** The longest pause before a failed cluster-once task is tried again. */
const MAX_RETRY_PAUSE_MS = 60_000;
const LEASE_RENEW_MS = 1000;

/**
 * Runs startup hooks and background tasks (JustPy's `run_task`), on every replica or, with
 * `once: 'cluster'`, on the one replica that holds the task's lease.
 */
@Injectable()
export class TasksService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Pushpage');
  private readonly replicaId = randomBytes(8).toString('hex');
  private readonly stop = new AbortController();
  private readonly running = new Set<Promise<unknown>>();
  /** Whether the last lease call failed: the store is away (logged once per outage). */
  private storeAway = false;
  /** Lease calls made, and the latest of them the store answered. */
  private leaseCalls = 0;
  private lastAnswered = 0;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    @Inject(PUSHPAGE_STORE) private readonly store: LeaseStore & TreeStore,
    @Inject(PUSHPAGE_PUBLISHER) private readonly publisher: Publisher,
    @Optional() private readonly metrics?: PushpageMetrics,
    @Optional() @Inject(PUSHPAGE_CONFIG) private readonly config?: ResolvedPushpageOptions,
    @Optional() @Inject(PUSHPAGE_TAB_CHANNEL) private readonly channel?: TabChannel,
  ) {}

  onApplicationBootstrap(): void {
    for (const wrapper of this.discovery.getProviders()) {
      const instance = wrapper.instance as Record<string, unknown> | undefined;
      if (!instance || typeof instance !== 'object') continue;
      const prototype = Object.getPrototypeOf(instance) as object;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const options = Reflect.getMetadata(ON_STARTUP, prototype, method) as
          OnStartupOptions | undefined;
        if (!options) continue;
        const fn = instance[method] as (ctx: TaskContext) => unknown;
        const name = options.name ?? `${prototype.constructor.name}.${method}`;
        this.runTask((ctx) => fn.call(instance, ctx), { once: options.once, name });
      }
    }
  }

  /** Starts a background task; errors are logged, never thrown into the app. */
  runTask(task: TaskFunction, options: OnStartupOptions = {}): void {
    const name = options.name ?? (task.name || 'task');
    const run =
      options.once === 'cluster'
        ? this.runAsLeader(name, task)
        : this.runOnce(name, task, this.stop.signal);
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
  }

  /** Runs the task to its end; whether it failed (threw while not being stopped). */
  private async runOnce(name: string, task: TaskFunction, signal: AbortSignal): Promise<boolean> {
    const ctx = new TaskContext(
      signal,
      () => new UnitOfWork(this.store, this.publisher, this.config),
      (page) => tabsOfPage(page, this.config?.websockets ?? true, this.channel),
    );
    try {
      await task(ctx);
      return false;
    } catch (error) {
      if (signal.aborted) return false;
      this.logger.error(
        `task ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
      return true;
    }
  }

  /**
   * Holds the task's lease while this replica lives; runs the task while it holds it. A task
   * that ends keeps the lease (it ran once for the cluster); one that fails gives it up and,
   * after a pause that doubles with each failure in a row (up to a minute), the cluster runs
   * it again on whichever replica takes the lease.
   */
  private async runAsLeader(name: string, task: TaskFunction): Promise<void> {
    const lease = `task:${name}`;
    const idle = new TaskContext(this.stop.signal, () => new UnitOfWork(this.store, null));
    let failures = 0;
    while (!this.stop.signal.aborted) {
      if ((await this.tryLease(lease)) !== true) {
        await idle.sleep(LEASE_RENEW_MS);
        continue;
      }
      this.logger.log(`task ${name}: this replica holds the lease and runs it`);
      this.metrics?.leaseOwned.set({ task: name }, 1);
      const term = new AbortController();
      const onStop = () => term.abort();
      this.stop.signal.addEventListener('abort', onStop, { once: true });
      let renewing = false;
      const renew = setInterval(() => {
        // a store that hangs (reconnecting) must not pile renewals up, each failing later
        if (renewing || term.signal.aborted) return;
        renewing = true;
        void this.tryLease(lease).then((held) => {
          renewing = false;
          if (held || term.signal.aborted) return;
          if (held === false)
            this.logger.warn(`task ${name}: lease lost to another replica, stopping it here`);
          else this.logger.log(`task ${name}: stopping it here until the store answers again`);
          term.abort();
        });
      }, LEASE_RENEW_MS);
      const failed = await this.runOnce(name, task, term.signal);
      failures = failed ? failures + 1 : 0;
      if (failed) term.abort();
      if (!term.signal.aborted)
        await new Promise((resolve) =>
          term.signal.addEventListener('abort', resolve, { once: true }),
        );
      clearInterval(renew);
      this.stop.signal.removeEventListener('abort', onStop);
      this.metrics?.leaseOwned.set({ task: name }, 0);
      await this.store.releaseLease(lease, this.replicaId).then(
        () => this.logger.log(`task ${name}: lease released`),
        () => undefined,
      );
      if (failed) {
        const pauseMs = Math.min(LEASE_RENEW_MS * 2 ** (failures - 1), MAX_RETRY_PAUSE_MS);
        this.logger.warn(
          `task ${name}: failed ${failures} time(s) in a row; retrying in ${pauseMs} ms`,
        );
        await idle.sleep(pauseMs);
      }
    }
  }

  /**
   * Takes or renews a lease: whether this replica holds it, or `undefined` when the store did
   * not answer. An outage is logged once, when the first lease call fails, and its end once,
   * whatever the number of tasks and tries.
   */
  private async tryLease(lease: string): Promise<boolean | undefined> {
    const call = ++this.leaseCalls;
    try {
      const held = await this.store.acquireLease(lease, this.replicaId, LEASE_TTL_MS);
      this.lastAnswered = Math.max(this.lastAnswered, call);
      if (this.storeAway) {
        this.storeAway = false;
        this.logger.log('the store answers lease calls again: cluster-once tasks resume');
      }
      return held;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      // a call made before a later one was answered fails late: the outage it saw is over
      if (this.storeAway || call < this.lastAnswered) {
        this.logger.debug(`lease ${lease}: ${message}`);
      } else {
        this.storeAway = true;
        this.logger.warn(
          `leases cannot be taken or renewed (${message}): cluster-once tasks stop here ` +
            'until the store answers again',
        );
      }
      return undefined;
    }
  }

  /** Stops the tasks and gives their leases up while the store is still open. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stop.abort();
    await Promise.race([
      Promise.allSettled([...this.running]),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
  }
}
