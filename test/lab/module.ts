// Builds an out-of-tree module directory for the lab kernel inside the build
// chroot, with warnings as errors, and returns the path of the .ko.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { buildChroot, ensureSparse } from './chroot.ts';
import { KERNEL_RELEASE } from './config.ts';
import { step } from './run.ts';

export interface BuiltModule {
  ko: string;
  log: string;
}

/**
 * `sparse: true` also runs sparse on every source (make C=2) and returns its output with the
 * compiler's in `log`; `make` adds arguments (W=1).
 */
export function buildModule(srcDir: string, opts: { timeoutMs?: number; sparse?: boolean; make?: readonly string[] } = {}): BuiltModule {
  const src = resolve(srcDir);
  if (!existsSync(join(src, 'Kbuild')) && !existsSync(join(src, 'Makefile'))) throw new Error(`${src} has no Kbuild or Makefile`);
  const chroot = buildChroot();
  const name = basename(src);
  const inside = `/build/${name}`;
  const work = join(chroot, inside);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  cpSync(src, work, { recursive: true, filter: (p) => !/\.(ko|o|mod|mod\.c|cmd)$/.test(p) });
  const make = ['make', '-C', `/usr/src/linux-headers-${KERNEL_RELEASE}`, `M=${inside}`, 'KCFLAGS=-Werror', ...(opts.make ?? [])];
  // sparse reports on stderr and does not fail the build: the shell keeps its output in the log.
  const cmd = opts.sparse ? ['sh', '-c', `exec ${[...make, 'C=2', `CHECK=${ensureSparse(chroot)}`, 'modules'].join(' ')} 2>&1`] : [...make, 'modules'];
  const log = step(`building module ${src}`, 'chroot', [chroot, ...cmd], { timeoutMs: opts.timeoutMs ?? 300_000, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C' } });
  const kos = readdirSync(work).filter((f) => f.endsWith('.ko'));
  if (kos.length !== 1) throw new Error(`building ${src} gave ${kos.length} .ko files\n${log}`);
  const out = cachePath('lab', 'modules', name);
  cpSync(join(work, kos[0]!), join(out, kos[0]!));
  return { ko: join(out, kos[0]!), log };
}
