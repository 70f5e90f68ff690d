// Looks up the version Debian serves for a package, with the same private apt
// configuration as test/support/debian.ts (the machine's apt state is never touched).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { aptCache, debUnpacked } from '../support/debian.ts';

/** Candidate versions in the private apt indexes (e.g. "6.12.117-1"), one apt-cache run for all. */
export function debianVersions(pkgs: string[]): Map<string, string> {
  const out = aptCache(['policy', ...pkgs]);
  const found = new Map<string, string>();
  // apt-cache policy prints "<pkg>:\n  Installed: ...\n  Candidate: <v>" per package
  for (const m of out.matchAll(/^(\S+?)(?::\w+)?:\n(?:[ \t]+.*\n)*?[ \t]+Candidate:[ \t]*(\S+)/gm)) {
    if (m[2] !== '(none)') found.set(m[1]!, m[2]!);
  }
  const missing = pkgs.filter((p) => !found.has(p));
  if (missing.length) throw new Error(`Debian serves no package ${missing.join(', ')} (apt-cache policy: ${out.trim() || 'empty'})`);
  return found;
}

/** The candidate version of `pkg` in the private apt indexes. */
export function debianVersion(pkg: string): string {
  return debianVersions([pkg]).get(pkg)!;
}

const memoPath = () => join(cachePath('lab'), 'versions.json');

/**
 * Downloads and unpacks the candidate version of each package; returns the unpacked trees in
 * order. The versions found are remembered in the cache (apt-cache over five suites takes ~4 s).
 */
export function debLatestAll(pkgs: string[]): string[] {
  const memo = memoPath();
  const known = existsSync(memo) ? (JSON.parse(readFileSync(memo, 'utf8')) as Record<string, string>) : {};
  const unknown = pkgs.filter((p) => !known[p]);
  const looked = unknown.length ? debianVersions(unknown) : new Map<string, string>();
  const versions = pkgs.map((p) => known[p] ?? looked.get(p)!);
  const dirs = pkgs.map((p, i) => debUnpacked(p, versions[i]!));
  if (unknown.length) {
    // re-read: another process may have added its own packages meanwhile
    const now = existsSync(memo) ? (JSON.parse(readFileSync(memo, 'utf8')) as Record<string, string>) : {};
    writeFileSync(memo, JSON.stringify({ ...now, ...Object.fromEntries(looked) }, null, 1));
  }
  return dirs;
}

export function debLatest(pkg: string): string {
  return debLatestAll([pkg])[0]!;
}
