// Removes compiled files whose source is gone (a moved or deleted module), so that a
// renamed file never lingers in dist and in the packed package. tsc only ever adds files.
import { readdirSync, rmSync, existsSync, rmdirSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const src = join(root, 'src');
const OUTPUT = /\.(d\.ts|js)$/;

function prune(folder) {
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      // the browser runtime is built by client/build.mjs, from another tree; vendor holds
      // copies of other packages' files (copy-vendor.mjs)
      if (path === join(dist, 'client') || path === join(dist, 'vendor')) continue;
      prune(path);
      if (readdirSync(path).length === 0) rmdirSync(path);
    } else if (OUTPUT.test(entry.name)) {
      const source = join(src, relative(dist, path).replace(OUTPUT, '.ts'));
      if (!existsSync(source)) rmSync(path);
    }
  }
}

if (existsSync(dist)) prune(dist);
