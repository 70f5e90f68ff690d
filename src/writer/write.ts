// Atomic, deterministic writing of owned subtrees.
//
// For every owned subtree whose content differs from the plan, the complete
// new subtree is built in root/.staging-<pid>-<name>; files whose bytes are
// unchanged are hard-linked from the current tree (so they keep their mtime),
// the rest are written fresh. Only when every staging tree is complete are
// they swapped in: current subtree -> root/.aside-<pid>-<name>, staging ->
// subtree, then the aside copies are deleted. A failure before the swap leaves
// root untouched; a failure during the swap rolls the swapped subtrees back.
// Subtrees already identical to the plan are not touched at all.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareSubtree, isUpToDate, type SubtreeComparison } from './check.ts';
import { ASIDE_PREFIX, STAGING_PREFIX, WriterError, pathProblem, resolvePlan, under, type Subtree, type WritePlan } from './paths.ts';

export interface WriteResult {
  /** Files added or whose content changed. */
  written: number;
  /** Planned files whose bytes were already on disk (their mtimes are kept). */
  unchanged: number;
  /** Entries in owned subtrees that the plan does not produce, deleted. */
  removed: number;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function remove(p: string): void {
  fs.rmSync(p, { recursive: true, force: true });
}

function pidAlive(pid: number): boolean {
  if (pid === process.pid) return false; // ours, from an earlier call that did not finish cleaning
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

const TEMP_NAME = /^\.(staging|aside)-(\d+)-(.+)$/;

function tempName(prefix: string, subtree: string): string {
  return `${prefix}${process.pid}-${encodeURIComponent(subtree)}`;
}

/**
 * Cleans temporary directories left by runs that died: staging trees are
 * deleted; an aside tree is moved back if its subtree is missing (the run died
 * between the two renames of a swap), otherwise deleted. Directories of a
 * still-running writer process are left alone.
 */
function cleanLeftovers(root: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch {
    return;
  }
  for (const name of names.sort()) {
    const m = TEMP_NAME.exec(name);
    if (m === null || pidAlive(Number(m[2]))) continue;
    const abs = path.join(root, name);
    if (m[1] === 'aside') {
      let subtree: string | null = null;
      try {
        subtree = decodeURIComponent(m[3] as string);
      } catch {
        subtree = null;
      }
      if (subtree !== null && pathProblem(subtree) === null && !exists(under(root, subtree))) {
        try {
          fs.mkdirSync(path.dirname(under(root, subtree)), { recursive: true });
          fs.renameSync(abs, under(root, subtree));
          continue;
        } catch {
          // fall through: delete it
        }
      }
    }
    remove(abs);
  }
}

/** Refuses to follow a symlink or file standing in for a directory above an owned subtree. */
function checkParents(root: string, subtree: string): void {
  const segs = subtree.split('/');
  for (let i = 1; i < segs.length; i++) {
    const rel = segs.slice(0, i).join('/');
    let st: fs.Stats;
    try {
      st = fs.lstatSync(under(root, rel));
    } catch {
      return; // missing: created at swap time
    }
    if (st.isSymbolicLink()) throw new WriterError(`cannot write owned subtree '${subtree}': '${rel}' under ${root} is a symlink`);
  }
}

function stage(root: string, s: Subtree, c: SubtreeComparison, staging: string): void {
  fs.mkdirSync(staging);
  const unchanged = new Set(c.unchanged.map((f) => f.path));
  const prefix = s.name + '/';
  for (const f of s.files) {
    const dest = path.join(staging, ...f.path.slice(prefix.length).split('/'));
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    if (unchanged.has(f.path)) {
      const src = under(root, f.path);
      try {
        fs.linkSync(src, dest);
        continue;
      } catch {
        // e.g. hard links unsupported: copy and keep the timestamps
      }
      const st = fs.statSync(src);
      fs.copyFileSync(src, dest, fs.constants.COPYFILE_EXCL);
      fs.utimesSync(dest, st.atime, st.mtime);
    } else {
      fs.writeFileSync(dest, f.content, { encoding: 'utf8', flag: 'wx' });
    }
  }
}

interface Swap {
  subtree: string;
  staging: string;
  aside: string;
  movedAside: boolean;
  swappedIn: boolean;
}

function rollback(root: string, swaps: Swap[]): string[] {
  const failures: string[] = [];
  for (const sw of [...swaps].reverse()) {
    const target = under(root, sw.subtree);
    try {
      if (sw.swappedIn) fs.renameSync(target, sw.staging);
      if (sw.movedAside) fs.renameSync(sw.aside, target);
    } catch (e) {
      failures.push(`${sw.subtree}: ${message(e)}`);
    }
  }
  return failures;
}

/**
 * Writes the plan's owned subtrees under root, atomically per run as far as
 * the filesystem allows (see the file comment). Throws WriterError on an
 * invalid plan or any filesystem failure.
 */
export function writeOutputs(plan: WritePlan): WriteResult {
  const { root, subtrees } = resolvePlan(plan);
  const result: WriteResult = { written: 0, unchanged: 0, removed: 0 };

  cleanLeftovers(root);
  const pending: { s: Subtree; c: SubtreeComparison }[] = [];
  for (const s of subtrees) {
    checkParents(root, s.name);
    let c: SubtreeComparison;
    try {
      c = compareSubtree(root, s);
    } catch (e) {
      throw new WriterError(`cannot read owned subtree '${s.name}' under ${root}: ${message(e)}`);
    }
    result.unchanged += c.unchanged.length;
    if (isUpToDate(c)) continue;
    result.written += c.added.length + c.changed.length;
    result.removed += c.removed.length;
    pending.push({ s, c });
  }
  if (pending.length === 0) return result;

  // Phase 1: build every staging tree. Nothing visible changes.
  let createdRoot: string | undefined;
  const swaps: Swap[] = [];
  try {
    createdRoot = fs.mkdirSync(root, { recursive: true });
    for (const { s, c } of pending) {
      const sw: Swap = {
        subtree: s.name,
        staging: path.join(root, tempName(STAGING_PREFIX, s.name)),
        aside: path.join(root, tempName(ASIDE_PREFIX, s.name)),
        movedAside: false,
        swappedIn: false,
      };
      swaps.push(sw);
      stage(root, s, c, sw.staging);
    }
  } catch (e) {
    for (const sw of swaps) remove(sw.staging);
    if (createdRoot !== undefined) remove(createdRoot);
    throw new WriterError(`writing outputs under ${root} failed, nothing was changed: ${message(e)}`);
  }

  // Phase 2: swap them in; undo the finished swaps if one fails.
  for (const sw of swaps) {
    const target = under(root, sw.subtree);
    try {
      if (exists(target)) {
        fs.renameSync(target, sw.aside);
        sw.movedAside = true;
      }
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.renameSync(sw.staging, target);
      sw.swappedIn = true;
    } catch (e) {
      const failures = rollback(root, swaps);
      for (const s2 of swaps) remove(s2.staging);
      const state = failures.length === 0 ? 'all subtrees were restored' : `restoring failed for ${failures.join('; ')}`;
      throw new WriterError(`swapping in owned subtree '${sw.subtree}' under ${root} failed (${message(e)}); ${state}`);
    }
  }
  for (const sw of swaps) if (sw.movedAside) remove(sw.aside);
  return result;
}
