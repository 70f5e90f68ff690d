// `gen`: run every emitter in memory, then hand all files to the writer at once.
import { relative } from 'node:path';
import { loadEmitters } from '../../generators/index.ts';
import { regenCommand, runEmitters, type Emitter, type HistorySpec } from '../emit/index.ts';
import type { AbiView, Spec } from '../model/index.ts';
import { checkOutputs, writeOutputs, WriterError } from '../writer/index.ts';

export interface GenOptions {
  /** Output root (absolute). */
  out: string;
  /** The output root and spec as the user wrote them, for the regen command in banners. */
  outArg: string;
  specDir: string;
  check: boolean;
  /** The whole spec and its history specs, for emitters that read more than one version (docs). */
  spec?: Spec;
  history?: readonly HistorySpec[];
}

/** Runs the emitters (all of generators/ unless given) and writes or checks their output. */
export async function generate(view: AbiView, opts: GenOptions, emitters?: readonly Emitter[]): Promise<number> {
  emitters ??= await loadEmitters();
  const command = regenCommand({ specDir: opts.specDir, version: view.version, out: opts.outArg });
  const files = runEmitters(view, emitters, { specDir: opts.specDir, command, ...(opts.spec ? { spec: opts.spec } : {}), ...(opts.history ? { history: opts.history } : {}) });
  const plan = { root: opts.out, owned: emitters.map((e) => e.owns), files };
  const where = relative(process.cwd(), opts.out) || '.';
  // Every filesystem failure of the writer is a one-line WriterError: print it, exit 2, no stack trace.
  try {
    if (opts.check) {
      const drift = checkOutputs(plan);
      for (const d of drift) process.stdout.write(d.diff.endsWith('\n') ? d.diff : `${d.diff}\n`);
      process.stderr.write(drift.length ? `gen --check: ${drift.length} stale file(s) in ${where}; run ioctl-abi gen\n` : `gen --check: ${files.length} file(s) up to date\n`);
      return drift.length ? 1 : 0;
    }
    const r = writeOutputs(plan);
    for (const note of r.notes) process.stderr.write(`gen: ${note}\n`);
    process.stderr.write(`gen: ${files.length} file(s) for ${view.version} in ${where} (${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed)\n`);
    return 0;
  } catch (e) {
    if (e instanceof WriterError) {
      process.stderr.write(`ioctl-abi: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
