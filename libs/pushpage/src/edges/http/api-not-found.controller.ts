import { All, Req, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request } from 'express';
import { PushpageError } from '../../errors';
import { ApiErrorFilter } from './api-errors';

/**
 * Requests under the API's prefix that no route takes (a wrong method, an empty id): answered in
 * the API's error shape. Registered after the API's own routes.
 */
@ApiExcludeController()
@UseFilters(ApiErrorFilter)
export class ApiNotFoundController {
  @All(['', '*rest'])
  notFound(@Req() req: Request): never {
    throw new PushpageError(
      'not-found',
      `no ${req.method} ${req.path} in the API (docs: /api/docs)`,
    );
  }
}
