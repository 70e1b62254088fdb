import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { PushpageHealthController } from './health.controller';
import { PushpageMetricsController } from './metrics.controller';

/**
 * `/healthz`, `/readyz` and `/metrics` for a Pushpage app; import it next to
 * `PushpageModule.forRoot()` (docs/operations.md).
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [PushpageHealthController, PushpageMetricsController],
})
export class PushpageOperationsModule {}
