// The 17 Linux ABIs the project models, with the Debian bookworm gcc that
// compiles freestanding probes for each one (compile-only: no libc, no linker,
// no emulator), the kernel's uapi arch directory, and the _IOC encoding family.
import { execFileSync } from 'node:child_process';

export const ABI_NAMES = [
  'x86_64', 'i386', 'arm64', 'armhf', 'ppc64le', 'ppc64', 'powerpc', 'mips64el', 'mipsel',
  's390x', 'riscv64', 'parisc', 'sparc64', 'alpha', 'm68k', 'sh4', 'x32',
] as const;
export type AbiName = (typeof ABI_NAMES)[number];

/**
 * _IOC encodings (asm-generic/ioctl.h and the arch overrides in asm/ioctl.h):
 * - generic: 2 dir bits at 30..31, 14 size bits; NONE 0, WRITE 1, READ 2.
 * - powerpc-mips-sparc-alpha: 3 dir bits at 29..31, 13 size bits; NONE 1, READ 2, WRITE 4.
 * - parisc: generic layout (2 dir bits, 14 size bits) but READ 1, WRITE 2.
 */
export type IoctlEncoding = 'generic' | 'powerpc-mips-sparc-alpha' | 'parisc';

export interface Abi {
  name: AbiName;
  /** Compiler driver to run. */
  gcc: string;
  /** Extra flags for this ABI (beyond the driver's default). */
  flags: string[];
  /** Target triplet the driver reports with -dumpmachine. */
  triplet: string;
  /** Directory name under the kernel's arch/ and usr/lib/linux/uapi/. */
  uapiArch: string;
  /** Debian bookworm package providing `gcc` (x86_64 uses the native compiler). */
  debianPackage: string;
  encoding: IoctlEncoding;
  /** Facts the toolchain test asserts against the compiler. */
  bits: 32 | 64;
  endian: 'little' | 'big';
}

function abi(
  name: AbiName, gcc: string, triplet: string, uapiArch: string, debianPackage: string,
  encoding: IoctlEncoding, bits: 32 | 64, endian: 'little' | 'big', flags: string[] = [],
): Abi {
  return { name, gcc, flags, triplet, uapiArch, debianPackage, encoding, bits, endian };
}

const G: IoctlEncoding = 'generic';
const P: IoctlEncoding = 'powerpc-mips-sparc-alpha';

export const ABIS: Readonly<Record<AbiName, Abi>> = {
  x86_64: abi('x86_64', 'gcc', 'x86_64-linux-gnu', 'x86', 'gcc', G, 64, 'little'),
  i386: abi('i386', 'i686-linux-gnu-gcc', 'i686-linux-gnu', 'x86', 'gcc-i686-linux-gnu', G, 32, 'little'),
  arm64: abi('arm64', 'aarch64-linux-gnu-gcc', 'aarch64-linux-gnu', 'arm64', 'gcc-aarch64-linux-gnu', G, 64, 'little'),
  armhf: abi('armhf', 'arm-linux-gnueabihf-gcc', 'arm-linux-gnueabihf', 'arm', 'gcc-arm-linux-gnueabihf', G, 32, 'little'),
  ppc64le: abi('ppc64le', 'powerpc64le-linux-gnu-gcc', 'powerpc64le-linux-gnu', 'powerpc', 'gcc-powerpc64le-linux-gnu', P, 64, 'little'),
  ppc64: abi('ppc64', 'powerpc64-linux-gnu-gcc', 'powerpc64-linux-gnu', 'powerpc', 'gcc-powerpc64-linux-gnu', P, 64, 'big'),
  powerpc: abi('powerpc', 'powerpc-linux-gnu-gcc', 'powerpc-linux-gnu', 'powerpc', 'gcc-powerpc-linux-gnu', P, 32, 'big'),
  mips64el: abi('mips64el', 'mips64el-linux-gnuabi64-gcc', 'mips64el-linux-gnuabi64', 'mips', 'gcc-mips64el-linux-gnuabi64', P, 64, 'little'),
  mipsel: abi('mipsel', 'mipsel-linux-gnu-gcc', 'mipsel-linux-gnu', 'mips', 'gcc-mipsel-linux-gnu', P, 32, 'little'),
  s390x: abi('s390x', 's390x-linux-gnu-gcc', 's390x-linux-gnu', 's390', 'gcc-s390x-linux-gnu', G, 64, 'big'),
  riscv64: abi('riscv64', 'riscv64-linux-gnu-gcc', 'riscv64-linux-gnu', 'riscv', 'gcc-riscv64-linux-gnu', G, 64, 'little'),
  parisc: abi('parisc', 'hppa-linux-gnu-gcc', 'hppa-linux-gnu', 'parisc', 'gcc-hppa-linux-gnu', 'parisc', 32, 'big'),
  sparc64: abi('sparc64', 'sparc64-linux-gnu-gcc', 'sparc64-linux-gnu', 'sparc', 'gcc-sparc64-linux-gnu', P, 64, 'big'),
  alpha: abi('alpha', 'alpha-linux-gnu-gcc', 'alpha-linux-gnu', 'alpha', 'gcc-alpha-linux-gnu', P, 64, 'little'),
  m68k: abi('m68k', 'm68k-linux-gnu-gcc', 'm68k-linux-gnu', 'm68k', 'gcc-m68k-linux-gnu', G, 32, 'big'),
  sh4: abi('sh4', 'sh4-linux-gnu-gcc', 'sh4-linux-gnu', 'sh', 'gcc-sh4-linux-gnu', G, 32, 'little'),
  // x86's asm/ headers: __ILP32__ selects posix_types_x32.h and __BITS_PER_LONG 32.
  x32: abi('x32', 'x86_64-linux-gnux32-gcc', 'x86_64-linux-gnux32', 'x86', 'gcc-x86-64-linux-gnux32', G, 32, 'little'),
};

export function isAbiName(s: string): s is AbiName {
  return (ABI_NAMES as readonly string[]).includes(s);
}

export type IoctlDir = 'none' | 'read' | 'write' | 'readwrite';

/** _IOC(dir, type, nr, size) for an encoding, computed independently of any header. */
export function iocNumber(encoding: IoctlEncoding, dir: IoctlDir, type: number, nr: number, size: number): bigint {
  const narrow = encoding === 'powerpc-mips-sparc-alpha';
  const sizeBits = narrow ? 13 : 14;
  if (!Number.isInteger(size) || size < 0 || size >= 2 ** sizeBits) throw new RangeError(`ioctl size ${size} does not fit ${sizeBits} bits`);
  if (type < 0 || type > 0xff || nr < 0 || nr > 0xff) throw new RangeError('ioctl type/nr must be 8-bit');
  const bitsOf = {
    generic: { none: 0n, read: 2n, write: 1n },
    'powerpc-mips-sparc-alpha': { none: 1n, read: 2n, write: 4n },
    parisc: { none: 0n, read: 1n, write: 2n },
  }[encoding];
  const d = dir === 'none' ? bitsOf.none : dir === 'read' ? bitsOf.read : dir === 'write' ? bitsOf.write : bitsOf.read | bitsOf.write;
  const dirShift = BigInt(16 + sizeBits);
  return (d << dirShift) | (BigInt(size) << 16n) | (BigInt(type) << 8n) | BigInt(nr);
}

export interface CompilerStatus {
  ok: boolean;
  /** What went wrong, naming the Debian package to install. */
  problem?: string;
  version?: string;
}

const statusCache = new Map<AbiName, CompilerStatus>();

/**
 * Checks that the ABI's compiler exists, targets the expected triplet, and
 * compiles a trivial freestanding probe with its own idea of sizeof(long).
 */
export function compilerStatus(name: AbiName): CompilerStatus {
  const cached = statusCache.get(name);
  if (cached) return cached;
  const a = ABIS[name];
  let st: CompilerStatus;
  try {
    const machine = execFileSync(a.gcc, ['-dumpmachine'], { encoding: 'utf8', timeout: 30_000, stdio: 'pipe' }).trim();
    const version = execFileSync(a.gcc, ['-dumpversion'], { encoding: 'utf8', timeout: 30_000, stdio: 'pipe' }).trim();
    if (machine !== a.triplet) {
      st = { ok: false, problem: `${a.gcc} targets ${machine}, expected ${a.triplet}` };
    } else {
      const src = `_Static_assert(sizeof(long) * 8 == ${a.bits}, "bits");\n` +
        `_Static_assert(__BYTE_ORDER__ == __ORDER_${a.endian.toUpperCase()}_ENDIAN__, "endian");\nint probe;\n`;
      execFileSync(a.gcc, [...a.flags, '-x', 'c', '-std=gnu11', '-nostdinc', '-ffreestanding', '-fsyntax-only', '-'],
        { input: src, timeout: 60_000, stdio: 'pipe' });
      st = { ok: true, version };
    }
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer; message: string };
    st = e.code === 'ENOENT'
      ? { ok: false, problem: `${a.gcc} not found: apt-get install ${a.debianPackage}` }
      : { ok: false, problem: `${a.gcc} failed the trivial probe: ${e.stderr?.toString().trim() || e.message}` };
  }
  statusCache.set(name, st);
  return st;
}

const includeCache = new Map<AbiName, string>();

/**
 * The compiler's own freestanding header directory (stdint.h, stddef.h, ...;
 * no libc). Needed because linux/virtio_ring.h up to 6.12 does
 * `#include <stdint.h>`; with -ffreestanding gcc's stdint.h uses stdint-gcc.h.
 */
export function compilerIncludeDir(name: AbiName): string {
  const hit = includeCache.get(name);
  if (hit) return hit;
  const a = ABIS[name];
  const dir = execFileSync(a.gcc, [...a.flags, '-print-file-name=include'], { encoding: 'utf8', timeout: 30_000, stdio: 'pipe' }).trim();
  if (!dir.startsWith('/')) throw new Error(`${a.gcc} -print-file-name=include gave ${dir}`);
  includeCache.set(name, dir);
  return dir;
}

/** Throws (naming the package to install) if the ABI's compiler is not usable. */
export function requireCompiler(name: AbiName): void {
  const st = compilerStatus(name);
  if (!st.ok) throw new Error(`ABI ${name}: ${st.problem}`);
}
