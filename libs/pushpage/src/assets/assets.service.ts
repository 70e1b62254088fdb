import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express from 'express';
import { PUSHPAGE_CONFIG, ResolvedPushpageOptions } from '../options';
import { pushpageAssetFolders } from './asset-paths';

/**
 * Serves the browser runtime, Tailwind, Font Awesome, animate.css and Quasar from installed
 * packages under `/pushpage/` (unless `serveAssets` is off).
 */
@Injectable()
export class AssetsService implements OnModuleInit {
  constructor(
    private readonly http: HttpAdapterHost,
    @Inject(PUSHPAGE_CONFIG) private readonly options: ResolvedPushpageOptions,
  ) {}

  onModuleInit(): void {
    if (!this.options.serveAssets) return;
    const app = this.http.httpAdapter.getInstance<express.Express>();
    for (const [url, dir] of Object.entries(pushpageAssetFolders())) {
      app.use(url, express.static(dir, { maxAge: '1h', index: false, fallthrough: false }));
    }
  }
}
