// The guest's initramfs: busybox-static, the lab modules (decompressed) and an
// init that mounts the host root read-only over 9p, runs one command chrooted
// into it and writes its results to a writable 9p share. Cached by content.
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { GUEST_MODULES } from './config.ts';
import { kernelTree } from './kernel.ts';
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

/** Returns the path of a cached newc initramfs for the lab kernel. */
export function buildInitramfs(): string {
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: install busybox-static (scripts/deps/lab.txt)`);
  const { modulesDir } = kernelTree();
  const init = initScript(GUEST_MODULES);
  const key = createHash('sha256').update(init).update(readFileSync(BUSYBOX)).update(modulesDir).digest('hex').slice(0, 16);
  const dir = cachePath('lab', 'initramfs');
  const out = join(dir, `initrd-${key}.cpio`);
  if (existsSync(out)) return out;
  const stage = join(dir, `.stage-${process.pid}`);
  rmSync(stage, { recursive: true, force: true });
  try {
    for (const d of ['bin', 'dev', 'proc', 'sys', 'tmp', 'lib/modules']) mkdirSync(join(stage, d), { recursive: true });
    copyFileSync(BUSYBOX, join(stage, 'bin', 'busybox'));
    chmodSync(join(stage, 'bin', 'busybox'), 0o755);
    writeFileSync(join(stage, 'init'), init, { mode: 0o755 });
    const found = step('listing kernel modules', 'find', [modulesDir, '-name', '*.ko.xz'], { timeoutMs: 60_000 }).split('\n');
    for (const m of GUEST_MODULES) {
      const xz = found.find((f) => f.endsWith(`/${m}.ko.xz`));
      if (!xz) throw new Error(`module ${m} not found under ${modulesDir}`);
      copyFileSync(xz, join(stage, 'lib', 'modules', `${m}.ko.xz`));
    }
    step('decompressing modules', 'xz', ['-d', ...GUEST_MODULES.map((m) => join(stage, 'lib', 'modules', `${m}.ko.xz`))], { timeoutMs: 120_000 });
    step('cpio of the initramfs', 'sh', ['-c', `find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 > "${out}.tmp"`], { cwd: stage, timeoutMs: 120_000 });
    renameSync(`${out}.tmp`, out);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
  return out;
}
