// Opening specs in tests through the public front door, failing loudly when they do not open.
import { uapiEmitter } from '../../generators/uapi/index.ts';
import { regenCommand, runEmitters } from '../../src/emit/index.ts';
import { openSpec, type AbiView, type Abi, type AggregateLayout, type Diagnostic, type SourceText, type Spec } from '../../src/model/index.ts';

/** A spec that must open without errors. */
export function openOk(target: string | readonly SourceText[]): Spec {
  const r = openSpec(target);
  if (!r.ok) throw new Error(`spec does not open:\n${r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col}: ${d.rule} ${d.message}`).join('\n')}`);
  return r.spec;
}

/** Every diagnostic of opening, whether it opened or not. */
export function diagnosticsOf(target: string | readonly SourceText[]): Diagnostic[] {
  const r = openSpec(target);
  return [...(r.ok ? r.spec.diagnostics : r.diagnostics)];
}

/** Opening in-memory sources: every diagnostic, and the spec when it opened. */
export interface Opened {
  diagnostics: Diagnostic[];
  spec: Spec | undefined;
}

export function runSpec(sources: readonly SourceText[]): Opened {
  const r = openSpec(sources);
  return r.ok ? { diagnostics: [...r.spec.diagnostics], spec: r.spec } : { diagnostics: [...r.diagnostics], spec: undefined };
}

/** The view at a version the spec must know. */
export function viewAt(opened: Spec | Opened, version: string): AbiView {
  const spec = 'at' in opened ? opened : opened.spec;
  if (!spec) throw new Error(`spec did not open: ${opened.diagnostics.map((d) => d.message).join('; ')}`);
  const v = spec.version(version);
  if (!v.ok) throw new Error(`${v.message} (${v.hint})`);
  return spec.at(v.version);
}

/** A layout that must exist. */
export function layoutOk(view: AbiView, abi: Abi, type: string): AggregateLayout {
  const r = view.layout(abi, type);
  if (!r.ok) throw new Error(r.error);
  return r.layout;
}

/** The files of the uapi emitter at one version, banner included, as `gen` writes them. */
export function uapiFiles(view: AbiView): Array<{ path: string; content: string }> {
  return runEmitters(view, [uapiEmitter], { specDir: 'spec', command: regenCommand({ specDir: 'spec', version: view.version, out: 'generated' }) });
}
