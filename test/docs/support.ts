// The reference pages as `gen` writes them (banner included), rendered in-process, and helpers
// to find an entry's section and the block that holds for one version.
import { join } from 'node:path';
import { docsEmitter } from '../../generators/docs/index.ts';
import { openHistory } from '../../src/cli/history.ts';
import { regenCommand, runEmitters, type HistorySpec } from '../../src/emit/index.ts';
import type { Spec } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

export const ROOT = join(import.meta.dirname, '../..');

export interface Rendered {
  readonly spec: Spec;
  readonly history: readonly HistorySpec[];
  /** Page path (docs/...) -> content. */
  readonly pages: ReadonlyMap<string, string>;
}

export function render(version?: string, specDir = join(ROOT, 'spec')): Rendered {
  const spec = openOk(specDir);
  const h = openHistory(specDir);
  if (!h.ok) throw new Error(h.diagnostics.map((d) => d.message).join('\n'));
  const view = viewAt(spec, version ?? spec.newest);
  const files = runEmitters(view, [docsEmitter], { specDir: 'spec', command: regenCommand({ specDir: 'spec', version: view.version, out: 'generated' }), spec, history: h.history });
  return { spec, history: h.history, pages: new Map(files.map((f) => [f.path, f.content])) };
}

/** The text under `### heading` up to the next heading of level 2 or 3, or undefined. */
export function section(page: string | undefined, heading: string): string | undefined {
  if (page === undefined) return undefined;
  const lines = page.split('\n');
  const start = lines.indexOf(`### ${heading}`);
  if (start < 0) return undefined;
  let end = start + 1;
  while (end < lines.length && !/^#{2,3} /.test(lines[end] as string)) end++;
  return lines.slice(start + 1, end).join('\n');
}

/**
 * The part of a section that holds at `version`: the block under its "**In ..., V, ...:**" label,
 * or the whole section when it has no such labels (it is the same at every version).
 */
export function atVersion(sectionText: string, version: string): string | undefined {
  const parts = sectionText.split(/^\*\*In ([^*]+):\*\*$/m);
  if (parts.length === 1) return sectionText;
  for (let i = 1; i < parts.length; i += 2) {
    if ((parts[i] as string).split(', ').includes(version)) return parts[i + 1];
  }
  return undefined;
}

/** GitHub's heading anchor: lower case, punctuation but '-' and '_' dropped, spaces to '-'. */
export function githubSlug(heading: string): string {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}
