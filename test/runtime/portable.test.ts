// ioctl-abi/runtime must load anywhere the generated codecs do (browsers, Deno, bundlers): its
// import graph reaches no node:* module, no koffi and, at run time, nothing of the model.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

/** Modules a file loads at run time: `import type` / `export type` are erased and do not count. */
function runtimeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) {
    if (!m[1]) out.push(m[2] as string);
  }
  return out;
}

function graph(entry: string): { files: string[]; external: string[] } {
  const files: string[] = [];
  const external = new Set<string>();
  const todo = [resolve(entry)];
  while (todo.length) {
    const f = todo.pop() as string;
    if (files.includes(f)) continue;
    files.push(f);
    for (const spec of runtimeImports(f)) {
      if (spec.startsWith('.')) todo.push(resolve(dirname(f), spec));
      else external.add(spec);
    }
  }
  return { files: files.map((f) => relative(ROOT, f)).sort(), external: [...external].sort() };
}

describe('the portable runtime', () => {
  it('src/runtime/index.ts loads no node:* module, no koffi, no model code', () => {
    const g = graph(join(ROOT, 'src/runtime/index.ts'));
    expect(g.external).toEqual([]);
    expect(g.files.filter((f) => !f.startsWith('src/runtime/') || f.startsWith('src/runtime/node/'))).toEqual([]);
    expect(g.files.length).toBeGreaterThanOrEqual(5);
    // not even a type import: its declarations must stand alone for consumers of the bindings
    expect(g.files.filter((f) => /from '[^']*\/model\//.test(readFileSync(join(ROOT, f), 'utf8')))).toEqual([]);
  });

  it('type-checks without @types/node, with erasableSyntaxOnly and exactOptionalPropertyTypes (types stripped anywhere)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-runtime-tsc-'));
    try {
      const compilerOptions = {
        noEmit: true, strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [],
        erasableSyntaxOnly: true, exactOptionalPropertyTypes: true, allowImportingTsExtensions: true, verbatimModuleSyntax: true, noUncheckedIndexedAccess: true,
      };
      writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: [join(ROOT, 'src/runtime/index.ts')] }));
      const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', timeout: 120_000 });
      expect(`${r.stdout}${r.stderr}`).toBe('');
      expect(r.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it('the Node half is where koffi and node:* live', () => {
    const g = graph(join(ROOT, 'src/runtime/node/index.ts'));
    expect(g.external).toEqual(expect.arrayContaining(['koffi', 'node:os']));
  });

  it('the VDUSE examples use only the package entry points (bindings, runtime) and Node', () => {
    const entries = new Set(['../generated/ts/api/vduse.ts', '../generated/ts/api/vhost.ts', '../src/runtime/index.ts', '../src/runtime/node/index.ts']);
    for (const example of ['examples/vduse-net.ts', 'examples/vdpa-info.ts']) {
      const imports = runtimeImports(join(ROOT, example));
      expect(imports.filter((m) => !m.startsWith('node:') && !entries.has(m)), example).toEqual([]);
      expect(imports.some((m) => m.startsWith('../generated/ts/api/')), example).toBe(true);
    }
  });
});
