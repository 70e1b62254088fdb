import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Namespace } from 'socket.io';
import { PushpageMetrics } from './metrics.service';

const PROBE_EVENT = 'pushpage:probe';
const PROBE_EVERY_MS = 5000;

/**
 * Measures how long a message takes through the Socket.IO adapter: every few seconds a
 * replica asks every other one to answer, and records the round trip.
 */
@Injectable()
export class BroadcastProbe implements OnModuleDestroy {
  private readonly logger = new Logger('Pushpage');
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly metrics: PushpageMetrics) {}

  /** Answers other replicas' probes and starts probing them (with a Redis adapter only). */
  start(server: Namespace, withPeers: boolean): void {
    if (!withPeers) return;
    server.on(PROBE_EVENT, (_sentAt: number, answer?: (ok: true) => void) => answer?.(true));
    this.timer = setInterval(() => this.probe(server), PROBE_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  private probe(server: Namespace): void {
    const end = this.metrics.broadcastRoundTrip.startTimer();
    // the adapter gives up on peers that do not answer within its requests timeout
    server
      .serverSideEmitWithAck(PROBE_EVENT, Date.now())
      .then((answers: unknown[]) => {
        end();
        this.metrics.peers.set(answers.length);
      })
      .catch((error: unknown) => {
        // a peer that did not answer in time (starting, stopping) makes the whole probe fail
        this.metrics.peers.set(0);
        this.logger.debug?.(
          `broadcast probe: ${error instanceof Error ? error.message : String(error)}`,
        );
      });
  }
}
