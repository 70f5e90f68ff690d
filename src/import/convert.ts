// One parsed UAPI header (one version) -> spec entries: defines are classified into
// requests, ioctl types, aliases, macros and constant sets; structs keep their members,
// nested defines included, in header order.
import { cSpacing } from '../emit/c/spacing.ts';
import { lex, type Cond, type HeaderItem, type Member } from '../cheader/index.ts';
import type { Entry } from './merge.ts';

export interface SetRule {
  /** Names matching this regex form a set (consecutive runs of them). */
  match: string;
  kind: 'flags' | 'features' | 'status' | 'values';
  id: string;
}

export interface ImportRules {
  sets: SetRule[];
  /** Per-request extra keys (scope, data, quirk, pass...), by request-name regex; first match wins. */
  requests?: Array<{ match: string; add: Record<string, unknown> }>;
  /** Names never imported (e.g. the include guard is dropped automatically). */
  skip?: string[];
}

const REQUEST = /^_IO(R|W|WR)?\s*\(\s*([A-Za-z_]\w*)\s*,\s*(.+?)\s*(?:,\s*(.+))?\)$/;
const ENCODING: Record<string, string> = { '': 'none', R: 'read', W: 'write', WR: 'readwrite' };

function guardOf(conds: Cond[]): Record<string, string> | undefined {
  const c = conds[conds.length - 1];
  if (!c || c.directive === 'else' || c.directive === 'elif') return c ? { if: c.expr } : undefined;
  return { [c.directive]: c.expr };
}

function head(node: Record<string, unknown>): string {
  return JSON.stringify(node);
}

function defineNode(raw: { name: string; params?: string[]; body: string }, known: Set<string>, rules: ImportRules): Entry {
  // The parser joins tokens with single spaces; the spec keeps kernel spacing.
  const d = { ...raw, body: cSpacing(raw.body) };
  const req = REQUEST.exec(d.body);
  if (!d.params && req) {
    const [, dir, type, nr, arg] = req;
    const node: Record<string, unknown> = { request: d.name, type, nr: (nr as string).trim(), encoding: ENCODING[dir ?? ''] };
    if (arg) node.arg = arg.trim().replace(/\s*\[\s*/g, '[').replace(/\s*\]/g, ']');
    for (const r of rules.requests ?? []) if (new RegExp(r.match).test(d.name)) Object.assign(node, r.add);
    return { key: `request ${d.name}`, head: head(node), node };
  }
  let node: Record<string, unknown>;
  if (d.params) node = { macro: d.name, params: d.params, body: d.body };
  else if (/^"[^"]*"$/.test(d.body)) node = { define: d.name, string: JSON.parse(d.body) as string };
  else if (/^[A-Za-z_]\w*$/.test(d.body) && known.has(d.body)) node = { define: d.name, 'alias-of': d.body };
  else if (d.body === '' || /[{};"]|\bsizeof\b/.test(d.body.replace(/'(?:\\.|[^'\\])'/g, '0'))) node = { macro: d.name, body: d.body };
  else node = { define: d.name, value: d.body };
  return { key: `define ${d.name}`, head: head(node), node };
}

function setRuleFor(name: string, rules: ImportRules): SetRule | undefined {
  return rules.sets.find((r) => new RegExp(r.match).test(name));
}

/** Groups runs of set-classified defines into set entries. */
function groupSets(entries: Array<{ e: Entry; rule?: SetRule; guard?: Record<string, string> }>): Entry[] {
  const out: Entry[] = [];
  let run: { rule: SetRule; values: Entry[] } | undefined;
  const flush = (): void => {
    if (!run) return;
    const node = { [run.rule.kind === 'values' ? 'set' : run.rule.kind]: run.rule.id };
    out.push({ key: `set ${run.rule.id}`, head: head(node), node, childKey: 'values', children: run.values });
    run = undefined;
  };
  for (const { e, rule, guard } of entries) {
    if (!rule || !('define' in e.node) || !('value' in e.node || 'alias-of' in e.node)) {
      flush();
      out.push(e);
      continue;
    }
    if (run && run.rule.id !== rule.id) flush();
    run ??= { rule, values: [] };
    const v: Record<string, unknown> = { name: e.node.define };
    if ('alias-of' in e.node) v['alias-of'] = e.node['alias-of'];
    else v[rule.kind === 'features' ? 'bit' : 'value'] = e.node.value;
    if (guard) v.guard = guard;
    run.values.push({ key: `value ${String(e.node.define)}`, head: head(v), node: v });
  }
  flush();
  return out;
}

function withGuard(e: Entry, g: Record<string, string> | undefined): Entry {
  if (!g) return e;
  const node = { ...e.node, guard: g };
  return { ...e, node, head: head({ h: e.head, g }) };
}

function fieldAttrs(attrs: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const a of attrs) {
    const al = /aligned\s*\(\s*(\d+)\s*\)/.exec(a);
    const cb = /__counted_by\s*\(\s*(\w+)\s*\)/.exec(a);
    if (al) out.aligned = Number(al[1]);
    else if (cb) out['counted-by'] = cb[1];
    else if (a === '__DECLARE_FLEX_ARRAY') out['flex-macro'] = true;
    else out['unknown-attribute'] = a;
  }
  return out;
}

function countOf(dims: string[]): unknown {
  if (dims.length === 0) return undefined;
  const one = (d: string): unknown => (d === '' ? [] : d);
  if (dims.length === 1) return one(dims[0] as string);
  return dims.map(one);
}

function memberEntries(members: Member[], known: Set<string>, rules: ImportRules): Entry[] {
  const raw: Array<{ e: Entry; rule?: SetRule; guard?: Record<string, string> }> = [];
  for (const m of members) {
    if (m.kind === 'field') {
      const node: Record<string, unknown> = { field: m.name, type: m.type };
      const count = countOf(m.dims);
      if (count !== undefined) node.count = count;
      Object.assign(node, fieldAttrs(m.attributes));
      if (m.dims.length === 1 && m.dims[0] === '' && m.attributes.includes('__DECLARE_FLEX_ARRAY')) node.count = [];
      raw.push({ e: { key: `field ${m.name}`, head: head(node), node } });
    } else if (m.kind === 'struct' || m.kind === 'union') {
      raw.push({ e: aggregateEntry(m.kind, m.tag ?? null, m.name, m.dims, m.attributes, m.members, known, rules) });
    } else if (m.kind === 'define') {
      known.add(m.name);
      const e = defineNode(m, known, rules);
      const rule = setRuleFor(m.name, rules);
      raw.push({ e, ...(rule ? { rule } : {}) });
    }
  }
  return groupSets(raw);
}

function aggregateEntry(kind: 'struct' | 'union', tag: string | null, name: string | undefined, dims: string[], attrs: string[], members: Member[], known: Set<string>, rules: ImportRules): Entry {
  const node: Record<string, unknown> = { [kind]: tag };
  if (name) node.name = name;
  const count = countOf(dims);
  if (count !== undefined) node.count = count;
  for (const a of attrs) {
    if (/packed/.test(a)) node.packed = true;
    const al = /aligned\s*\(\s*(\d+)\s*\)/.exec(a);
    if (al) node.aligned = Number(al[1]);
  }
  const children = memberEntries(members, known, rules);
  return { key: `${kind} ${tag ?? `(anonymous ${name ?? ''})`}`, head: head(node), node, childKey: 'members', children };
}

/** Defines used as the type argument of _IO* requests are ioctl types. */
function markIoctlTypes(entries: Entry[]): Entry[] {
  const types = new Set<string>();
  const walk = (list: Entry[], f: (e: Entry) => void): void => list.forEach((e) => { f(e); if (e.children) walk(e.children, f); });
  walk(entries, (e) => { if ('request' in e.node) types.add(String(e.node.type)); });
  walk(entries, (e) => {
    if ('define' in e.node && types.has(String(e.node.define))) {
      e.node = { ...e.node, 'ioctl-type': true };
      e.head = head(e.node);
    }
  });
  return entries;
}

export function convertHeader(items: HeaderItem[], guard: string | undefined, rules: ImportRules, known: Set<string>, text = ''): Entry[] {
  return markIoctlTypes(convertItems(items, guard, rules, known, enumCommas(text)));
}

/** For each enum (by its line), whether its last enumerator has a trailing comma. */
function enumCommas(text: string): Map<number, boolean> {
  const out = new Map<number, boolean>();
  const toks = lex(text).tokens;
  toks.forEach((t, i) => {
    if (t.text !== 'enum') return;
    let j = i;
    while (j < toks.length && toks[j]?.text !== '{' && toks[j]?.text !== ';') j++;
    if (toks[j]?.text !== '{') return;
    while (j < toks.length && toks[j]?.text !== '}') j++;
    out.set(t.line, toks[j - 1]?.text === ',');
  });
  return out;
}

function convertItems(items: HeaderItem[], guard: string | undefined, rules: ImportRules, known: Set<string>, commas: Map<number, boolean>): Entry[] {
  const skip = new Set([...(rules.skip ?? []), ...(guard ? [guard] : [])]);
  const raw: Array<{ e: Entry; rule?: SetRule; guard?: Record<string, string> }> = [];
  for (const it of items) {
    const g = guardOf(it.conds);
    switch (it.kind) {
      case 'define': {
        if (skip.has(it.name)) break;
        known.add(it.name);
        const e = defineNode(it, known, rules);
        const rule = setRuleFor(it.name, rules);
        raw.push(rule && 'define' in e.node ? { e, rule, ...(g ? { guard: g } : {}) } : { e: withGuard(e, g) });
        break;
      }
      case 'include':
        raw.push({ e: withGuard({ key: `include ${it.path}`, head: it.path, node: it.system ? { include: it.path } : { include: it.path, local: true } }, g) });
        break;
      case 'struct':
      case 'union':
        raw.push({ e: withGuard(aggregateEntry(it.kind, it.name, undefined, [], it.attributes, it.members, known, rules), g) });
        break;
      case 'enum': {
        const values = it.enumerators.map((en) => {
          known.add(en.name);
          const v: Record<string, unknown> = { name: en.name };
          if (en.value !== undefined) v.value = en.value;
          return { key: `value ${en.name}`, head: head(v), node: v };
        });
        const node = { enum: it.name ?? null, ...(commas.get(it.line) === false ? { 'trailing-comma': false } : {}) };
        raw.push({ e: withGuard({ key: `enum ${it.name ?? '(anonymous)'}`, head: head(node), node, childKey: 'values', children: values }, g) });
        break;
      }
      case 'function':
      case 'typedef':
      case 'other':
        raw.push({ e: withGuard({ key: `raw ${it.text.slice(0, 40)}`, head: it.text, node: { raw: it.text, reason: 'not an ABI declaration the model describes; kept verbatim' } }, g) });
        break;
      case 'undef':
        break;
    }
  }
  return groupSets(raw);
}
