// Builds kernel/ (vhost_mdev) for the lab kernel: the hand-written sources plus the generated
// dispatches of generated/kernel/, copied unchanged into one build folder (never edited there).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { buildChroot } from './chroot.ts';
import { type BuiltModule, buildModule } from './module.ts';
import { uapiInclude } from './probe.ts';
import { step } from './run.ts';

const ROOT = join(import.meta.dirname, '../..');
export const MDEV_SRC = join(ROOT, 'kernel');
export const GENERATED_KERNEL = join(ROOT, 'generated/kernel');

/** The sources of the module: kernel/* and generated/kernel/*.{c,h}, by file name. */
export function mdevSources(): string[] {
  const own = readdirSync(MDEV_SRC).filter((f) => f === 'Kbuild' || /\.[ch]$/.test(f)).map((f) => join(MDEV_SRC, f));
  const gen = readdirSync(GENERATED_KERNEL).filter((f) => /\.[ch]$/.test(f)).map((f) => join(GENERATED_KERNEL, f));
  return [...own, ...gen];
}

/**
 * vhost_mdev.ko (-Werror, 6.12 headers), cached by the hash of its sources; `make` adds kbuild
 * arguments. Each build has a folder of its own (parallel test files never share one).
 */
export function buildMdev(opts: { timeoutMs?: number; make?: readonly string[] } = {}): BuiltModule {
  const hash = createHash('sha256').update(JSON.stringify(opts.make ?? []));
  for (const f of mdevSources()) hash.update(f).update(readFileSync(f));
  const key = hash.digest('hex').slice(0, 16);
  const cached = join(cachePath('lab', 'modules', `vhost_mdev-${key}`), 'vhost_mdev.ko');
  if (existsSync(cached)) return { ko: cached, log: '' };
  const dir = join(cachePath('lab', 'mdev-src'), `vhost_mdev-${key}-${process.pid}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  try {
    for (const f of mdevSources()) copyFileSync(f, join(dir, basename(f)));
    const built = buildModule(dir, opts);
    renameSync(built.ko, cached);
    rmSync(dirname(built.ko), { recursive: true, force: true });
    return { ko: cached, log: built.log };
  } finally {
    rmSync(dir, { recursive: true, force: true });
    rmSync(join(buildChroot(), 'build', basename(dir)), { recursive: true, force: true });
  }
}

/** Compiles one of the lab's C tools (test/lab/probe/<name>.c) on the host against the 6.12 UAPI; cached by hash. */
export function buildTool(name: string): string {
  const src = join(import.meta.dirname, 'probe', `${name}.c`);
  const inc = uapiInclude();
  const key = createHash('sha256').update(readFileSync(src)).update(inc).digest('hex').slice(0, 16);
  const out = join(cachePath('lab', 'probe'), `${name}-${key}`);
  if (existsSync(out)) return out;
  step(`compiling ${name}`, 'gcc', [
    '-O2', '-Wall', '-Wextra', '-Werror', `-I${inc}`, `-I${join(inc, 'x86_64-linux-gnu')}`, '-o', `${out}.tmp`, src,
  ], { timeoutMs: 120_000 });
  renameSync(`${out}.tmp`, out);
  return out;
}
