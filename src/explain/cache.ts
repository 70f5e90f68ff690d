// The explain index kept between runs, in the user's own cache folder (src/load/cache.ts: a 0700
// folder this user owns, JSON only). Its key is the text of every spec file it is built from
// and of the code that computes it, so an edited spec or a changed model never answers stale.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRead, cacheWrite, contentHash } from '../load/cache.ts';
import { INDEX_FORMAT, type ExplainIndex } from './index-types.ts';

/** The files of a folder (not below it) whose names end in one of `exts`, sorted. */
function filesOf(dir: string, exts: readonly string[]): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile() && exts.some((x) => e.name.endsWith(x)))
      .map((e) => join(dir, e.name))
      .sort();
  } catch {
    return [];
  }
}

/** src/ (a clone) or dist/src/ (the package): where the model, loader and this code live. */
const CODE = fileURLToPath(new URL('..', import.meta.url));

/** The cache key of the index for a spec folder and its history folders. */
export function indexKey(specDirs: readonly string[]): string {
  const code = ['model', 'load', 'explain'].flatMap((d) => filesOf(join(CODE, d), ['.ts', '.js']));
  const spec = specDirs.flatMap((d) => filesOf(d, ['.yaml', '.yml']));
  const parts = [INDEX_FORMAT, ...[...code, ...spec].flatMap((f) => [f.startsWith(CODE) ? f.slice(CODE.length) : f, readFileSync(f, 'utf8')])];
  return contentHash(...parts);
}

export function readIndex(key: string): ExplainIndex | undefined {
  const text = cacheRead(`explain-${key}.json`);
  if (!text) return undefined;
  try {
    const index = JSON.parse(text) as ExplainIndex;
    return index.format === INDEX_FORMAT ? index : undefined;
  } catch {
    return undefined; // a damaged entry is rebuilt
  }
}

export function writeIndex(key: string, index: ExplainIndex): void {
  cacheWrite(`explain-${key}.json`, JSON.stringify(index));
}
