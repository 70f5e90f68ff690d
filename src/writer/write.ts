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
//
// Everything that changes root happens with root/.ioctl-abi.lock held (lock.ts):
// concurrent runs take turns, and the holder cleans what dead runs left
// (leftovers.ts). Before staging, a pre-flight check finds what would refuse
// the run (permissions, read-only mounts, files in place of folders) so that
// the common failures stop before anything exists; every filesystem failure
// is a one-line WriterError naming the path and what to do (errors.ts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareSubtree, isUpToDate, type SubtreeComparison } from './check.ts';
import { errCode, fsFailure, show, S_ISVTX } from './errors.ts';
import { cleanLeftovers, listTemps } from './leftovers.ts';
import { acquireLock } from './lock.ts';
import { ASIDE_PREFIX, LOCK_NAME, STAGING_PREFIX, WriterError, resolvePlan, under, type Subtree, type WritePlan } from './paths.ts';

export interface WriteResult {
  /** Files added or whose content changed. */
  written: number;
  /** Planned files whose bytes were already on disk (their mtimes are kept). */
  unchanged: number;
  /** Entries in owned subtrees that the plan does not produce, deleted. */
  removed: number;
  /** What the run cleaned up after earlier runs that died (or could not clean after itself), one line each. */
  notes: string[];
}

export interface WriteOptions {
  /** How long to wait for another run holding root/.ioctl-abi.lock (default 60 s). */
  lockWaitMs?: number;
}

const DEFAULT_LOCK_WAIT_MS = 60_000;
const NOTHING_CHANGED = 'nothing was changed';

function exists(p: string): boolean {
  try {
    fs.lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

/** Best-effort removal of our own temporary trees; the next run cleans what this misses. */
function removeQuietly(p: string): string | null {
  try {
    fs.rmSync(p, { recursive: true, force: true });
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  }
}

function tempName(prefix: string, subtree: string): string {
  return `${prefix}${process.pid}-${encodeURIComponent(subtree)}`;
}

/** Root must be a folder, or missing (then it is created). */
function checkRoot(root: string): void {
  let st: fs.Stats;
  try {
    st = fs.statSync(root);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return;
    throw fsFailure(e, 'write', root);
  }
  if (!st.isDirectory()) throw new WriterError(`cannot write ${show(root)}: it is a file, not a folder; move it away or pass --out DIR`);
}

/** Refuses a symlink or file standing in for a folder between root and an owned subtree; returns the nearest existing folder above it. */
function checkParents(root: string, subtree: string): string {
  const segs = subtree.split('/');
  let nearest = root;
  for (let i = 1; i < segs.length; i++) {
    const rel = segs.slice(0, i).join('/');
    let st: fs.Stats;
    try {
      st = fs.lstatSync(under(root, rel));
    } catch (e) {
      if (errCode(e) === 'ENOENT' || errCode(e) === 'ENOTDIR') break; // missing: created at swap time
      throw fsFailure(e, 'write', under(root, subtree));
    }
    if (st.isSymbolicLink()) throw new WriterError(`cannot write owned subtree '${subtree}': '${rel}' under ${show(root)} is a symlink; replace it with a folder or pass --out DIR`);
    if (!st.isDirectory()) throw new WriterError(`cannot write ${show(under(root, subtree))}: ${show(under(root, rel))} is a file, not a folder; move it away or pass --out DIR`);
    nearest = under(root, rel);
  }
  return nearest;
}

/** Throws a WriterError for `target` unless this process may create entries in folder `dir`. */
function needWritable(dir: string, target: string): void {
  try {
    fs.accessSync(dir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (e) {
    throw fsFailure(e, 'write', target, { into: true, state: NOTHING_CHANGED });
  }
}

const euid = (): number | undefined => process.geteuid?.();

/** Throws unless `entry` (in folder `parentSt`) may be moved or deleted by this process despite a sticky bit. */
function needMovable(entry: string, st: fs.Stats, parentSt: fs.Stats, target: string): void {
  const me = euid();
  if (me === undefined || me === 0 || !(parentSt.mode & S_ISVTX) || st.uid === me || parentSt.uid === me) return;
  const err = Object.assign(new Error(`EPERM: operation not permitted, rename '${entry}'`), { code: 'EPERM', path: entry });
  throw fsFailure(err, 'write', target, { state: NOTHING_CHANGED });
}

/**
 * What the swap and the cleanup after it will need, checked before anything
 * is written: root writable, the folder above each changed subtree writable,
 * and every folder of the current subtree writable (it is deleted afterwards).
 */
function preflight(root: string, pending: { s: Subtree }[]): void {
  if (!exists(root)) {
    // Root is created with its missing parents: the nearest existing folder must take them.
    let dir = path.dirname(root);
    while (!exists(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
    needWritable(dir, root);
    return;
  }
  needWritable(root, root);
  for (const { s } of pending) {
    const target = under(root, s.name);
    const parent = checkParents(root, s.name);
    needWritable(parent, target);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(target);
    } catch (e) {
      if (errCode(e) === 'ENOENT') continue;
      throw fsFailure(e, 'write', target, { state: NOTHING_CHANGED });
    }
    if (parent === path.dirname(target)) needMovable(target, st, fs.lstatSync(parent), target);
    if (!st.isDirectory()) continue;
    const walk = (dir: string, dirSt: fs.Stats): void => {
      needWritable(dir, target);
      let names: string[];
      try {
        names = fs.readdirSync(dir).sort();
      } catch (e) {
        throw fsFailure(e, 'read', target, { state: NOTHING_CHANGED });
      }
      for (const ent of names) {
        const abs = path.join(dir, ent);
        const est = fs.lstatSync(abs);
        needMovable(abs, est, dirSt, target);
        if (est.isDirectory()) walk(abs, est);
      }
    };
    walk(target, st);
  }
}

interface Pending {
  s: Subtree;
  c: SubtreeComparison;
}

/** Compares every subtree with the plan; fills the counts of `result` and returns the subtrees that need writing. */
function compareAll(root: string, subtrees: Subtree[], result: WriteResult): Pending[] {
  result.written = result.unchanged = result.removed = 0;
  const pending: Pending[] = [];
  for (const s of subtrees) {
    checkParents(root, s.name);
    const c = compareSubtree(root, s, 'write');
    result.unchanged += c.unchanged.length;
    if (isUpToDate(c)) continue;
    result.written += c.added.length + c.changed.length;
    result.removed += c.removed.length;
    pending.push({ s, c });
  }
  return pending;
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
      failures.push(`${sw.subtree} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return failures;
}

/**
 * Writes the plan's owned subtrees under root, atomically per run as far as
 * the filesystem allows (see the file comment). Throws WriterError on an
 * invalid plan or any filesystem failure; `notes` of the result say what was
 * cleaned up after earlier runs.
 */
export function writeOutputs(plan: WritePlan, options: WriteOptions = {}): WriteResult {
  const { root, subtrees } = resolvePlan(plan);
  const result: WriteResult = { written: 0, unchanged: 0, removed: 0, notes: [] };
  try {
    checkRoot(root);
    // Read-only first: a run with nothing to do and nothing to clean writes nothing, not even the lock.
    let pending: Pending[] | null;
    try {
      pending = compareAll(root, subtrees, result);
    } catch (e) {
      // A subtree vanishing under the scan is another run's swap: decide under the lock.
      if (!(e instanceof WriterError && (e.code === 'ENOENT' || e.code === 'ENOTDIR'))) throw e;
      pending = null;
    }
    if (pending !== null && pending.length === 0 && listTemps(root).length === 0 && !exists(path.join(root, LOCK_NAME))) return result;
    // Refusals found now leave root exactly as it was, not even a lock file created and deleted.
    if (pending !== null && pending.length > 0) preflight(root, pending);

    let createdRoot: string | undefined;
    try {
      createdRoot = fs.mkdirSync(root, { recursive: true });
    } catch (e) {
      throw fsFailure(e, 'write', root, { state: NOTHING_CHANGED });
    }
    let done = false;
    const lock = (() => {
      try {
        return acquireLock(root, options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS, result.notes);
      } catch (e) {
        if (createdRoot !== undefined) removeQuietly(createdRoot);
        throw e;
      }
    })();
    try {
      result.notes.push(...cleanLeftovers(root));
      // Under the lock the disk is ours: compare again (another run may have written meanwhile).
      pending = compareAll(root, subtrees, result);
      if (pending.length > 0) {
        preflight(root, pending);
        swapIn(root, stageAll(root, pending), result.notes);
      }
      done = true;
    } finally {
      lock.release();
      if (!done && createdRoot !== undefined) removeQuietly(createdRoot);
    }
    return result;
  } catch (e) {
    if (e instanceof WriterError || errCode(e) === undefined) throw e;
    throw fsFailure(e, 'write', root);
  }
}

/** Phase 1: builds every staging tree. Nothing visible changes; on failure the staging trees are removed. */
function stageAll(root: string, pending: Pending[]): Swap[] {
  const swaps: Swap[] = [];
  for (const { s, c } of pending) {
    const sw: Swap = {
      subtree: s.name,
      staging: path.join(root, tempName(STAGING_PREFIX, s.name)),
      aside: path.join(root, tempName(ASIDE_PREFIX, s.name)),
      movedAside: false,
      swappedIn: false,
    };
    swaps.push(sw);
    try {
      stage(root, s, c, sw.staging);
    } catch (e) {
      for (const sw2 of swaps) removeQuietly(sw2.staging);
      throw fsFailure(e, 'write', under(root, s.name), { state: NOTHING_CHANGED });
    }
  }
  return swaps;
}

/** Phase 2: swaps the staging trees in; undoes the finished swaps if one fails. Then deletes the old trees. */
function swapIn(root: string, swaps: Swap[], notes: string[]): void {
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
      for (const s2 of swaps) removeQuietly(s2.staging);
      const state = failures.length === 0 ? 'the swap was rolled back, all subtrees were restored' : `the swap was rolled back, but restoring failed for ${failures.join(', ')} (the old trees are in ${show(root)}/${ASIDE_PREFIX}*; the next run restores them)`;
      throw fsFailure(e, 'write', target, { state });
    }
  }
  for (const sw of swaps) {
    if (!sw.movedAside) continue;
    const why = removeQuietly(sw.aside);
    if (why !== null) notes.push(`could not remove ${path.basename(sw.aside)} (${why}); the next run removes it`);
  }
}
