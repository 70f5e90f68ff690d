// The ioctl bench (docs/performance.md): one ioctl through a client and the koffi transport,
// against a C loop of the same ioctl, as a ratio measured in one run.
//
//   npx tsx bench/ioctl/run.ts [--lab] [--pairs N] [--calls N]
//
// Host: FIONREAD on a pipe (loop.c vs loop.mjs). --lab: also VHOST_VDPA_GET_DEVICE_ID on
// /dev/vhost-vdpa-N in the 6.12 lab (a VDUSE device held by the behaviour probe), through the
// generated vhost client. The Node side is plain node on the built package (`npm run build`
// first; this script runs it), so no tsx is in the measured process. C and Node processes
// alternate; each runs a warm-up round and then ROUNDS timed rounds; the ratio is the median of
// Node's rounds over the median of C's, by CPU time (each process's own: steady on a shared
// machine) and by wall-clock.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rounds, row, type Figure } from './figure.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const PAIRS = opt('--pairs', 5);
const CALLS = opt('--calls', 1_000_000);
const ROUNDS = 3;
const log = (s: string): void => void process.stdout.write(`${s}\n`);

function must(cmd: string, argv: string[], what: string): string {
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) {
    process.stderr.write(`bench: ${what} failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  return r.stdout;
}

/**
 * The measured Node process runs dist/. A build that fails elsewhere in the tree (another
 * module mid-edit) still emits; the bench goes on only if every runtime module's output is
 * newer than its source, so it never times stale code.
 */
function buildRuntime(): void {
  const r = spawnSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status === 0) return;
  const sources = readdirSync(join(ROOT, 'src/runtime'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const stale = sources.filter((f) => {
    const out = join(ROOT, 'dist/src/runtime', f.replace(/\.ts$/, '.js'));
    return !existsSync(out) || statSync(out).mtimeMs < statSync(join(ROOT, 'src/runtime', f)).mtimeMs;
  });
  if (stale.length) {
    process.stderr.write(`bench: npm run build failed and dist/ lacks the current runtime (${stale.join(', ')})\n${r.stdout}${r.stderr}`);
    process.exit(1);
  }
  process.stderr.write('bench: npm run build reported errors outside the runtime; its dist/src/runtime is current\n');
}

const work = mkdtempSync(join(tmpdir(), 'ioctl-bench-'));
try {
  process.stderr.write('bench: npm run build...\n');
  buildRuntime();
  const loop = join(work, 'loop');
  must('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', loop, join(import.meta.dirname, 'loop.c')], 'gcc loop.c');
  const host: Figure = { c: [], node: [] };
  for (let p = 0; p < PAIRS; p++) {
    host.c.push(...rounds(must(loop, ['fionread', String(CALLS), String(ROUNDS)], 'loop.c')));
    host.node.push(...rounds(must(process.execPath, [join(import.meta.dirname, 'loop.mjs'), 'fionread', String(CALLS), String(ROUNDS)], 'loop.mjs')));
  }
  log(`Node ${process.version}, ${PAIRS} x ${ROUNDS} rounds of ${CALLS} calls each side, load average ${loadavg()[0]?.toFixed(1)} at the end`);
  log('| ioctl | C CPU ns/call | Node CPU ns/call | ratio | wall ns/call C / Node = ratio | target (CPU ratio) |');
  log('|---|---|---|---|---|---|');
  log(row('FIONREAD on a pipe (host)', host));
  if (args.includes('--lab')) {
    const { labFigures } = await import('./lab.ts');
    const lab = await labFigures(loop, PAIRS, Math.max(1, Math.round(CALLS / 20)), ROUNDS);
    log(row('VHOST_VDPA_GET_DEVICE_ID, generated client (lab, 6.12, TCG)', lab.client));
    log(row('VHOST_VDPA_GET_DEVICE_ID, transport alone (lab, 6.12, TCG)', lab.transport));
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
