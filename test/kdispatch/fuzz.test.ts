// The libFuzzer target over (device, request, argument bytes, status walk), a bounded run for CI:
// clang with ASan + UBSan, and a second build with MemorySanitizer, whose copy_to_user checks that
// every byte it copies was written (test/kdispatch/shim/shim.c). The 10-million-execution run is
// bench/kdispatch/run.ts (docs/performance.md). A negative control shows MSan sees a leak.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildShim, FUZZ_ASAN, FUZZ_MSAN, newestView, SHIM } from './build.ts';
import { callLine, cmdOf } from './calls.ts';

const work = mkdtempSync(join(tmpdir(), 'kdispatch-fuzz-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Runs the fuzzer for `runs` inputs from a fixed seed; its stats line and exit status. */
function fuzz(exe: string, runs: number): { status: number | null; done: string; log: string } {
  const corpus = mkdtempSync(join(work, 'corpus-'));
  const r = spawnSync(exe, [`-runs=${runs}`, '-seed=1', '-max_len=512', `-artifact_prefix=${work}/`, corpus], { encoding: 'utf8', timeout: 300_000 });
  const log = `${r.stdout}${r.stderr}`;
  return { status: r.status, done: /Done (\d+) runs in (\d+) second/.exec(log)?.[0] ?? '', log };
}

describe('libFuzzer target (clang)', () => {
  it('ASan + UBSan: 300,000 inputs, no crash and no broken invariant', () => {
    const { exe } = buildShim({ cc: 'clang', main: join(SHIM, 'fuzz.c'), name: 'fuzz', flags: FUZZ_ASAN });
    const r = fuzz(exe, 300_000);
    console.log(`kdispatch fuzz (ASan+UBSan): ${r.done}`);
    expect(r.status, r.log.slice(-3000)).toBe(0);
    expect(r.done).toMatch(/^Done 300000 runs/);
  }, 600_000);

  it('MemorySanitizer: 100,000 inputs, no byte reaches copy_to_user uninitialised', () => {
    const { exe } = buildShim({ cc: 'clang', main: join(SHIM, 'fuzz.c'), name: 'fuzz-msan', flags: FUZZ_MSAN });
    const r = fuzz(exe, 100_000);
    console.log(`kdispatch fuzz (MSan): ${r.done}`);
    expect(r.status, r.log.slice(-3000)).toBe(0);
    expect(r.done).toMatch(/^Done 100000 runs/);
  }, 600_000);

  it('MemorySanitizer catches an uninitialised copy-out (negative control)', () => {
    const { exe } = buildShim({ cc: 'clang', main: join(SHIM, 'runner.c'), name: 'runner-msan', flags: ['-O1', '-fsanitize=memory'] });
    const range = { request: 'VHOST_VDPA_GET_IOVA_RANGE', cmd: cmdOf(newestView(), 'VHOST_VDPA_GET_IOVA_RANGE'), arg: new Uint8Array(16) };
    const ok = execFileSync(exe, [], { input: `${callLine(range)}\n`, encoding: 'utf8' });
    expect(ok).toMatch(/^ret=0 handler=get_iova_range/);
    const bad = spawnSync(exe, [], { input: 'leaky\n', encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/use-of-uninitialized-value/);
  }, 300_000);
});
