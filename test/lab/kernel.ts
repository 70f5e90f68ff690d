// Debian's trixie kernel image + modules, fetched once into the cache.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { debLatest } from './apt-version.ts';
import { IMAGE_PKG, KERNEL_RELEASE } from './config.ts';

export interface KernelTree {
  vmlinuz: string;
  modulesDir: string; // .../lib/modules/<release>
}

export function kernelTree(): KernelTree {
  const root = debLatest(IMAGE_PKG);
  const vmlinuz = join(root, 'boot', `vmlinuz-${KERNEL_RELEASE}`);
  const modulesDir = [join(root, 'usr', 'lib', 'modules', KERNEL_RELEASE), join(root, 'lib', 'modules', KERNEL_RELEASE)]
    .find((d) => existsSync(d));
  if (!existsSync(vmlinuz) || !modulesDir) {
    throw new Error(`${IMAGE_PKG} unpacked in ${root} lacks boot/vmlinuz or modules (has: ${readdirSync(root).join(' ')})`);
  }
  return { vmlinuz, modulesDir };
}
