import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../../sessions/session';
import { packageVersion } from '../../package-version';

/** The name of the session cookie's security scheme in the OpenAPI document. */
export const SESSION_SECURITY = 'session';

/** What {@link pushpageOpenApi} may change of the document's `info`. */
export interface PushpageOpenApiOptions {
  /** Default `Pushpage REST API`. */
  title?: string;
  /** Default: what the API does, in a sentence. */
  description?: string;
  /** Default: the version of the `pushpage` package, whose contract the document is. */
  version?: string;
}

/**
 * The OpenAPI document of an app's routes, the REST API of pages among them, made from the
 * decorators of the controllers and of the DTOs that check the bodies: servers relative to
 * where it is served, and the session cookie as a security scheme.
 */
export function pushpageOpenApi(
  app: INestApplication,
  options: PushpageOpenApiOptions = {},
): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(options.title ?? 'Pushpage REST API')
    .setDescription(
      options.description ??
        'Open pages, read them, send events, close them: everything a socket tab can do, over HTTP.',
    )
    .setVersion(options.version ?? packageVersion())
    .setLicense('MIT', 'https://opensource.org/licenses/MIT')
    .addServer('/')
    .addTag('pages', 'Pages of the app’s routes, over HTTP')
    .addCookieAuth(
      SESSION_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        name: SESSION_COOKIE,
        description:
          'the session cookie `POST /api/pages` sets; a page belongs to the session that opened it',
      },
      SESSION_SECURITY,
    )
    .build();
  return SwaggerModule.createDocument(app, config);
}

/**
 * Serves Swagger UI at `path` (default `api/docs`) and the OpenAPI document at `path-json`
 * (and `path-yaml`), made by {@link pushpageOpenApi} on first request.
 */
export function setupPushpageOpenApi(
  app: INestApplication,
  path = 'api/docs',
  options: PushpageOpenApiOptions = {},
): void {
  SwaggerModule.setup(path, app, () => pushpageOpenApi(app, options));
}
