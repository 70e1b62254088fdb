import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckResult,
  HealthCheckService,
  HealthIndicatorService,
} from '@nestjs/terminus';
import { PushpageReadiness } from './readiness.service';

/** Liveness (`/healthz`) and readiness (`/readyz`) for Kubernetes probes and load balancers. */
@ApiExcludeController()
@Controller()
export class PushpageHealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    private readonly readiness: PushpageReadiness,
  ) {}

  /** 200 while the process runs its event loop. */
  @Get('healthz')
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** 200 when the store answers, the adapter is subscribed and the replica is not draining; else 503. */
  @Get('readyz')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      async () => {
        const { ready, ...report } = await this.readiness.check();
        const indicator = this.indicators.check('pushpage');
        return ready ? indicator.up(report) : indicator.down(report);
      },
    ]);
  }
}
