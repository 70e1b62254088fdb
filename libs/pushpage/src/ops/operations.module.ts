import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PushpageHealthController } from './health.controller';
import { PushpageMetricsServer } from './metrics-access';
import { PushpageMetricsController } from './metrics.controller';

/**
 * `/healthz`, `/readyz` and `/metrics` for a Pushpage app; import it next to
 * `PushpageModule.forRoot()` (docs/operations.md). `/metrics` is served as the options
 * `metricsPort`, `metricsToken` and `publicMetrics` say, and not at all without them.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [PushpageHealthController, PushpageMetricsController],
  providers: [PushpageMetricsServer],
})
export class PushpageOperationsModule {}
