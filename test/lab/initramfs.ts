// The guest's initramfs, one per lab kernel: busybox-static, its modules (decompressed) and an
// init that mounts the host root read-only over 9p, runs one command chrooted
// into it and writes its results to a writable 9p share. Cached by content.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { type KernelId, labKernel } from './config.ts';
import { kernelTree, moduleFiles, moduleOrderProblems } from './kernel.ts';
import { step } from './run.ts';

const BUSYBOX = '/bin/busybox';
export const MARK = '@@LAB:';

/**
 * /init of the guest. /io is the writable share (tag labio), /host the host root (tag hostroot);
 * the command sees the share as /run/lab ($LAB_OUT).
 */
export function initScript(modules: string[]): string {
  return `#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
say() { echo "${MARK}$*" > /dev/ttyS0; }
die() { say "FAIL $*"; poweroff -f; }
say INIT
for m in ${modules.join(' ')}; do insmod /lib/modules/$m.ko || die "insmod $m"; done
mkdir -p /io /host
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144 labio /io || die "mount labio"
mount -t 9p -o trans=virtio,version=9p2000.L,msize=262144,ro,cache=loose hostroot /host || die "mount hostroot"
. /io/env
mount -t proc proc /host/proc && mount -t sysfs sysfs /host/sys && mount -t devtmpfs devtmpfs /host/dev || die "mount /host pseudo fs"
# the host's /tmp stays visible (read-only); writable space is a tmpfs on /run
mount -t tmpfs tmpfs /host/run && mkdir -p /host/run/lab /host/run/tmp || die "mount /host/run"
mount -o bind /io /host/run/lab || die "bind /run/lab"
say RUN
env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/run/tmp TMPDIR=/run/tmp LANG=C.UTF-8 LAB_OUT=/run/lab \\
  timeout -s KILL "$LAB_GUEST_TIMEOUT" chroot /host /bin/sh -c 'cd "$1" && exec /bin/sh /run/lab/cmd.sh' sh "$LAB_CWD" \\
  > /io/stdout 2> /io/stderr < /dev/null
rc=$?
dmesg > /io/dmesg
echo $rc > /io/rc
say "RC=$rc"
sync
poweroff -f
`;
}

/** Returns the path of the cached newc initramfs of a lab kernel (one per kernel). */
export function buildInitramfs(id?: KernelId): string {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install busybox-static (scripts/deps/lab.txt)`);
  const k = labKernel(id);
  const { modulesDir } = kernelTree(k.id);
  const init = initScript(k.guestModules);
  const key = createHash('sha256').update(init).update(readFileSync(BUSYBOX)).update(modulesDir).digest('hex').slice(0, 16);
  const dir = cachePath('lab', 'initramfs');
  const prefix = `initrd-${k.release}-`;
  const out = join(dir, `${prefix}${key}.cpio`);
  if (existsSync(out)) return out;
  // A wrong load order would only show as "insmod X" failing in the guest: say why here.
  const problems = moduleOrderProblems(k.guestModules, k.id);
  if (problems.length) throw new Error(`module load order of kernel ${k.id} (test/lab/config.ts):\n${problems.join('\n')}`);
  const files = moduleFiles(k.id);
  const stage = join(dir, `.stage-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  try {
    for (const d of ['bin', 'dev', 'proc', 'sys', 'tmp', 'lib/modules']) mkdirSync(join(stage, d), { recursive: true });
    copyFileSync(BUSYBOX, join(stage, 'bin', 'busybox'));
    chmodSync(join(stage, 'bin', 'busybox'), 0o755);
    writeFileSync(join(stage, 'init'), init, { mode: 0o755 });
    for (const m of k.guestModules) copyFileSync(files.get(m)!, join(stage, 'lib', 'modules', `${m}.ko.xz`));
    step('decompressing modules', 'xz', ['-d', ...k.guestModules.map((m) => join(stage, 'lib', 'modules', `${m}.ko.xz`))], { timeoutMs: 120_000 });
    step('cpio of the initramfs', 'sh', ['-c', `find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 > "${out}.tmp"`], { cwd: stage, timeoutMs: 120_000 });
    renameSync(`${out}.tmp`, out);
    // Older builds of this kernel's initramfs (other init or busybox) are garbage now.
    for (const f of readdirSync(dir)) if (f.startsWith(prefix) && f.endsWith('.cpio') && join(dir, f) !== out) rmSync(join(dir, f), { force: true });
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return out;
}
