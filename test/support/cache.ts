// Where downloads and built artefacts live: outside the repo, kept between runs.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const cacheRoot: string =
  process.env.IOCTL_ABI_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'ioctl-abi');

export function cachePath(...parts: string[]): string {
  const dir = join(cacheRoot, ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}
