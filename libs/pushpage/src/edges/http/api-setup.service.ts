import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { PushpageMetrics } from '../../ops/metrics.service';
import { apiBodyErrors } from './api-errors';

/**
 * Answers body-parser errors on `/api/` (malformed JSON, too large) in the API's JSON shape,
 * counted as refusals.
 */
@Injectable()
export class ApiSetupService implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    private readonly metrics: PushpageMetrics,
  ) {}

  onModuleInit(): void {
    this.http.httpAdapter
      .getInstance<Express>()
      .use(apiBodyErrors(new Logger('Pushpage'), this.metrics));
  }
}
