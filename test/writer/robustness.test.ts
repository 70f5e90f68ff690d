// The writer under hostile conditions: leftovers of killed runs, stale and live
// locks, concurrent runs, and file systems that refuse (other owners, read-only
// folders and mounts, sticky and immutable folders, full disks, files where
// folders should be). Every refusal must be one line naming the path, exit 2
// from the CLI, no stack trace, nothing half-written and no temporary folders.
//
// Runs as root (the suite does): permission cases drop privileges for real by
// running the CLI as `nobody` through runuser; read-only and full file systems
// are real tmpfs and bind mounts; immutable folders use chattr. Nothing here is
// skipped: a missing mechanism makes its test fail.

import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { processStart } from '../../src/writer/lock.ts';
import { checkOutputs, writeOutputs, WriterError, type OutputFile, type WritePlan } from '../../src/writer/index.ts';
import { hashTree, hashTreeIgnoringDirMtimes, tempDir, tempLeftovers, treeListing } from './helpers.ts';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'bin/ioctl-abi.mjs');
const DEAD = 999_999_999; // above any pid_max
const LOCK = '.ioctl-abi.lock';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanups.splice(0).reverse()) f();
});

function sh(cmd: string, ...args: string[]): void {
  execFileSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
}

function newRoot(tag: string): string {
  const parent = tempDir(tag);
  cleanups.push(() => fs.rmSync(parent, { recursive: true, force: true }));
  return path.join(parent, 'generated');
}

function files(extra = ''): OutputFile[] {
  return [
    { path: 'uapi/linux/vhost.h', content: `#define VHOST_VIRTIO 0xAF\n${extra}` },
    { path: 'uapi/linux/vduse.h', content: '#define VDUSE_BASE 0x81\n' },
    { path: 'uapi/README', content: 'generated\n' },
    { path: 'ts/index.ts', content: 'export const VHOST_VIRTIO = 0xaf;\n' },
  ];
}

function plan(root: string, f: OutputFile[] = files(), owned = ['ts', 'uapi']): WritePlan {
  return { root, owned, files: f };
}

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

/** A process that is alive and is no ioctl-abi writer; killed after the test. */
function bystander(seconds = 60): ChildProcess {
  const child = spawn('sleep', [String(seconds)], { stdio: 'ignore' });
  cleanups.push(() => child.kill('SIGKILL'));
  expect(child.pid).toBeGreaterThan(0);
  return child;
}

function writeLock(root: string, owner: Record<string, unknown>): void {
  fs.writeFileSync(path.join(root, LOCK), `${JSON.stringify(owner)}\n`);
}

const bootId = (): string => fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
const lockOf = (pid: number, start: string | null, boot = bootId()): Record<string, unknown> => ({ tool: 'ioctl-abi', pid, start, boot, host: os.hostname(), uid: 0 });

/** The run left no temporary folder, no lock, and the tree is what the plan says. */
function expectClean(root: string, p: WritePlan = plan(root)): void {
  expect(tempLeftovers(root)).toEqual([]);
  expect(fs.existsSync(path.join(root, LOCK))).toBe(false);
  expect(checkOutputs(p)).toEqual([]);
}

describe('leftovers of interrupted runs are cleaned by the next run', () => {
  for (const who of ['a dead pid', 'a live pid of another program']) {
    for (const subtree of ['present', 'missing']) {
      it(`.staging-*-uapi and .aside-*-uapi of ${who}, subtree ${subtree}`, () => {
        const root = newRoot('leftover');
        writeOutputs(plan(root));
        const pid = who === 'a dead pid' ? DEAD : (bystander().pid as number);
        fs.mkdirSync(path.join(root, `.staging-${pid}-uapi/linux`), { recursive: true });
        fs.writeFileSync(path.join(root, `.staging-${pid}-uapi/linux/vhost.h`), 'half writ');
        if (subtree === 'missing') {
          // Killed between the two renames of the swap: the old tree is only in the aside folder.
          fs.renameSync(path.join(root, 'uapi'), path.join(root, `.aside-${pid}-uapi`));
        } else {
          // Killed after the swap, while deleting the old tree.
          fs.cpSync(path.join(root, 'uapi'), path.join(root, `.aside-${pid}-uapi`), { recursive: true });
          fs.rmSync(path.join(root, `.aside-${pid}-uapi/README`));
        }

        const r = writeOutputs(plan(root));
        expect({ ...r, notes: [] }).toEqual({ written: 0, unchanged: 4, removed: 0, notes: [] });
        const by = `left by interrupted run pid ${pid}`;
        expect(r.notes).toEqual([
          subtree === 'missing' ? `restored ${root}/uapi from leftover .aside-${pid}-uapi (${by}, mid-swap)` : `removed leftover ${root}/.aside-${pid}-uapi (${by})`,
          `removed leftover ${root}/.staging-${pid}-uapi (${by})`,
        ]);
        expectClean(root);
      });
    }
  }

  it('a restored aside tree that is stale is then rewritten', () => {
    const root = newRoot('stale-aside');
    writeOutputs(plan(root));
    fs.renameSync(path.join(root, 'uapi'), path.join(root, `.aside-${DEAD}-uapi`));
    const r = writeOutputs(plan(root, files('#define NEW 1\n')));
    expect(r.notes).toEqual([`restored ${root}/uapi from leftover .aside-${DEAD}-uapi (left by interrupted run pid ${DEAD}, mid-swap)`]);
    expect({ ...r, notes: [] }).toEqual({ written: 1, unchanged: 3, removed: 0, notes: [] });
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('names that do not decode, or decode to no place inside root, are removed and nothing lands outside root', () => {
    const root = newRoot('undecodable');
    writeOutputs(plan(root));
    const parent = path.dirname(root);
    const weird = [`.aside-${DEAD}-%E0%A4%A`, '.staging-abc-uapi', `.aside-${DEAD}-..%2Fescape`, `.aside-${DEAD}-.staging-1-x`, '.aside-'];
    for (const n of weird.slice(0, 4)) {
      fs.mkdirSync(path.join(root, n, 'linux'), { recursive: true });
      fs.writeFileSync(path.join(root, n, 'linux/x.h'), 'x');
    }
    fs.writeFileSync(path.join(root, '.aside-'), 'a file, not a folder');
    const r = writeOutputs(plan(root));
    expect([...r.notes].sort()).toEqual(
      [
        `removed leftover ${root}/.aside- (an unknown name in the writer's reserved name space)`,
        `removed leftover ${root}/.aside-${DEAD}-%E0%A4%A (left by interrupted run pid ${DEAD})`,
        `removed leftover ${root}/.aside-${DEAD}-..%2Fescape (left by interrupted run pid ${DEAD})`,
        `removed leftover ${root}/.aside-${DEAD}-.staging-1-x (left by interrupted run pid ${DEAD})`,
        `removed leftover ${root}/.staging-abc-uapi (an unknown name in the writer's reserved name space)`,
      ].sort(),
    );
    expect(fs.readdirSync(parent)).toEqual(['generated']);
    expectClean(root);
  });

  it('leftovers are cleaned even when every subtree is already up to date', () => {
    const root = newRoot('only-leftovers');
    writeOutputs(plan(root));
    fs.mkdirSync(path.join(root, `.staging-${DEAD}-ts`));
    const r = writeOutputs(plan(root));
    expect(r).toEqual({ written: 0, unchanged: 4, removed: 0, notes: [`removed leftover ${root}/.staging-${DEAD}-ts (left by interrupted run pid ${DEAD})`] });
    expectClean(root);
  });

  it('a leftover that cannot be deleted (immutable file inside) is a one-line WriterError; the lock is released', () => {
    const root = newRoot('immutable-leftover');
    writeOutputs(plan(root));
    const stuck = path.join(root, `.staging-${DEAD}-uapi`);
    fs.mkdirSync(stuck);
    fs.writeFileSync(path.join(stuck, 'half.h'), 'x');
    sh('chattr', '+i', path.join(stuck, 'half.h'));
    cleanups.push(() => sh('chattr', '-i', path.join(stuck, 'half.h')));
    const before = hashTreeIgnoringDirMtimes(root);
    const err = catchError(() => writeOutputs(plan(root, files('#define NEW 1\n'))));
    expect(err).toBeInstanceOf(WriterError);
    expect(err.message).toBe(
      `cannot remove leftover ${stuck}: operation not permitted on ${stuck}/half.h (mode 0644, which would allow it: immutable or append-only? see lsattr); clear the attribute (chattr -i -a ${stuck}/half.h) or pass --out DIR`,
    );
    expect(hashTreeIgnoringDirMtimes(root)).toBe(before);
    expect(fs.existsSync(path.join(root, LOCK))).toBe(false);
  });
});

describe('root/.ioctl-abi.lock', () => {
  it('a lock of a dead run is taken over', () => {
    const root = newRoot('lock-dead');
    writeOutputs(plan(root));
    writeLock(root, lockOf(DEAD, '12345'));
    const r = writeOutputs(plan(root, files('#define NEW 1\n')));
    expect(r.notes).toEqual([`removed stale lock ${root}/${LOCK} (pid ${DEAD} is not running)`]);
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('a lock whose pid now belongs to another process (pid reuse) is taken over, not waited for', () => {
    const root = newRoot('lock-reused');
    writeOutputs(plan(root));
    const other = bystander().pid as number;
    const real = processStart(other);
    expect(real).toMatch(/^\d+$/);
    writeLock(root, lockOf(other, String(Number(real) - 1)));
    const t0 = Date.now();
    const r = writeOutputs(plan(root, files('#define NEW 1\n')), { lockWaitMs: 20_000 });
    expect(Date.now() - t0).toBeLessThan(5_000);
    expect(r.notes).toEqual([`removed stale lock ${root}/${LOCK} (pid ${other} is now another process)`]);
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('a lock from before the last boot is taken over even if its pid is alive', () => {
    const root = newRoot('lock-boot');
    writeOutputs(plan(root));
    const other = bystander().pid as number;
    writeLock(root, lockOf(other, processStart(other), '00000000-0000-0000-0000-000000000000'));
    const r = writeOutputs(plan(root, files('#define NEW 1\n')), { lockWaitMs: 20_000 });
    expect(r.notes).toEqual([`removed stale lock ${root}/${LOCK} (pid ${other} ran before the last boot)`]);
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('a lock without an owner is waited for while fresh (its owner may be writing it) and taken over when old', () => {
    const root = newRoot('lock-empty');
    writeOutputs(plan(root));
    fs.writeFileSync(path.join(root, LOCK), '');
    const before = hashTree(root, true);
    const err = catchError(() => writeOutputs(plan(root, files('#define NEW 1\n')), { lockWaitMs: 200 }));
    expect(err).toBeInstanceOf(WriterError);
    expect(err.message).toBe(`cannot write ${root}: another ioctl-abi gen (a process still writing it) holds ${root}/${LOCK} and did not finish within 200 ms; wait for it, or delete that file if no such run is active`);
    expect(hashTree(root, true)).toBe(before);

    const old = new Date(Date.now() - 60_000);
    fs.utimesSync(path.join(root, LOCK), old, old);
    const r = writeOutputs(plan(root, files('#define NEW 1\n')));
    expect(r.notes).toEqual([`removed stale lock ${root}/${LOCK} (it names no owner)`]);
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('a live holder is waited for; if it outlasts the wait the run fails in one line and changes nothing', () => {
    const root = newRoot('lock-live');
    writeOutputs(plan(root));
    const holder = bystander().pid as number;
    writeLock(root, lockOf(holder, processStart(holder)));
    const before = hashTree(root, true);
    const t0 = Date.now();
    const err = catchError(() => writeOutputs(plan(root, files('#define NEW 1\n')), { lockWaitMs: 300 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    expect(err).toBeInstanceOf(WriterError);
    expect(err.message).toBe(`cannot write ${root}: another ioctl-abi gen (pid ${holder}) holds ${root}/${LOCK} and did not finish within 300 ms; wait for it, or delete that file if no such run is active`);
    expect(hashTree(root, true)).toBe(before);
  });

  it('a run proceeds as soon as the live holder exits', () => {
    const root = newRoot('lock-exit');
    writeOutputs(plan(root));
    const holder = bystander(1).pid as number;
    writeLock(root, lockOf(holder, processStart(holder)));
    const t0 = Date.now();
    // This process blocks while waiting, so the exited holder stays a zombie: that must count as gone.
    const r = writeOutputs(plan(root, files('#define NEW 1\n')), { lockWaitMs: 20_000 });
    const waited = Date.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(500);
    expect(waited).toBeLessThan(10_000);
    expect(r.notes).toEqual([`removed stale lock ${root}/${LOCK} (pid ${holder} is not running)`]);
    expectClean(root, plan(root, files('#define NEW 1\n')));
  });

  it('concurrent runs in separate processes take turns: every write succeeds, the result is one whole plan', async () => {
    const root = newRoot('concurrent');
    const script = path.join(path.dirname(root), 'writer.ts');
    // Each process alternates between two plans that differ in every subtree.
    fs.writeFileSync(
      script,
      `import { writeOutputs } from ${JSON.stringify(path.join(REPO, 'src/writer/index.ts'))};
const root = process.argv[2];
const mk = (v) => [{ path: 'uapi/linux/vhost.h', content: '#define V ' + v + '\\n' }, { path: 'uapi/README', content: v + '\\n' }, { path: 'ts/index.ts', content: 'export const V = ' + v + ';\\n' }];
let n = 0;
for (let i = 0; i < 12; i++) {
  const r = writeOutputs({ root, owned: ['ts', 'uapi'], files: mk((i + Number(process.argv[3])) % 2) });
  n += r.written;
  if (r.notes.length) throw new Error('unexpected notes: ' + r.notes.join('; '));
}
console.log(n);
`,
    );
    const runs = [0, 1, 0].map(
      (k) =>
        new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
          const c = spawn(process.execPath, ['--import', 'tsx', script, root, String(k)], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
          let stdout = '';
          let stderr = '';
          c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          c.on('close', (code) => resolve({ code, stdout, stderr }));
        }),
    );
    const results = await Promise.all(runs);
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
    }
    // The runs really overlapped with changes to make: most writes wrote something.
    expect(results.reduce((a, r) => a + Number(r.stdout), 0)).toBeGreaterThan(0);
    const v = fs.readFileSync(path.join(root, 'uapi/README'), 'utf8').trim();
    expect(fs.readFileSync(path.join(root, 'uapi/linux/vhost.h'), 'utf8')).toBe(`#define V ${v}\n`);
    expect(fs.readFileSync(path.join(root, 'ts/index.ts'), 'utf8')).toBe(`export const V = ${v};\n`);
    expect(tempLeftovers(root)).toEqual([]);
    expect(fs.readdirSync(root).sort()).toEqual(['ts', 'uapi']);
  }, 60_000);
});

describe('a run killed at any moment (SIGKILL) leaves whole trees, and the next run recovers', () => {
  it('kills a writer looping over two plans at staggered moments; each subtree is one whole version, then clean', async () => {
    const root = newRoot('sigkill');
    const script = path.join(path.dirname(root), 'loop.ts');
    // Many files make staging and deleting slow enough to be interrupted in every phase.
    fs.writeFileSync(
      script,
      `import { writeOutputs } from ${JSON.stringify(path.join(REPO, 'src/writer/index.ts'))};
const mk = (v) => [
  ...Array.from({ length: 300 }, (_, i) => ({ path: 'uapi/linux/h' + i + '.h', content: 'v=' + v + ' i=' + i + '\\n' })),
  ...Array.from({ length: 60 }, (_, i) => ({ path: 'ts/m' + i + '.ts', content: 'v=' + v + ' i=' + i + '\\n' })),
];
for (let i = 0; ; i++) {
  writeOutputs({ root: process.argv[2], owned: ['ts', 'uapi'], files: mk(i % 2) });
  if (i === 0) process.stdout.write('ready\\n');
}
`,
    );
    const mk = (v: number): OutputFile[] => [
      ...Array.from({ length: 300 }, (_, i) => ({ path: `uapi/linux/h${i}.h`, content: `v=${v} i=${i}\n` })),
      ...Array.from({ length: 60 }, (_, i) => ({ path: `ts/m${i}.ts`, content: `v=${v} i=${i}\n` })),
    ];
    const seen = new Set<string>();
    for (const delay of [5, 30, 60, 90, 140, 200]) {
      const child = spawn(process.execPath, ['--import', 'tsx', script, root], { cwd: REPO, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise<void>((resolve, reject) => {
        child.stdout.once('data', () => resolve());
        child.once('exit', (code) => reject(new Error(`writer exited early (${code})`)));
      });
      await new Promise((r) => setTimeout(r, delay));
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGKILL');
      await exited; // reaped: its pid is gone, not a zombie
      for (const t of tempLeftovers(root)) seen.add(t.replace(/-\d+-/, '-N-'));
      if (fs.existsSync(path.join(root, LOCK))) seen.add(LOCK);
      // Nothing half-written: each subtree in place is complete and of one version.
      for (const [sub, count] of [['uapi/linux', 300], ['ts', 60]] as const) {
        if (!fs.existsSync(path.join(root, sub))) continue;
        const names = fs.readdirSync(path.join(root, sub));
        expect(names).toHaveLength(count);
        const versions = new Set(names.map((n) => fs.readFileSync(path.join(root, sub, n), 'utf8').slice(0, 3)));
        expect(versions.size).toBe(1);
      }
      const r = writeOutputs(plan(root, mk(1)));
      expect(r.written + r.unchanged).toBe(360);
      expectClean(root, plan(root, mk(1)));
    }
    // The kills did land inside runs: some left a lock or temporary trees behind to recover from.
    expect(seen.size).toBeGreaterThan(0);
  }, 60_000);
});

describe('a swap that fails half-way is rolled back', () => {
  it('a mount point inside root (rename across file systems) restores the subtrees already swapped', () => {
    const root = newRoot('exdev');
    writeOutputs(plan(root));
    fs.mkdirSync(path.join(root, 'x'));
    sh('mount', '-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', path.join(root, 'x'));
    cleanups.push(() => sh('umount', path.join(root, 'x')));
    const before = hashTree(root, true);
    // 'ts' and 'uapi' sort before 'x/y': both are swapped in before the cross-device rename fails.
    const f = [...files('#define NEW 1\n'), { path: 'ts/new.ts', content: '' }, { path: 'x/y/z.h', content: 'z' }];
    const err = catchError(() => writeOutputs(plan(root, f, ['ts', 'uapi', 'x/y'])));
    expect(err).toBeInstanceOf(WriterError);
    expect(err.message).toBe(`cannot write ${root}/x/y: ${root}/x/y is on another file system than ${root} (a mount point inside the output root); the swap was rolled back, all subtrees were restored; unmount it or write each file system separately`);
    expect(hashTree(root, true)).toBe(before);
    expect(tempLeftovers(root)).toEqual([]);
    expect(fs.existsSync(path.join(root, LOCK))).toBe(false);
  });
});

describe('the CLI on file systems that refuse: exit 2, one line, nothing changed', () => {
  let base: string;
  let spec: string;
  let template: string;
  let nodeForNobody = process.execPath;
  /** The subtree the writer tries first (it goes in sorted order): where a refusal is reported. */
  const first = (): string => fs.readdirSync(template).filter((n) => !n.startsWith('.')).sort()[0] as string;

  beforeAll(() => {
    for (const tool of ['runuser', 'mount', 'chattr']) expect(spawnSync('which', [tool]).status, `${tool} is needed by these tests`).toBe(0);
    expect(process.geteuid?.(), 'these tests drop privileges and mount: run them as root').toBe(0);
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ioctl-abi-robust-'));
    // nobody must traverse to the out folders and read the spec.
    fs.chmodSync(base, 0o755);
    spec = path.join(base, 'spec');
    fs.cpSync(path.join(REPO, 'spec'), spec, { recursive: true });
    sh('chmod', '-R', 'a+rX', spec);
    // This node may live where nobody cannot reach it (the LTS runs use ~root/.cache): a copy can.
    if (spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']).status !== 0) {
      nodeForNobody = path.join(base, 'node');
      fs.copyFileSync(process.execPath, nodeForNobody);
      fs.chmodSync(nodeForNobody, 0o755);
    }
    template = path.join(base, 'template');
    const r = gen('root', template);
    expect(r.status, r.stderr).toBe(0);
    expect(treeListing(template).some((l) => l.startsWith('file uapi/linux/vhost.h '))).toBe(true);
  }, 120_000);

  afterAll(() => {
    if (base) fs.rmSync(base, { recursive: true, force: true });
  });

  function gen(user: 'root' | 'nobody', out: string, ...extra: string[]): { status: number | null; stdout: string; stderr: string } {
    const argv = [BIN, 'gen', '--spec', spec, '--out', out, ...extra];
    const [cmd, args] = user === 'root' ? [process.execPath, argv] : ['runuser', ['-u', 'nobody', '--', nodeForNobody, ...argv]];
    const r = spawnSync(cmd, args as string[], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  /** A case folder (traversable by nobody) holding a stale copy of the generated tree at `<case>/<sub>` (banners name --out, so every file is stale; the hand edit makes sure). */
  function staleCopy(name: string, sub = 'gen'): { dir: string; out: string } {
    const dir = path.join(base, name);
    fs.mkdirSync(dir, { mode: 0o755 });
    const out = path.join(dir, sub);
    fs.cpSync(template, out, { recursive: true, preserveTimestamps: true });
    fs.appendFileSync(path.join(out, 'uapi/linux/vhost.h'), '/* hand edit */\n');
    return { dir, out };
  }

  function expectRefusal(r: { status: number | null; stderr: string }, message: string): void {
    expect(r.stderr).toBe(`ioctl-abi: ${message}\n`);
    expect(r.status).toBe(2);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }

  function expectNoTemps(out: string): void {
    expect(tempLeftovers(out)).toEqual([]);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  }

  it('out folder owned by root, gen as nobody (EACCES)', () => {
    const { out } = staleCopy('root-owned');
    const before = hashTree(out, true);
    expectRefusal(gen('nobody', out), `cannot write ${out}: permission denied (owned by root, uid 0, mode 0755); nothing was changed; run as that user or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('an owned subtree owned by root inside an out folder of nobody (EACCES)', () => {
    const { out } = staleCopy('subtree-owned');
    sh('chown', 'nobody', out);
    const before = hashTree(out, true);
    expectRefusal(gen('nobody', out), `cannot write ${out}/${first()}: permission denied (owned by root, uid 0, mode 0755); nothing was changed; run as that user or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('an out folder of nobody made read-only, chmod 0555 (EACCES)', () => {
    const { out } = staleCopy('mode-0555');
    sh('chown', '-R', 'nobody', out);
    fs.chmodSync(out, 0o555);
    const before = hashTree(out, true);
    expectRefusal(gen('nobody', out), `cannot write ${out}: permission denied (mode 0555); nothing was changed; make it writable (chmod u+w ${out}) or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('a subtree of root in a sticky out folder, all modes 0777 (EPERM)', () => {
    const { out } = staleCopy('sticky');
    sh('chmod', '-R', 'a+rwX', out);
    fs.chmodSync(out, 0o1777);
    const before = hashTree(out, true);
    expectRefusal(gen('nobody', out), `cannot write ${out}/${first()}: operation not permitted (owned by root, uid 0, mode 0777, in sticky folder ${out}: only the owner may move or delete it); nothing was changed; run as that user or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('an immutable out folder, gen as root (EPERM)', () => {
    const { out } = staleCopy('immutable');
    sh('chattr', '+i', out);
    cleanups.push(() => sh('chattr', '-i', out));
    const before = hashTree(out, true);
    expectRefusal(gen('root', out), `cannot write ${out}: operation not permitted (mode 0755, which would allow it: immutable or append-only? see lsattr); nothing was changed; clear the attribute (chattr -i -a ${out}) or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('a tmpfs remounted read-only, gen as root (EROFS)', () => {
    const dir = path.join(base, 'erofs');
    fs.mkdirSync(dir, { mode: 0o755 });
    sh('mount', '-t', 'tmpfs', '-o', 'size=4m,mode=0755', 'tmpfs', dir);
    cleanups.push(() => sh('umount', dir));
    const out = path.join(dir, 'gen');
    fs.cpSync(template, out, { recursive: true, preserveTimestamps: true });
    fs.appendFileSync(path.join(out, 'uapi/linux/vhost.h'), '/* hand edit */\n');
    sh('mount', '-o', 'remount,ro', dir);
    const before = hashTree(out, true);
    expectRefusal(gen('root', out), `cannot write ${out}: read-only file system; nothing was changed; remount it read-write or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  it('a read-only bind mount of the out folder, gen as root (EROFS)', () => {
    const { out } = staleCopy('bind-ro');
    sh('mount', '--bind', out, out);
    cleanups.push(() => sh('umount', out));
    sh('mount', '-o', 'remount,bind,ro', out);
    const before = hashTree(out, true);
    expectRefusal(gen('root', out), `cannot write ${out}: read-only file system; nothing was changed; remount it read-write or pass --out DIR`);
    expect(hashTree(out, true)).toBe(before);
    expectNoTemps(out);
  });

  for (const free of ['none', 'a few pages']) {
    it(`a full tmpfs (${free} free), gen as root (ENOSPC)`, () => {
      const dir = path.join(base, `enospc-${free.replace(/ /g, '-')}`);
      fs.mkdirSync(dir, { mode: 0o755 });
      sh('mount', '-t', 'tmpfs', '-o', 'size=16m,mode=0755', 'tmpfs', dir);
      cleanups.push(() => sh('umount', dir));
      const out = path.join(dir, 'gen');
      fs.cpSync(template, out, { recursive: true, preserveTimestamps: true });
      fs.appendFileSync(path.join(out, 'uapi/linux/vhost.h'), '/* hand edit */\n');
      // Fill the rest of the file system, then give back a little: the lock fits, the staged headers do not.
      const fill = fs.openSync(path.join(dir, 'filler'), 'w');
      const chunk = Buffer.alloc(4096, 1);
      try {
        for (;;) fs.writeSync(fill, chunk);
      } catch (e) {
        expect((e as { code?: string }).code).toBe('ENOSPC');
      }
      fs.closeSync(fill);
      if (free !== 'none') fs.truncateSync(path.join(dir, 'filler'), fs.statSync(path.join(dir, 'filler')).size - 3 * 4096);
      const before = hashTreeIgnoringDirMtimes(out);
      const r = gen('root', out);
      // With no room at all the lock file cannot be written; with a little, the staging tree cannot.
      const where = free === 'none' ? out : `${out}/${first()}`;
      expectRefusal(r, `cannot write ${where}: no space left on device; nothing was changed; free some space or pass --out DIR`);
      expect(hashTreeIgnoringDirMtimes(out)).toBe(before);
      expectNoTemps(out);
    });
  }

  it('--out below a regular file (ENOTDIR)', () => {
    const dir = path.join(base, 'enotdir');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'file'), 'not a folder\n');
    const before = hashTree(dir, true);
    expectRefusal(gen('root', path.join(dir, 'file/gen')), `cannot write ${dir}/file/gen: ${dir}/file is a file, not a folder; move it away or pass --out DIR`);
    const check = gen('root', path.join(dir, 'file/gen'), '--check');
    expectRefusal(check, `cannot read ${dir}/file/gen/${first()}: ${dir}/file is a file, not a folder; move it away`);
    expect(hashTree(dir, true)).toBe(before);
  });

  it('--out naming a regular file', () => {
    const dir = path.join(base, 'outfile');
    fs.mkdirSync(dir, { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'gen'), 'not a folder\n');
    const before = hashTree(dir, true);
    expectRefusal(gen('root', path.join(dir, 'gen')), `cannot write ${dir}/gen: it is a file, not a folder; move it away or pass --out DIR`);
    expect(hashTree(dir, true)).toBe(before);
  });

  it('a missing out folder whose parent nobody cannot write (EACCES on the parent)', () => {
    const dir = path.join(base, 'parent-ro');
    fs.mkdirSync(dir, { mode: 0o755 });
    const before = hashTree(dir, true);
    expectRefusal(gen('nobody', path.join(dir, 'gen')), `cannot write ${dir}/gen: permission denied on ${dir} (owned by root, uid 0, mode 0755); nothing was changed; run as that user or pass --out DIR`);
    expect(hashTree(dir, true)).toBe(before);
  });

  it('gen --check on a subtree nobody cannot read', () => {
    const { out } = staleCopy('check-unreadable');
    fs.chmodSync(path.join(out, 'uapi'), 0o700);
    const before = hashTree(out, true);
    const r = gen('nobody', out, '--check');
    expectRefusal(r, `cannot read ${out}/uapi: permission denied (owned by root, uid 0, mode 0700); run as that user`);
    expect(r.stdout).toBe('');
    expect(hashTree(out, true)).toBe(before);
  });

  it('a leftover of a root run that nobody cannot delete: one line naming it; the tree is untouched', () => {
    const { out } = staleCopy('leftover-root');
    const stuck = path.join(out, `.staging-${DEAD}-uapi`);
    fs.cpSync(path.join(out, 'uapi'), stuck, { recursive: true });
    sh('chown', 'nobody', out);
    for (const sub of fs.readdirSync(out).filter((n) => !n.startsWith('.'))) sh('chown', '-R', 'nobody', path.join(out, sub));
    const before = hashTreeIgnoringDirMtimes(out);
    // Removal goes depth-first in sorted order: the first refusal is a header in linux/, a folder of root.
    expectRefusal(gen('nobody', out), `cannot remove leftover ${stuck}: permission denied on ${stuck}/linux (owned by root, uid 0, mode 0755); run as that user or pass --out DIR`);
    expect(hashTreeIgnoringDirMtimes(out)).toBe(before);
    expect(tempLeftovers(out)).toEqual([`.staging-${DEAD}-uapi`]);
    expect(fs.existsSync(path.join(out, LOCK))).toBe(false);
  });

  it('leftovers of a killed run are cleaned and reported on stderr; the run succeeds', () => {
    const { out } = staleCopy('leftover-clean');
    const other = bystander().pid as number;
    fs.renameSync(path.join(out, 'uapi'), path.join(out, `.aside-${DEAD}-uapi`));
    fs.mkdirSync(path.join(out, `.staging-${other}-uapi`));
    writeLock(out, lockOf(other, '1'));
    const r = gen('root', out);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr.split('\n')).toEqual([
      `gen: removed stale lock ${out}/${LOCK} (pid ${other} is now another process)`,
      `gen: restored ${out}/uapi from leftover .aside-${DEAD}-uapi (left by interrupted run pid ${DEAD}, mid-swap)`,
      `gen: removed leftover ${out}/.staging-${other}-uapi (left by interrupted run pid ${other})`,
      // The banners name the --out given, so a copy of the template is stale in every file.
      expect.stringMatching(/^gen: (\d+) file\(s\) for \S+ in \S+ \(\1 written, 0 unchanged, 0 removed\)$/),
      '',
    ]);
    expectNoTemps(out);
    expect(gen('root', out, '--check').status).toBe(0);
  });
});
