import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { ASSET_BASE } from '../options';

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

/** The URL folders under `vendor/`: other packages' files, copied into the package's dist/vendor. */
const VENDOR_FOLDERS = ['tailwindcss', 'fontawesome', 'animate.css', 'quasar', 'quasar-extras'];

/** URL folder → file system folder, for everything pages load. */
export function assetFolders(): Record<string, string> {
  const client = clientBundleDir();
  const vendor = join(dirname(client), 'vendor');
  const folders: Record<string, string> = { '/static': client };
  for (const name of VENDOR_FOLDERS) {
    const dir = join(vendor, name);
    if (!existsSync(dir))
      throw new Error(
        `${dir} is missing: run \`npm run build\` (it copies the styles and fonts pages load into libs/pushpage/dist/vendor)`,
      );
    folders[`/vendor/${name}`] = dir;
  }
  return folders;
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
