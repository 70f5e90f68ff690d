// What an emitter is: a pure function from the model at one version (and its options) to
// files. It never sees the loader or the pipeline, never computes a layout or a number
// (it asks the view), and never writes to disk (the writer does, atomically).
import type { AbiView, Spec } from '../model/index.ts';

/** How comments are written in a file, so the framework can put the banner in it. */
export type Syntax = 'c' | 'ts' | 'markdown' | 'json';

export interface EmitOptions {
  /** The spec folder as the user named it (e.g. 'spec'), for banners. */
  readonly specDir: string;
  /** The command that regenerates these files, e.g. 'ioctl-abi gen --at 7.3'. */
  readonly command: string;
  /**
   * The whole spec, every version (gen fills it), for emitters that read history (the docs'
   * version matrix). Emitters that need only one version ignore it.
   */
  readonly spec?: Spec;
  /** The historic proposal specs, one per folder of <specDir>/history (gen fills it; empty without that folder). */
  readonly history?: readonly HistorySpec[];
}

/** One historic proposal, opened like any spec (spec/history/vhost-mdev-v2). */
export interface HistorySpec {
  /** Its folder's name. */
  readonly name: string;
  readonly spec: Spec;
}

export interface GeneratedFile {
  /** Path under the output root, inside the emitter's own subtree. */
  readonly path: string;
  readonly syntax: Syntax;
  /** SPDX license expression, printed first when given. */
  readonly license?: string;
  /** Spec files (as written in their family's `file`) the content comes from. */
  readonly sources: readonly string[];
  /** What made it, for the banner: e.g. 'uapi, kernel 7.3'. */
  readonly mode: string;
  /** The content, without SPDX line or banner. */
  readonly body: string;
}

export interface Emitter {
  readonly name: string;
  /** Subtree of the output root this emitter owns completely (files it does not return are removed). */
  readonly owns: string;
  emit(view: AbiView, options: EmitOptions): readonly GeneratedFile[];
}
