import { DiscoveryService } from '@nestjs/core';
import { HelloHandlers } from '../../libs/pushpage/src/model/hello';
import { HandlerRegistry } from '../../libs/pushpage/src/engine/handler-registry';

/**
 * The handler registry of an app whose providers are `instances` (and the Pushpage module's
 * own), as it is once the app's modules initialized: the handlers in their fields are named
 * (`ClassName.field`, unless given a name) and resolve to their instance.
 */
export function registryOf(...instances: object[]): HandlerRegistry {
  const providers = [...instances, new HelloHandlers()];
  const discovery = {
    getProviders: () => providers.map((instance) => ({ instance })),
  } as unknown as DiscoveryService;
  const registry = new HandlerRegistry(discovery);
  registry.onModuleInit();
  return registry;
}
