// root/.ioctl-abi.lock: held while a run changes anything under root, so
// concurrent runs take turns and every temporary directory found by the lock's
// holder belongs to a run that died (and can be cleaned without guessing).
//
// The lock is a file created with O_EXCL holding its owner's identity: pid,
// the process start time from /proc (so a reused pid is not mistaken for the
// owner), the boot id (pids restart at every boot) and the host. A lock whose
// owner is gone is taken over; one whose owner is alive is waited for.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errCode, fsFailure, show } from './errors.ts';
import { LOCK_NAME, LOCK_TEMP_PREFIX, WriterError } from './paths.ts';

export { LOCK_NAME, LOCK_TEMP_PREFIX };

export interface LockOwner {
  tool: 'ioctl-abi';
  pid: number;
  /** Start time of pid in clock ticks after boot (field 22 of /proc/<pid>/stat), null where unknown. */
  start: string | null;
  boot: string | null;
  host: string;
  uid: number | null;
}

function readOr(p: string): string | null {
  try {
    return fs.readFileSync(p, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Start time of a process, or null (not Linux, or no such process). */
export function processStart(pid: number): string | null {
  const stat = readOr(`/proc/${pid}/stat`);
  if (stat === null) return null;
  // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19] ?? null;
}

const bootId = (): string | null => readOr('/proc/sys/kernel/random/boot_id');

function me(): LockOwner {
  return { tool: 'ioctl-abi', pid: process.pid, start: processStart(process.pid), boot: bootId(), host: os.hostname(), uid: process.geteuid?.() ?? null };
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return errCode(e) === 'EPERM';
  }
  // A zombie has exited; only its parent has not reaped it yet.
  const stat = readOr(`/proc/${pid}/stat`);
  return stat === null || stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
}

type Verdict = { state: 'gone' } | { state: 'live'; owner: LockOwner | null } | { state: 'stale'; why: string; ino: number };

/** An owner-less lock younger than this may be one whose owner is still writing its identity. */
const UNWRITTEN_GRACE_MS = 10_000;

function parseOwner(text: string): LockOwner | null {
  try {
    const o = JSON.parse(text) as Partial<LockOwner>;
    return o?.tool === 'ioctl-abi' && Number.isSafeInteger(o.pid) && (o.pid as number) > 0 ? (o as LockOwner) : null;
  } catch {
    return null;
  }
}

/** Whether the lock at `file` is held by a running process. */
export function judgeLock(file: string): Verdict {
  let st: fs.Stats;
  let text: string;
  try {
    st = fs.lstatSync(file);
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if (errCode(e) === 'ENOENT') return { state: 'gone' };
    throw e;
  }
  const owner = parseOwner(text);
  if (owner === null) {
    return Date.now() - st.mtimeMs < UNWRITTEN_GRACE_MS ? { state: 'live', owner: null } : { state: 'stale', why: 'it names no owner', ino: st.ino };
  }
  const self = me();
  // Another machine's pids cannot be checked from here (a shared file system): treat as held.
  if (owner.host !== self.host) return { state: 'live', owner };
  if (owner.boot !== null && self.boot !== null && owner.boot !== self.boot) return { state: 'stale', why: `pid ${owner.pid} ran before the last boot`, ino: st.ino };
  // This process never leaves its lock behind (writeOutputs releases it in a finally): a lock naming our pid is an earlier process's.
  if (owner.pid === process.pid) return { state: 'stale', why: `pid ${owner.pid} is this process, which holds no lock`, ino: st.ino };
  if (!pidAlive(owner.pid)) return { state: 'stale', why: `pid ${owner.pid} is not running`, ino: st.ino };
  const start = processStart(owner.pid);
  if (owner.start !== null && start !== null && start !== owner.start) return { state: 'stale', why: `pid ${owner.pid} is now another process`, ino: st.ino };
  return { state: 'live', owner };
}

/** Removes a stale lock unless someone replaced it meanwhile. */
function takeOver(file: string, ino: number): void {
  // Rename first, then check it is the file judged stale: a plain unlink could delete a racer's fresh lock.
  const grave = `${file}.stale-${process.pid}`;
  try {
    fs.renameSync(file, grave);
  } catch (e) {
    if (errCode(e) === 'ENOENT') return;
    throw e;
  }
  try {
    let moved: number;
    try {
      moved = fs.lstatSync(grave).ino;
    } catch (e) {
      if (errCode(e) === 'ENOENT') return; // the next holder cleaned it as a leftover: it was stale
      throw e;
    }
    if (moved !== ino) {
      // A racer's live lock: put it back (never over a third one).
      try {
        fs.linkSync(grave, file);
      } catch {
        // left to the racers; at worst two runs of the same generation overlap
      }
    }
  } finally {
    fs.rmSync(grave, { force: true });
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface Lock {
  release(): void;
}

/**
 * Takes root/.ioctl-abi.lock, waiting up to `waitMs` for a live holder and
 * taking over a stale one (noted in `notes`). Throws WriterError when root
 * cannot be written or the holder outlasts the wait.
 */
export function acquireLock(root: string, waitMs: number, notes: string[]): Lock {
  const file = path.join(root, LOCK_NAME);
  const deadline = Date.now() + waitMs;
  for (;;) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o644);
    } catch (e) {
      if (errCode(e) !== 'EEXIST') throw fsFailure(e, 'write', root, { state: 'nothing was changed' });
      let v: Verdict;
      try {
        v = judgeLock(file);
      } catch (e2) {
        throw fsFailure(e2, 'read', file, { advice: `delete ${show(file)} if no ioctl-abi gen is running` });
      }
      if (v.state === 'stale') {
        try {
          takeOver(file, v.ino);
        } catch (e2) {
          throw fsFailure(e2, 'write', file, { verb: 'remove stale lock', advice: `delete ${show(file)} by hand` });
        }
        notes.push(`removed stale lock ${show(file)} (${v.why})`);
      } else if (v.state === 'live') {
        if (Date.now() >= deadline) {
          const who = v.owner ? `pid ${v.owner.pid}${v.owner.host !== os.hostname() ? ` on ${v.owner.host}` : ''}` : 'a process still writing it';
          throw new WriterError(`cannot write ${show(root)}: another ioctl-abi gen (${who}) holds ${show(file)} and did not finish within ${waitMs >= 1000 ? `${Math.round(waitMs / 1000)} s` : `${waitMs} ms`}; wait for it, or delete that file if no such run is active`);
        }
        sleep(Math.min(50, Math.max(1, deadline - Date.now())));
      }
      continue;
    }
    let ino: number;
    try {
      fs.writeSync(fd, `${JSON.stringify(me())}\n`);
      ino = fs.fstatSync(fd).ino;
    } catch (e) {
      fs.closeSync(fd);
      fs.rmSync(file, { force: true });
      throw fsFailure(e, 'write', root, { state: 'nothing was changed' });
    }
    fs.closeSync(fd);
    return {
      release(): void {
        // Only our own file: never a lock someone took over from us.
        try {
          if (fs.lstatSync(file).ino === ino) fs.unlinkSync(file);
        } catch {
          // already gone
        }
      },
    };
  }
}
