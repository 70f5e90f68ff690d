// A small on-disk cache for data that depends only on file contents (the parsed YAML of spec
// files). It lives in the user's own cache folder ($IOCTL_ABI_CACHE, else
// $XDG_CACHE_HOME/ioctl-abi, else ~/.cache/ioctl-abi), in parsed/, and holds JSON only: nothing
// read from here is ever run as code. A folder another user owns or could write is not used,
// since its entries could have been planted; caching is an optimisation only.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/** The cache root as configured (it may not exist yet). */
export function cacheRoot(): string {
  if (process.env.IOCTL_ABI_CACHE) return process.env.IOCTL_ABI_CACHE;
  // The XDG spec says a relative XDG_CACHE_HOME is invalid and must be ignored.
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && isAbsolute(xdg) ? xdg : join(homedir(), '.cache'), 'ioctl-abi');
}

let checked: { root: string; dir: string | undefined } | undefined;

/**
 * The folder for cache entries, created 0700 when missing; undefined when it (or the root above
 * it) is not a directory this user owns, or is group- or world-writable.
 */
export function cacheDir(): string | undefined {
  const root = cacheRoot();
  if (checked?.root === root) return checked.dir;
  const dir = join(root, 'parsed');
  let ok = false;
  try {
    // The root is judged before anything is made inside it.
    mkdirSync(root, { recursive: true, mode: 0o700 });
    if (safe(root)) {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      ok = safe(dir);
    }
  } catch {
    /* cannot create it (read-only home, say): no cache */
  }
  checked = { root, dir: ok ? dir : undefined };
  return checked.dir;
}

function safe(path: string): boolean {
  const st = statSync(path);
  const uid = process.getuid?.();
  return st.isDirectory() && (uid === undefined || st.uid === uid) && (st.mode & 0o022) === 0;
}

export function contentHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 20);
}

/** Entry names are plain file names ending in .json: no paths, nothing executable. */
const ENTRY = /^[A-Za-z0-9][A-Za-z0-9._-]*\.json$/;

export function cacheRead(name: string): string | undefined {
  const dir = cacheDir();
  if (!dir || !ENTRY.test(name)) return undefined;
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename); a failure only costs the next run the work again. */
export function cacheWrite(name: string, text: string): void {
  const dir = cacheDir();
  if (!dir || !ENTRY.test(name)) return;
  try {
    const file = join(dir, name);
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o600 });
    renameSync(tmp, file);
    prune(dir);
  } catch {
    /* caching is an optimisation only */
  }
}

const MAX_ENTRIES = 400;

/** Every edit of a spec file adds an entry; keep the newest ones. */
function prune(dir: string): void {
  const names = readdirSync(dir);
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
}
