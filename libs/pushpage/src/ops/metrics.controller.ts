import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { PushpageMetrics } from './metrics.service';

/** `/metrics` in Prometheus's text format. */
@ApiExcludeController()
@Controller()
export class PushpageMetricsController {
  constructor(private readonly metrics: PushpageMetrics) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
