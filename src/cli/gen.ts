// `gen`: run every emitter in memory, then hand all files to the writer at once.
import { relative } from 'node:path';
import { loadEmitters, type Emitter } from '../../generators/index.ts';
import type { Pipeline } from '../pipeline.ts';
import { checkOutputs, writeOutputs, WriterError, type OutputFile } from '../writer/index.ts';

export interface GenOptions {
  version: string;
  out: string;
  specDir: string;
  check: boolean;
}

/** Runs the emitters (all of generators/ unless given) and writes or checks their output. */
export async function generate(p: Pipeline, opts: GenOptions, emitters?: Emitter[]): Promise<number> {
  emitters ??= await loadEmitters();
  const model = p.versions.at(opts.version);
  const files: OutputFile[] = [];
  for (const e of emitters) {
    for (const f of e.emit({ pipeline: p, model, specDir: opts.specDir })) files.push(f);
  }
  const plan = { root: opts.out, owned: emitters.map((e) => e.owns), files };
  const where = relative(process.cwd(), opts.out) || '.';
  if (opts.check) {
    const drift = checkOutputs(plan);
    for (const d of drift) process.stdout.write(d.diff.endsWith('\n') ? d.diff : `${d.diff}\n`);
    process.stderr.write(drift.length ? `gen --check: ${drift.length} stale file(s) in ${where}; run ioctl-abi gen\n` : `gen --check: ${files.length} file(s) up to date\n`);
    return drift.length ? 1 : 0;
  }
  try {
    const r = writeOutputs(plan);
    process.stderr.write(`gen: ${files.length} file(s) for ${opts.version} in ${where} (${r.written} written, ${r.unchanged} unchanged, ${r.removed} removed)\n`);
    return 0;
  } catch (e) {
    if (e instanceof WriterError) {
      process.stderr.write(`ioctl-abi: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
