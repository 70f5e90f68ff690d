// The vhost-user bench (docs/performance.md), against qemu-storage-daemon serving a raw image:
//   1. VHOST_USER_GET_FEATURES round trips per second through the generated client, against the
//      same loop written directly over the socket in C (loop.c), in the same run; target >= 0.5x.
//   2. 4 KiB virtio-blk reads per second through the example's queue (examples/vhost-user), and
//      the share of its CPU time spent in generated code (a V8 CPU profile of the same loop).
//
//   npx tsx bench/vhost-user/run.ts [--pairs N] [--calls N] [--reads N]
//
// C and Node processes alternate, each a warm-up round and ROUNDS timed rounds; figures are
// medians. The daemon's own time is in the wall-clock of both sides alike.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rounds, type Round } from '../ioctl/figure.ts';

const ROOT = join(import.meta.dirname, '../..');
const args = process.argv.slice(2);
const opt = (name: string, dflt: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const PAIRS = opt('--pairs', 3);
const CALLS = opt('--calls', 20_000);
const READS = opt('--reads', 5_000);
const ROUNDS = 3;
const TARGET = 0.5;
const log = (s: string): void => void process.stdout.write(`${s}\n`);

function must(cmd: string, argv: string[], what: string): string {
  const r = spawnSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`bench: ${what} failed (exit ${r.status})\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const perSecond = (ns: number): string => Math.round(1e9 / ns).toLocaleString('en-US');

/** Self time of profile nodes in generated/ts over all sampled time, and over the time the process was not idle. */
function generatedShare(profileFile: string): { share: number; busyShare: number; top: string[] } {
  const p = JSON.parse(readFileSync(profileFile, 'utf8')) as { nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number } }[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
  let total = 0;
  let idle = 0;
  let generated = 0;
  const perFunction = new Map<string, number>();
  for (const [id, t] of self) {
    const frame = byId.get(id)?.callFrame;
    total += t;
    if (frame?.functionName === '(idle)') idle += t;
    if (frame?.url.includes('/generated/ts/')) {
      generated += t;
      const name = `${frame.functionName || '(anonymous)'} (${frame.url.replace(/^.*\/generated\/ts\//, 'generated/ts/')})`;
      perFunction.set(name, (perFunction.get(name) ?? 0) + t);
    }
  }
  const top = [...perFunction].sort((a, b) => b[1] - a[1]).slice(0, 5).map(([name, t]) => `${name} ${((100 * t) / total).toFixed(1)}%`);
  return { share: generated / total, busyShare: generated / (total - idle), top };
}

const work = mkdtempSync(join(tmpdir(), 'ioctl-bench-vu-'));
const image = join(work, 'disk.raw');
const socket = join(work, 'vu.sock');
writeFileSync(image, new Uint8Array(64 * 1024 * 1024).map((_, i) => (i * 7) & 0xff));
const daemon = spawn('qemu-storage-daemon', ['--blockdev', `driver=file,node-name=disk,filename=${image}`, '--export', `type=vhost-user-blk,id=exp0,node-name=disk,addr.type=unix,addr.path=${socket},writable=on`], { stdio: 'ignore' });
try {
  for (let waited = 0; !existsSync(socket); waited += 50) {
    if (waited > 20_000 || daemon.exitCode !== null) throw new Error('bench: qemu-storage-daemon did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const loop = join(work, 'loop');
  must('gcc', ['-O2', '-Wall', '-Wextra', '-Werror', '-o', loop, join(import.meta.dirname, 'loop.c')], 'gcc loop.c');
  const node = (mode: string, n: number, extra: string[] = []): Round[] =>
    rounds(must(process.execPath, [...extra, '--import', 'tsx', join(import.meta.dirname, 'loop.ts'), mode, socket, String(n), String(ROUNDS)], `loop.ts ${mode}`));
  const c: Round[] = [];
  const js: Round[] = [];
  for (let p = 0; p < PAIRS; p++) {
    c.push(...rounds(must(loop, [socket, String(CALLS), String(ROUNDS)], 'loop.c')));
    js.push(...node('features', CALLS));
  }
  const reads = node('reads', READS);
  const profDir = join(work, 'prof');
  node('reads', READS, ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  const profile = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!profile) throw new Error('bench: no CPU profile written');
  const share = generatedShare(join(profDir, profile));

  const wall = (rs: Round[]): number => median(rs.map((r) => r.wall));
  const cpu = (rs: Round[]): number => median(rs.map((r) => r.cpu));
  const ratio = wall(c) / wall(js);
  log(`Node ${process.version}, qemu-storage-daemon ${must('qemu-storage-daemon', ['--version'], 'version').split('\n')[0]?.replace(/^.*version /, '')}, ${PAIRS} x ${ROUNDS} rounds of ${CALLS} round trips each side, load average ${loadavg()[0]?.toFixed(1)} at the end`);
  log('| loop | C | Node (generated client) | Node / C | target |');
  log('|---|---|---|---|---|');
  log(`| GET_FEATURES round trips per second (wall) | ${perSecond(wall(c))} | ${perSecond(wall(js))} | ${ratio.toFixed(2)} | >= ${TARGET} ${ratio >= TARGET ? 'met' : 'missed'} |`);
  log(`| CPU us per round trip (the process's own) | ${(cpu(c) / 1000).toFixed(1)} | ${(cpu(js) / 1000).toFixed(1)} | | |`);
  log('');
  log(`4 KiB virtio-blk reads, one in flight: ${perSecond(wall(reads))} reads/s (${(wall(reads) / 1000).toFixed(1)} us each, ${(cpu(reads) / 1000).toFixed(1)} us CPU of the Node process), median of ${ROUNDS} rounds of ${READS}`);
  log(`share of the profiled reads loop's time in generated/ts (codecs and client): ${(100 * share.share).toFixed(1)}% of all samples, ${(100 * share.busyShare).toFixed(1)}% of the non-idle ones`);
  for (const t of share.top) log(`  ${t}`);
} finally {
  daemon.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
