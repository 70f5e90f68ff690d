// Before vitest: fetch the five kernels' linux-libc-dev packages into the cache
// and check that all 17 ABIs' compilers work. In CI (CI=true) anything missing
// is an error; elsewhere a missing compiler is reported and its tests skip.
import { ABI_NAMES, compilerStatus } from './abis.ts';
import { KERNEL_VERSIONS, KERNELS, kernelHeadersRoot, resolvedDebVersion } from './kernels.ts';

export async function prepare(): Promise<void> {
  const ci = process.env.CI === 'true' || process.env.CI === '1';
  for (const v of KERNEL_VERSIONS) {
    const t0 = Date.now();
    const deb = resolvedDebVersion(v);
    kernelHeadersRoot(v); // throws if the download fails, CI or not: the oracle needs all five
    if (deb !== KERNELS[v].debVersion) {
      console.log(`prepare: kernel ${v}: ${KERNELS[v].debVersion} is no longer served, using linux-libc-dev ${deb}`);
    }
    const ms = Date.now() - t0;
    if (ms > 500) console.log(`prepare: kernel ${v} headers (linux-libc-dev ${deb}) ${(ms / 1000).toFixed(1)} s`);
  }
  const problems = ABI_NAMES.map((a) => compilerStatus(a)).filter((s) => !s.ok).map((s) => s.problem);
  if (problems.length) {
    const msg = `oracle: ${problems.length} of ${ABI_NAMES.length} ABI compilers unusable (scripts/deps/cross.txt):\n  ${problems.join('\n  ')}`;
    if (ci) throw new Error(msg);
    console.warn(`${msg}\n(not CI: their tests will be skipped)`);
  }
}
