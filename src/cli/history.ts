// The historic proposal specs beside a spec: every folder of <specDir>/history with a
// project.yaml, opened like any spec. `gen` hands them to the emitters; `explain` searches them.
import { join } from 'node:path';
import type { HistorySpec } from '../emit/index.ts';
import { openSpec, type Diagnostic } from '../model/index.ts';
import { historyFolders } from './history-folders.ts';

export type HistoryResult = { ok: true; history: HistorySpec[] } | { ok: false; diagnostics: readonly Diagnostic[] };

/** Opens every history spec; one that does not open is a spec error like any other. */
export function openHistory(specDir: string): HistoryResult {
  const history: HistorySpec[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of historyFolders(specDir)) {
    const r = openSpec(join(specDir, 'history', name));
    if (r.ok) history.push({ name, spec: r.spec });
    else diagnostics.push(...r.diagnostics);
  }
  return diagnostics.some((d) => d.severity === 'error') ? { ok: false, diagnostics } : { ok: true, history };
}
