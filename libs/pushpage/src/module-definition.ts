import { ConfigurableModuleBuilder, Controller, DynamicModule, Type } from '@nestjs/common';
import { WebSocketGateway } from '@nestjs/websockets';
import { GATEWAY_OPTIONS, PushpageGateway } from './edges/socket/pushpage.gateway';
import { PushpageModuleOptions } from './options';
import { ApiNotFoundController } from './edges/http/api-not-found.controller';
import { PagesApiController } from './edges/http/pages-api.controller';
import { PUSHPAGE_ROUTES, PushpageRoutes, ResolvedRoutes, resolveRoutes } from './routing';

/** Names a class made per module definition like the class it extends, for Nest's logs. */
function named<T extends Type>(cls: T, like: Type): T {
  Object.defineProperty(cls, 'name', { value: like.name });
  return cls;
}

/**
 * The REST controllers and the gateway on the routes of one module definition. Routes are
 * decorator metadata, which Nest reads before async options exist, so each definition gets
 * its own subclasses carrying its paths; the behaviour stays in the base classes.
 */
function routed(routes: ResolvedRoutes): { controllers: Type[]; gateway: Type } {
  @Controller(routes.apiPrefix)
  class RoutedPagesApi extends PagesApiController {}
  @Controller(routes.apiPrefix)
  class RoutedApiNotFound extends ApiNotFoundController {}
  @WebSocketGateway({ ...GATEWAY_OPTIONS, namespace: routes.socketNamespace })
  class RoutedGateway extends PushpageGateway {}
  return {
    // the catch-all is registered after the API's own routes
    controllers: [
      named(RoutedPagesApi, PagesApiController),
      named(RoutedApiNotFound, ApiNotFoundController),
    ],
    gateway: named(RoutedGateway, PushpageGateway),
  };
}

function withRoutes(definition: DynamicModule, extras: PushpageRoutes): DynamicModule {
  const routes = resolveRoutes(extras);
  const { controllers, gateway } = routed(routes);
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), ...controllers],
    providers: [
      ...(definition.providers ?? []),
      gateway,
      { provide: PUSHPAGE_ROUTES, useValue: routes },
    ],
  };
}

export const {
  ConfigurableModuleClass: PushpageConfigurableModule,
  MODULE_OPTIONS_TOKEN: PUSHPAGE_OPTIONS,
  OPTIONS_TYPE: PUSHPAGE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: PUSHPAGE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PushpageModuleOptions>()
  .setClassMethodName('forRoot')
  .setFactoryMethodName('createPushpageOptions')
  .setExtras<PushpageRoutes>({}, withRoutes)
  .build();

/**
 * A class that makes the options, for `PushpageModule.forRootAsync({ useClass })` or
 * `useExisting`: Nest instantiates it with its dependencies and calls `createPushpageOptions()`.
 */
export interface PushpageOptionsFactory {
  createPushpageOptions(): PushpageModuleOptions | Promise<PushpageModuleOptions>;
}

/** What `PushpageModule.forRoot()` takes: the options and the routes. */
export type PushpageRootOptions = typeof PUSHPAGE_OPTIONS_TYPE;

/**
 * What `PushpageModule.forRootAsync()` takes: `imports`, and `useFactory` with `inject`,
 * `useClass` or `useExisting` for the options; the routes beside them.
 */
export type PushpageAsyncOptions = typeof PUSHPAGE_ASYNC_OPTIONS_TYPE;
