import {
  Controller,
  Get,
  Header,
  Headers,
  Inject,
  NotFoundException,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { metricsAnswer } from './metrics-access';
import { PushpageMetrics } from './metrics.service';

/**
 * `/metrics` in Prometheus's text format on the app's port: with `metricsToken`, to requests
 * that send it; with `publicMetrics`, to anyone; else (or with `metricsPort`) 404.
 */
@ApiExcludeController()
@Controller()
export class PushpageMetricsController {
  constructor(
    private readonly metrics: PushpageMetrics,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {}

  @Get('metrics')
  @Header('Cache-Control', 'no-store')
  async scrape(
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<string> {
    const answer = metricsAnswer(this.options, authorization, false);
    if (answer === 'not-found') throw new NotFoundException();
    if (answer === 'unauthorized') {
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      throw new UnauthorizedException();
    }
    res.setHeader('Content-Type', this.metrics.registry.contentType);
    return this.metrics.registry.metrics();
  }
}
