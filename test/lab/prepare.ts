// Fills the lab's cache before the tests: every lab kernel's image + modules and its
// initramfs, the build chroot with the 6.12 headers, and the compiled probe. Idempotent.
import { buildChroot } from './chroot.ts';
import { type KernelId, KERNELS } from './config.ts';
import { buildInitramfs } from './initramfs.ts';
import { kernelTree } from './kernel.ts';
import { buildProbe } from './probe.ts';

export async function prepare(log: (line: string) => void = () => {}): Promise<void> {
  for (const id of Object.keys(KERNELS) as KernelId[]) {
    const t0 = Date.now();
    kernelTree(id);
    buildInitramfs(id);
    log(`lab: kernel ${KERNELS[id].release} and its initramfs (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  }
  buildChroot();
  buildProbe();
}
