import { Injectable } from '@nestjs/common';
import { OpsConfig } from './config';

/** How a service looks in one sample. */
export type Health = 'ok' | 'degraded' | 'critical';

/** One service of the simulated fleet, with the limits it is held to. */
export interface MonitoredService {
  id: string;
  name: string;
  /** Font Awesome icon name. */
  icon: string;
  /** The p95 latency the service drifts back to, in ms. */
  baseLatencyMs: number;
  /** The error rate the service drifts back to, in %. */
  baseErrorPct: number;
  /** Above this p95 latency (ms) the service is critical. */
  latencyLimitMs: number;
  /** Above this error rate (%) the service is critical. */
  errorLimitPct: number;
  /** Chance per sample of a spike: a slow dependency, a bad deploy. */
  spikeChance: number;
}

/**
 * One sample of a service's metrics, with the state of its random walk, so that whichever
 * replica samples next continues the same walk. Plain JSON: it is kept in the tile's data.
 */
export interface Sample {
  latencyMs: number;
  errorPct: number;
  /** State of the pseudo-random generator after this sample. */
  rng: number;
}

/** The fleet as it would be configured, before `OPS_THRESHOLD_SCALE`. */
const FLEET: readonly MonitoredService[] = [
  {
    id: 'gateway',
    name: 'API gateway',
    icon: 'network-wired',
    baseLatencyMs: 120,
    baseErrorPct: 0.3,
    latencyLimitMs: 300,
    errorLimitPct: 2,
    spikeChance: 0.005,
  },
  {
    id: 'auth',
    name: 'Auth',
    icon: 'key',
    baseLatencyMs: 60,
    baseErrorPct: 0.1,
    latencyLimitMs: 200,
    errorLimitPct: 1,
    spikeChance: 0.003,
  },
  {
    id: 'payments',
    name: 'Payments',
    icon: 'credit-card',
    baseLatencyMs: 180,
    baseErrorPct: 0.5,
    latencyLimitMs: 400,
    errorLimitPct: 3,
    spikeChance: 0.01,
  },
  {
    id: 'search',
    name: 'Search',
    icon: 'magnifying-glass',
    baseLatencyMs: 250,
    baseErrorPct: 0.2,
    latencyLimitMs: 600,
    errorLimitPct: 2,
    spikeChance: 0.005,
  },
  {
    id: 'orders-db',
    name: 'Orders DB',
    icon: 'database',
    baseLatencyMs: 15,
    baseErrorPct: 0.05,
    latencyLimitMs: 60,
    errorLimitPct: 0.5,
    spikeChance: 0.003,
  },
];

/** Share of a limit above which a service counts as degraded (and below which it recovers). */
const DEGRADED_AT = 0.8;
/** How far a metric moves back towards its base each sample. */
const REVERSION = 0.15;

/** A 32-bit seed from a service id (FNV-1a), so every service walks its own way. */
function seedOf(id: string): number {
  let hash = 0x811c9dc5;
  for (const ch of id) hash = Math.imul(hash ^ ch.charCodeAt(0), 0x01000193);
  return hash >>> 0;
}

/**
 * The simulated fleet: which services there are, their alert limits (scaled by
 * `OPS_THRESHOLD_SCALE`), how their metrics walk from one sample to the next, and how
 * healthy a sample is. Holds no state: each sample is computed from the previous one.
 */
@Injectable()
export class FleetService {
  /** The monitored services, limits scaled by the configuration. */
  readonly services: readonly MonitoredService[];

  constructor(config: OpsConfig) {
    this.services = FLEET.map((s) => ({
      ...s,
      latencyLimitMs: Math.max(1, Math.round(s.latencyLimitMs * config.thresholdScale)),
      errorLimitPct: Math.max(0.01, round2(s.errorLimitPct * config.thresholdScale)),
    }));
  }

  /**
   * The next sample of a service: a mean-reverting random walk with occasional spikes,
   * driven by a small seeded generator (mulberry32) whose state travels with the sample.
   */
  next(service: MonitoredService, previous?: Sample): Sample {
    let state = previous?.rng ?? seedOf(service.id);
    const random = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), state | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const walk = (value: number, base: number, jitter: number) =>
      value + REVERSION * (base - value) + (random() - 0.5) * jitter * base;
    let latency = walk(previous?.latencyMs ?? service.baseLatencyMs, service.baseLatencyMs, 0.3);
    let errors = walk(previous?.errorPct ?? service.baseErrorPct, service.baseErrorPct, 0.4);
    if (random() < service.spikeChance)
      latency = Math.max(latency, service.latencyLimitMs * (1.1 + random() * 0.5));
    if (random() < service.spikeChance / 2)
      errors = Math.max(errors, service.errorLimitPct * (1.1 + random()));
    return {
      latencyMs: Math.max(Math.round(service.baseLatencyMs * 0.4), Math.round(latency)),
      errorPct: Math.max(0, round2(errors)),
      rng: state >>> 0,
    };
  }

  /**
   * `critical` above a limit; `degraded` above 80 % of one; else `ok`. An incident opens at
   * `critical` and resolves only back at `ok`, so a service hovering at its limit does not
   * open a new incident every sample.
   */
  health(service: MonitoredService, sample: Sample): Health {
    const share = Math.max(
      sample.latencyMs / service.latencyLimitMs,
      sample.errorPct / service.errorLimitPct,
    );
    if (share > 1) return 'critical';
    return share > DEGRADED_AT ? 'degraded' : 'ok';
  }
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
