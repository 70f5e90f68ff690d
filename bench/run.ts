// npm run bench: wall-clock medians of the CLI as users get it — packed, installed from the
// tarball into a temp folder, run by plain node — each beside a reference measured in the same
// run (`node -e 0`), so the table reads the same on a faster or slower machine. Then the scaling
// run: validate and gen on synthetic specs of 1k and 10k requests (bench/synthetic.ts).
// Caches warm (one untimed run first; the cold time of the synthetic specs is shown too). Each
// child also reports its CPU time and peak RSS (a small exit hook, loaded with --import).
//   BENCH_RUNS=7 (small commands)  BENCH_SYN_RUNS=3 (synthetic)  BENCH_SIZES=1000,10000
//   BENCH_STRICT=1: exit 1 when a target is missed
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { writeSyntheticSpec } from './synthetic.ts';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SYN_RUNS = Number(process.env.BENCH_SYN_RUNS ?? 3);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const TARGET_RATIO = 4;
const TARGET_CHECK_MS = 300;
const TARGET_SCALE = 12;
const TARGET_10K_MS = 10_000;

const work = mkdtempSync(join(tmpdir(), 'ioctl-abi-bench-'));
const env = { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(work, 'cache') };
// Every timed process, the reference included, carries this exit hook: it reports the child's
// own CPU time and peak RSS (process.resourceUsage()). CPU time reads steadier than wall-clock
// on a machine shared with other work.
const probe = join(work, 'usage-probe.mjs');
const usageFile = join(work, 'usage.json');
writeFileSync(probe, `import { writeFileSync } from 'node:fs';
process.on('exit', () => {
  const u = process.resourceUsage();
  writeFileSync(${JSON.stringify(usageFile)}, JSON.stringify({ cpu: (u.userCPUTime + u.systemCPUTime) / 1000, rss: u.maxRSS / 1024 }));
});
`);

function must(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

// The package as users install it: one pack (its prepack builds dist/), one install.
process.stderr.write('bench: npm pack + install into a temp folder...\n');
const packed = (JSON.parse(must('npm', ['pack', '--json', '--pack-destination', work], ROOT)) as Array<{ filename: string; size: number; entryCount: number }>)[0];
if (!packed) throw new Error('npm pack printed nothing');
const app = join(work, 'app');
mkdirSync(app);
writeFileSync(join(app, 'package.json'), '{ "name": "bench-app", "private": true, "type": "module" }\n');
must('npm', ['install', join(work, packed.filename), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], app);
const bin = join(app, 'node_modules/ioctl-abi/bin/ioctl-abi.mjs');
const spec = join(app, 'node_modules/ioctl-abi/spec');
if (existsSync(join(app, 'node_modules/tsx'))) throw new Error('tsx got installed: the bench would not measure the built package');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

interface Run {
  /** wall-clock ms */
  ms: number;
  /** CPU ms (user + system) */
  cpu: number;
  /** peak RSS MiB */
  rss: number;
}

function once(args: string[]): Run {
  rmSync(usageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, ...args], { cwd: app, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  const { cpu, rss } = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpu: number; rss: number };
  return { ms, cpu, rss };
}

/** One timed run in another folder (the diff between git refs runs inside a repository). */
function onceIn(args: string[], cwd: string): Run {
  rmSync(usageFile, { force: true });
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--import', probe, ...args], { cwd, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`node ${args.join(' ')} exited ${r.status}\n${r.stderr}`);
  const { cpu, rss } = JSON.parse(readFileSync(usageFile, 'utf8')) as { cpu: number; rss: number };
  return { ms, cpu, rss };
}

/** A command whose warm-up run takes longer than this is timed once, not n times. */
const SLOW_MS = 20_000;

/** Medians of n runs after one untimed warm-up run (returned as cold). */
function time(args: string[], n: number): Run & { cold: number; runs: number } {
  const cold = once(args).ms;
  const runs = Array.from({ length: cold > SLOW_MS ? 1 : n }, () => once(args));
  return { ms: median(runs.map((r) => r.ms)), cpu: median(runs.map((r) => r.cpu)), rss: Math.max(...runs.map((r) => r.rss)), cold, runs: runs.length };
}

const misses: string[] = [];
const lines: string[] = [];
const out = join(work, 'generated');
once([bin, 'gen', '--spec', spec, '--out', out]);

const ref = time(['-e', '0'], RUNS);
const reference = ref.ms;
const rows: Array<[string, string[], number?]> = [
  ['`ioctl-abi validate` (5 versions)', [bin, 'validate', spec]],
  ['`ioctl-abi lint` (5 versions x all ABIs)', [bin, 'lint', spec]],
  ['`ioctl-abi gen` (8 headers, newest)', [bin, 'gen', spec, '--out', out]],
  ['`ioctl-abi gen --check` (no change)', [bin, 'gen', spec, '--out', out, '--check'], TARGET_CHECK_MS],
  ['`ioctl-abi dump --json` (all ABIs)', [bin, 'dump', '--json', spec]],
  // explain answers from its cached index (the untimed warm-up run builds it).
  ['`ioctl-abi explain 0x4008af70` (a raw number)', [bin, 'explain', '0x4008af70', '--spec', spec]],
  ['`ioctl-abi explain VHOST_GET_VRING_BASE` (a name)', [bin, 'explain', 'VHOST_GET_VRING_BASE', '--spec', spec]],
];
lines.push('| command | ms | x reference | CPU ms | peak RSS MiB | target |', '|---|---|---|---|---|---|');
lines.push(`| \`node -e 0\` (reference) | ${reference.toFixed(0)} | 1.0 | ${ref.cpu.toFixed(0)} | ${ref.rss.toFixed(0)} | |`);
for (const [name, args, absolute] of rows) {
  const { ms, cpu, rss } = time(args, RUNS);
  const ratio = ms / reference;
  const targets = [`<= ${TARGET_RATIO}x ${ratio <= TARGET_RATIO ? 'ok' : 'MISSED'}`];
  if (ratio > TARGET_RATIO) misses.push(`${name}: ${ratio.toFixed(1)}x reference`);
  if (absolute !== undefined) {
    targets.push(`<= ${absolute} ms ${ms <= absolute ? 'ok' : 'MISSED'}`);
    if (ms > absolute) misses.push(`${name}: ${ms.toFixed(0)} ms`);
  }
  lines.push(`| ${name} | ${ms.toFixed(0)} | ${ratio.toFixed(1)} | ${cpu.toFixed(0)} | ${rss.toFixed(0)} | ${targets.join(', ')} |`);
}

// The ABI diff (docs/compat-rules.md): two shipped-size specs (the packaged spec and a copy with
// one field inserted), and two git refs of a repository holding the spec; targets are absolute:
// <= 300 ms above the reference, <= 1 s between refs.
{
  const edited = join(work, 'diff-head');
  must('cp', ['-r', spec, edited], work);
  const types = join(edited, 'vhost-types.yaml');
  writeFileSync(types, readFileSync(types, 'utf8').replace('      - { field: desc_user_addr, type: __u64', '      - { field: cookie, type: __u64 }\n      - { field: desc_user_addr, type: __u64'));
  const repo = join(work, 'diff-repo');
  mkdirSync(repo);
  const git = (...args: string[]): string => must('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@example.org', ...args], repo);
  git('init', '-q');
  must('cp', ['-r', spec, join(repo, 'spec')], work);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  must('cp', [types, join(repo, 'spec/vhost-types.yaml')], work);
  git('commit', '-q', '-am', 'head');
  const diffRows: Array<[string, string[], string, number]> = [
    ['`ioctl-abi diff` (two shipped-size specs)', [bin, 'diff', spec, edited, '--fail-on', 'none'], work, reference + 300],
    ['`ioctl-abi diff HEAD~1 HEAD` (git refs)', [bin, 'diff', 'HEAD~1', 'HEAD', '--fail-on', 'none'], repo, 1000],
  ];
  for (const [name, args, cwd, target] of diffRows) {
    const runs = [onceIn(args, cwd), ...Array.from({ length: RUNS }, () => onceIn(args, cwd))].slice(1);
    const ms = median(runs.map((r) => r.ms));
    const cpu = median(runs.map((r) => r.cpu));
    const ok = ms <= target;
    if (!ok) misses.push(`${name}: ${ms.toFixed(0)} ms`);
    lines.push(`| ${name} | ${ms.toFixed(0)} | ${(ms / reference).toFixed(1)} | ${cpu.toFixed(0)} | ${Math.max(...runs.map((r) => r.rss)).toFixed(0)} | <= ${target.toFixed(0)} ms ${ok ? 'ok' : 'MISSED'} |`);
  }
}

// Scaling: synthetic specs, 5 versions, 4 header families + fd kinds.
const syn: string[] = ['| spec | command | ms | CPU ms | ms, cold cache | peak RSS MiB |', '|---|---|---|---|---|---|'];
const synMs = new Map<string, number>();
for (const n of SIZES) {
  const dir = join(work, `syn-${n}`);
  const st = writeSyntheticSpec(dir, n);
  const label = `${n} requests (${st.structs} structs, ${st.flagSets} flag sets, ${(st.bytes / 1e6).toFixed(1)} MB YAML)`;
  for (const [cmd, args] of [
    ['validate', [bin, 'validate', dir]],
    ['gen', [bin, 'gen', dir, '--out', join(work, `syn-out-${n}`)]],
  ] as Array<[string, string[]]>) {
    const { ms, cpu, cold, rss, runs } = time(args, SYN_RUNS);
    synMs.set(`${cmd}:${n}`, ms);
    syn.push(`| ${label} | \`${cmd}\` | ${ms.toFixed(0)}${runs < SYN_RUNS ? ` (${runs} run)` : ''} | ${cpu.toFixed(0)} | ${cold.toFixed(0)} | ${rss.toFixed(0)} |`);
  }
}
const scale: string[] = [];
if (SIZES.includes(1000) && SIZES.includes(10000)) {
  for (const cmd of ['validate', 'gen']) {
    const small = synMs.get(`${cmd}:1000`) as number;
    const big = synMs.get(`${cmd}:10000`) as number;
    const ratio = big / small;
    scale.push(`- \`${cmd}\`: 10k / 1k = ${ratio.toFixed(1)} (target <= ${TARGET_SCALE}: ${ratio <= TARGET_SCALE ? 'ok' : 'MISSED'}); 10k = ${(big / 1000).toFixed(1)} s (target <= ${TARGET_10K_MS / 1000} s: ${big <= TARGET_10K_MS ? 'ok' : 'MISSED'})`);
    if (ratio > TARGET_SCALE) misses.push(`${cmd} 10k/1k = ${ratio.toFixed(1)}`);
    if (big > TARGET_10K_MS) misses.push(`${cmd} 10k = ${(big / 1000).toFixed(1)} s`);
  }
}

console.log(`ioctl-abi bench: ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB`);
console.log(`installed from the tarball (${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB); median of ${RUNS} (synthetic: ${SYN_RUNS}), caches warm\n`);
console.log([...lines, '', ...syn, '', ...scale].join('\n'));
console.log(misses.length ? `\ntargets missed: ${misses.join('; ')}` : '\nall targets met');
rmSync(work, { recursive: true, force: true });
if (misses.length && process.env.BENCH_STRICT) process.exitCode = 1;
