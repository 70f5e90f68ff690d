// Which spec the CLI reads when none is given: spec/ in the working directory when there is one
// (a clone, or a project keeping its own spec), else the spec shipped inside this package, so
// `npx ioctl-abi dump --json` works anywhere.
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { packagePath } from '../package-root.ts';

export interface SpecTarget {
  /** What to open; relative to the working directory when it lies below it. */
  path: string;
  /** True when neither a spec was given nor a spec/ folder exists in cwd: the packaged one is used. */
  packaged: boolean;
}

export function resolveSpecTarget(given: string | undefined, cwd: string): SpecTarget {
  if (given !== undefined) return { path: given, packaged: false };
  const local = resolve(cwd, 'spec');
  if (isDirectory(local)) return { path: shown(local), packaged: false };
  const shipped = packagePath('spec');
  // Without a packaged spec (never in a real install) the usual "spec not found" error is right.
  if (!existsSync(join(shipped, 'project.yaml'))) return { path: shown(local), packaged: false };
  return { path: shipped, packaged: true };
}

/** The one stderr line that says the packaged spec is used. */
export function packagedSpecNotice(path: string): string {
  return `ioctl-abi: no spec/ here; using the packaged spec ${path}\n`;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** spec/ below the working directory stays relative, as users and generated banners expect. */
function shown(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}
