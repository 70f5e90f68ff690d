// The kernel's own style checker, scripts/checkpatch.pl (and scripts/kernel-doc), taken at
// test time from Debian's linux-source package: never committed, kept in the cache.
//
// linux-source-X.Y is one ~150 MB .deb holding the whole tree as a .tar.xz. Only the few
// files checkpatch needs are extracted from it; the unpacked .deb is then deleted so the
// cache keeps a few hundred kB. A mkdir lock in the cache serializes parallel test files
// (vitest forks) so only one of them downloads; the others wait for it.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from './cache.ts';
import { debUnpacked } from './debian.ts';
import { debianVersions, debVersionGreater } from '../oracle/apt-versions.ts';

/**
 * Which tarball. One checker for every modelled kernel version: trixie's 6.12 (stable
 * suite, so the package stays served). Point releases replace the package in place; if
 * the pinned version is neither cached nor served, the newest 6.12.* is taken instead.
 */
export const CHECKPATCH_SOURCE = { pkg: 'linux-source-6.12', debVersion: '6.12.117-1', upstreamPrefix: '6.12.' } as const;

/** Files taken out of the tarball (paths under its top directory). */
export const CHECKPATCH_FILES = ['scripts/checkpatch.pl', 'scripts/spelling.txt', 'scripts/const_structs.checkpatch', 'scripts/kernel-doc'] as const;

export interface CheckpatchTool {
  /** Directory holding scripts/checkpatch.pl and friends. */
  root: string;
  checkpatch: string;
  kernelDoc: string;
  debVersion: string;
  /** How the files were obtained (measured on the run that downloaded them). */
  fetch: FetchInfo;
}

export interface FetchInfo {
  deb: string;
  tarballBytes: number;
  downloadMs: number;
  extractMs: number;
  totalMs: number;
}

const LOCK_STALE_MS = 30 * 60 * 1000;
const LOCK_WAIT_MS = 25 * 60 * 1000;

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Runs `fn` holding a mkdir lock `dir`; a lock whose owner died (or is very old) is broken. */
function withLock<T>(dir: string, fn: () => T): T {
  const t0 = Date.now();
  for (;;) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'owner'), `${process.pid}\n`);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let pid = NaN;
      let age = 0;
      try {
        pid = Number(readFileSync(join(dir, 'owner'), 'utf8').trim());
        age = Date.now() - statSync(dir).mtimeMs;
      } catch {
        // owner file not written yet (or the lock just went away): retry
      }
      if ((Number.isInteger(pid) && pid > 0 && !alive(pid)) || age > LOCK_STALE_MS) {
        rmSync(dir, { recursive: true, force: true });
        continue;
      }
      if (Date.now() - t0 > LOCK_WAIT_MS) throw new Error(`checkpatch: timed out waiting for the lock ${dir}`);
      sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function resolveDebVersion(base: string): string {
  const pinned = CHECKPATCH_SOURCE.debVersion;
  if (existsSync(join(base, pinned, '.complete'))) return pinned;
  const cached = readdirSync(base).filter((d) => d.startsWith(CHECKPATCH_SOURCE.upstreamPrefix) && existsSync(join(base, d, '.complete')));
  if (cached.length) return cached.reduce((a, b) => (debVersionGreater(b, a) ? b : a));
  const served = debianVersions(CHECKPATCH_SOURCE.pkg);
  if (served.includes(pinned)) return pinned;
  const newest = served.find((v) => v.startsWith(CHECKPATCH_SOURCE.upstreamPrefix));
  if (!newest) throw new Error(`checkpatch: no ${CHECKPATCH_SOURCE.pkg} ${CHECKPATCH_SOURCE.upstreamPrefix}* in the private apt indexes`);
  return newest;
}

function tool(root: string, debVersion: string): CheckpatchTool {
  const fetch = JSON.parse(readFileSync(join(root, '.complete'), 'utf8')) as FetchInfo;
  return { root, checkpatch: join(root, 'scripts/checkpatch.pl'), kernelDoc: join(root, 'scripts/kernel-doc'), debVersion, fetch };
}

/**
 * The cached checkpatch, fetched on first use (download ~150 MB + extraction: 20-30 s
 * measured on 2 cores). Throws when it cannot be fetched; the caller decides whether
 * that skips or fails.
 */
export function checkpatchTool(): CheckpatchTool {
  const base = cachePath('checkpatch');
  const quick = existsSync(join(base, CHECKPATCH_SOURCE.debVersion, '.complete'));
  if (quick) return tool(join(base, CHECKPATCH_SOURCE.debVersion), CHECKPATCH_SOURCE.debVersion);
  return withLock(join(base, '.lock'), () => {
    const debVersion = resolveDebVersion(base);
    const root = join(base, debVersion);
    if (existsSync(join(root, '.complete'))) return tool(root, debVersion);
    const t0 = Date.now();
    const unpacked = debUnpacked(CHECKPATCH_SOURCE.pkg, debVersion);
    const t1 = Date.now();
    try {
      const src = join(unpacked, 'usr/src');
      const tarball = readdirSync(src).find((f) => /^linux-source-.*\.tar\.xz$/.test(f));
      if (!tarball) throw new Error(`checkpatch: no linux-source-*.tar.xz under ${src}`);
      const deb = readFileSync(join(unpacked, '.complete'), 'utf8').trim();
      const tarballBytes = statSync(join(src, tarball)).size;
      const work = join(base, `.${debVersion}.${process.pid}`);
      rmSync(work, { recursive: true, force: true });
      mkdirSync(work, { recursive: true });
      execFileSync('tar', ['-xJf', join(src, tarball), '-C', work, '--wildcards', '--no-wildcards-match-slash', ...CHECKPATCH_FILES.map((f) => `*/${f}`)], {
        stdio: 'pipe', timeout: 900_000,
      });
      const top = readdirSync(work).find((d) => existsSync(join(work, d, 'scripts/checkpatch.pl')));
      if (!top) throw new Error(`checkpatch: scripts/checkpatch.pl not found in ${tarball}`);
      const t2 = Date.now();
      const info: FetchInfo = { deb, tarballBytes, downloadMs: t1 - t0, extractMs: t2 - t1, totalMs: t2 - t0 };
      writeFileSync(join(work, top, '.complete'), `${JSON.stringify(info, null, 2)}\n`);
      rmSync(root, { recursive: true, force: true });
      renameSync(join(work, top), root);
      rmSync(work, { recursive: true, force: true });
    } finally {
      // Only the extracted scripts are kept: the unpacked .deb is ~150 MB.
      rmSync(unpacked, { recursive: true, force: true });
    }
    return tool(root, debVersion);
  });
}

/**
 * For scripts/prepare.ts: fetch before vitest starts. In CI (CI=true) a failure is an
 * error; elsewhere it is reported and test/uapi/checkpatch.test.ts skips.
 */
export async function prepare(): Promise<void> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  try {
    const t = checkpatchTool();
    const f = t.fetch;
    console.log(`prepare: checkpatch.pl from ${f.deb} (tarball ${(f.tarballBytes / 1e6).toFixed(1)} MB; fetched in ${(f.totalMs / 1000).toFixed(1)} s when first downloaded)`);
  } catch (err) {
    if (ci) throw err;
    console.warn(`prepare: checkpatch unavailable (not CI: its tests will be skipped): ${(err as Error).message}`);
  }
}
