// Which folders of <specDir>/history hold a proposal spec (a project.yaml). Kept apart from
// history.ts, which opens them through the model: explain's cached path must not load the model.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Folders of <specDir>/history that hold a spec, sorted by name (none: an empty list). */
export function historyFolders(specDir: string): string[] {
  const root = join(specDir, 'history');
  let names: string[];
  try {
    names = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
  return names.filter((n) => existsSync(join(root, n, 'project.yaml'))).sort();
}
