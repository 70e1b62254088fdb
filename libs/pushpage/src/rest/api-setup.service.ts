import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Express } from 'express';
import { apiBodyErrors } from './api-errors';

/** Answers body-parser errors on `/api/` (malformed JSON, too large) in the API's JSON shape. */
@Injectable()
export class ApiSetupService implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    this.http.httpAdapter.getInstance<Express>().use(apiBodyErrors(new Logger('Pushpage')));
  }
}
