// The model's layouts and request numbers against gcc on all 17 ABIs: the fixture
// test/fixtures/layout/cases.yaml has a hand-written C twin (cases.h) that each ABI's
// gcc compiles with that arch's real asm/ioctl.h; sizes, alignments, offsets, enum values
// and request numbers are read back from the compiler and compared with the model.
import { endianness } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../src/model/index.ts';
import { nodeAbi } from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { ABIS as TOOLCHAINS, requireCompiler, type AbiName } from '../oracle/abis.ts';
import { uapiIncludeDirs } from '../oracle/kernels.ts';
import { evaluate } from '../oracle/probe.ts';

const fixture = join(import.meta.dirname, '../fixtures/layout');

function modelExpectations(abiName: string): Map<string, bigint> {
  const p = openOk(fixture);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const vm = viewAt(p, '6.12');
  const abi = ABIS.find((a) => a.name === abiName);
  if (!abi) throw new Error(abiName);
  const want = new Map<string, bigint>();
  for (const { key } of vm.types.values()) {
    const l = layoutOk(vm, abi, key);
    want.set(`sizeof(${key})`, BigInt(l.size));
    want.set(`__alignof__(${key})`, BigInt(l.align));
    for (const f of l.fields) if (f.path) want.set(`__builtin_offsetof(${key}, ${f.path})`, BigInt(f.offset));
  }
  for (const c of vm.constants.values()) if (c.value !== undefined) want.set(c.name, c.value);
  for (const r of vm.requests) want.set(r.item.name, BigInt(vm.number(r, abi)));
  return want;
}

describe('layout and request numbers match gcc', () => {
  for (const a of ABIS) {
    it(a.name, async () => {
      const name = a.name as AbiName;
      expect(TOOLCHAINS[name]).toBeDefined();
      requireCompiler(name);
      const want = modelExpectations(a.name);
      const exprs = Object.fromEntries([...want.keys()].map((k) => [k, k]));
      const got = await evaluate(name, uapiIncludeDirs('6.12', name), `#include "${join(fixture, 'cases.h')}"\n`, exprs);
      const mismatches = [...want].filter(([k, v]) => got[k] !== v).map(([k, v]) => `${k}: model ${v}, gcc ${String(typeof got[k] === 'bigint' ? got[k] : JSON.stringify(got[k]))}`);
      expect(mismatches).toEqual([]);
      expect(want.size).toBeGreaterThan(60);
    }, 120_000);
  }
});

describe('ABI table facts match gcc', () => {
  for (const a of ABIS) {
    it(`${a.name}: primitive sizes, alignments in structs and byte order`, async () => {
      const name = a.name as AbiName;
      requireCompiler(name);
      const prelude = '#include <linux/types.h>\n' +
        'struct al_long { char c; long x; };\nstruct al_ll { char c; long long x; };\nstruct al_ptr { char c; void *x; };\nstruct al_int { char c; int x; };\n';
      const got = await evaluate(name, uapiIncludeDirs('6.12', name), prelude, {
        int: 'sizeof(int)', intAlign: '__builtin_offsetof(struct al_int, x)',
        long: 'sizeof(long)', longAlign: '__builtin_offsetof(struct al_long, x)',
        llong: 'sizeof(long long)', llongAlign: '__builtin_offsetof(struct al_ll, x)',
        pointer: 'sizeof(void *)', pointerAlign: '__builtin_offsetof(struct al_ptr, x)',
        bigEndian: '__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__',
      });
      const p = a.prims;
      expect(got).toEqual({
        int: BigInt(p.int.size), intAlign: BigInt(p.int.align), long: BigInt(p.long.size), longAlign: BigInt(p.long.align),
        llong: BigInt(p.llong.size), llongAlign: BigInt(p.llong.align), pointer: BigInt(p.pointer.size), pointerAlign: BigInt(p.pointer.align),
        bigEndian: a.bigEndian ? 1n : 0n,
      });
      // A Node process on this ABI must map back to it, byte order included.
      if (a.nodeArch) expect(nodeAbi(a.nodeArch, got.bigEndian === 1n ? 'BE' : 'LE')?.name).toBe(a.name);
    }, 60_000);
  }
});

describe('nodeAbi', () => {
  it('tells ppc64le from big-endian ppc64 (both report process.arch ppc64) by byte order', () => {
    expect(nodeAbi('ppc64', 'LE')?.name).toBe('ppc64le');
    expect(nodeAbi('ppc64', 'BE')?.name).toBe('ppc64');
    expect(nodeAbi('x64', 'LE')?.name).toBe('x86_64');
    expect(nodeAbi('x64', 'BE')).toBeUndefined();
    expect(nodeAbi('loong64', 'LE')).toBeUndefined();
    expect(ABIS.find((a) => a.name === 'x32')?.nodeArch).toBeUndefined();
  });

  it('maps this process to the ABI of its arch and byte order', () => {
    const expected: Record<string, string> = {
      x64: 'x86_64', ia32: 'i386', arm64: 'arm64', arm: 'armhf', ppc64: endianness() === 'BE' ? 'ppc64' : 'ppc64le',
      mips64el: 'mips64el', mipsel: 'mipsel', s390x: 's390x', riscv64: 'riscv64',
    };
    expect(nodeAbi()?.name).toBe(expected[process.arch]);
  });
});
