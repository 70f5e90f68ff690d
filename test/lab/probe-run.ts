// Runs the vhost-vdpa behaviour matrix in the lab and returns the probe's JSON.
import type { ProbeMatrix } from './matrix.ts';
import { buildProbe } from './probe.ts';
import { runInLab } from './lab.ts';

export async function runProbe(opts: { timeoutMs?: number } = {}): Promise<ProbeMatrix> {
  const probe = buildProbe();
  const r = await runInLab(`${probe} labvd0 matrix "$LAB_OUT/matrix.json"`, { timeoutMs: opts.timeoutMs ?? 180_000 });
  const json = r.files.get('matrix.json');
  if (r.exitCode !== 0 || !json) {
    throw new Error(`probe failed (exit ${r.exitCode}):\n${r.stdout}${r.stderr}`);
  }
  return JSON.parse(json.toString('utf8')) as ProbeMatrix;
}
