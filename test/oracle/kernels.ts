// The five kernel versions whose real UAPI headers the oracle compiles against,
// from Debian's linux-libc-dev packages, and the -I directories for one
// (version, ABI) pair.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { debUnpacked } from '../support/debian.ts';
import { ABIS, type AbiName } from './abis.ts';
import { newestDebianVersion } from './apt-versions.ts';

export const KERNEL_VERSIONS = ['5.10', '6.1', '6.12', '7.2', '7.3'] as const;
export type KernelVersion = (typeof KERNEL_VERSIONS)[number];

export interface Kernel {
  version: KernelVersion;
  /** Debian linux-libc-dev version (the one measured; see resolvedDebVersion for 6.1). */
  debVersion: string;
  suite: string;
  /** Whether the package carries every arch's asm/ (Architecture: all, 6.12+) or only x86's. */
  allArches: boolean;
}

export const KERNELS: Readonly<Record<KernelVersion, Kernel>> = {
  '5.10': { version: '5.10', debVersion: '5.10.223-1', suite: 'bullseye', allArches: false },
  // Newest 6.1 the private apt config served when this was written (apt-cache madison).
  '6.1': { version: '6.1', debVersion: '6.1.176-1', suite: 'bookworm', allArches: false },
  '6.12': { version: '6.12', debVersion: '6.12.117-1', suite: 'trixie', allArches: true },
  '7.2': { version: '7.2', debVersion: '7.2.13-1', suite: 'sid', allArches: true },
  '7.3': { version: '7.3', debVersion: '7.3~rc7-1~exp1', suite: 'experimental', allArches: true },
};

/** Where the non-x86 asm/ directories of the amd64-only packages (5.10, 6.1) come from. */
export const ASM_DONOR: KernelVersion = '7.2';

export function isKernelVersion(s: string): s is KernelVersion {
  return (KERNEL_VERSIONS as readonly string[]).includes(s);
}

function cacheKey(debVersion: string): string {
  return `linux-libc-dev_${debVersion}`.replace(/[^A-Za-z0-9._+~-]/g, '_');
}

const resolved = new Map<KernelVersion, string>();

/**
 * The Debian version actually used. Equal to KERNELS[v].debVersion unless that
 * exact version is neither cached nor still served: bookworm's point releases
 * replace linux-libc-dev 6.1.x in place, so for 6.1 the newest 6.1.* served is
 * taken instead (and reported by prepare()).
 */
export function resolvedDebVersion(version: KernelVersion): string {
  const hit = resolved.get(version);
  if (hit) return hit;
  const k = KERNELS[version];
  let v = k.debVersion;
  if (version === '6.1' && !existsSync(join(cachePath('debs'), cacheKey(v), '.complete'))) {
    const newest = newestDebianVersion('linux-libc-dev', '6.1.');
    if (!newest) throw new Error('no linux-libc-dev 6.1.* in the private apt indexes (bookworm)');
    v = newest;
  }
  resolved.set(version, v);
  return v;
}

/** Downloads (once) and unpacks the version's linux-libc-dev; returns the unpacked root. */
export function kernelHeadersRoot(version: KernelVersion): string {
  return debUnpacked('linux-libc-dev', resolvedDebVersion(version));
}

/**
 * -I directories for compiling against `version`'s UAPI headers as `abi`, to be
 * used with -nostdinc -ffreestanding. The first holds asm/, the second linux/
 * and asm-generic/ (from the version's own package). x86 asm/ always comes from
 * the version's own package; other arches from the version's own package when it
 * carries them (6.12+), else from the 7.2 package (ASM_DONOR).
 */
export function uapiIncludeDirs(version: KernelVersion, abi: AbiName): string[] {
  const arch = ABIS[abi].uapiArch;
  const own = kernelHeadersRoot(version);
  let asmParent: string;
  if (KERNELS[version].allArches) {
    asmParent = join(own, 'usr/lib/linux/uapi', arch);
  } else if (arch === 'x86') {
    asmParent = join(own, 'usr/include/x86_64-linux-gnu');
  } else {
    asmParent = join(kernelHeadersRoot(ASM_DONOR), 'usr/lib/linux/uapi', arch);
  }
  const dirs = [asmParent, join(own, 'usr/include')];
  for (const [d, sub] of [[asmParent, 'asm'], [dirs[1]!, 'linux'], [dirs[1]!, 'asm-generic']] as const) {
    if (!existsSync(join(d, sub))) throw new Error(`kernel ${version} / ${abi}: no ${sub}/ under ${d}`);
  }
  return dirs;
}
