// Builds the Account Settings web app into dist/public: one bundled, minified script, one
// stylesheet and the page. The gateway serves that folder at `/` (see WEB_APP_DIR).
import { copyFile, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = dirname(fileURLToPath(import.meta.url));
const out = join(root, 'dist', 'public');

await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });
await build({
  entryPoints: [join(root, 'src', 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  conditions: ['@twofold/source'],
  legalComments: 'none',
  logLevel: 'warning',
});
await copyFile(join(root, 'src', 'index.html'), join(out, 'index.html'));
await copyFile(join(root, 'src', 'styles.css'), join(out, 'styles.css'));
await copyFile(join(root, 'src', 'favicon.svg'), join(out, 'favicon.svg'));
