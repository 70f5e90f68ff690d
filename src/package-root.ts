// Where the package's own data (spec/, the JSON Schema) lives. This module runs from src/ in a
// clone and from dist/src/ when installed, so a fixed relative URL would be right in one place
// only; walking up to our package.json is right in both.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'ioctl-abi';

let root: string | undefined;

/** The nearest folder above this module with a package.json named ioctl-abi. */
export function packageRoot(): string {
  if (root !== undefined) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (nameAt(dir) === NAME) return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error(`${NAME}: no package.json named ${NAME} above ${fileURLToPath(import.meta.url)}`);
    dir = up;
  }
}

/** A path inside the package, e.g. packagePath('spec', 'schema', 'ioctl-abi.schema.json'). */
export function packagePath(...parts: string[]): string {
  return join(packageRoot(), ...parts);
}

function nameAt(dir: string): string | undefined {
  try {
    const pkg: unknown = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    return pkg !== null && typeof pkg === 'object' && 'name' in pkg && typeof pkg.name === 'string' ? pkg.name : undefined;
  } catch {
    return undefined; // no package.json here, or not JSON: keep walking
  }
}
