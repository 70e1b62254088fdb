import { DiscoveryService } from '@nestjs/core';
import { HandlerRegistry } from '../../libs/pushpage/src/engine/handler-registry';

/**
 * The handler registry of an app whose providers are `instances`, as it is once the app's
 * modules initialized: the handlers in their fields are named (`ClassName.field`, unless
 * given a name) and resolve to their instance.
 */
export function registryOf(...instances: object[]): HandlerRegistry {
  const discovery = {
    getProviders: () => instances.map((instance) => ({ instance })),
  } as unknown as DiscoveryService;
  const registry = new HandlerRegistry(discovery);
  registry.onModuleInit();
  return registry;
}
