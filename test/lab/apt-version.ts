// Looks up the version Debian serves for a package, with the same private apt
// configuration as test/support/debian.ts (the machine's apt state is never touched).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { aptCache, debUnpacked } from '../support/debian.ts';

/** The candidate version of `pkg` in the private apt indexes (e.g. "6.12.117-1"). */
export function debianVersion(pkg: string): string {
  const out = aptCache(['policy', pkg]);
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
