// Fills the lab's cache before the tests: kernel image + modules, initramfs,
// build chroot with the kernel headers, and the compiled probe. Idempotent.
import { buildChroot } from './chroot.ts';
import { buildInitramfs } from './initramfs.ts';
import { kernelTree } from './kernel.ts';
import { buildProbe } from './probe.ts';

export async function prepare(): Promise<void> {
  kernelTree();
  buildInitramfs();
  buildChroot();
  buildProbe();
}
