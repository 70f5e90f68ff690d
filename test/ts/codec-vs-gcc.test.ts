// The generated codecs store exactly what gcc stores: for every struct and union of the newest
// version, a sample value is encoded by the codec of the ABI and compiled as a static C object
// with the kernel's real headers by that ABI's gcc (compile-only; the bytes are read from the
// object file's section). Little- and big-endian, 32- and 64-bit, and the odd alignments.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findAbi, type Abi } from '../../src/model/index.ts';
import { compilerIncludeDir, requireCompiler, ABIS as ORACLE_ABIS, ABI_NAMES as ORACLE_ABI_NAMES, type AbiName } from '../oracle/abis.ts';
import { uapiIncludeDirs } from '../oracle/kernels.ts';
import { openOk } from '../support/spec.ts';
import { elfSections } from './elf.ts';
import { cInitializer, leaves, modelBytes, Rand, sample } from './model-values.ts';
import { codecsOf, codecName } from './generated.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));
const view = spec.at(spec.newest);
const work = mkdtempSync(join(tmpdir(), 'ioctl-abi-ts-gcc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// Every ABI: little- and big-endian, 32 and 64 bit, u64 aligned to 8, 4 (i386, sh4) or 2 (m68k).
const CHECKED: readonly AbiName[] = ORACLE_ABI_NAMES;
// Several values per type, so the alternatives of a union are each chosen in some of them.
const SAMPLES = 8;

function gccBytes(abiName: AbiName, source: string): Map<string, Uint8Array> {
  requireCompiler(abiName);
  const a = ORACLE_ABIS[abiName];
  const dir = mkdtempSync(join(work, `${abiName}-`));
  writeFileSync(join(dir, 'probe.c'), source);
  execFileSync(a.gcc, [...a.flags, '-std=gnu11', '-O0', '-w', '-nostdinc', '-ffreestanding', '-fno-common', ...uapiIncludeDirs(view.version as '7.3', abiName).map((d) => `-I${d}`), '-isystem', compilerIncludeDir(abiName), '-c', '-o', 'probe.o', 'probe.c'], { cwd: dir, stdio: 'pipe', timeout: 300_000 });
  return elfSections(readFileSync(join(dir, 'probe.o')));
}

describe(`codec bytes equal gcc's (kernel ${view.version}, real headers)`, async () => {
  const codecs = await codecsOf();
  // Wire structs (vhost-user) are in no kernel header; test/model/vhost-user.test.ts checks their sizes from the rst.
  const wire = new Set(view.families.filter((f) => f.wire).map((f) => f.name));
  const keys = [...view.types.values()].filter((t) => !wire.has(t.family)).map((t) => t.key);
  for (const abiName of CHECKED) {
    it(abiName, () => {
      const abi = findAbi(abiName) as Abi;
      const cases = keys.flatMap((key, k) => Array.from({ length: SAMPLES }, (_, s) => ({ key, id: `p_${k}_${s}`, value: sample(view, key, new Rand(1000 * k + s), abi) })));
      const headers = view.families.filter((f) => f.header).map((f) => `#include <${f.header as string}>`).join('\n');
      const source = [headers, ...cases.map((c) => `__attribute__((section(".${c.id}"), aligned(16))) ${c.key} ${c.id} = ${cInitializer(abi, leaves(view, abi, c.key, c.value))};`)].join('\n');
      const sections = gccBytes(abiName, source);
      const mismatches: string[] = [];
      for (const c of cases) {
        const codec = codecs.get(codecName(c.key))?.[abiName];
        if (!codec) throw new Error(`no codec ${codecName(c.key)}`);
        const ours = codec.encode(c.value);
        const gcc = sections.get(`.${c.id}`);
        if (!gcc) throw new Error(`gcc made no section for ${c.id}`);
        // The model's bytes are the test's own check of its C initializer.
        const model = modelBytes(view, abi, c.key, c.value, ours.length);
        if (!equal(ours, gcc.subarray(0, ours.length)) || gcc.length < ours.length) mismatches.push(`${c.key} (seed ${c.id}): codec ${hex(ours)} gcc ${hex(gcc)}`);
        else if (!equal(model, ours)) mismatches.push(`${c.key}: model bytes differ from gcc's`);
        // And back: gcc's bytes decode to the value (a union decodes every alternative; the chosen one matches).
        else expect(codec.decode(gcc.subarray(0, ours.length)), `${c.key} ${c.id}`).toMatchObject(c.value);
      }
      expect(mismatches).toEqual([]);
      console.log(`codec vs gcc ${abiName}: ${cases.length} values of ${keys.length} types`);
    }, 300_000);
  }
});

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
