// Test helpers for the writer: temp dirs and whole-tree fingerprints.

import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export function tempDir(tag: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `ioctl-abi-writer-${tag}-`));
}

/** Every entry under dir (hidden ones included), sorted, with type, content and optionally mtime. */
export function treeListing(dir: string, withMtimes = false): string[] {
  const out: string[] = [];
  const walk = (abs: string, rel: string): void => {
    const names = fs.readdirSync(abs).sort();
    for (const name of names) {
      const a = path.join(abs, name);
      const r = rel === '' ? name : `${rel}/${name}`;
      const st = fs.lstatSync(a);
      const mt = withMtimes ? ` mtime=${st.mtimeMs}` : '';
      if (st.isDirectory()) {
        out.push(`dir ${r}${mt}`);
        walk(a, r);
      } else if (st.isSymbolicLink()) {
        out.push(`link ${r} -> ${fs.readlinkSync(a)}`);
      } else {
        const h = createHash('sha256').update(fs.readFileSync(a)).digest('hex');
        out.push(`file ${r} ${h}${mt}`);
      }
    }
  };
  if (fs.existsSync(dir)) walk(dir, '');
  return out;
}

/** sha256 over the listing: structure, bytes and (optionally) mtimes of everything under dir. */
export function hashTree(dir: string, withMtimes = true): string {
  return createHash('sha256').update(treeListing(dir, withMtimes).join('\n')).digest('hex');
}

/** Names directly under root that look like the writer's temporary directories. */
export function tempLeftovers(root: string): string[] {
  if (!fs.existsSync(root)) return [];
  return fs.readdirSync(root).filter((n) => n.startsWith('.staging-') || n.startsWith('.aside-'));
}

/** Sets atime/mtime of every file and directory under dir to a fixed old date. */
export function ageTree(dir: string, when = new Date('2001-02-03T04:05:06Z')): void {
  const walk = (abs: string): void => {
    for (const ent of fs.readdirSync(abs, { withFileTypes: true })) {
      const a = path.join(abs, ent.name);
      if (ent.isDirectory()) walk(a);
      if (!ent.isSymbolicLink()) fs.utimesSync(a, when, when);
    }
  };
  walk(dir);
  fs.utimesSync(dir, when, when);
}

/**
 * hashTree with file mtimes but without directory mtimes: for failures that
 * must leave every file alone but cannot help creating and deleting an entry
 * (a lock file, a staging tree) in a folder.
 */
export function hashTreeIgnoringDirMtimes(dir: string): string {
  const listing = treeListing(dir, true).map((l) => (l.startsWith('dir ') ? l.replace(/ mtime=\S+$/, '') : l));
  return createHash('sha256').update(listing.join('\n')).digest('hex');
}
