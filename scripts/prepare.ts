// Fills the download cache before the tests run, one step after another, so that
// parallel test files never race to fetch the same thing. Each step is idempotent.
import { machineDebianMirror } from '../test/support/apt-mirror.ts';

// Every download below comes from the machine's Debian mirror: name it first, and fail
// before any work if none can be found (the error says how to set one).
console.log(`prepare: Debian mirror ${machineDebianMirror()}`);

const steps: Array<[string, () => Promise<void>]> = [
  ['oracle: kernel UAPI headers', async () => (await import('../test/oracle/prepare.ts')).prepare()],
  ['uapi: checkpatch.pl and kernel-doc from linux-source', async () => (await import('../test/support/checkpatch.ts')).prepare()],
  ['lab: kernels 6.12 and 7.2 (image, modules, initramfs), build chroot, probe', async () => (await import('../test/lab/prepare.ts')).prepare((l) => console.log(`prepare: ${l}`))],
];

for (const [name, run] of steps) {
  const t0 = Date.now();
  await run();
  console.log(`prepare: ${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
}
