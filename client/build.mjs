// Bundles the browser runtime: pushpage.js (an ES module), the chunks it loads on demand (Quasar
// and the collaborative editor, in chunks/), pushpage.css. Into client/dist, or into the folder
// given (the pushpage package's build puts it in its dist/client, which the package ships).
import { build } from 'esbuild';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] ? resolve(process.argv[2]) : join(here, 'dist');
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: { pushpage: join(here, 'src', 'main.ts') },
  outdir: out,
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  minify: true,
  // maps stay out of the package and the image unless asked for (debugging the runtime)
  sourcemap: process.env.PUSHPAGE_CLIENT_SOURCEMAPS === '1',
  format: 'esm',
  target: ['es2020'],
  platform: 'browser',
  define: {
    'process.env.NODE_ENV': '"production"',
    __VUE_OPTIONS_API__: 'true',
    __VUE_PROD_DEVTOOLS__: 'false',
    __VUE_PROD_HYDRATION_MISMATCH_DETAILS__: 'false',
    __QUASAR_SSR__: 'false',
    __QUASAR_SSR_SERVER__: 'false',
    __QUASAR_SSR_CLIENT__: 'false',
    __QUASAR_SSR_PWA__: 'false',
  },
  logLevel: 'warning',
});
await copyFile(join(here, 'src', 'pushpage.css'), join(out, 'pushpage.css'));
