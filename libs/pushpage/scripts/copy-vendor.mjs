// Copies the third-party files pages load (styles, fonts, the Tailwind browser build) from
// the installed packages into dist/vendor, with each package's licence, so the published
// package serves them without depending on those packages (most of whose files are never
// served). One folder per URL folder under `/pushpage/vendor/`.
import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'vendor');

/** URL folder → the package, and the files or folders of it to serve (relative paths kept). */
const VENDOR = {
  tailwindcss: { from: '@tailwindcss/browser', files: ['dist/index.global.js'], strip: 'dist/' },
  fontawesome: { from: '@fortawesome/fontawesome-free', files: ['css/all.min.css', 'webfonts'] },
  'animate.css': { from: 'animate.css', files: ['animate.min.css'] },
  quasar: { from: 'quasar', files: ['dist/quasar.prod.css'], strip: 'dist/' },
  'quasar-extras': {
    from: '@quasar/extras',
    files: [
      'exports/roboto-font/roboto-font.css',
      'exports/roboto-font/web-font',
      'exports/roboto-font/LICENSE',
      'exports/material-icons/material-icons.css',
      'exports/material-icons/web-font',
      'exports/material-icons/LICENSE',
    ],
    strip: 'exports/',
  },
};

const LICENCES = ['LICENSE', 'LICENSE.txt', 'LICENSE.md'];

rmSync(out, { recursive: true, force: true });
for (const [folder, { from, files, strip = '' }] of Object.entries(VENDOR)) {
  const root = dirname(require.resolve(`${from}/package.json`));
  const target = join(out, folder);
  mkdirSync(target, { recursive: true });
  for (const file of files) {
    const source = join(root, file);
    if (!existsSync(source)) throw new Error(`${from} has no ${file}: update copy-vendor.mjs`);
    const relative = file.startsWith(strip) ? file.slice(strip.length) : file;
    cpSync(source, join(target, relative), { recursive: true });
  }
  const licence = LICENCES.find((name) => existsSync(join(root, name)));
  if (!licence) throw new Error(`${from} has no licence file to ship beside its files`);
  cpSync(join(root, licence), join(target, `LICENSE-${folder}.txt`));
}
