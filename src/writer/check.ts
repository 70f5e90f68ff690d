// Reading what is on disk in the owned subtrees and comparing it with a plan.
// checkOutputs() never writes; writeOutputs() uses the same comparison.

import * as fs from 'node:fs';
import { unifiedDiff } from './diff.ts';
import { errCode, fsFailure, type Access } from './errors.ts';
import { byCodeUnit, resolvePlan, under, type OutputFile, type Subtree, type WritePlan } from './paths.ts';

export interface FileDrift {
  path: string;
  status: 'changed' | 'added' | 'removed';
  /** Unified diff with headers a/<path> and b/<path>, 3 lines of context. */
  diff: string;
}

/** A non-directory entry found on disk; `data` is null for anything but a regular file (symlink, socket, ...). */
export interface DiskEntry {
  data: Buffer | null;
}

/**
 * All non-directory entries of an owned subtree, keyed by POSIX path relative
 * to root. A missing subtree is empty; if the subtree path itself is not a
 * directory it is returned as a single entry. Empty directories carry no content and are not listed.
 * A file standing where root or a folder above the subtree should be is an error (ENOTDIR), not an empty subtree.
 */
export function scanSubtree(root: string, name: string): Map<string, DiskEntry> {
  const found = new Map<string, DiskEntry>();
  let st: fs.Stats;
  try {
    st = fs.lstatSync(under(root, name));
  } catch (e) {
    if (errCode(e) === 'ENOENT') return found;
    throw e;
  }
  const visit = (abs: string, rel: string, stats: { isDirectory(): boolean; isFile(): boolean }): void => {
    if (stats.isDirectory()) {
      const entries = fs.readdirSync(abs, { withFileTypes: true });
      entries.sort((x, y) => byCodeUnit(x.name, y.name));
      for (const ent of entries) visit(`${abs}/${ent.name}`, `${rel}/${ent.name}`, ent);
    } else if (stats.isFile()) {
      found.set(rel, { data: fs.readFileSync(abs) });
    } else {
      found.set(rel, { data: null });
    }
  };
  visit(under(root, name), name, st);
  return found;
}

export interface SubtreeComparison {
  added: OutputFile[];
  changed: OutputFile[];
  unchanged: OutputFile[];
  removed: string[];
  disk: Map<string, DiskEntry>;
}

/** Compares the planned files of one subtree with what is on disk; a filesystem failure is a WriterError naming the path. */
export function compareSubtree(root: string, subtree: Subtree, access: Access = 'read'): SubtreeComparison {
  let disk: Map<string, DiskEntry>;
  try {
    disk = scanSubtree(root, subtree.name);
  } catch (e) {
    throw fsFailure(e, access, under(root, subtree.name));
  }
  const result: SubtreeComparison = { added: [], changed: [], unchanged: [], removed: [], disk };
  const planned = new Set<string>();
  for (const f of subtree.files) {
    planned.add(f.path);
    const entry = disk.get(f.path);
    if (entry === undefined) result.added.push(f);
    else if (entry.data !== null && entry.data.equals(Buffer.from(f.content, 'utf8'))) result.unchanged.push(f);
    else result.changed.push(f);
  }
  for (const p of disk.keys()) if (!planned.has(p)) result.removed.push(p);
  result.removed.sort(byCodeUnit);
  return result;
}

/** True when writing this subtree would change nothing on disk that carries content. */
export function isUpToDate(c: SubtreeComparison): boolean {
  return c.added.length === 0 && c.changed.length === 0 && c.removed.length === 0;
}

function fileDiff(p: string, oldText: string, newText: string, status: FileDrift['status']): string {
  const d = unifiedDiff(oldText, newText, `a/${p}`, `b/${p}`, 3);
  if (d !== '') return d;
  // No line differs: an empty file added or removed, a symlink or other special entry,
  // or bytes that differ while the decoded text does not (invalid UTF-8 on disk).
  return status === 'changed' ? `Binary files a/${p} and b/${p} differ\n` : `--- a/${p}\n+++ b/${p}\n`;
}

function text(entry: DiskEntry | undefined): string {
  return entry?.data?.toString('utf8') ?? '';
}

/**
 * What writeOutputs(plan) would change, sorted by path: files whose content
 * differs, files it would add, and entries in owned subtrees it would remove.
 * Empty means up to date. Never writes anything.
 */
export function checkOutputs(plan: WritePlan): FileDrift[] {
  const { root, subtrees } = resolvePlan(plan);
  const drift: FileDrift[] = [];
  for (const s of subtrees) {
    const c = compareSubtree(root, s, 'read');
    for (const f of c.changed) drift.push({ path: f.path, status: 'changed', diff: fileDiff(f.path, text(c.disk.get(f.path)), f.content, 'changed') });
    for (const f of c.added) drift.push({ path: f.path, status: 'added', diff: fileDiff(f.path, '', f.content, 'added') });
    for (const p of c.removed) drift.push({ path: p, status: 'removed', diff: fileDiff(p, text(c.disk.get(p)), '', 'removed') });
  }
  drift.sort((x, y) => byCodeUnit(x.path, y.path));
  return drift;
}
