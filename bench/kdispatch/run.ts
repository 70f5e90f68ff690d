// The kernel dispatch benchmark (docs/performance.md): the generated vhost-vdpa-net dispatch
// against bench/kdispatch/handwritten.c, in the userspace shim over the fake device.
//
//   npx tsx bench/kdispatch/run.ts [--fuzz-runs N] [--rounds N]
//
// 1. The hand-written switch must answer a few hundred model-chosen calls exactly as the
//    generated one does (same checks, same order), or the comparison means nothing.
// 2. Instructions per dispatched ioctl under callgrind (--toggle-collect on each dispatch), with
//    and without the fake handlers' own instructions, and the ratio generated / hand-written.
// 3. ns per call (gcc -O2, median of interleaved runs, the empty loop subtracted).
// 4. The libFuzzer target (ASan + UBSan) for N executions (default 10 million): executions,
//    time, crashes.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { argBytes, rng } from '../../test/kdispatch/args.ts';
import { buildShim, FUZZ_ASAN, newestView, parseResult, PROFILE, runner, runScript, SHIM } from '../../test/kdispatch/build.ts';
import { callLine, cmdOf, expected, profileBehaviour, worldScript, type Call, type World } from '../../test/kdispatch/calls.ts';
import { search } from '../../test/kdispatch/search.ts';

const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const FUZZ_RUNS = opt('--fuzz-runs', 10_000_000);
const ROUNDS = opt('--rounds', 200_000);
const HERE = import.meta.dirname;
const view = newestView();
const b = profileBehaviour(view);
const work = mkdtempSync(join(tmpdir(), 'kdispatch-bench-'));
const log = (s: string): void => void process.stdout.write(`${s}\n`);

// 1. Same answers.
const hand = buildShim({ cc: 'gcc', main: join(SHIM, 'runner.c'), extra: [join(HERE, 'handwritten.c')], name: 'runner-hand', flags: ['-O2', '-DRUNNER_HANDWRITTEN', '-I', HERE] }).exe;
const probe = [...b.accepted].flatMap((r) => search(b, r, () => true, { limit: 12, tries: 12 }));
const script = probe.flatMap((f) => [...worldScript(f.world), callLine(f.call)]);
const gen = runScript(runner('gcc'), script);
const ref = runScript(hand, script);
const differ = gen.map((l, i) => (l === ref[i] ? '' : `${probe[i]?.call.request}: generated ${l} / hand ${ref[i]}`)).filter(Boolean);
if (differ.length) throw new Error(`the hand-written dispatch does not do what the generated one does:\n${differ.slice(0, 10).join('\n')}`);
log(`same answers: ${probe.length} calls, generated and hand-written identical`);

// The mix: one device where the requests can pass, a passing call of each, and a few refusals.
const world: World = {
  facts: new Map(b.facts.map((f) => {
    const known: Record<string, bigint> = { nvqs: 2n, nas: 1n, config_size: 24n, backend_features: 0xen, max_mem_regions: 64n, vq_num_max: 256n, parent_accepts: (1n << 64n) - 1n };
    return [f.name, known[f.name] ?? (f.kind === 'bool' ? (/refuse/.test(f.name) ? 0n : 1n) : 0n)];
  })),
  eventfds: [3n, 7n],
  files: [0n, 1n, 2n],
  owner: true,
  status: 0x3n,
};
const mix: Call[] = [];
for (const request of b.accepted) {
  const r = rng(request.length * 7919);
  for (let i = 0; i < 20_000; i++) {
    const bytes = argBytes(view, request, world, r);
    const call: Call = { request, cmd: cmdOf(view, request), arg: bytes };
    // SET_STATUS keeps the status, so every round sees the same device.
    if (request === 'VHOST_VDPA_SET_STATUS' && bytes) bytes[0] = Number(world.status);
    const want = expected(view, b, world, call);
    if (want.ret === '0' || i === 19_999) {
      mix.push(call);
      break;
    }
  }
}
mix.push({ cmd: 0x1234, arg: null }); // outside the profile
const mixScript = [...worldScript(world).filter((l) => l !== 'reset'), ...mix.map((c) => callLine(c))];
const outcomes = runScript(runner('gcc'), [...worldScript(world), ...mix.map((c) => callLine(c))]).map((l) => parseResult(l).ret);
log(`mix: ${mix.length} calls (${outcomes.filter((o) => o === '0').length} succeed; ${outcomes.filter((o) => o !== '0').join(', ')})`);
const mixFile = join(work, 'mix.txt');
writeFileSync(mixFile, `${mixScript.join('\n')}\n`);

const bench = buildShim({ cc: 'gcc', main: join(HERE, 'bench.c'), extra: [join(HERE, 'handwritten.c'), join(HERE, 'noop.c')], name: 'bench', flags: ['-O2', '-I', HERE] }).exe;
const run = (variant: string, rounds: number): number => {
  const out = execFileSync(bench, [variant, String(rounds)], { input: readFileSync(mixFile), encoding: 'utf8' });
  return Number(/ns=([\d.]+)/.exec(out)?.[1]);
};

// 2. Instructions per call.
interface Ir { total: number; handlers: number }
const handlers = new Set([...b.accepted].map((r) => `vhost_vdpa_net_${r.replace(/^VHOST_(VDPA_)?/, '').toLowerCase()}`));
function instructions(variant: string, fn: string): Ir {
  const rounds = 2000;
  const out = join(work, `callgrind.${variant}`);
  execFileSync('valgrind', ['--tool=callgrind', `--callgrind-out-file=${out}`, `--toggle-collect=${fn}`, bench, variant, String(rounds)], { input: readFileSync(mixFile), stdio: ['pipe', 'ignore', 'ignore'] });
  const annotate = execFileSync('callgrind_annotate', ['--inclusive=yes', '--threshold=100', '--auto=no', out], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'ignore'] });
  const total = Number(/^([\d,]+) \(100\.0%\)\s+PROGRAM TOTALS/m.exec(annotate)?.[1]?.replace(/,/g, '') ?? NaN);
  let inHandlers = 0;
  for (const m of annotate.matchAll(/^\s*([\d,]+) \([^)]*\)\s+\S*:(\w+) /gm)) if (handlers.has(m[2] as string)) inHandlers += Number((m[1] as string).replace(/,/g, ''));
  const calls = rounds * mix.length;
  return { total: total / calls, handlers: inHandlers / calls };
}
const irGen = instructions('generated', 'vhost_vdpa_net_ioctl');
const irHand = instructions('hand', 'hand_ioctl');
const dispatchOnly = (x: Ir): number => x.total - x.handlers;
log(`instructions per call (callgrind): generated ${irGen.total.toFixed(1)}, hand-written ${irHand.total.toFixed(1)}, ratio ${(irGen.total / irHand.total).toFixed(3)}`);
log(`  without the fake handlers: generated ${dispatchOnly(irGen).toFixed(1)}, hand-written ${dispatchOnly(irHand).toFixed(1)}, ratio ${(dispatchOnly(irGen) / dispatchOnly(irHand)).toFixed(3)}`);

// 3. ns per call, interleaved, median of 7.
const samples: Record<string, number[]> = { noop: [], generated: [], hand: [] };
for (let i = 0; i < 7; i++) for (const v of Object.keys(samples)) samples[v]?.push(run(v, ROUNDS));
const median = (xs: number[]): number => [...xs].sort((a, c) => a - c)[Math.floor(xs.length / 2)] as number;
const ns = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, median(v)])) as Record<'noop' | 'generated' | 'hand', number>;
log(`ns per call (gcc -O2, median of 7 x ${ROUNDS * mix.length} calls, loop ${ns.noop.toFixed(2)} ns subtracted): generated ${(ns.generated - ns.noop).toFixed(2)}, hand-written ${(ns.hand - ns.noop).toFixed(2)}`);

// 4. The fuzzer.
if (FUZZ_RUNS > 0) {
  const fuzz = buildShim({ cc: 'clang', main: join(SHIM, 'fuzz.c'), name: 'fuzz', flags: FUZZ_ASAN }).exe;
  const corpus = mkdtempSync(join(work, 'corpus-'));
  const t0 = Date.now();
  const r = spawnSync(fuzz, [`-runs=${FUZZ_RUNS}`, '-seed=1', '-max_len=512', `-artifact_prefix=${work}/`, corpus], { encoding: 'utf8', timeout: 4 * 3600_000, maxBuffer: 256 << 20 });
  const secs = (Date.now() - t0) / 1000;
  const done = /Done (\d+) runs in (\d+) second/.exec(`${r.stdout}${r.stderr}`);
  const cov = [...`${r.stderr}`.matchAll(/cov: (\d+) ft: (\d+)/g)].pop();
  log(`fuzz (ASan+UBSan): ${done ? `${Number(done[1]).toLocaleString('en')} executions` : 'no summary'} in ${secs.toFixed(0)} s, exit ${r.status}, ${r.status === 0 ? '0 crashes' : 'CRASH'}${cov ? `, coverage ${cov[1]} edges / ${cov[2]} features` : ''}`);
  if (r.status !== 0) log(`${r.stderr}`.slice(-4000));
}
log(`${PROFILE} at ${view.version}`);
rmSync(work, { recursive: true, force: true });
