import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../../options';

/** What the setting needs of an Express app (the package's types stay free of Express's). */
interface ExpressSettings {
  set(setting: string, value: unknown): unknown;
}

/**
 * Sets the `trustProxy` option as the Express app's `trust proxy`, when the option is given:
 * as early as the app is known, like {@link ResponseHeaders}, so that the first request's
 * `req.ip` and `req.secure` already follow it. Nothing on another platform.
 */
@Injectable()
export class TrustProxySetting {
  constructor(
    private readonly http: HttpAdapterHost,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {
    this.install();
  }

  install(): void {
    const { trustProxy } = this.options;
    const adapter = this.http.httpAdapter;
    if (trustProxy === undefined || adapter?.getType() !== 'express') return;
    const value = Array.isArray(trustProxy) ? [...trustProxy] : trustProxy;
    try {
      adapter.getInstance<ExpressSettings>().set('trust proxy', value);
    } catch (error) {
      // Express compiles the addresses here: a typo would otherwise surface on a request
      throw new Error(
        `Pushpage options: trustProxy ${JSON.stringify(trustProxy)} is not a boolean, a hop ` +
          `count or a list of addresses and subnets (${error instanceof Error ? error.message : String(error)})`,
      );
    }
  }
}
