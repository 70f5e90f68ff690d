// Plan types, path validation and plan resolution (pure: touches no files).

import * as path from 'node:path';

export interface OutputFile {
  /** POSIX path relative to the output root, e.g. 'uapi/linux/vhost.h'. */
  path: string;
  /** Exact text, written as UTF-8 and never rewritten (no newline normalisation). */
  content: string;
}

export interface WritePlan {
  /** Output root directory, e.g. <repo>/generated. */
  root: string;
  /** Subtrees of root this run owns completely; files in them the run does not produce are deleted. */
  owned: string[];
  /** Every file must lie inside one owned subtree. */
  files: OutputFile[];
}

/** Any refusal or failure of the writer. Nothing in root has changed when it is thrown before the swap. */
export class WriterError extends Error {
  override name = 'WriterError';
  /** The errno code behind a filesystem failure ('EACCES', 'EROFS', ...), if there was one. */
  readonly code: string | undefined;
  constructor(message: string, code?: string) {
    super(message);
    this.code = code;
  }
}

/** Prefixes of the writer's own temporary directories directly under root. */
export const STAGING_PREFIX = '.staging-';
export const ASIDE_PREFIX = '.aside-';
/** The lock held while a run changes root (lock.ts). */
export const LOCK_NAME = '.ioctl-abi.lock';
/** Names of a lock being taken over (`.ioctl-abi.lock.stale-<pid>`): leftovers if the taker died. */
export const LOCK_TEMP_PREFIX = `${LOCK_NAME}.`;

/** Whether a top-level name under root belongs to the writer itself (temporary trees, the lock). */
export function isReservedName(name: string): boolean {
  return name.startsWith(STAGING_PREFIX) || name.startsWith(ASIDE_PREFIX) || name === LOCK_NAME || name.startsWith(LOCK_TEMP_PREFIX);
}

/** Plain code-unit order, independent of locale. */
export function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Returns why `p` is not an acceptable relative POSIX path, or null if it is. */
export function pathProblem(p: unknown): string | null {
  if (typeof p !== 'string') return 'is not a string';
  if (p === '') return 'is empty';
  if (p.includes('\0')) return 'contains a NUL character';
  if (p.includes('\\')) return 'contains a backslash';
  if (p.startsWith('/')) return 'is absolute';
  for (const seg of p.split('/')) {
    if (seg === '') return 'has an empty segment';
    if (seg === '..') return "has a '..' segment";
    if (seg === '.') return "has a '.' segment";
  }
  return null;
}

export interface Subtree {
  /** Owned subtree, relative to root. */
  name: string;
  /** Files of the plan inside it, sorted by path. */
  files: OutputFile[];
}

export interface ResolvedPlan {
  root: string; // absolute
  subtrees: Subtree[]; // sorted by name
}

/** Validates a plan completely and groups its files by owned subtree; throws WriterError listing the problems. */
export function resolvePlan(plan: WritePlan): ResolvedPlan {
  const problems: string[] = [];
  if (typeof plan?.root !== 'string' || plan.root === '') throw new WriterError('invalid write plan: root must be a non-empty path');
  if (!Array.isArray(plan.owned) || !Array.isArray(plan.files)) throw new WriterError('invalid write plan: owned and files must be arrays');

  const owned = [...plan.owned].sort(byCodeUnit);
  const seenOwned = new Set<string>();
  for (const o of owned) {
    const why = pathProblem(o);
    if (why !== null) {
      problems.push(`owned subtree ${JSON.stringify(o)} ${why}`);
      continue;
    }
    const top = o.split('/')[0] as string;
    if (isReservedName(top)) problems.push(`owned subtree ${JSON.stringify(o)} uses a name reserved for the writer's temporary directories and lock`);
    if (seenOwned.has(o)) problems.push(`owned subtree ${JSON.stringify(o)} is listed twice`);
    for (const other of seenOwned) {
      if (o.startsWith(other + '/')) problems.push(`owned subtree ${JSON.stringify(o)} is nested inside owned subtree ${JSON.stringify(other)}`);
    }
    seenOwned.add(o);
  }

  const groups = new Map<string, OutputFile[]>();
  for (const o of seenOwned) groups.set(o, []);
  const filePaths = new Set<string>();
  for (const f of plan.files) {
    const p: unknown = f?.path;
    const why = pathProblem(p);
    if (why !== null) {
      problems.push(`file path ${JSON.stringify(p)} ${why}`);
      continue;
    }
    const fp = p as string;
    if (typeof f.content !== 'string') problems.push(`file ${JSON.stringify(fp)} has non-string content`);
    if (filePaths.has(fp)) {
      problems.push(`file ${JSON.stringify(fp)} appears more than once`);
      continue;
    }
    filePaths.add(fp);
    let owner: string | undefined;
    for (const o of seenOwned) if (fp.startsWith(o + '/')) owner = o;
    if (owner === undefined) {
      problems.push(`file ${JSON.stringify(fp)} is not inside any owned subtree (${[...seenOwned].join(', ') || 'none'})`);
      continue;
    }
    groups.get(owner)?.push({ path: fp, content: f.content });
  }
  // A path cannot be both a file and a directory.
  for (const fp of filePaths) {
    for (let i = fp.indexOf('/'); i !== -1; i = fp.indexOf('/', i + 1)) {
      const dir = fp.slice(0, i);
      if (filePaths.has(dir)) problems.push(`file ${JSON.stringify(dir)} is also a directory of file ${JSON.stringify(fp)}`);
    }
  }

  if (problems.length > 0) {
    const shown = problems.slice(0, 20);
    const more = problems.length > shown.length ? `\n  ... and ${problems.length - shown.length} more` : '';
    throw new WriterError(`invalid write plan (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n  - ${shown.join('\n  - ')}${more}`);
  }
  const subtrees = [...groups].map(([name, files]) => ({ name, files: files.sort((x, y) => byCodeUnit(x.path, y.path)) }));
  subtrees.sort((x, y) => byCodeUnit(x.name, y.name));
  return { root: path.resolve(plan.root), subtrees };
}

/** Absolute filesystem path of a POSIX path relative to root. */
export function under(root: string, rel: string): string {
  return path.join(root, ...rel.split('/'));
}
