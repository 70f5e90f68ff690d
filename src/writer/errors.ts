// Turning filesystem failures into one-line WriterErrors that name the path at
// fault and say what to do. The writer never lets a raw errno escape: the CLI
// prints WriterError as `ioctl-abi: <message>` and exits 2.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { WriterError } from './paths.ts';

export type Access = 'read' | 'write';

/** The sticky bit (not in fs.constants): only an entry's owner may move or delete it. */
export const S_ISVTX = 0o1000;

/** The errno code of a Node system error, if it is one. */
export function errCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof (e as { code: unknown }).code === 'string' ? (e as { code: string }).code : undefined;
}

function errPath(e: unknown, key: 'path' | 'dest'): string | undefined {
  const v = typeof e === 'object' && e !== null ? (e as Record<string, unknown>)[key] : undefined;
  return typeof v === 'string' ? v : undefined;
}

/** A path as the user should read it: relative to the working directory when inside it. */
export function show(p: string): string {
  const rel = path.relative(process.cwd(), p);
  if (rel === '') return '.';
  return rel.startsWith('..') || path.isAbsolute(rel) ? p : rel;
}

let passwd: Map<number, string> | undefined;
function userName(uid: number): string | undefined {
  if (passwd === undefined) {
    passwd = new Map();
    try {
      for (const line of fs.readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id && !passwd.has(Number(id))) passwd.set(Number(id), name);
      }
    } catch {
      // no passwd file: uids only
    }
  }
  return passwd.get(uid);
}

const myUid = (): number | undefined => process.geteuid?.();

function octal(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

/** '(owned by root, uid 0, mode 0755)' for someone else's entry, '(mode 0555)' for one's own. */
function ownership(st: fs.Stats): { text: string; foreign: boolean } {
  const me = myUid();
  if (me === undefined || st.uid === me) return { text: `mode ${octal(st.mode)}`, foreign: false };
  const name = userName(st.uid);
  return { text: `owned by ${name === undefined ? '' : `${name}, `}uid ${st.uid}, mode ${octal(st.mode)}`, foreign: true };
}

function lstatOrNull(p: string): fs.Stats | null {
  try {
    return fs.lstatSync(p);
  } catch {
    return null;
  }
}

function allowed(p: string, mode: number): boolean {
  try {
    fs.accessSync(p, mode);
    return true;
  } catch {
    return false;
  }
}

/** Ancestors of an absolute path, outermost first, without the path itself. */
function ancestors(p: string): string[] {
  const out: string[] = [];
  for (let d = path.dirname(p); ; d = path.dirname(d)) {
    out.unshift(d);
    if (path.dirname(d) === d) return out;
  }
}

/** The first component of `p` (or `p` itself) that exists but is not a directory. */
export function nonDirectoryIn(p: string): string | undefined {
  for (const a of [...ancestors(p).slice(1), p]) {
    let st: fs.Stats;
    try {
      st = fs.statSync(a);
    } catch {
      return undefined;
    }
    if (!st.isDirectory()) return a;
  }
  return undefined;
}

interface Denial {
  at: string;
  st: fs.Stats | null;
  /** search: a folder on the way cannot be entered; mode: mode bits refuse; attribute: mode bits allow but the kernel refuses (chattr +i, read-only mount); sticky: a sticky folder guards its entries. */
  kind: 'search' | 'mode' | 'attribute' | 'sticky' | 'unknown';
}

/** Whether the mode bits alone grant `want` (fs.constants R_OK|W_OK|X_OK) to this process. */
function modeGrants(st: fs.Stats, want: number): boolean {
  const uid = myUid();
  if (uid === undefined || uid === 0) return true;
  const gids = process.getgroups?.() ?? [];
  const shift = st.uid === uid ? 6 : gids.includes(st.gid) || st.gid === process.getegid?.() ? 3 : 0;
  return ((st.mode >> shift) & want) === want;
}

function refusal(at: string, st: fs.Stats, want: number): Denial | null {
  if (allowed(at, want)) return null;
  return { at, st, kind: modeGrants(st, want) ? 'attribute' : 'mode' };
}

/** Which entry refuses access to `p`: an ancestor that cannot be searched, the folder that cannot be written, or `p`. */
function denial(p: string, access: Access, into: boolean): Denial {
  const { W_OK, R_OK, X_OK } = fs.constants;
  for (const a of ancestors(p)) {
    const st = lstatOrNull(a);
    if (st === null) break;
    if (st.isDirectory() && !allowed(a, X_OK)) return { at: a, st, kind: 'search' };
  }
  const st = lstatOrNull(p);
  if (into && st !== null) {
    // `p` is a folder to create entries in.
    const r = refusal(p, st, access === 'write' ? W_OK | X_OK : R_OK | X_OK);
    if (r) return r;
  } else if (access === 'write') {
    // Creating, renaming or deleting needs the nearest existing folder to be writable.
    let dir = path.dirname(p);
    while (lstatOrNull(dir) === null && path.dirname(dir) !== dir) dir = path.dirname(dir);
    const dst = lstatOrNull(dir);
    const r = dst && refusal(dir, dst, W_OK | X_OK);
    if (r) return r;
    const own = st && refusal(p, st, st.isDirectory() ? W_OK | X_OK : W_OK);
    if (own) return own;
    // A sticky folder lets only owners move or delete what is in it.
    if (st !== null && dst !== null && dir === path.dirname(p) && dst.mode & S_ISVTX && st.uid !== myUid() && dst.uid !== myUid()) return { at: p, st, kind: 'sticky' };
  } else if (st !== null) {
    const r = refusal(p, st, st.isDirectory() ? R_OK | X_OK : R_OK);
    if (r) return r;
  }
  return { at: p, st, kind: 'unknown' };
}

/** The text of a Node system error without its code prefix and path suffix: 'no space left on device'. */
function describe(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const m = /^[A-Z0-9_]+: ([^,]+)/.exec(msg);
  return m ? (m[1] as string) : msg;
}

export interface FailureOptions {
  /** What happened to the tree, e.g. 'nothing was changed'. */
  state?: string;
  /** Replaces the usual advice (e.g. for leftovers: remove it by hand). */
  advice?: string;
  /** Verb of the message, default from the access: 'write' or 'read'. */
  verb?: string;
  /** The failing path is a folder the run must create entries in (its own mode matters, not its parent's). */
  into?: boolean;
}

/**
 * A WriterError for a filesystem failure while reading or writing `target`:
 * `cannot write generated/uapi: permission denied (owned by root, uid 0, mode 0755); run as that user or pass --out DIR`.
 * WriterErrors pass through unchanged.
 */
export function fsFailure(e: unknown, access: Access, target: string, opts: FailureOptions = {}): WriterError {
  if (e instanceof WriterError) return e;
  const code = errCode(e);
  const where = show(target);
  const failing = errPath(e, 'path') ?? target;
  let reason: string;
  let advice: string | undefined;
  const otherOut = access === 'write' ? ' or pass --out DIR' : '';
  switch (code) {
    case 'EACCES':
    case 'EPERM': {
      // For a rename the refusal may be at either end.
      let d = denial(failing, access, opts.into === true);
      const dest = errPath(e, 'dest');
      if (d.kind === 'unknown' && dest !== undefined) d = denial(dest, access, false);
      const base = code === 'EACCES' ? 'permission denied' : 'operation not permitted';
      const on = d.at === target ? '' : ` on ${show(d.at)}`;
      const own = d.st && ownership(d.st);
      const mend = access === 'write' ? `make it writable (chmod u+w ${show(d.at)})` : `make it readable (chmod u+r ${show(d.at)})`;
      switch (d.kind) {
        case 'search':
        case 'mode':
          reason = `${base}${on} (${own?.text})`;
          advice = own?.foreign ? `run as that user${otherOut}` : `${d.kind === 'search' ? `let it be entered (chmod u+x ${show(d.at)})` : mend}${otherOut}`;
          break;
        case 'sticky':
          reason = `${base}${on} (${own?.text}, in sticky folder ${show(path.dirname(d.at))}: only the owner may move or delete it)`;
          advice = `run as that user${otherOut}`;
          break;
        case 'attribute':
          reason = `${base}${on} (${own?.text}, which would allow it: immutable or append-only? see lsattr)`;
          advice = `clear the attribute (chattr -i -a ${show(d.at)})${otherOut}`;
          break;
        default:
          reason = `${base}${on}${own ? ` (${own.text})` : ''}`;
          advice = `check the permissions of ${where}${otherOut}`;
      }
      break;
    }
    case 'EROFS':
      reason = 'read-only file system';
      advice = `remount it read-write${otherOut}`;
      break;
    case 'ENOSPC':
    case 'EDQUOT':
      reason = code === 'ENOSPC' ? 'no space left on device' : 'disk quota exceeded';
      advice = `free some space${otherOut}`;
      break;
    case 'ENOTDIR':
    case 'EEXIST':
    case 'EISDIR': {
      const file = nonDirectoryIn(failing) ?? nonDirectoryIn(target) ?? (errPath(e, 'dest') && nonDirectoryIn(errPath(e, 'dest') as string));
      if (file) {
        reason = `${show(file)} is a file, not a folder`;
        advice = `move it away${otherOut}`;
      } else {
        reason = `${describe(e)} (${code})`;
      }
      break;
    }
    case 'EXDEV':
      // A rename from root/.staging-* (or to root/.aside-*) crossing into a mount inside root.
      reason = `${show(errPath(e, 'dest') ?? failing)} is on another file system than ${show(path.dirname(failing))} (a mount point inside the output root)`;
      advice = 'unmount it or write each file system separately';
      break;
    default:
      reason = code === undefined ? describe(e) : `${describe(e)} (${code})`;
  }
  const parts = [`cannot ${opts.verb ?? access} ${where}: ${reason}`];
  if (opts.state) parts.push(opts.state);
  const a = opts.advice ?? advice;
  if (a) parts.push(a);
  // One line, whatever the underlying message held.
  return new WriterError(parts.join('; ').replace(/\s*\n\s*/g, ' '), code);
}
