#!/usr/bin/env node
// Builds the operator dashboard's static assets into dist/dashboard/: one JavaScript bundle and one
// stylesheet, named by content hash so they can be cached forever, and index.html naming them.
// Runs at install time (`prepare`) and in `npm run build`; takes well under a second.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'dashboard');
const out = join(root, 'dist', 'dashboard');

// esbuild is a devDependency: an install without them (--omit=dev, with a dist/ built elsewhere)
// must not fail here. The server then answers /dashboard with 503 and says how to build it.
let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  console.warn('dashboard: esbuild is not installed (devDependencies omitted); assets not built');
  process.exit(0);
}

const started = performance.now();
const bundle = await build({
  entryPoints: [join(source, 'main.tsx')],
  bundle: true,
  format: 'esm',
  target: ['es2020'],
  platform: 'browser',
  minify: true,
  sourcemap: 'external',
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'none',
  outfile: join(out, 'assets', 'app.js'),
  write: false,
  logLevel: 'warning',
});
const js = bundle.outputFiles.find((f) => f.path.endsWith('.js'));
const map = bundle.outputFiles.find((f) => f.path.endsWith('.js.map'));
const css = await readFile(join(source, 'styles.css'));
const html = await readFile(join(source, 'index.html'), 'utf8');

const hashed = (name, ext, bytes) =>
  `${name}.${createHash('sha256').update(bytes).digest('hex').slice(0, 12)}.${ext}`;
const jsName = hashed('app', 'js', js.contents);
const cssName = hashed('app', 'css', css);

await rm(out, { recursive: true, force: true });
await mkdir(join(out, 'assets'), { recursive: true });
const jsText = Buffer.from(js.contents)
  .toString('utf8')
  .replace(/\/\/# sourceMappingURL=.*$/m, `//# sourceMappingURL=${jsName}.map`);
await writeFile(join(out, 'assets', jsName), jsText);
await writeFile(join(out, 'assets', `${jsName}.map`), map.contents);
await writeFile(join(out, 'assets', cssName), css);
await writeFile(
  join(out, 'index.html'),
  html.replace('%APP_JS%', `assets/${jsName}`).replace('%APP_CSS%', `assets/${cssName}`),
);
const ms = Math.round(performance.now() - started);
console.log(`dashboard: dist/dashboard built in ${ms} ms (${js.contents.length} bytes of JS)`);
