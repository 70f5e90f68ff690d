// Reads a spec folder (or files): YAML with positions, schema validation, the import graph.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { extname, join, relative } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { schemaHash, validateSchema } from './schema.ts';
import { cacheRead, cacheWrite, contentHash } from './cache.ts';
import { packRaw, posOf, SpecNumber, toRaw, unpackRaw, type RawObject } from './source.ts';

/** Bump when the parsed form changes, so old cache entries are not read. */
const PARSE_FORMAT = 'raw/2';

/** yaml is loaded only when a file is not in the parse cache (it costs ~60 ms to load). */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export interface LoadedFile {
  /** Path as given to the user in diagnostics (relative to the working directory when possible). */
  path: string;
  raw: RawObject;
}

export interface LoadedSpec {
  project?: LoadedFile;
  families: LoadedFile[];
  diagnostics: Diagnostic[];
}

export interface SourceText {
  path: string;
  text: string;
  /** Keep the parsed form in the on-disk cache (files read from disk; not ad-hoc texts). */
  cache?: boolean;
}

/** Lists the spec files of a folder (sorted), or returns the file itself. */
export function specFiles(target: string): string[] {
  if (statSync(target).isFile()) return [target];
  return readdirSync(target)
    .filter((f) => ['.yaml', '.yml'].includes(extname(f)))
    .sort()
    .map((f) => join(target, f));
}

export function readSources(target: string): SourceText[] {
  return specFiles(target).map((file) => ({ path: displayPath(file), text: readFileSync(file, 'utf8'), cache: true }));
}

function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

export function loadSources(sources: SourceText[]): LoadedSpec {
  const diagnostics: Diagnostic[] = [];
  const files: LoadedFile[] = [];
  for (const src of sources) {
    // The cache holds only files that parsed and passed this very schema (its hash is in the key).
    const cacheName = `yaml-${contentHash(PARSE_FORMAT, schemaHash(), src.path, src.text)}.json`;
    const cached = src.cache ? cacheRead(cacheName) : undefined;
    if (cached !== undefined) {
      files.push({ path: src.path, raw: unpackRaw(JSON.parse(cached), src.path) as RawObject });
      continue;
    }
    const raw = parseSource(src, diagnostics);
    if (!raw) continue;
    const schemaErrors = validateSchema(raw, src.path);
    diagnostics.push(...schemaErrors);
    if (schemaErrors.length > 0) continue;
    files.push({ path: src.path, raw });
    if (src.cache) cacheWrite(cacheName, JSON.stringify(packRaw(raw)));
  }
  const projects = files.filter((f) => 'project' in f.raw);
  const families = files.filter((f) => 'family' in f.raw);
  for (const extra of projects.slice(1)) {
    diagnostics.push({ ...(posOf(extra.raw) ?? { file: extra.path, line: 1, col: 1 }), severity: 'error', rule: 'spec-duplicate-name', message: `second project file (first: ${projects[0]?.path})`, hint: 'keep one project.yaml per spec folder' });
  }
  diagnostics.push(...checkImports(families));
  return { project: projects[0], families, diagnostics };
}

/** YAML text -> positioned values, or undefined after reporting why not. */
function parseSource(src: SourceText, diagnostics: Diagnostic[]): RawObject | undefined {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(src.text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      const duplicate = e.code === 'DUPLICATE_KEY';
      diagnostics.push({
        file: src.path, line, col, severity: 'error',
        rule: duplicate ? 'spec-duplicate-key' : 'yaml-syntax',
        message: e.message.split('\n')[0] ?? e.message,
        hint: duplicate ? 'a key may appear once per mapping' : 'fix the YAML syntax at this position',
      });
    }
    return undefined;
  }
  const raw = toRaw(doc.contents, src.path, lines, doc);
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw) || raw instanceof SpecNumber) {
    diagnostics.push({ file: src.path, line: 1, col: 1, severity: 'error', rule: 'spec-schema', message: 'a spec file must be a mapping', hint: 'start with `family: NAME` or `project: NAME`' });
    return undefined;
  }
  return raw;
}

/** Duplicate family names, imports of unknown families, and import cycles. */
function checkImports(families: LoadedFile[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const byName = new Map<string, LoadedFile>();
  for (const f of families) {
    const name = String(f.raw.family);
    const first = byName.get(name);
    if (first) {
      out.push({ ...(posOf(f.raw, 'family') ?? { file: f.path, line: 1, col: 1 }), severity: 'error', rule: 'spec-duplicate-name', message: `family '${name}' is also defined in ${first.path}`, hint: 'family names are unique across the spec folder' });
    } else byName.set(name, f);
  }
  const importsOf = (f: LoadedFile): string[] => ((f.raw.imports as string[] | undefined) ?? []).map(String);
  for (const f of families) {
    const list = f.raw.imports as unknown as object | undefined;
    importsOf(f).forEach((imp, i) => {
      if (!byName.has(imp)) {
        out.push({ ...(posOf(list ?? f.raw, i) ?? { file: f.path, line: 1, col: 1 }), severity: 'error', rule: 'spec-unknown-import', message: `import of unknown family '${imp}'`, hint: `known families: ${[...byName.keys()].sort().join(', ')}` });
      }
    });
  }
  // Cycle detection: depth-first search with colours; each cycle reported once, at its first file.
  const state = new Map<string, 'active' | 'done'>();
  const stack: string[] = [];
  const reported = new Set<string>();
  const visit = (name: string): void => {
    state.set(name, 'active');
    stack.push(name);
    const f = byName.get(name);
    for (const imp of f ? importsOf(f) : []) {
      if (!byName.has(imp)) continue;
      if (state.get(imp) === 'active') {
        const cycle = [...stack.slice(stack.indexOf(imp)), imp];
        const key = [...cycle].slice(0, -1).sort().join(',');
        if (!reported.has(key)) {
          reported.add(key);
          const at = byName.get(imp) as LoadedFile;
          out.push({ ...(posOf(at.raw, 'imports') ?? { file: at.path, line: 1, col: 1 }), severity: 'error', rule: 'spec-import-cycle', message: `import cycle: ${cycle.join(' -> ')}`, hint: 'move the shared items into a family both can import' });
        }
      } else if (!state.has(imp)) visit(imp);
    }
    stack.pop();
    state.set(name, 'done');
  };
  for (const name of [...byName.keys()].sort()) if (!state.has(name)) visit(name);
  return out;
}
