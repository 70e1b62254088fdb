import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ASSET_BASE } from '../options';

/** The folder of an installed package. */
export function packageDir(name: string): string {
  return dirname(require.resolve(`${name}/package.json`));
}

/** The folder holding the built browser runtime (`pushpage.js`), searched upwards from here. */
export function clientBundleDir(start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    for (const candidate of [join(dir, 'client'), join(dir, 'dist', 'client')]) {
      if (existsSync(join(candidate, 'pushpage.js'))) return candidate;
    }
    const parent = dirname(dir);
    if (parent === dir) {
      throw new Error(
        'the browser runtime is not built: run `npm run build` (it writes libs/pushpage/dist/client/pushpage.js)',
      );
    }
    dir = parent;
  }
}

/** URL folder → file system folder, for everything pages load. */
export function assetFolders(): Record<string, string> {
  return {
    '/static': clientBundleDir(),
    '/vendor/tailwindcss': join(packageDir('@tailwindcss/browser'), 'dist'),
    '/vendor/fontawesome': packageDir('@fortawesome/fontawesome-free'),
    '/vendor/animate.css': packageDir('animate.css'),
    '/vendor/quasar': join(packageDir('quasar'), 'dist'),
    '/vendor/quasar-extras': join(packageDir('@quasar/extras'), 'exports'),
  };
}

/**
 * The files pages load, as URL path → folder on disk (`/pushpage/static` → the browser
 * runtime, `/pushpage/vendor/quasar` → Quasar's CSS, ...). With `serveAssets: false`, serve
 * these folders under these paths yourself.
 */
export function pushpageAssetFolders(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(assetFolders()).map(([url, dir]) => [`${ASSET_BASE}${url}`, dir]),
  );
}
