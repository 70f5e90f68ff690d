// The emitters `gen` runs, in order. Each owns one subtree of generated/ and returns its files;
// none writes to disk (the writer does, atomically, after every emitter has succeeded).
import type { Pipeline } from '../src/pipeline.ts';
import type { VersionModel } from '../src/model/project.ts';
import type { OutputFile } from '../src/writer/index.ts';

export interface EmitContext {
  pipeline: Pipeline;
  /** The model at the version being generated. */
  model: VersionModel;
  /** Spec folder path as shown in banners, e.g. 'spec'. */
  specDir: string;
}

export interface Emitter {
  name: string;
  /** Subtree of the output root this emitter owns completely. */
  owns: string;
  emit(ctx: EmitContext): OutputFile[];
}

export async function loadEmitters(): Promise<Emitter[]> {
  const { uapiEmitter } = await import('./uapi/index.ts');
  return [uapiEmitter];
}
