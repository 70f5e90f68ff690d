// Which versions of a Debian package the private apt configuration of
// test/support/debian.ts can see, without touching the machine's own apt state.
import { execFileSync } from 'node:child_process';
import { aptCache } from '../support/debian.ts';

/** Compares two Debian version strings with dpkg's own rules. */
export function debVersionGreater(a: string, b: string): boolean {
  try {
    execFileSync('dpkg', ['--compare-versions', a, 'gt', b], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}

/** Every version of `pkg` the private apt indexes list (apt-cache madison), newest first. */
export function debianVersions(pkg: string): string[] {
  const out = aptCache(['madison', pkg]);
  const versions = new Set<string>();
  for (const line of out.split('\n')) {
    const cols = line.split('|').map((c) => c.trim());
    if (cols.length >= 3 && cols[0] === pkg && cols[1]) versions.add(cols[1]);
  }
  return [...versions].sort((a, b) => (a === b ? 0 : debVersionGreater(a, b) ? -1 : 1));
}

/** The newest version of `pkg` whose upstream part starts with `upstreamPrefix` (e.g. '6.1.'), or undefined. */
export function newestDebianVersion(pkg: string, upstreamPrefix: string): string | undefined {
  return debianVersions(pkg).find((v) => v.startsWith(upstreamPrefix));
}
