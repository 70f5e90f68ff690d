// npm run build (also prepack): src/, generators/ and generated/ts (the TypeScript bindings) to
// JavaScript + declarations in dist/, the
// files the code reads next to itself (generators/uapi/header.hbs), and the schema validator
// compiled from spec/schema at build time. dist/ is what the installed package runs.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, relative } from 'node:path';
import { writeValidator } from './build-schema.ts';

const ROOT = join(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const SOURCES = ['src', 'generators', 'generated/ts'];
const VALIDATOR = 'src/load/schema-validator.gen';

function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** Files the code reads next to itself at run time (templates, data); dotfiles never. */
const ASSET = /^[^.].*\.(hbs|json|txt|md)$/;

/** Every file dist/ should hold, relative to ROOT's layout (src/x.ts -> src/x.js + src/x.d.ts). */
function expectedOutputs(): { compiled: string[]; assets: string[] } {
  const compiled: string[] = [];
  const assets: string[] = [];
  for (const file of SOURCES.flatMap((s) => walk(join(ROOT, s))).map((f) => relative(ROOT, f))) {
    if (file.startsWith(VALIDATOR)) continue; // written from the schema below
    if (file.endsWith('.ts') && !file.endsWith('.d.ts')) compiled.push(file.replace(/\.ts$/, '.js'), file.replace(/\.ts$/, '.d.ts'));
    else if (ASSET.test(basename(file))) assets.push(file);
  }
  return { compiled, assets };
}

function tsc(...extra: string[]): void {
  const bin = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [bin, '-p', join(ROOT, 'tsconfig.build.json'), ...extra], { stdio: 'inherit' });
  if (r.status !== 0) {
    process.stderr.write('build: tsc failed\n');
    process.exit(1);
  }
}

const started = performance.now();
const { compiled, assets } = expectedOutputs();
// Incremental: a no-change build takes a second or two. tsc trusts its build info even when an
// output was deleted by hand, so a missing output means a full compile.
tsc();
if (compiled.some((f) => !existsSync(join(DIST, f)))) tsc('--incremental', 'false');

const copied: string[] = [];
for (const file of assets) {
  mkdirSync(dirname(join(DIST, file)), { recursive: true });
  try {
    copyFileSync(join(ROOT, file), join(DIST, file));
    copied.push(file);
  } catch (e) {
    // A scratch file removed since the listing is simply not shipped.
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
}
writeValidator(join(DIST, `${VALIDATOR}.js`), join(DIST, `${VALIDATOR}.d.ts`));

// Outputs of sources that were deleted or renamed since the last build must not ship.
const keep = new Set([...compiled, ...copied, `${VALIDATOR}.js`, `${VALIDATOR}.d.ts`].map((f) => join(DIST, f)));
keep.add(join(DIST, '.tsbuildinfo'));
let removed = 0;
for (const file of walk(DIST)) {
  if (!keep.has(file)) {
    rmSync(file);
    removed++;
  }
}
/** Removes folders left empty below dir; true when dir itself is empty afterwards. */
function pruneEmpty(dir: string): boolean {
  const left = readdirSync(dir, { withFileTypes: true }).filter((e) => !(e.isDirectory() && pruneEmpty(join(dir, e.name))));
  if (left.length === 0 && dir !== DIST) rmdirSync(dir);
  return left.length === 0;
}
pruneEmpty(DIST);
process.stderr.write(`build: dist/ (${keep.size - 1} files${removed ? `, ${removed} stale removed` : ''}) in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
