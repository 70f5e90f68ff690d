// Boots the lab kernel under qemu TCG with a given initramfs and two 9p shares,
// and waits for it to power off. The qemu process is killed on timeout and
// when this process exits, so nothing is left running.
import { spawn, spawnSync } from 'node:child_process';

export const QEMU = 'qemu-system-x86_64';

export interface BootOptions {
  vmlinuz: string;
  initrd: string;
  ioDir: string; // writable share, tag labio
  timeoutMs: number;
  memMiB?: number;
  onSerial?: (chunk: string) => void;
  onStart?: (pid: number) => void;
}

export interface BootResult {
  serial: string;
  exitCode: number | null;
  timedOut: boolean;
  wallMs: number;
}

export function qemuArgs(o: BootOptions): string[] {
  return [
    '-accel', 'tcg', '-cpu', 'max', '-m', String(o.memMiB ?? 1024), '-smp', '1',
    '-nodefaults', '-no-user-config', '-display', 'none', '-monitor', 'none', '-serial', 'stdio', '-no-reboot',
    '-kernel', o.vmlinuz, '-initrd', o.initrd,
    '-append', 'console=ttyS0 quiet panic=-1 rdinit=/init',
    '-virtfs', 'local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap',
    '-virtfs', `local,path=${o.ioDir},mount_tag=labio,security_model=none`,
  ];
}

export function assertQemuInstalled(): void {
  const r = spawnSync(QEMU, ['--version'], { timeout: 20_000, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(`${QEMU} is not usable (${r.error?.message ?? r.stderr.trim()}): install qemu-system-x86 (scripts/deps/lab.txt)`);
  }
}

export function boot(o: BootOptions): Promise<BootResult> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(QEMU, qemuArgs(o), { stdio: ['ignore', 'pipe', 'pipe'] });
    if (child.pid) o.onStart?.(child.pid);
    let serial = '';
    let timedOut = false;
    const killer = () => child.kill('SIGKILL');
    process.once('exit', killer);
    const timer = setTimeout(() => { timedOut = true; killer(); }, o.timeoutMs);
    const take = (b: Buffer) => { const s = b.toString('utf8'); serial += s; o.onSerial?.(s); };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', (err) => {
      clearTimeout(timer);
      process.removeListener('exit', killer);
      reject(new Error(`cannot start ${QEMU}: ${err.message} (install qemu-system-x86, scripts/deps/lab.txt)`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      process.removeListener('exit', killer);
      resolve({ serial, exitCode: code, timedOut, wallMs: Date.now() - t0 });
    });
  });
}
