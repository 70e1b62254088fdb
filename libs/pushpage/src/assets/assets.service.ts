import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express from 'express';
import { ASSET_BASE } from '../options';
import { assetFolders } from './asset-paths';

/** Serves the browser runtime, Tailwind, Font Awesome and animate.css from installed packages. */
@Injectable()
export class AssetsService implements OnModuleInit {
  constructor(private readonly http: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.http.httpAdapter.getInstance<express.Express>();
    for (const [url, dir] of Object.entries(assetFolders())) {
      app.use(
        `${ASSET_BASE}${url}`,
        express.static(dir, { maxAge: '1h', index: false, fallthrough: false }),
      );
    }
  }
}
