// `ioctl-abi explain <value|name>`: what a raw request number from strace or an oops is, on which
// ABIs and versions (the proposals included), or what a name is. Answers come from the explain
// index, cached per spec text and code; only a cache miss opens the spec (and loads the model).
// Exit 0 when something matched, 1 when nothing did, 2 on usage or spec errors.
import { statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { indexKey, readIndex, writeIndex } from '../explain/cache.ts';
import { formatText } from '../explain/format.ts';
import type { ExplainIndex } from '../explain/index-types.ts';
import { explainName, explainNumber, found, type Filters } from '../explain/lookup.ts';
import { parseQuery, QueryError } from '../explain/query.ts';
import { UsageError } from './args.ts';
import { historyFolders } from './history-folders.ts';
import { countBySeverity, printDiagnostics } from './output.ts';
import { packagedSpecNotice, resolveSpecTarget } from './spec-location.ts';

type Flags = Record<string, string | boolean>;

/** The spec folder to read: --spec (a folder, or a file of one), else spec/ here, else the packaged spec. */
function specFolder(flags: Flags): string {
  const target = resolveSpecTarget(flags.spec === undefined ? undefined : String(flags.spec), process.cwd());
  let isFile: boolean;
  try {
    isFile = statSync(target.path).isFile();
  } catch {
    throw new UsageError(`spec not found: ${resolve(target.path)}`);
  }
  if (target.packaged) process.stderr.write(packagedSpecNotice(target.path));
  return isFile ? dirname(target.path) : target.path;
}

/** The index from the cache, or built from the spec (the model is loaded only here). */
async function loadIndex(dir: string, format: 'text' | 'json'): Promise<ExplainIndex | undefined> {
  const history = historyFolders(dir);
  const key = indexKey([dir, ...history.map((h) => join(dir, 'history', h))]);
  const cached = readIndex(key);
  if (cached) return cached;
  const [{ openSpec }, { openHistory }, { buildIndex }] = await Promise.all([import('../model/index.ts'), import('./history.ts'), import('../explain/index-build.ts')]);
  const opened = openSpec(dir);
  if (!opened.ok) {
    printDiagnostics([...opened.diagnostics], format, `spec invalid: ${countBySeverity([...opened.diagnostics])}`);
    return undefined;
  }
  const h = openHistory(dir);
  if (!h.ok) {
    printDiagnostics([...h.diagnostics], format, `spec invalid (history): ${countBySeverity([...h.diagnostics])}`);
    return undefined;
  }
  const index = buildIndex([{ id: 'linux', proposal: false, spec: opened.spec }, ...h.history.map((x) => ({ id: x.name, proposal: true, spec: x.spec }))]);
  writeIndex(key, index);
  return index;
}

/** --arch and --at, checked against what the index knows. */
function filtersOf(index: ExplainIndex, flags: Flags): Filters {
  const arch = flags.arch === undefined ? undefined : String(flags.arch);
  if (arch !== undefined && !index.abis.some((a) => a.name === arch)) throw new UsageError(`unknown --arch '${arch}' (one of: ${index.abis.map((a) => a.name).join(', ')})`);
  const at = flags.at === undefined ? undefined : String(flags.at);
  const linux = index.sources.find((s) => !s.proposal);
  const known = [...(linux?.versions ?? []), ...index.sources.filter((s) => s.proposal).map((s) => s.id)];
  if (at !== undefined && !known.includes(at)) throw new UsageError(`--at: '${at}' is neither a version of the spec nor a proposal (known: ${known.join(', ')})`);
  return { ...(arch !== undefined ? { arch } : {}), ...(at !== undefined ? { at } : {}) };
}

export async function explain(flags: Flags, positionals: readonly string[]): Promise<number> {
  const format = flags.format ?? 'text';
  if (format !== 'text' && format !== 'json') throw new UsageError(`--format must be text or json, not ${String(format)}`);
  if (positionals.length === 0) throw new UsageError('explain needs a request number (0x4008af70 or 1074311024) or a name (try --help)');
  // `explain struct vhost_vring_addr` arrives as two words.
  const aggregate = positionals.length === 2 && /^(struct|union)$/.test(positionals[0] ?? '');
  if (positionals.length > 1 && !aggregate) throw new UsageError(`explain takes one value or name, not '${positionals.join(' ')}'`);
  let query;
  try {
    query = parseQuery(positionals.join(' '));
  } catch (e) {
    if (e instanceof QueryError) throw new UsageError(e.message);
    throw e;
  }
  const index = await loadIndex(specFolder(flags), format);
  if (!index) return 2;
  const filters = filtersOf(index, flags);
  const answer = query.kind === 'number' ? explainNumber(index, query.value, filters) : explainName(index, query.name, filters);
  process.stdout.write(format === 'json' ? `${JSON.stringify(answer, null, 2)}\n` : formatText(index, answer));
  return found(answer) ? 0 : 1;
}
