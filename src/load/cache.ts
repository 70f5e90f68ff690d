// A small on-disk cache for work that depends only on file contents (compiled schema,
// parsed YAML): node_modules/.cache/ioctl-abi when the package has node_modules, else tmp.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export function cacheDir(): string {
  const modules = fileURLToPath(new URL('../../node_modules', import.meta.url));
  return existsSync(modules) ? join(modules, '.cache', 'ioctl-abi') : join(tmpdir(), 'ioctl-abi-cache');
}

export function contentHash(...parts: string[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p).update('\0');
  return h.digest('hex').slice(0, 20);
}

export function cacheRead(name: string): string | undefined {
  try {
    return readFileSync(join(cacheDir(), name), 'utf8');
  } catch {
    return undefined;
  }
}

/** Writes atomically (temp file + rename); a failure only costs the next run the work again. */
export function cacheWrite(name: string, text: string): void {
  try {
    mkdirSync(cacheDir(), { recursive: true });
    const file = join(cacheDir(), name);
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, text);
    renameSync(tmp, file);
    prune();
  } catch {
    /* caching is an optimisation only */
  }
}

const MAX_ENTRIES = 400;

/** Every edit of a spec file adds an entry; keep the newest ones. */
function prune(): void {
  const dir = cacheDir();
  const names = readdirSync(dir);
  if (names.length <= MAX_ENTRIES) return;
  const byAge = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => a.t - b.t);
  for (const { n } of byAge.slice(0, names.length - MAX_ENTRIES / 2)) rmSync(join(dir, n), { force: true });
}
