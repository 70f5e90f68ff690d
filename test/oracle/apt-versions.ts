// Which versions of a Debian package the private apt configuration of
// test/support/debian.ts can see (same cache dir, same -o options), without
// touching the machine's own apt state. debian.ts keeps its helpers private, so
// the few options are restated here; keep them in step with that file.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { INDEXED_ARCHES } from '../support/debian.ts';

const SUITES = ['bullseye', 'bookworm', 'trixie', 'sid', 'experimental'];
const UPDATE_MAX_AGE_MS = 24 * 3600 * 1000;

function aptOptions(): string[] {
  const dir = cachePath('apt');
  const list = join(dir, 'sources.list');
  if (!existsSync(list)) {
    writeFileSync(list, SUITES.map((s) => `deb http://deb.debian.org/debian ${s} main\n`).join(''));
  }
  mkdirSync(join(dir, 'state', 'lists', 'partial'), { recursive: true });
  const opts = [
    '-o', `Dir::Etc::SourceList=${list}`,
    '-o', 'Dir::Etc::SourceParts=/dev/null',
    '-o', `Dir::State::Lists=${join(dir, 'state', 'lists')}`,
    '-o', `Dir::Cache=${join(dir, 'cache')}`,
    '-o', `APT::Architectures=${INDEXED_ARCHES.join(',')}`,
    '-o', 'Debug::NoLocking=1',
  ];
  const stamp = join(dir, 'state', 'updated');
  if (!existsSync(stamp) || Date.now() - statSync(stamp).mtimeMs >= UPDATE_MAX_AGE_MS) {
    execFileSync('apt-get', [...opts, '-q', 'update'], { stdio: 'pipe', timeout: 300_000 });
    writeFileSync(stamp, new Date().toISOString());
  }
  return opts;
}

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
  const out = execFileSync('apt-cache', [...aptOptions(), 'madison', pkg], { encoding: 'utf8', timeout: 120_000 });
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
