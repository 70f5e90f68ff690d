// Opening a spec: files -> load/validate -> model -> checked projections. The result is either
// a Spec every consumer can rely on (it validated at every checked version) or the diagnostics.
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sortDiagnostics, type Diagnostic } from '../diagnostics.ts';
import { loadSources, readSources, type SourceText } from '../load/load.ts';
import { buildModel } from './build.ts';
import { checkLifetimes, checkReferences } from './check.ts';
import { checkMessageLinks } from './message-check.ts';
import { VersionModel } from './project.ts';
import type { SpecModel } from './types.ts';
import { compareVersions, isLive, type Version } from './version.ts';
import { AbiViewImpl, type AbiView } from './view.ts';

declare const known: unique symbol;
/** A kernel version this spec knows: only a Spec hands these out. */
export type KnownVersion = Version & { readonly [known]: true };

export type VersionLookup = { ok: true; version: KnownVersion } | { ok: false; message: string; hint: string };

/** The whole spec, every version: lifetimes visible, nothing projected. */
export interface Spec {
  /** Versions listed in project.yaml, oldest first. */
  readonly versions: readonly KnownVersion[];
  /** The listed versions plus the first version of each fd kind, device or channel that lives before them. */
  readonly checkedVersions: readonly KnownVersion[];
  readonly newest: KnownVersion;
  /** The spec's families as written (all versions). */
  readonly model: SpecModel;
  /** Warnings and infos of loading (errors make openSpec fail instead). */
  readonly diagnostics: readonly Diagnostic[];
  /** When a single file of a spec folder was opened: its path as diagnostics show it. */
  readonly focus?: string;
  /** A version the spec knows, or why not. */
  version(text: string): VersionLookup;
  /** The read-only model at one version. */
  at(version: KnownVersion): AbiView;
}

export type SpecResult = { ok: true; spec: Spec } | { ok: false; diagnostics: readonly Diagnostic[] };

/** Opens a spec folder, a single spec file, or in-memory sources. Never throws for bad input. */
export function openSpec(target: string | readonly SourceText[]): SpecResult {
  if (typeof target !== 'string') return analyse(target);
  let isFile: boolean;
  try {
    isFile = statSync(target).isFile();
  } catch {
    return { ok: false, diagnostics: [{ file: target, line: 1, col: 1, severity: 'error', rule: 'spec-not-found', message: `no spec at ${target}`, hint: 'give a spec folder (with project.yaml) or a spec file' }] };
  }
  // One file of a spec folder is read with its folder (its imports and project live there).
  if (isFile && existsSync(join(dirname(target), 'project.yaml'))) {
    const sources = readSources(dirname(target));
    const focus = readSources(target)[0]?.path;
    return analyse(sources, focus);
  }
  return analyse(readSources(target));
}

function analyse(sources: readonly SourceText[], focus?: string): SpecResult {
  const loaded = loadSources([...sources]);
  const built = buildModel(loaded);
  const all: Diagnostic[] = [...loaded.diagnostics, ...built.diagnostics];
  const models = new Map<Version, VersionModel>();
  if (loaded.diagnostics.length === 0) {
    if (!loaded.project) all.push({ file: sources[0]?.path ?? '<spec>', line: 1, col: 1, severity: 'error', rule: 'spec-no-project', message: 'no project file (project.yaml) in the spec folder', hint: 'add project.yaml with `project:` and `versions:`' });
    else if (built.model.versions.length === 0) all.push({ file: loaded.project.path, line: 1, col: 1, severity: 'error', rule: 'spec-no-versions', message: 'project.yaml lists no versions', hint: 'add `versions: [6.12, ...]`' });
    const checked = checkedVersions(built.model);
    all.push(...checkLifetimes(built.model, checked));
    for (const v of checked) {
      const vm = new VersionModel(built.model, v);
      models.set(v, vm);
      all.push(...vm.validate(), ...checkReferences(vm));
    }
    all.push(...checkMessageLinks(built.model, [...models.values()]));
  }
  const diagnostics = dedupe(all);
  if (diagnostics.some((d) => d.severity === 'error')) return { ok: false, diagnostics };
  return { ok: true, spec: new SpecImpl(built.model, models, diagnostics, focus) };
}

/**
 * The listed versions, plus the first version of any fd kind, device or channel that lives at
 * none of them (a profile of 5.7-5.8 in a spec checked from 5.10 on is still checked, at 5.7).
 */
function checkedVersions(model: SpecModel): Version[] {
  const listed = [...model.versions].sort(compareVersions);
  const extra = new Set<Version>();
  for (const f of model.families) {
    for (const x of [...f.fds, ...f.devices, ...f.channels]) {
      if (x.since && !listed.some((v) => isLive(x, v))) extra.add(x.since);
    }
  }
  return [...new Set([...listed, ...extra])].sort(compareVersions);
}

class SpecImpl implements Spec {
  readonly versions: readonly KnownVersion[];
  readonly checkedVersions: readonly KnownVersion[];
  readonly newest: KnownVersion;
  private readonly views = new Map<Version, AbiView>();

  constructor(
    readonly model: SpecModel,
    private readonly models: ReadonlyMap<Version, VersionModel>,
    readonly diagnostics: readonly Diagnostic[],
    readonly focus?: string,
  ) {
    this.versions = Object.freeze([...model.versions].sort(compareVersions) as KnownVersion[]);
    this.checkedVersions = Object.freeze([...models.keys()] as KnownVersion[]);
    this.newest = this.versions[this.versions.length - 1] as KnownVersion;
  }

  version(text: string): VersionLookup {
    const known = this.checkedVersions.find((v) => v === text);
    if (known) return { ok: true, version: known };
    const list = this.versions.join(', ');
    const extra = this.checkedVersions.filter((v) => !this.versions.includes(v));
    const hint = `known versions: ${list}${extra.length ? ` (and ${extra.join(', ')}, where historic profiles begin)` : ''}`;
    if (!/^\d+\.\d+$/.test(text)) return { ok: false, message: `'${text}' is not a kernel version (major.minor, e.g. 6.12)`, hint };
    return { ok: false, message: `the spec does not know kernel ${text}`, hint };
  }

  private known(text: string): AbiView | undefined {
    const found = this.version(text);
    return found.ok ? this.at(found.version) : undefined;
  }

  at(version: KnownVersion): AbiView {
    let view = this.views.get(version);
    if (!view) {
      const vm = this.models.get(version);
      if (!vm) throw new RangeError(`not a version of this spec: ${version}`);
      view = new AbiViewImpl(vm, version, { versions: this.versions, at: (v) => this.known(v) });
      this.views.set(version, view);
    }
    return view;
  }
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
