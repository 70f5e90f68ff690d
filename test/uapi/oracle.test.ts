// The oracle: for every kernel version and every ABI, every number the model computes equals
// what gcc computes from the kernel's real UAPI headers, and from the headers we generate.
// Prints the table version x ABI -> items checked, mismatches, missing.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ABIS } from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { requireCompiler, type AbiName } from '../oracle/abis.ts';
import { KERNEL_VERSIONS, uapiIncludeDirs } from '../oracle/kernels.ts';
import { assertAll, mapLimit, type CheckResult } from '../oracle/probe.ts';
import { formatMatrix, summarize, type TableRow } from '../oracle/table.ts';
import { includesFor, modelChecks } from './checks.ts';

const pipeline = openOk(join(import.meta.dirname, '../../spec'));
const work = mkdtempSync(join(tmpdir(), 'ioctl-abi-oracle-'));
const rows: { real: TableRow[]; generated: TableRow[] } = { real: [], generated: [] };

/** The generated headers of one version, written where -I can find them first. */
function generatedDir(version: string): string {
  const dir = join(work, version);
  for (const f of uapiFiles(viewAt(pipeline, version))) {
    const path = join(dir, f.path.replace(/^uapi\//, ''));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, f.content);
  }
  return dir;
}

function failures(results: CheckResult[]): string[] {
  return results.filter((r) => r.status !== 'pass').map((r) => (r.status === 'fail' ? `${r.id}: model ${r.expected}, gcc ${r.actual ?? '?'}` : `${r.id}: missing (${r.diagnostic ?? ''})`));
}

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  if (rows.real.length) console.log(`oracle, real headers (checked/mismatches/missing):\n${formatMatrix(rows.real)}`);
  if (rows.generated.length) console.log(`oracle, generated headers (checked/mismatches/missing):\n${formatMatrix(rows.generated)}`);
});

describe('model == real kernel headers == generated headers', () => {
  it('the spec is valid', () => expect(pipeline.diagnostics.filter((d) => d.severity === 'error')).toEqual([]));
  for (const version of KERNEL_VERSIONS) {
    it(`kernel ${version}, all ${ABIS.length} ABIs`, async () => {
      const vm = viewAt(pipeline, version);
      const gen = generatedDir(version);
      const problems = await mapLimit(ABIS, async (abi) => {
        const name = abi.name as AbiName;
        requireCompiler(name);
        const checks = modelChecks(vm, abi);
        const dirs = uapiIncludeDirs(version, name);
        const real = await assertAll(name, dirs, includesFor(vm), checks);
        const generated = await assertAll(name, [gen, ...dirs], includesFor(vm), checks);
        rows.real.push(summarize(version, abi.name, real));
        rows.generated.push(summarize(version, abi.name, generated));
        return [...failures(real).map((f) => `${abi.name} real: ${f}`), ...failures(generated).map((f) => `${abi.name} generated: ${f}`)];
      });
      expect(problems.flat()).toEqual([]);
      expect(rows.real.filter((r) => r.version === version).every((r) => r.checked > 100)).toBe(true);
    }, 300_000);
  }
});
