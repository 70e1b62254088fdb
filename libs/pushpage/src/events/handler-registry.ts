import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  declaredHandlerNames,
  handlerDeclaration,
  HandlerFunction,
} from '../components/handler-ref';
import { PushpageError } from '../errors';

/** A handler ready to call: the provider instance and its method. */
export interface BoundHandler {
  name: string;
  call(self: unknown, msg: unknown): unknown;
}

/**
 * Finds, among the app's providers, the instance that owns each `@Handler()` method, so a
 * handler name stored with a component resolves to the same code on every replica.
 */
@Injectable()
export class HandlerRegistry implements OnApplicationBootstrap {
  private readonly logger = new Logger('Pushpage');
  private readonly handlers = new Map<string, BoundHandler>();

  constructor(private readonly discovery: DiscoveryService) {}

  onApplicationBootstrap(): void {
    const instances = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is object => typeof instance === 'object' && instance !== null);
    for (const name of declaredHandlerNames()) {
      const declaration = handlerDeclaration(name);
      if (!declaration) continue;
      const instance = instances.find((i) =>
        Object.prototype.isPrototypeOf.call(declaration.owner, i),
      );
      if (!instance) {
        this.logger.warn(
          `handler ${name} belongs to a class that is not a provider; events bound to it will fail`,
        );
        continue;
      }
      const method = (instance as Record<string, HandlerFunction>)[declaration.method];
      this.handlers.set(name, { name, call: (self, msg) => method.call(instance, self, msg) });
    }
  }

  /** The handler of a stored name. */
  resolve(name: string): BoundHandler {
    const handler = this.handlers.get(name);
    if (!handler)
      throw new PushpageError('not-found', `handler "${name}" is not available on this server`);
    return handler;
  }
}
