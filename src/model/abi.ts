// The 17 Linux ABIs the model lays out structs for, and their ioctl number encodings.
// Facts: asm/ioctl.h of each arch, and the C ABI of each gcc target (checked by test/layout).
import type { PrimClass } from './ctype.ts';

export type IocEncoding = 'generic' | 'powerpc' | 'parisc';

export interface Abi {
  name: string;
  /** Size and alignment of each primitive class. */
  prims: Record<PrimClass, { size: number; align: number }>;
  encoding: IocEncoding;
  bigEndian: boolean;
  /** Node's process.arch value that runs this ABI natively (with bigEndian: 'ppc64' is both ppc64le and ppc64). */
  nodeArch?: string;
}

type Model = 'lp64' | 'ilp32' | 'x32' | 'i386' | 'm68k';

function prims(model: Model): Abi['prims'] {
  const long = model === 'lp64' ? 8 : 4;
  const llAlign = model === 'lp64' || model === 'ilp32' || model === 'x32' ? 8 : model === 'i386' ? 4 : 2;
  const wordAlign = model === 'm68k' ? 2 : 0;
  return {
    char: { size: 1, align: 1 },
    short: { size: 2, align: 2 },
    int: { size: 4, align: wordAlign || 4 },
    long: { size: long, align: wordAlign || long },
    llong: { size: 8, align: llAlign },
    aligned64: { size: 8, align: 8 },
    pointer: { size: long, align: wordAlign || long },
    // __kernel_long_t: the kernel's long, which on x32 is the 64-bit kernel's (asm/posix_types_x32.h).
    klong: model === 'x32' ? { size: 8, align: 8 } : { size: long, align: wordAlign || long },
  };
}

const abi = (name: string, model: Model, encoding: IocEncoding, bigEndian: boolean, nodeArch?: string): Abi => ({
  name, prims: prims(model), encoding, bigEndian, ...(nodeArch ? { nodeArch } : {}),
});

export const ABIS: readonly Abi[] = [
  abi('x86_64', 'lp64', 'generic', false, 'x64'),
  abi('i386', 'i386', 'generic', false, 'ia32'),
  abi('arm64', 'lp64', 'generic', false, 'arm64'),
  abi('armhf', 'ilp32', 'generic', false, 'arm'),
  abi('ppc64le', 'lp64', 'powerpc', false, 'ppc64'),
  abi('ppc64', 'lp64', 'powerpc', true, 'ppc64'),
  abi('powerpc', 'ilp32', 'powerpc', true),
  abi('mips64el', 'lp64', 'powerpc', false, 'mips64el'),
  abi('mipsel', 'ilp32', 'powerpc', false, 'mipsel'),
  abi('s390x', 'lp64', 'generic', true, 's390x'),
  abi('riscv64', 'lp64', 'generic', false, 'riscv64'),
  abi('parisc', 'ilp32', 'parisc', true),
  abi('sparc64', 'lp64', 'powerpc', true),
  abi('alpha', 'lp64', 'powerpc', false),
  abi('m68k', 'm68k', 'generic', true),
  abi('sh4', 'i386', 'generic', false),
  // x32: ILP32 on x86-64, but long long / __u64 keep 8-byte alignment. No Node port.
  abi('x32', 'x32', 'generic', false),
];

export const ABI_NAMES: readonly string[] = ABIS.map((a) => a.name);

export function findAbi(name: string): Abi | undefined {
  return ABIS.find((a) => a.name === name);
}

/** Byte order of this machine, without node:os (the model also runs where there is none). */
const hostEndian = (): 'BE' | 'LE' => (new Uint8Array(new Uint16Array([1]).buffer)[0] === 0 ? 'BE' : 'LE');

/**
 * The ABI a Node process runs as (default: this one), or undefined if none is modelled.
 * process.arch alone is ambiguous: 'ppc64' is reported by ppc64le and big-endian ppc64 alike.
 */
export function nodeAbi(arch: string = process.arch, endian: 'BE' | 'LE' = hostEndian()): Abi | undefined {
  return ABIS.find((a) => a.nodeArch === arch && a.bigEndian === (endian === 'BE'));
}

/** Field widths and direction codes of one _IOC encoding. */
export interface IocLayout {
  sizeBits: number;
  dirShift: number;
  none: number;
  read: number;
  write: number;
}

export const IOC_LAYOUTS: Record<IocEncoding, IocLayout> = {
  generic: { sizeBits: 14, dirShift: 30, none: 0, read: 2, write: 1 },
  powerpc: { sizeBits: 13, dirShift: 29, none: 1, read: 2, write: 4 },
  parisc: { sizeBits: 14, dirShift: 30, none: 0, read: 1, write: 2 },
};
