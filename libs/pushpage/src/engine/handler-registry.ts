import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import {
  givenHandlerNames,
  HandlerFunction,
  isDeclaredHandler,
  nameHandler,
} from '../model/handler-ref';
import { PushpageError } from '../errors';

/** A handler ready to call: the provider instance and its method. */
export interface BoundHandler {
  name: string;
  call(self: unknown, msg: unknown): unknown;
}

/** Where a handler was found: the provider's class and field. */
interface Found extends BoundHandler {
  fn: HandlerFunction<never, never>;
  owner: string;
  field: string;
}

/** The handlers (declared with `handler()`) in the fields of a provider instance. */
function handlersOf(instance: object): [string, HandlerFunction<never, never>][] {
  const found: [string, HandlerFunction<never, never>][] = [];
  for (const field of Object.keys(instance)) {
    // the descriptor, not the value: reading a getter of some provider could have effects
    const value: unknown = Object.getOwnPropertyDescriptor(instance, field)?.value;
    if (isDeclaredHandler(value)) found.push([field, value]);
  }
  return found;
}

/**
 * Finds, in the fields of the app's providers, the handlers declared with `handler()`, names
 * them (`ClassName.field`, unless given a name) and keeps each with its instance, so a
 * handler name stored with a component resolves to the same code on every replica. It
 * does so when the app's modules initialize, before any start-up task binds a handler.
 */
@Injectable()
export class HandlerRegistry implements OnModuleInit {
  private readonly logger = new Logger('Pushpage');
  private readonly handlers = new Map<string, Found>();

  constructor(private readonly discovery: DiscoveryService) {}

  onModuleInit(): void {
    const instances = this.discovery
      .getProviders()
      .map((wrapper) => wrapper.instance as unknown)
      .filter((instance): instance is object => typeof instance === 'object' && instance !== null);
    for (const instance of instances) {
      for (const [field, fn] of handlersOf(instance)) this.register(instance, field, fn);
    }
    for (const name of givenHandlerNames()) {
      if (!this.handlers.has(name)) {
        this.logger.warn(
          `handler ${name} belongs to a class that is not a provider; events bound to it will fail`,
        );
      }
    }
  }

  /** Names a handler found in a provider's field and keeps it with the provider. */
  private register(instance: object, field: string, fn: HandlerFunction<never, never>): void {
    const owner = (instance.constructor as { name?: string } | undefined)?.name ?? 'Object';
    const name = nameHandler(fn, `${owner}.${field}`);
    const existing = this.handlers.get(name);
    // the same handler again, or a class provided twice: its first instance runs it
    if (existing?.fn === fn || (existing?.owner === owner && existing.field === field)) return;
    if (existing) {
      throw new Error(
        `two handlers are named "${name}"; give one another name with handler('name', fn)`,
      );
    }
    const call = (self: unknown, msg: unknown) =>
      (fn as HandlerFunction<unknown, unknown>).call(instance, self, msg);
    this.handlers.set(name, { name, call, fn, owner, field });
  }

  /** The handler of a stored name. */
  resolve(name: string): BoundHandler {
    const handler = this.handlers.get(name);
    if (!handler)
      throw new PushpageError('not-found', `handler "${name}" is not available on this server`);
    return handler;
  }
}
