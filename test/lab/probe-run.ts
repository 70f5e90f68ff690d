// Runs the vhost-vdpa behaviour matrix in the lab on one kernel, returns the probe's
// JSON and records it in the cache (lab/matrix/<release>-<probe>.json).
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { cachePath } from '../support/cache.ts';
import { type KernelId, labKernel } from './config.ts';
import type { ProbeMatrix } from './matrix.ts';
import { buildProbe } from './probe.ts';
import { type RunResult, runInLab } from './lab.ts';

export interface ProbeRun {
  matrix: ProbeMatrix;
  run: RunResult;
  /** Guest ms the probe binary ran (date before and after it, in the guest). */
  probeMs: number;
  /** Where the JSON was recorded. */
  recorded: string;
}

/** The cache file of the matrix that a probe binary (default: today's build) measured on a kernel. */
export function recordedMatrixPath(kernel?: KernelId, probe = buildProbe()): string {
  return join(cachePath('lab', 'matrix'), `${labKernel(kernel).release}-${basename(probe)}.json`);
}

export async function probeRun(opts: { kernel?: KernelId; timeoutMs?: number } = {}): Promise<ProbeRun> {
  // named by the binary that ran, even if the source changes while the guest runs
  const probe = buildProbe();
  const cmd = [
    's=$(date +%s%N)',
    `${probe} labvd0 matrix "$LAB_OUT/matrix.json"`,
    'rc=$?',
    'echo "probe_ms=$(( ($(date +%s%N) - s) / 1000000 ))" >&2',
    'exit $rc',
  ].join('\n');
  const run = await runInLab(cmd, { kernel: opts.kernel, timeoutMs: opts.timeoutMs ?? 180_000 });
  const json = run.files.get('matrix.json');
  if (run.exitCode !== 0 || !json) {
    throw new Error(`probe failed on ${run.release} (exit ${run.exitCode}):\n${run.stdout}${run.stderr}`);
  }
  const matrix = JSON.parse(json.toString('utf8')) as ProbeMatrix;
  const recorded = recordedMatrixPath(opts.kernel, probe);
  writeFileSync(`${recorded}.${process.pid}`, json);
  renameSync(`${recorded}.${process.pid}`, recorded);
  return { matrix, run, probeMs: Number(/probe_ms=(\d+)/.exec(run.stderr)?.[1] ?? NaN), recorded };
}

export async function runProbe(opts: { kernel?: KernelId; timeoutMs?: number } = {}): Promise<ProbeMatrix> {
  return (await probeRun(opts)).matrix;
}

/**
 * The matrix this probe binary measured on a kernel: the recorded one when there is one
 * (same probe build, same kernel: a re-run measures the same), else a fresh run.
 */
export async function recordedOrRun(kernel?: KernelId): Promise<ProbeMatrix> {
  const path = recordedMatrixPath(kernel);
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as ProbeMatrix;
  return runProbe({ kernel });
}
