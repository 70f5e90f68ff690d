// Fetches Debian packages into the cache with a private apt configuration,
// so the machine's own apt sources and state are never touched.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineDebianMirror } from './apt-mirror.ts';
import { cachePath } from './cache.ts';

const SUITES = ['bullseye', 'bookworm', 'trixie', 'sid', 'experimental'];
const UPDATE_MAX_AGE_MS = 24 * 3600 * 1000;

/** The private sources.list: the five suites the tests fetch from, all from `mirror`. */
export function privateSourcesList(mirror: string): string {
  return SUITES.map((s) => `deb ${mirror} ${s} main\n`).join('');
}

/**
 * The private apt directory, its sources.list naming the machine's mirror. A list left by
 * an earlier mirror is rewritten and its update stamp dropped, so the next use refetches
 * the indexes from the new mirror (apt-get update then removes the old host's lists).
 */
export function aptDir(): string {
  const dir = cachePath('apt');
  const list = join(dir, 'sources.list');
  const want = privateSourcesList(machineDebianMirror());
  if (!existsSync(list) || readFileSync(list, 'utf8') !== want) {
    // Written aside and renamed: parallel test files may read it meanwhile.
    const tmp = `${list}.${process.pid}`;
    writeFileSync(tmp, want);
    renameSync(tmp, list);
    rmSync(join(dir, 'state', 'updated'), { force: true });
  }
  mkdirSync(join(dir, 'state', 'lists', 'partial'), { recursive: true });
  return dir;
}

function aptOptions(dir: string, arches: string[]): string[] {
  return [
    '-o', `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'state', 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', `APT::Architectures=${arches.join(',')}`,
    '-o', 'Debug::NoLocking=1',
  ];
}

/** Architectures whose package indexes the private apt state carries. */
export const INDEXED_ARCHES = ['amd64'];

function ensureIndexes(dir: string): void {
  const stamp = join(dir, 'state', 'updated');
  if (existsSync(stamp) && Date.now() - statSync(stamp).mtimeMs < UPDATE_MAX_AGE_MS) return;
  execFileSync('apt-get', [...aptOptions(dir, INDEXED_ARCHES), '-q', 'update'], { stdio: 'pipe', timeout: 300_000 });
  writeFileSync(stamp, new Date().toISOString());
}

/** Runs apt-cache (policy, madison, ...) against the private indexes, updating them when stale. */
export function aptCache(args: string[]): string {
  const dir = aptDir();
  ensureIndexes(dir);
  return execFileSync('apt-cache', [...aptOptions(dir, INDEXED_ARCHES), ...args], { encoding: 'utf8', timeout: 120_000 });
}

/**
 * Downloads `pkg=version` (architecture-qualified as `pkg:arch` if needed) once and
 * unpacks it with dpkg -x; returns the directory holding the unpacked tree.
 */
export function debUnpacked(pkg: string, version: string): string {
  const key = `${pkg}_${version}`.replace(/[^A-Za-z0-9._+~-]/g, '_');
  const root = cachePath('debs');
  const out = join(root, key);
  if (existsSync(join(out, '.complete'))) return out;
  const dir = aptDir();
  ensureIndexes(dir);
  const work = join(root, `.${key}.${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  try {
    execFileSync('apt-get', [...aptOptions(dir, INDEXED_ARCHES), '-q', 'download', `${pkg}=${version}`], {
      cwd: work, stdio: 'pipe', timeout: 900_000,
    });
    const deb = readdirSync(work).find((f) => f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg}=${version} produced no .deb`);
    const tree = join(work, 'tree');
    execFileSync('dpkg', ['-x', join(work, deb), tree], { stdio: 'pipe' });
    writeFileSync(join(tree, '.complete'), `${deb}\n`);
    if (!existsSync(join(out, '.complete'))) {
      rmSync(out, { recursive: true, force: true });
      renameSync(tree, out);
    }
  } catch (err) {
    const e = err as { stderr?: Buffer; message: string };
    throw new Error(`cannot fetch Debian package ${pkg}=${version}: ${e.stderr?.toString().trim() || e.message}`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return out;
}
