// Tests of the oracle's own toolchain (compilers, header dirs, probe and table
// code) — not of the spec. Expected numbers are written out by hand from the
// three _IOC encodings, so a wrong include dir, compiler or parser shows up.
// In CI (CI=true) a missing compiler or download fails; elsewhere a missing
// compiler skips that ABI's tests.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, ABI_NAMES, compilerStatus, iocNumber, requireCompiler, type AbiName } from './abis.ts';
import { ASM_DONOR, KERNEL_VERSIONS, KERNELS, kernelHeadersRoot, resolvedDebVersion, uapiIncludeDirs } from './kernels.ts';
import { assertAll, evaluate, mapLimit, parseDiagnostics, parseObjectSizes, type Check } from './probe.ts';
import { formatMatrix, formatTable, summarize } from './table.ts';

const CI = process.env.CI === 'true' || process.env.CI === '1';
const itAbi = (abi: AbiName) => (CI || compilerStatus(abi).ok ? it : it.skip);
const hex = (v: unknown): string => (typeof v === 'bigint' ? `0x${v.toString(16)}` : JSON.stringify(v));

interface Facts {
  long: bigint; // sizeof(long) == sizeof(void *)
  u64InStruct: bigint; // offsetof(struct { char c; __u64 x; }, x)
  u32InStruct: bigint;
  gnuAlignofU64: bigint; // __alignof__(unsigned long long): gcc's *preferred* alignment
  bigEndian: bigint;
  GET_FEATURES: bigint; // _IOR(0xAF, 0x00, __u64)
  SET_FEATURES: bigint; // _IOW(0xAF, 0x00, __u64)
  SET_OWNER: bigint; // _IO(0xAF, 0x01)
  GET_VRING_BASE: bigint; // _IOWR(0xAF, 0x12, struct vhost_vring_state)  size 8
  SET_VRING_ADDR: bigint; // _IOW(0xAF, 0x11, struct vhost_vring_addr)    size 40
  VDPA_GET_DEVICE_ID: bigint; // _IOR(0xAF, 0x70, __u32)
}

// generic: dir in bits 30..31, NONE 0 WRITE 1 READ 2.
const GENERIC = { GET_FEATURES: 0x8008af00n, SET_FEATURES: 0x4008af00n, SET_OWNER: 0xaf01n, GET_VRING_BASE: 0xc008af12n, SET_VRING_ADDR: 0x4028af11n, VDPA_GET_DEVICE_ID: 0x8004af70n };
// powerpc/mips/sparc/alpha: dir in bits 29..31, NONE 1 READ 2 WRITE 4 -> READ = 0x40000000, WRITE = 0x80000000, NONE = 0x20000000.
const PMSA = { GET_FEATURES: 0x4008af00n, SET_FEATURES: 0x8008af00n, SET_OWNER: 0x2000af01n, GET_VRING_BASE: 0xc008af12n, SET_VRING_ADDR: 0x8028af11n, VDPA_GET_DEVICE_ID: 0x4004af70n };
// parisc: dir in bits 30..31 but READ 1 WRITE 2 -> READ = 1<<30, WRITE = 2<<30, NONE = 0.
const PARISC = { GET_FEATURES: 0x4008af00n, SET_FEATURES: 0x8008af00n, SET_OWNER: 0xaf01n, GET_VRING_BASE: 0xc008af12n, SET_VRING_ADDR: 0x8028af11n, VDPA_GET_DEVICE_ID: 0x4004af70n };

const f = (long: number, u64: number, u32: number, gnu: number, big: boolean, enc: typeof GENERIC): Facts =>
  ({ long: BigInt(long), u64InStruct: BigInt(u64), u32InStruct: BigInt(u32), gnuAlignofU64: BigInt(gnu), bigEndian: big ? 1n : 0n, ...enc });

const FACTS: Record<AbiName, Facts> = {
  x86_64: f(8, 8, 4, 8, false, GENERIC),
  i386: f(4, 4, 4, 8, false, GENERIC), // u64 members at 4, yet __alignof__ says 8 (preferred)
  arm64: f(8, 8, 4, 8, false, GENERIC),
  armhf: f(4, 8, 4, 8, false, GENERIC),
  ppc64le: f(8, 8, 4, 8, false, PMSA),
  ppc64: f(8, 8, 4, 8, true, PMSA),
  powerpc: f(4, 8, 4, 8, true, PMSA),
  mips64el: f(8, 8, 4, 8, false, PMSA),
  mipsel: f(4, 8, 4, 8, false, PMSA),
  s390x: f(8, 8, 4, 8, true, GENERIC),
  riscv64: f(8, 8, 4, 8, false, GENERIC),
  parisc: f(4, 8, 4, 8, true, PARISC),
  sparc64: f(8, 8, 4, 8, true, PMSA),
  alpha: f(8, 8, 4, 8, false, PMSA),
  m68k: f(4, 2, 2, 2, true, GENERIC), // everything >= 2 bytes aligns to 2
  sh4: f(4, 4, 4, 4, false, GENERIC), // u64 aligns to 4
  x32: f(4, 8, 4, 8, false, GENERIC), // 4-byte long and pointers, yet u64 aligns to 8 (unlike i386)
};

const FACT_EXPRS: Record<keyof Facts, string> = {
  long: 'sizeof(long) == sizeof(void *) ? sizeof(long) : 0',
  u64InStruct: '__builtin_offsetof(struct oracle_u64, x)',
  u32InStruct: '__builtin_offsetof(struct oracle_u32, x)',
  gnuAlignofU64: '__alignof__(unsigned long long)',
  bigEndian: '__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__',
  GET_FEATURES: 'VHOST_GET_FEATURES',
  SET_FEATURES: 'VHOST_SET_FEATURES',
  SET_OWNER: 'VHOST_SET_OWNER',
  GET_VRING_BASE: 'VHOST_GET_VRING_BASE',
  SET_VRING_ADDR: 'VHOST_SET_VRING_ADDR',
  VDPA_GET_DEVICE_ID: 'VHOST_VDPA_GET_DEVICE_ID',
};
const FACT_PRELUDE = '#include <linux/vhost.h>\nstruct oracle_u64 { char c; __u64 x; };\nstruct oracle_u32 { char c; __u32 x; };';

describe('abis', () => {
  it('lists the 17 modelled ABIs with distinct compilers and the right encoding family', () => {
    expect(ABI_NAMES).toHaveLength(17);
    expect(new Set(ABI_NAMES.map((a) => ABIS[a].gcc)).size).toBe(17);
    const byEnc = (e: string) => ABI_NAMES.filter((a) => ABIS[a].encoding === e).sort();
    expect(byEnc('powerpc-mips-sparc-alpha')).toEqual(['alpha', 'mips64el', 'mipsel', 'powerpc', 'ppc64', 'ppc64le', 'sparc64']);
    expect(ABI_NAMES.filter((a) => ABIS[a].uapiArch === 'x86')).toEqual(['x86_64', 'i386', 'x32']);
    expect(byEnc('parisc')).toEqual(['parisc']);
    expect(ABIS.i386.gcc).toBe('i686-linux-gnu-gcc');
    expect(ABIS.x86_64.gcc).toBe('gcc');
  });

  it('iocNumber matches hand-computed numbers for all three encodings', () => {
    expect(iocNumber('generic', 'read', 0xaf, 0, 8)).toBe(0x8008af00n);
    expect(iocNumber('generic', 'none', 0xaf, 1, 0)).toBe(0xaf01n);
    expect(iocNumber('powerpc-mips-sparc-alpha', 'read', 0xaf, 0, 8)).toBe(0x4008af00n);
    expect(iocNumber('powerpc-mips-sparc-alpha', 'none', 0xaf, 1, 0)).toBe(0x2000af01n);
    expect(iocNumber('powerpc-mips-sparc-alpha', 'readwrite', 0xaf, 0x12, 8)).toBe(0xc008af12n);
    expect(iocNumber('parisc', 'read', 0xaf, 0, 8)).toBe(0x4008af00n);
    expect(iocNumber('parisc', 'write', 0xaf, 0, 8)).toBe(0x8008af00n);
    expect(() => iocNumber('powerpc-mips-sparc-alpha', 'read', 0xaf, 0, 0x2000)).toThrow(RangeError);
    expect(iocNumber('generic', 'read', 0xaf, 0, 0x2000)).toBe(0xa000af00n);
  });
});

describe('kernels', () => {
  it('has the five versions with their Debian linux-libc-dev versions', () => {
    expect(KERNEL_VERSIONS).toEqual(['5.10', '6.1', '6.12', '7.2', '7.3']);
    expect(KERNELS['5.10'].debVersion).toBe('5.10.223-1');
    expect(KERNELS['6.12'].debVersion).toBe('6.12.117-1');
    expect(KERNELS['7.2'].debVersion).toBe('7.2.13-1');
    expect(KERNELS['7.3'].debVersion).toBe('7.3~rc7-1~exp1');
    expect(resolvedDebVersion('6.1')).toMatch(/^6\.1\.\d+-\d+$/);
  });

  it('keeps each version\'s linux/ headers its own (VDUSE appeared in 5.15)', () => {
    expect(existsSync(join(uapiIncludeDirs('5.10', 'x86_64')[1]!, 'linux/vduse.h'))).toBe(false);
    expect(existsSync(join(uapiIncludeDirs('6.1', 'x86_64')[1]!, 'linux/vduse.h'))).toBe(true);
    for (const v of KERNEL_VERSIONS) expect(uapiIncludeDirs(v, 'arm64')[1]).toBe(join(kernelHeadersRoot(v), 'usr/include'));
  });

  it('takes asm/ from the version itself for x86 and 6.12+, from the 7.2 package otherwise', () => {
    expect(uapiIncludeDirs('5.10', 'i386')[0]).toBe(join(kernelHeadersRoot('5.10'), 'usr/include/x86_64-linux-gnu'));
    expect(uapiIncludeDirs('6.1', 'ppc64le')[0]).toBe(join(kernelHeadersRoot(ASM_DONOR), 'usr/lib/linux/uapi/powerpc'));
    expect(uapiIncludeDirs('5.10', 'ppc64')[0]).toBe(join(kernelHeadersRoot(ASM_DONOR), 'usr/lib/linux/uapi/powerpc'));
    expect(uapiIncludeDirs('6.1', 'x32')[0]).toBe(join(kernelHeadersRoot('6.1'), 'usr/include/x86_64-linux-gnu'));
    expect(uapiIncludeDirs('7.2', 'x32')[0]).toBe(join(kernelHeadersRoot('7.2'), 'usr/lib/linux/uapi/x86'));
    expect(uapiIncludeDirs('7.3', 'parisc')[0]).toBe(join(kernelHeadersRoot('7.3'), 'usr/lib/linux/uapi/parisc'));
  });
});

describe('probes on every ABI against the real 6.12 headers', () => {
  for (const abi of ABI_NAMES) {
    itAbi(abi)(`${abi}: compiler works and evaluate() reports the known numbers`, async () => {
      requireCompiler(abi);
      const got = await evaluate(abi, uapiIncludeDirs('6.12', abi), FACT_PRELUDE, FACT_EXPRS);
      const want = FACTS[abi];
      const shown = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, hex(v)]));
      expect(shown(got)).toEqual(shown(want as unknown as Record<string, unknown>));
      // The encoding family agrees with the header's macros too.
      const enc = ABIS[abi].encoding;
      expect(got.GET_FEATURES).toBe(iocNumber(enc, 'read', 0xaf, 0, 8));
      expect(got.SET_VRING_ADDR).toBe(iocNumber(enc, 'write', 0xaf, 0x11, 40));
    });
  }
});

// x86's asm/ serves three ABIs; the compiler's predefined macros pick the variant.
// x32 gets 32-bit __BITS_PER_LONG (so a 4-byte __kernel_size_t) but posix_types_x32.h's
// 8-byte __kernel_long_t.
const X86_VARIANTS: Partial<Record<AbiName, { bitsPerLong: bigint; kernelLong: bigint; kernelSize: bigint }>> = {
  x86_64: { bitsPerLong: 64n, kernelLong: 8n, kernelSize: 8n },
  i386: { bitsPerLong: 32n, kernelLong: 4n, kernelSize: 4n },
  x32: { bitsPerLong: 32n, kernelLong: 8n, kernelSize: 4n },
};

describe('x86 asm/ headers select the right variant for x86_64, i386 and x32', () => {
  for (const v of ['5.10', '7.3'] as const) {
    for (const [abi, want] of Object.entries(X86_VARIANTS) as [AbiName, { bitsPerLong: bigint; kernelLong: bigint; kernelSize: bigint }][]) {
      itAbi(abi)(`${v}/${abi}: __BITS_PER_LONG ${want.bitsPerLong}, __kernel_long_t ${want.kernelLong}, __kernel_size_t ${want.kernelSize}`, async () => {
        requireCompiler(abi);
        const got = await evaluate(abi, uapiIncludeDirs(v, abi), '#include <linux/types.h>\n#include <linux/posix_types.h>', {
          bitsPerLong: '__BITS_PER_LONG', kernelLong: 'sizeof(__kernel_long_t)', kernelSize: 'sizeof(__kernel_size_t)',
        });
        expect(got).toEqual(want);
      });
    }
  }
});

describe('include dirs compose for every version x ABI', () => {
  const pairs = KERNEL_VERSIONS.flatMap((v) => ABI_NAMES.map((a) => [v, a] as const));
  it('linux/vhost.h and linux/vfio.h compile for all 85 pairs and give the encoding\'s VHOST_GET_FEATURES', async () => {
    const ready = pairs.filter(([, a]) => CI || compilerStatus(a).ok);
    const results = await mapLimit(ready, async ([v, a]) => {
      const r = await evaluate(a, uapiIncludeDirs(v, a), '#include <linux/vhost.h>\n#include <linux/vfio.h>', {
        gf: 'VHOST_GET_FEATURES', vfio: 'VFIO_GET_API_VERSION',
      });
      return `${v}/${a}: ${hex(r.gf)} ${hex(r.vfio)}`;
    });
    const expected = ready.map(([v, a]) => {
      const enc = ABIS[a].encoding;
      return `${v}/${a}: ${hex(iocNumber(enc, 'read', 0xaf, 0, 8))} ${hex(iocNumber(enc, 'none', 0x3b, 100, 0))}`;
    });
    expect(results).toEqual(expected);
  }, 120_000);
});

describe('assertAll', () => {
  const abi: AbiName = 'x86_64';
  const inc = () => uapiIncludeDirs('6.12', abi);

  it('reports a deliberately wrong check as failed, with its id and actual value, others pass', async () => {
    const checks: Check[] = [
      { id: 'getf', expr: 'VHOST_GET_FEATURES', expected: 0x8008af00n },
      { id: 'wrong "getf"', expr: 'VHOST_GET_FEATURES', expected: 0x4008af00n },
      { id: 'u64', expr: 'sizeof(__u64)', expected: 8n },
    ];
    const r = await assertAll(abi, inc(), '#include <linux/vhost.h>', checks);
    expect(r.map((x) => [x.id, x.status])).toEqual([['getf', 'pass'], ['wrong "getf"', 'fail'], ['u64', 'pass']]);
    expect(r[1]!.actual).toBe(0x8008af00n);
  });

  it('reports undeclared and otherwise non-compiling checks as missing without disturbing neighbours', async () => {
    const checks: Check[] = [
      { id: 'a', expr: 'VHOST_SET_OWNER', expected: 0xaf01n },
      { id: 'gone', expr: 'VHOST_NO_SUCH_IOCTL', expected: 1n },
      { id: 'b', expr: 'sizeof(struct vhost_no_such_struct)', expected: 8n },
      { id: 'unbalanced', expr: '(1 + 2', expected: 3n },
      { id: 'c', expr: '__builtin_offsetof(struct vhost_vring_addr, desc_user_addr)', expected: 8n },
    ];
    const r = await assertAll(abi, inc(), '#include <linux/vhost.h>', checks);
    expect(r.map((x) => `${x.id}:${x.status}`)).toEqual(['a:pass', 'gone:missing', 'b:missing', 'unbalanced:missing', 'c:pass']);
    expect(r[1]!.diagnostic).toMatch(/VHOST_NO_SUCH_IOCTL.*undeclared/);
  });

  it('compares negative macro values by their 64-bit pattern', async () => {
    const prelude = '#define NEG_ONE -1\n#define INT_MIN_ (-2147483647 - 1)\n#define MINUS 5 - 7';
    const r = await assertAll(abi, inc(), prelude, [
      { id: 'neg', expr: 'NEG_ONE', expected: -1n },
      { id: 'neg-as-u64', expr: 'NEG_ONE', expected: 0xffffffffffffffffn },
      { id: 'intmin', expr: 'INT_MIN_', expected: -2147483648n },
      { id: 'unparenthesised', expr: 'MINUS', expected: -2n },
      { id: 'uint-is-not-negative', expr: '0xffffffffU', expected: -1n },
      { id: 'shift-overflow', expr: '(1 << 31)', expected: -2147483648n },
    ]);
    expect(r.map((x) => `${x.id}:${x.status}`)).toEqual(['neg:pass', 'neg-as-u64:pass', 'intmin:pass', 'unparenthesised:pass', 'uint-is-not-negative:fail', 'shift-overflow:pass']);
    expect(r[4]!.actual).toBe(0xffffffffn);
  });

  it('maps failures in a big batch to exactly the right ids', async () => {
    const checks: Check[] = Array.from({ length: 600 }, (_, i) => ({
      id: `c${i}`,
      expr: i % 97 === 5 ? `UNDEFINED_${i}` : `${i}ULL * 3`,
      expected: BigInt(i * 3 + (i % 7 === 3 ? 1 : 0)),
    }));
    const r = await assertAll(abi, inc(), '', checks);
    const want = checks.map((_, i) => (i % 97 === 5 ? 'missing' : i % 7 === 3 ? 'fail' : 'pass'));
    expect(r.map((x) => x.status)).toEqual(want);
    expect(r.map((x) => x.id)).toEqual(checks.map((c) => c.id));
  });

  it('throws instead of passing anything when the prelude does not compile', async () => {
    await expect(assertAll(abi, inc(), '#include <linux/no_such_header.h>', [{ id: 'x', expr: '1', expected: 1n }]))
      .rejects.toThrow(/no_such_header/);
  });
});

describe('evaluate', () => {
  const abi: AbiName = 'x86_64';

  it('keeps the values of the good expressions when some do not compile', async () => {
    const r = await evaluate(abi, uapiIncludeDirs('6.12', abi), '#include <linux/vhost.h>\n#define NEG (-5)', {
      first: 'VHOST_GET_FEATURES',
      undeclared: 'VHOST_NOT_THERE',
      incomplete: 'sizeof(struct not_there)',
      syntax: '1 +',
      middle: '__builtin_offsetof(struct vhost_msg, iotlb)',
      notConstant: '*(int *)0',
      neg: 'NEG',
      big: '0xfedcba9876543210ULL',
      zero: '0',
      anonStruct: 'sizeof(struct { char c; __u64 x; })',
      overflowingShift: '(1 << 31)',
      string: '"abc"',
      last: 'VIRTIO_F_VERSION_1',
    });
    // gcc folds (1 << 31) to INT_MIN like the kernel build does (as it does in _Static_assert).
    expect(r.overflowingShift).toBe(-2147483648n);
    expect(r.first).toBe(0x8008af00n);
    expect(r.middle).toBe(8n);
    expect(r.neg).toBe(-5n);
    expect(r.big).toBe(0xfedcba9876543210n);
    expect(r.zero).toBe(0n);
    expect(r.anonStruct).toBe(16n);
    expect(r.last).toBe(32n);
    for (const k of ['undeclared', 'incomplete', 'syntax', 'notConstant', 'string']) expect(r[k], k).toHaveProperty('error');
    expect((r.undeclared as { error: string }).error).toMatch(/VHOST_NOT_THERE/);
  });

  it('evaluates thousands of expressions in one batch', async () => {
    const exprs: Record<string, string> = {};
    const want: Record<string, bigint> = {};
    for (let i = 0; i < 3000; i++) {
      exprs[`e${i}`] = `(${i}ULL * 0x9e3779b97f4a7c15ULL) ^ ${i}`;
      want[`e${i}`] = BigInt.asUintN(64, BigInt(i) * 0x9e3779b97f4a7c15n) ^ BigInt(i);
    }
    const r = await evaluate(abi, [], '', exprs);
    expect(r).toEqual(want);
  }, 120_000);

  for (const big of ['sparc64', 'parisc', 'm68k', 's390x', 'ppc64'] as const) {
    itAbi(big)(`${big}: 64-bit values come back intact on a big-endian target`, async () => {
      const r = await evaluate(big, uapiIncludeDirs('6.12', big), '', { v: '0x8000000000000001ULL', m: '-(long long)0x123456789', c: "'\\x7f'", o: '(1 << 31) | 5' });
      expect(r).toEqual({ v: 0x8000000000000001n, m: -0x123456789n, c: 0x7fn, o: -2147483643n });
    });
  }
});

describe('assembly and diagnostics parsing', () => {
  it('reads .size and the .comm/.lcomm/.common forms', () => {
    const s = parseObjectSizes([
      '\t.size\t__oracle_v0_0, 5',
      '\t.comm\t__oracle_v1_0,7,4',
      '\t.lcomm\t__oracle_v2_0,65536,8',
      '\t.common\t__oracle_v3_0,1,8',
      '\t.size\t__oracle_v1_0, 9',
      '\t.type\t__oracle_v4_0, @object',
    ].join('\n'));
    expect([...s.entries()]).toEqual([['__oracle_v0_0', 5n], ['__oracle_v1_0', 9n], ['__oracle_v2_0', 65536n], ['__oracle_v3_0', 1n]]);
  });

  it('parses gcc error lines with and without columns', () => {
    const d = parseDiagnostics("probe.c:12:5: error: 'X' undeclared here (not in a function)\nIn file included from probe.c:1:\nh.h:3: warning: w\n");
    expect(d).toEqual([
      { file: 'probe.c', line: 12, severity: 'error', message: "'X' undeclared here (not in a function)" },
      { file: 'h.h', line: 3, severity: 'warning', message: 'w' },
    ]);
  });
});

describe('table', () => {
  it('summarizes and aligns columns', () => {
    const rows = [
      summarize('5.10', 'x86_64', [
        { id: 'a', status: 'pass', expected: 1n }, { id: 'b', status: 'fail', expected: 1n, actual: 2n }, { id: 'c', status: 'missing', expected: 1n },
      ]),
      { version: '7.3', abi: 'mips64el', checked: 1234, mismatches: 0, missing: 17 },
    ];
    expect(rows[0]).toEqual({ version: '5.10', abi: 'x86_64', checked: 3, mismatches: 1, missing: 1 });
    const t = formatTable(rows);
    expect(t).toBe([
      'version  abi       checked  mismatches  missing',
      '-------  --------  -------  ----------  -------',
      '5.10     x86_64          3           1        1',
      '7.3      mips64el     1234           0       17',
      'total                 1237           1       18',
      '',
    ].join('\n'));
    const m = formatMatrix(rows).split('\n');
    expect(m[0]).toBe('checked/mismatch/missing  x86_64   mips64el');
    expect(m[2]).toBe('5.10                       3/1/1          -');
    expect(m[3]).toBe('7.3                            -  1234/0/17');
  });
});
