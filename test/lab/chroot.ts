// The trixie build chroot for out-of-tree modules: debootstrap once, then the
// kernel's headers and kbuild unpacked into it. Cached and idempotent.
import { cpSync, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineDebianMirror } from '../support/apt-mirror.ts';
import { cachePath } from '../support/cache.ts';
import { debLatest } from './apt-version.ts';
import { CHROOT_PACKAGES, CHROOT_SUITE, HEADER_PKGS, KERNEL_RELEASE } from './config.ts';
import { step } from './run.ts';

export function buildChroot(): string {
  const root = cachePath('lab');
  const dir = join(root, `chroot-${CHROOT_SUITE}`);
  if (existsSync(join(dir, '.complete'))) return dir;
  const work = join(root, `.chroot-${process.pid}`);
  rmSync(work, { recursive: true, force: true });
  try {
    // The machine's own Debian mirror, as for the private apt indexes (test/support/debian.ts).
    step('debootstrap of the build chroot', 'debootstrap', [
      '--variant=minbase', `--include=${CHROOT_PACKAGES.join(',')}`, CHROOT_SUITE, work, machineDebianMirror(),
    ], { timeoutMs: 1_200_000 });
    for (const pkg of HEADER_PKGS) cpSync(debLatest(pkg), work, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('/.complete') });
    if (!existsSync(join(work, 'usr', 'src', `linux-headers-${KERNEL_RELEASE}`, 'Makefile'))) {
      throw new Error(`headers for ${KERNEL_RELEASE} missing in the chroot after unpacking ${HEADER_PKGS.join(', ')}`);
    }
    writeFileSync(join(work, '.complete'), new Date().toISOString());
    rmSync(dir, { recursive: true, force: true });
    renameSync(work, dir);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return dir;
}

/**
 * sparse inside the build chroot, for `make C=2` (test/kdispatch/sparse.test.ts): Debian's
 * package unpacked into it once, like the headers above; later calls find it there.
 */
export function ensureSparse(chroot: string): string {
  if (!existsSync(join(chroot, 'usr', 'bin', 'sparse'))) {
    cpSync(debLatest('sparse'), chroot, { recursive: true, verbatimSymlinks: true, filter: (src) => !src.endsWith('/.complete') });
  }
  return '/usr/bin/sparse';
}
