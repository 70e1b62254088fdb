import { Injectable } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Where a gauge reads its current value when Prometheus scrapes. */
export type GaugeSource = () => number;

/**
 * Pushpage's Prometheus metrics, in a registry of their own (`/metrics` serves it). Names
 * start with `pushpage_`; Node's default process metrics are included under their usual
 * names (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, ...).
 */
@Injectable()
export class PushpageMetrics {
  readonly registry = new Registry();

  private tabsSource: GaugeSource = () => 0;
  private pagesSource: GaugeSource = () => 0;

  /** Socket.IO connections on this replica. */
  readonly connectedTabs: Gauge = new Gauge({
    name: 'pushpage_connected_tabs',
    help: 'Tabs connected to this replica over Socket.IO',
    registers: [this.registry],
    collect: (): void => this.connectedTabs.set(this.tabsSource()),
  });

  /** Pages shown by at least one tab of this replica. */
  readonly livePages: Gauge = new Gauge({
    name: 'pushpage_live_pages',
    help: 'Pages that at least one tab connected to this replica shows',
    registers: [this.registry],
    collect: (): void => this.livePages.set(this.pagesSource()),
  });

  /** Events by DOM type, transport and outcome (`applied`, `duplicate`, or an error code). */
  readonly events = new Counter({
    name: 'pushpage_events_total',
    help: 'Events received, by type, transport and outcome (applied, duplicate or an error code)',
    labelNames: ['type', 'transport', 'outcome'] as const,
    registers: [this.registry],
  });

  /** How long handlers run, by handler name. */
  readonly handlerRetries = new Counter({
    name: 'pushpage_handler_retries_total',
    help: 'Handlers run again because their first commit met a concurrent change, by handler',
    labelNames: ['handler'] as const,
    registers: [this.registry],
  });

  readonly handlerDuration = new Histogram({
    name: 'pushpage_handler_duration_seconds',
    help: 'Time from handler start to its end, by handler',
    labelNames: ['handler'] as const,
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10, 60],
    registers: [this.registry],
  });

  /** Store commits, and those that changed nothing because of a race. */
  readonly commits = new Counter({
    name: 'pushpage_commits_total',
    help: 'Atomic commits to the store, by result (ok, conflict, name-taken, receipt-lost, ...)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Store calls, by operation, and how long they took (Redis round trips with Redis). */
  readonly storeDuration = new Histogram({
    name: 'pushpage_store_duration_seconds',
    help: 'Time of store operations (one Redis round trip each with Redis), by operation',
    labelNames: ['operation'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 2],
    registers: [this.registry],
  });

  /** Redis connection errors and failed store operations. */
  readonly redisErrors = new Counter({
    name: 'pushpage_redis_errors_total',
    help: 'Redis connection errors and failed store operations, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });

  /** Round trip of a message through the Socket.IO adapter to every other replica and back. */
  readonly broadcastRoundTrip = new Histogram({
    name: 'pushpage_broadcast_roundtrip_seconds',
    help: 'Time for a message to reach every other replica through the Redis adapter and come back',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1],
    registers: [this.registry],
  });

  /** Other replicas that answered the last broadcast probe. */
  readonly peers = new Gauge({
    name: 'pushpage_peer_replicas',
    help: 'Other replicas that answered the last broadcast probe',
    registers: [this.registry],
  });

  /** 1 while this replica holds a cluster-once task's lease. */
  readonly leaseOwned = new Gauge({
    name: 'pushpage_lease_owned',
    help: '1 while this replica holds the lease of a cluster-once task, else 0',
    labelNames: ['task'] as const,
    registers: [this.registry],
  });

  /** Messages and requests refused, by reason (an error code, `origin`, `rate-limited`, ...). */
  readonly refusals = new Counter({
    name: 'pushpage_refusals_total',
    help: 'Messages and requests refused, by reason and transport',
    labelNames: ['reason', 'transport'] as const,
    registers: [this.registry],
  });

  /** Collaborative document updates stored. */
  readonly docUpdates = new Counter({
    name: 'pushpage_doc_updates_total',
    help: 'Collaborative document updates stored, by result (ok or an error code)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  constructor() {
    // unprefixed, as Node dashboards and alerts expect (`process_cpu_seconds_total`)
    collectDefaultMetrics({ register: this.registry });
  }

  /** Tells the tab and page gauges where to read their values. */
  observeTabs(tabs: GaugeSource, pages: GaugeSource): void {
    this.tabsSource = tabs;
    this.pagesSource = pages;
  }
}
