// The model's layouts and request numbers against gcc on all 15 ABIs: the fixture
// test/fixtures/layout/cases.yaml has a hand-written C twin (cases.h) that each ABI's
// gcc compiles with that arch's real asm/ioctl.h; sizes, alignments, offsets, enum values
// and request numbers are read back from the compiler and compared with the model.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../src/model/index.ts';
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
