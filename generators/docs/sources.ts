// What the reference pages are made from: the kernel spec at each of its versions, and each
// historic proposal spec (spec/history/*) beside it. Each is a "source" with its own pages.
import type { EmitOptions } from '../../src/emit/index.ts';
import type { AbiView, Spec, SpecModel } from '../../src/model/index.ts';

export interface DocSource {
  /** 'linux', or the history folder's name ('vhost-mdev-v2'). */
  readonly id: string;
  readonly proposal: boolean;
  /** Folder of its pages under the output root. */
  readonly dir: string;
  /** Versions of its project.yaml, oldest first. */
  readonly listed: readonly string[];
  /** Listed versions plus those where a historic profile begins (5.7). */
  readonly checked: readonly string[];
  /** The version `gen` was asked for (a proposal: its only version). */
  readonly current: string;
  /** The spec as written, every version. */
  readonly model: SpecModel;
  at(version: string): AbiView;
}

function fromSpec(id: string, spec: Spec, dir: string, current: string, proposal: boolean): DocSource {
  const views = new Map(spec.checkedVersions.map((v) => [v as string, spec.at(v)]));
  return {
    id,
    proposal,
    dir,
    listed: [...spec.versions],
    checked: [...spec.checkedVersions],
    current,
    model: spec.model,
    at: (v) => {
      const view = views.get(v);
      if (!view) throw new RangeError(`${id} has no version ${v}`);
      return view;
    },
  };
}

/**
 * The kernel source and the proposals. Without options.spec (a caller other than `gen`), the
 * pages can only cover the one version the view holds.
 */
export function docSources(view: AbiView, options: EmitOptions): DocSource[] {
  const linux: DocSource = options.spec
    ? fromSpec('linux', options.spec, 'docs', view.version, false)
    : {
        id: 'linux',
        proposal: false,
        dir: 'docs',
        listed: [view.version],
        checked: [view.version],
        current: view.version,
        model: { versions: [view.version], families: view.families },
        at: () => view,
      };
  const history = [...(options.history ?? [])].sort((a, b) => a.name.localeCompare(b.name));
  return [linux, ...history.map((h) => fromSpec(h.name, h.spec, 'docs/history', h.spec.newest, true))];
}
