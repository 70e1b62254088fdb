import { NestExpressApplication } from '@nestjs/platform-express';
import { setupPushpageOpenApi } from 'pushpage';
import { DemoConfig } from './config';

/**
 * What the demo sets on its app: which proxies it trusts for client addresses, body size,
 * the OpenAPI document and Swagger UI.
 */
export function configureApp(app: NestExpressApplication, config: DemoConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  app.useBodyParser('json', { limit: '1mb' });
  // Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json
  setupPushpageOpenApi(app);
}
