// Runs emitters over one view and turns their files into writer input (banner included).
import type { AbiView } from '../model/index.ts';
import type { OutputFile } from '../writer/index.ts';
import { renderFile } from './banner.ts';
import type { EmitOptions, Emitter } from './contract.ts';

export class EmitterError extends Error {}

export function runEmitters(view: AbiView, emitters: readonly Emitter[], options: EmitOptions): OutputFile[] {
  const out: OutputFile[] = [];
  for (const e of emitters) {
    for (const f of e.emit(view, options)) {
      if (f.path !== e.owns && !f.path.startsWith(`${e.owns}/`)) throw new EmitterError(`emitter ${e.name} returned ${f.path}, outside its subtree ${e.owns}/`);
      out.push({ path: f.path, content: renderFile(f, options) });
    }
  }
  return out;
}
