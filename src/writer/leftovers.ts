// Temporary directories left in root by runs that died (killed, power loss).
//
// Only called with root/.ioctl-abi.lock held: every live run holds the lock
// while it has temporary directories, so whatever is found then is a dead
// run's, whatever pid its name carries (that pid may well be alive again as an
// unrelated process). A staging tree is deleted; an aside tree is moved back
// when its subtree is missing (the run died between the two renames of a swap
// or during a rollback) and deleted otherwise.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { errCode, fsFailure, show } from './errors.ts';
import { LOCK_NAME, isReservedName, pathProblem, under } from './paths.ts';

const TEMP_NAME = /^\.(staging|aside)-(\d+)-(.+)$/;

/** Whether a name directly under root is one of the writer's temporary entries (the lock itself is not). */
export function isTempName(name: string): boolean {
  return isReservedName(name) && name !== LOCK_NAME;
}

/** Names of the writer's temporary entries directly under root (none if root is missing). */
export function listTemps(root: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(root);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return [];
    throw fsFailure(e, 'read', root);
  }
  return names.filter(isTempName).sort();
}

function decodeSubtree(encoded: string): string | null {
  let s: string;
  try {
    s = decodeURIComponent(encoded);
  } catch {
    return null;
  }
  return pathProblem(s) === null && !isTempName(s.split('/')[0] as string) ? s : null;
}

/** True if every existing folder between root and `subtree` is a real folder (no symlink, no file), so a rename lands inside root. */
function plainParents(root: string, subtree: string): boolean {
  const segs = subtree.split('/');
  for (let i = 1; i < segs.length; i++) {
    let st: fs.Stats;
    try {
      st = fs.lstatSync(under(root, segs.slice(0, i).join('/')));
    } catch {
      return true;
    }
    if (!st.isDirectory()) return false;
  }
  return true;
}

function missing(p: string): boolean {
  try {
    fs.lstatSync(p);
    return false;
  } catch (e) {
    return errCode(e) === 'ENOENT';
  }
}

/**
 * Deletes a tree depth-first. Unlike fs.rmSync, whose retry after a failed
 * unlink replaces EPERM by ENOTDIR, the error it throws is the one of the
 * entry that refused, so the message can name it.
 */
function removeTree(p: string): void {
  if (fs.lstatSync(p).isDirectory()) {
    for (const name of fs.readdirSync(p).sort()) removeTree(path.join(p, name));
    fs.rmdirSync(p);
  } else {
    fs.unlinkSync(p);
  }
}

/** Cleans every temporary entry of dead runs under root; returns one note per entry, saying what was done. */
export function cleanLeftovers(root: string): string[] {
  const notes: string[] = [];
  for (const name of listTemps(root)) {
    const abs = path.join(root, name);
    const m = TEMP_NAME.exec(name);
    const by = m ? `left by interrupted run pid ${m[2]}` : 'an unknown name in the writer\'s reserved name space';
    if (m?.[1] === 'aside') {
      const subtree = decodeSubtree(m[3] as string);
      const target = subtree === null ? null : under(root, subtree);
      if (subtree !== null && target !== null && missing(target) && plainParents(root, subtree)) {
        try {
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.renameSync(abs, target);
        } catch (e) {
          throw fsFailure(e, 'write', target, { verb: `restore ${show(abs)} to`, advice: `move it back by hand (mv ${show(abs)} ${show(target)})` });
        }
        notes.push(`restored ${show(target)} from leftover ${name} (${by}, mid-swap)`);
        continue;
      }
    }
    try {
      removeTree(abs);
    } catch (e) {
      throw fsFailure(e, 'write', abs, { verb: 'remove leftover' });
    }
    notes.push(`removed leftover ${show(abs)} (${by})`);
  }
  return notes;
}
