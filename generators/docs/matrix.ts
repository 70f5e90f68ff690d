// The version matrix: requests, structs and unions, constants and features against every
// column (the proposals, then the kernel versions). A cell compares the column with the one
// before it in the same line of history: added, removed, renumbered, resized, changed, or ✓.
import { ABIS, type Abi, type AbiView } from '../../src/model/index.ts';
import { href, type Catalog } from './catalog.ts';
import { code, hex, table } from './markdown.ts';
import { abiGroups, numbersOf } from './memo.ts';

/** One column: a version of a source. Proposals and the kernel are separate lines of history. */
interface Column {
  readonly cat: Catalog;
  readonly version: string;
  readonly title: string;
  readonly line: string;
}

type Cell = '' | '✓' | 'added' | 'removed' | 'renumbered' | 'resized' | 'changed';

/** What is compared between two columns; undefined where the item does not exist. */
interface Shape {
  /** The part whose change is a renumbering (request type, nr and encoding; a feature's bit). */
  readonly id: string;
  /** Sizes (the request's encoded argument, a struct's sizeof) on every ABI. */
  readonly size: string;
  /** Everything else a reader cares about. */
  readonly rest: string;
}

function requestShape(view: AbiView, name: string): Shape | undefined {
  const r = view.request(name);
  if (!r) return undefined;
  const i = r.item;
  const numbers = numbersOf(view, r);
  return {
    id: `${r.type}/${r.nr}/${i.encoding}`,
    // With type, nr and direction unchanged, only the size field can change the number.
    size: numbers.join(),
    rest: `${i.arg}/${i.data}/${i.pass}/${[...i.scope].sort().join()}`,
  };
}

function typeShape(view: AbiView, key: string): Shape | undefined {
  if (!view.types.has(key)) return undefined;
  const groups = abiGroups(view, key);
  const first = groups[0]?.layout;
  return {
    id: '',
    size: groups.map((g) => `${g.abis.join()}=${g.layout?.size ?? g.error}`).join('|'),
    // Field names and types (the same on every ABI), and every ABI's offsets.
    rest: `${first ? first.fields.map((f) => `${f.path}:${f.field.kind === 'field' ? f.field.type : f.field.kind}`).join() : ''}\n${groups.map((g) => `${g.abis.join()}=${g.print}`).join('|')}`,
  };
}

function constantShape(view: AbiView, name: string, features: boolean): Shape | undefined {
  const c = view.constant(name);
  if (!c || (c.kind === 'features') !== features) return undefined;
  const value = c.value !== undefined ? c.value.toString() : JSON.stringify(c.string ?? null);
  return features ? { id: value, size: '', rest: '' } : { id: '', size: '', rest: value };
}

function cell(prev: Shape | undefined, cur: Shape | undefined, first: boolean): Cell {
  if (!cur) return prev ? 'removed' : '';
  if (!prev) return first ? '✓' : 'added';
  if (prev.id !== cur.id) return 'renumbered';
  if (prev.size !== cur.size) return 'resized';
  if (prev.rest !== cur.rest) return 'changed';
  return '✓';
}

interface RowKind {
  readonly title: string;
  readonly ids: (cat: Catalog) => string[];
  readonly shape: (view: AbiView, name: string) => Shape | undefined;
}

const KINDS: readonly RowKind[] = [
  { title: 'Requests', ids: (c) => [...c.entries.values()].filter((e) => e.kind === 'request').map((e) => e.key), shape: requestShape },
  { title: 'Structs and unions', ids: (c) => [...c.entries.values()].filter((e) => e.kind === 'type').map((e) => e.key), shape: typeShape },
  { title: 'Constants', ids: (c) => [...c.entries.values()].filter((e) => e.kind === 'const').map((e) => e.key), shape: (v, n) => constantShape(v, n, false) },
  { title: 'Features', ids: (c) => [...c.entries.values()].filter((e) => e.kind === 'const').map((e) => e.key), shape: (v, n) => constantShape(v, n, true) },
];

const nameOf = (id: string): string => id.slice(id.indexOf(':') + 1);

function rowsOf(kind: RowKind, columns: readonly Column[], page: string): string[][] {
  const ids = [...new Set(columns.flatMap((c) => kind.ids(c.cat)))].sort((a, b) => nameOf(a).localeCompare(nameOf(b)));
  const rows: string[][] = [];
  for (const id of ids) {
    const name = nameOf(id);
    const cells: Cell[] = [];
    let prev: Shape | undefined;
    columns.forEach((c, i) => {
      const first = i === 0 || columns[i - 1]?.line !== c.line;
      if (first) prev = undefined;
      const cur = c.cat.find(id) ? kind.shape(c.cat.source.at(c.version), name) : undefined;
      cells.push(cell(prev, cur, first));
      prev = cur;
    });
    if (cells.every((x) => x === '')) continue; // a constant that is a feature (or not) nowhere
    const home = columns.map((c) => c.cat).find((cat) => cat.find(id) && !cat.source.proposal) ?? columns.map((c) => c.cat).find((cat) => cat.find(id));
    const entry = home?.find(id);
    rows.push([entry ? `[${code(name)}](${href(page, entry)})` : code(name), ...cells]);
  }
  return rows;
}

/** Requests of a proposal whose number shipped upstream under another name, on every ABI. */
function shipped(columns: readonly Column[], page: string): string[][] {
  const key = (view: AbiView, r: AbiView['requests'][number]): string => numbersOf(view, r).join(',');
  // Each kernel version's requests by their numbers on all ABIs, oldest version first.
  const kernel = columns.filter((c) => !c.cat.source.proposal).map((k) => {
    const view = k.cat.source.at(k.version);
    return { k, byNumbers: new Map(view.requests.map((r) => [key(view, r), r.item.name])) };
  });
  const rows: string[][] = [];
  for (const c of columns.filter((x) => x.cat.source.proposal)) {
    const view = c.cat.source.at(c.version);
    for (const r of view.requests) {
      const numbers = key(view, r);
      const hit = kernel.find(({ byNumbers }) => byNumbers.has(numbers) && byNumbers.get(numbers) !== r.item.name);
      const name = hit?.byNumbers.get(numbers);
      const entry = name ? hit?.k.cat.find(`request:${name}`) : undefined;
      const from = c.cat.find(`request:${r.item.name}`);
      if (!hit || !name || !entry || !from) continue;
      rows.push([c.title, `[${code(r.item.name)}](${href(page, from)})`, `[${code(name)}](${href(page, entry)})`, hit.k.version, code(hex(view.number(r, ABIS[0] as Abi)))]);
    }
  }
  return rows;
}

export function matrixPage(kernel: Catalog, proposals: readonly Catalog[]): { path: string; body: string } {
  const page = `${kernel.source.dir}/matrix.md`;
  const columns: Column[] = [
    ...proposals.flatMap((p) => p.source.listed.map((v) => ({ cat: p, version: v, title: p.source.id, line: p.source.id.replace(/-v\d+$/, '') }))),
    ...kernel.source.listed.map((v) => ({ cat: kernel, version: v, title: v, line: 'linux' })),
  ];
  const head = ['item', ...columns.map((c) => c.title)];
  const out = [
    '# Version matrix',
    '',
    `Every request, struct, union, constant and feature bit, against ${proposals.length ? `the ${proposals.map((p) => code(p.source.id)).join(', ')} proposals (2019, never merged) and ` : ''}the kernel versions the spec is checked at (${kernel.source.listed.join(', ')}).`,
    'A cell compares its column with the one before it in the same line of history (the proposals form one line, the kernel another):',
    '',
    '- ✓ present and unchanged (or present in the first column of its line);',
    '- **added** / **removed**: appears, or is gone;',
    '- **renumbered**: a request\'s type, nr or direction changed (a feature: its bit);',
    '- **resized**: the size a request encodes, or a struct\'s size, changed on some ABI;',
    '- **changed**: anything else (field offsets or names, argument type, data direction, fd kinds, a constant\'s value).',
    '',
    'Names link to the entry on the family pages, which give the details of each version.',
  ];
  for (const kind of KINDS) {
    const rows = rowsOf(kind, columns, page);
    out.push('', `## ${kind.title}`, '', ...table(head, rows.map((r) => r.map((x, i) => (i > 0 && x !== '' && x !== '✓' ? `**${x}**` : x)))));
  }
  const same = shipped(columns, page);
  if (same.length) {
    out.push('', '## Proposal numbers that shipped under another name', '', `The same number on all ${ABIS.length} ABIs (x86_64 shown), in the first kernel version that has it:`, '', ...table(['proposal', 'request', 'became', 'in', 'x86_64'], same));
  }
  return { path: page, body: `${out.join('\n')}\n` };
}
