// The lab's API: run one shell command in a freshly booted guest and get its
// exit code, output and the guest's dmesg back.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dmesgProblems } from './dmesg.ts';
import type { KernelId } from './config.ts';
import { buildInitramfs, MARK } from './initramfs.ts';
import { kernelTree } from './kernel.ts';
import { assertQemuInstalled, boot } from './qemu.ts';

export interface RunOptions {
  /** Which lab kernel boots (test/lab/config.ts; default 6.12). */
  kernel?: KernelId;
  /** Whole boot-run-poweroff budget (default 120 s). */
  timeoutMs?: number;
  /** Directory the command starts in (must exist on the host; default the current one). */
  cwd?: string;
  /** Return normally even if dmesg has oops/BUG/WARNING/KASAN lines. */
  allowDmesgProblems?: boolean;
  /** Print the guest's serial console while it runs. */
  echo?: boolean;
  /** Called with qemu's pid once it runs. */
  onStart?: (pid: number) => void;
}

export interface RunResult {
  /** `uname -r` of the kernel that ran the command. */
  release: string;
  exitCode: number;
  stdout: string;
  stderr: string;
  dmesg: string;
  /** dmesg lines that fail a run (oops, BUG, WARNING, KASAN ...). */
  problems: string[];
  /** Files the command wrote to $LAB_OUT (name -> content). */
  files: Map<string, Buffer>;
  serial: string;
  /** Host ms from qemu start to the command starting, and to qemu exit. */
  bootMs: number;
  wallMs: number;
}

export class LabError extends Error {
  constructor(message: string, readonly result?: Partial<RunResult>) { super(message); }
}

function readIf(p: string): string | undefined {
  return existsSync(p) ? readFileSync(p, 'utf8') : undefined;
}

/**
 * Boots a lab kernel (6.12 unless `opts.kernel` says otherwise) and runs `command` with
 * /bin/sh, chrooted into the host's root (read-only; /run is a tmpfs, $TMPDIR=/run/tmp).
 * $LAB_OUT (/run/lab) is a writable directory whose files come back in `files`.
 */
export async function runInLab(command: string, opts: RunOptions = {}): Promise<RunResult> {
  assertQemuInstalled();
  const { vmlinuz, release } = kernelTree(opts.kernel);
  const initrd = buildInitramfs(opts.kernel);
  const io = mkdtempSync(join(tmpdir(), 'ioctl-abi-lab-'));
  try {
    const cwd = opts.cwd ?? process.cwd();
    const timeoutMs = opts.timeoutMs ?? 120_000;
    // The guest's own backstop: it kills the command and powers off even if this process dies.
    const guestTimeout = Math.ceil(timeoutMs / 1000) + 30;
    writeFileSync(join(io, 'env'), `LAB_CWD='${cwd.replace(/'/g, `'\\''`)}'\nLAB_GUEST_TIMEOUT=${guestTimeout}\n`);
    writeFileSync(join(io, 'cmd.sh'), `${command}\n`);
    let runAt = 0;
    let seen = '';
    const t0 = Date.now();
    const r = await boot({
      vmlinuz, initrd, ioDir: io, timeoutMs, onStart: opts.onStart,
      onSerial: (s) => {
        // the mark can arrive split over two chunks
        seen = (seen + s).slice(-256);
        if (!runAt && seen.includes(`${MARK}RUN`)) runAt = Date.now();
        if (opts.echo) process.stderr.write(s);
      },
    });
    const rc = readIf(join(io, 'rc'));
    const partial = { serial: r.serial, stdout: readIf(join(io, 'stdout')), stderr: readIf(join(io, 'stderr')) };
    const tail = r.serial.trim().split('\n').slice(-30).join('\n');
    if (r.timedOut) throw new LabError(`lab run timed out after ${timeoutMs / 1000} s (qemu killed); serial tail:\n${tail}`, partial);
    if (rc === undefined) throw new LabError(`guest powered off without a result (qemu exit ${r.exitCode}); serial tail:\n${tail}`, partial);
    const dmesg = readIf(join(io, 'dmesg')) ?? '';
    const files = new Map<string, Buffer>();
    for (const f of ['stdout', 'stderr', 'rc', 'dmesg', 'env', 'cmd.sh']) rmSync(join(io, f), { force: true });
    for (const f of readdirSync(io)) files.set(f, readFileSync(join(io, f)));
    const result: RunResult = {
      release, exitCode: Number(rc.trim()), stdout: partial.stdout ?? '', stderr: partial.stderr ?? '', dmesg,
      problems: dmesgProblems(dmesg), files, serial: r.serial, bootMs: runAt ? runAt - t0 : r.wallMs, wallMs: r.wallMs,
    };
    if (result.problems.length && !opts.allowDmesgProblems) {
      throw new LabError(`guest dmesg reports problems:\n${result.problems.join('\n')}`, result);
    }
    return result;
  } finally {
    rmSync(io, { recursive: true, force: true });
  }
}
