// Looks up the version Debian serves for a package, with the same private apt
// configuration as test/support/debian.ts (the machine's apt state is never touched).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { debUnpacked } from '../support/debian.ts';
import { LIBC_DEV } from './config.ts';

function aptOptions(): string[] {
  const dir = cachePath('apt');
  return [
    '-o', `Dir::Etc::SourceList=${join(dir, 'sources.list')}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'state', 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', 'APT::Architectures=amd64',
    '-o', 'Debug::NoLocking=1',
  ];
}

function indexesPresent(): boolean {
  const lists = join(cachePath('apt'), 'state', 'lists');
  return existsSync(lists) && readdirSync(lists).some((f) => f.endsWith('_Packages'));
}

function ensureIndexes(): void {
  if (indexesPresent()) return;
  // debian.ts owns the private apt setup: a download through it writes sources.list and the indexes.
  debUnpacked(LIBC_DEV.pkg, LIBC_DEV.version);
  if (indexesPresent()) return;
  const dir = cachePath('apt');
  if (!existsSync(join(dir, 'sources.list'))) throw new Error(`no private apt sources.list in ${dir}`);
  mkdirSync(join(dir, 'state', 'lists', 'partial'), { recursive: true });
  execFileSync('apt-get', [...aptOptions(), '-q', 'update'], { stdio: 'pipe', timeout: 300_000 });
}

/** The candidate version of `pkg` in the private apt indexes (e.g. "6.12.117-1"). */
export function debianVersion(pkg: string): string {
  ensureIndexes();
  const out = execFileSync('apt-cache', [...aptOptions(), 'policy', pkg], { encoding: 'utf8', timeout: 60_000 });
  const m = /Candidate:\s*(\S+)/.exec(out);
  if (!m?.[1] || m[1] === '(none)') throw new Error(`Debian serves no package ${pkg} (apt-cache policy: ${out.trim() || 'empty'})`);
  return m[1];
}

/**
 * Downloads and unpacks the candidate version of `pkg`; returns the unpacked tree.
 * The version found is remembered in the cache (apt-cache over five suites takes ~7 s).
 */
export function debLatest(pkg: string): string {
  const memo = join(cachePath('lab'), 'versions.json');
  const known = existsSync(memo) ? (JSON.parse(readFileSync(memo, 'utf8')) as Record<string, string>) : {};
  const version = known[pkg] ?? debianVersion(pkg);
  const dir = debUnpacked(pkg, version);
  if (known[pkg] !== version) writeFileSync(memo, JSON.stringify({ ...known, [pkg]: version }, null, 1));
  return dir;
}
