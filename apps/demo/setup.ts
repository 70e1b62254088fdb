import { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DemoConfig } from './config';

/**
 * What the demo sets on its app: which proxies it trusts for client addresses, body size,
 * the OpenAPI document and Swagger UI.
 */
export function configureApp(app: NestExpressApplication, config: DemoConfig): void {
  app.set('trust proxy', config.trustProxy);
  app.enableShutdownHooks();
  app.useBodyParser('json', { limit: '1mb' });
  const openApi = new DocumentBuilder()
    .setTitle('Pushpage REST API')
    .setDescription(
      'Open pages, read them, send events, close them: everything a socket tab can do, over HTTP.',
    )
    .build();
  // Swagger UI at /api/docs, the OpenAPI JSON at /api/docs-json
  SwaggerModule.setup('api/docs', app, () => SwaggerModule.createDocument(app, openApi));
}
