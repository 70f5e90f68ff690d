// The front half of every command: spec folder -> loaded files -> model -> checked projections.
import { sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { loadSources, readSources, type SourceText } from './load/load.ts';
import { buildModel } from './model/build.ts';
import { checkReferences } from './model/check.ts';
import { ABIS, type Abi } from './model/abi.ts';
import { projections, type ProjectionCache } from './model/project.ts';
import type { SpecModel } from './model/types.ts';
import { compareVersions, isLive } from './model/version.ts';

export interface Pipeline {
  model: SpecModel;
  versions: ProjectionCache;
  /** Errors of loading, schema and resolution at every listed version, deduplicated and sorted. */
  diagnostics: Diagnostic[];
}

export function runPipeline(sources: SourceText[]): Pipeline {
  const loaded = loadSources(sources);
  const built = buildModel(loaded);
  const versions = projections(built.model);
  const all = [...loaded.diagnostics, ...built.diagnostics];
  if (loaded.diagnostics.length === 0) {
    if (!loaded.project) all.push({ file: sources[0]?.path ?? '<spec>', line: 1, col: 1, severity: 'error', rule: 'spec-no-project', message: 'no project file (project.yaml) in the spec folder', hint: 'add project.yaml with `project:` and `versions:`' });
    for (const v of checkedVersions(built.model)) {
      const vm = versions.at(v);
      const refs = checkReferences(vm);
      // Laying every type out once surfaces array sizes that do not evaluate.
      for (const key of vm.aggregates.keys()) {
        try {
          vm.aggregateLayout(ABIS[0] as Abi, key);
        } catch {
          /* unknown member types are already reported */
        }
      }
      all.push(...vm.diagnostics, ...refs);
    }
  }
  return { model: built.model, versions, diagnostics: dedupe(all) };
}

/**
 * The listed versions, plus the first version of any fd kind, device or channel that lives at
 * none of them (a profile of 5.7-5.8 in a spec checked from 5.10 on is still checked, at 5.7).
 */
function checkedVersions(model: SpecModel): string[] {
  const listed = [...model.versions];
  const extra = new Set<string>();
  for (const f of model.families) {
    for (const x of [...f.fds, ...f.devices, ...f.channels]) {
      if (x.since && !listed.some((v) => isLive(x, v))) extra.add(x.since);
    }
  }
  return [...listed, ...[...extra].sort(compareVersions)];
}

export function runPipelineOn(target: string): Pipeline {
  return runPipeline(readSources(target));
}

/** The same problem found at several versions is reported once, naming them all. */
function dedupe(list: Diagnostic[]): Diagnostic[] {
  const byKey = new Map<string, { d: Diagnostic; versions: string[] }>();
  for (const d of list) {
    const m = /^(.*) \(at ([\d.]+)\)$/.exec(d.message);
    const base = m ? (m[1] as string) : d.message;
    const key = `${d.file}:${d.line}:${d.col}:${d.rule}:${base}`;
    const seen = byKey.get(key);
    if (seen) {
      if (m) seen.versions.push(m[2] as string);
    } else byKey.set(key, { d: { ...d, message: base }, versions: m ? [m[2] as string] : [] });
  }
  return sortDiagnostics([...byKey.values()].map(({ d, versions }) => (versions.length ? { ...d, message: `${d.message} (at ${versions.join(', ')})` } : d)));
}
