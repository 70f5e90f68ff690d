// npm run bench: wall-clock medians of the CLI as users run it, each beside a reference measured
// in the same run (plain node startup), so the table reads the same on a faster or slower machine.
import { spawnSync } from 'node:child_process';
import { cpus, tmpdir } from 'node:os';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-bench-'));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function time(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, stdio: 'ignore' });
    runs.push(performance.now() - t0);
    if (r.status !== 0 && !args.includes('--check')) throw new Error(`${args.join(' ')} exited ${r.status}`);
  }
  return median(runs);
}

const bin = join(ROOT, 'bin/ioctl-abi.mjs');
spawnSync(process.execPath, [bin, 'gen', '--out', out], { cwd: ROOT });
const reference = time(['-e', '0']);
const rows: Array<[string, number]> = [
  ['node -e 0 (reference)', reference],
  ['node + tsx loader, empty script', time(['--import', 'tsx', '-e', '0'])],
  ['ioctl-abi validate (5 versions)', time([bin, 'validate'])],
  ['ioctl-abi lint (5 versions x 15 ABIs)', time([bin, 'lint'])],
  ['ioctl-abi gen (8 headers, 7.3)', time([bin, 'gen', '--out', out])],
  ['ioctl-abi gen --check (no change)', time([bin, 'gen', '--out', out, '--check'])],
  ['ioctl-abi dump --json (15 ABIs)', time([bin, 'dump', '--json'])],
];
console.log(`ioctl-abi bench: ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? '?'}, median of ${RUNS}`);
for (const [name, ms] of rows) console.log(`${name.padEnd(40)} ${ms.toFixed(0).padStart(6)} ms  ${(ms / reference).toFixed(1).padStart(5)}x reference`);
