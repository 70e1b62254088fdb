import { NestExpressApplication } from '@nestjs/platform-express';
import { setupPushpageOpenApi } from 'pushpage';

/** What the demo sets on its app: shutdown hooks, body size, the OpenAPI document and Swagger UI. */
export function configureApp(app: NestExpressApplication): void {
  app.enableShutdownHooks();
  app.useBodyParser('json', { limit: '1mb' });
  // Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json
  setupPushpageOpenApi(app);
}
