// Builds the explain index from the front door: every request, type and constant of a spec and
// its proposals, at every listed version, with what the model says of it (numbers per ABI,
// layouts, checks). Plain JSON, so a run can keep it (cache.ts) and the next one answers without
// opening the spec.
import { ABIS, IOC_LAYOUTS, MACRO_OF, type AbiView, type AggregateLayout, type Behaviour, type Request, type Spec } from '../model/index.ts';
import { INDEX_FORMAT, type CheckList, type ExplainIndex, type IndexConstant, type IndexRequest, type IndexSource, type IndexType, type LayoutGroup } from './index-types.ts';
import { checkResult, checkText, ruleCondition } from './words.ts';

/** A spec and its name: 'linux' for the kernel spec, the history folder's name for a proposal. */
export interface NamedSpec {
  readonly id: string;
  readonly proposal: boolean;
  readonly spec: Spec;
}

/** ABIs grouped by identical layout, x86_64's group first. */
function layoutGroups(view: AbiView, type: string): LayoutGroup[] | undefined {
  const groups = new Map<string, { abis: string[]; l: AggregateLayout }>();
  for (const abi of ABIS) {
    const r = view.layout(abi, type);
    if (!r.ok) return undefined;
    const l = r.layout;
    const key = `${l.size}/${l.align}:${l.fields.map((f) => `${f.offset}+${f.size}`).join()}`;
    const g = groups.get(key) ?? { abis: [], l };
    g.abis.push(abi.name);
    groups.set(key, g);
  }
  return [...groups.values()].map(({ abis, l }) => ({
    abis,
    size: l.size,
    align: l.align,
    fields: l.fields.map((f) => ({ path: f.path, offset: f.offset, size: f.size, type: f.field.kind === 'field' ? `${f.field.type}${f.count !== undefined ? `[${f.count || ''}]` : ''}` : `${f.field.kind}${f.field.tag ? ` ${f.field.tag}` : ''}` })),
  }));
}

function checksOf(b: Behaviour, name: string): CheckList {
  if (b.executable) {
    const p = b.path(name);
    const steps = p.checks.map((c) => ({ text: `${c.id}: ${checkText(c)}`, errno: checkResult(c) || '-' }));
    steps.push(p.kind === 'handled' ? { text: 'all checks passed', errno: '0' } : { text: p.kind === 'unhandled' ? 'not handled by this fd' : 'not modelled', errno: p.kind === 'unhandled' ? p.end : '?' });
    return { fd: b.fd.name, ordered: true, steps };
  }
  return {
    fd: b.fd.name,
    ordered: false,
    steps: [...b.rulesFor(name).map((r) => ({ text: `status rule: ${ruleCondition(r)}`, errno: r.error })), ...b.quirksFor(name).map((q) => ({ text: `quirk ${q.name}: ${q.doc}`, errno: q.errno.join(', ') || 'none' }))],
  };
}

function requestAt(view: AbiView, r: Request, source: string): Omit<IndexRequest, 'versions'> {
  const i = r.item;
  const argLayout = i.arg && i.pass === 'pointer' ? layoutGroups(view, i.arg) : undefined;
  return {
    name: i.name,
    source,
    family: r.family,
    macro: MACRO_OF[i.encoding],
    encoding: i.encoding,
    typeName: i.typeName,
    type: r.type,
    nr: r.nr,
    nrText: i.nr.text,
    ...(i.arg ? { arg: i.arg } : {}),
    pass: i.pass,
    data: i.data,
    ...(i.quirk ? { quirk: i.quirk } : {}),
    ...(i.doc ? { doc: i.doc } : {}),
    scope: [...i.scope],
    devices: [...view.devices.values()].filter((d) => view.accepted(d.name).has(i.name)).map((d) => d.name),
    numbers: ABIS.map((a) => view.number(r, a)),
    ...(argLayout ? { argLayout } : {}),
    checks: i.scope.flatMap((fd) => {
      const b = view.behaviour(fd);
      return b ? [checksOf(b, i.name)] : [];
    }),
  };
}

type Variants<T> = Map<string, { key: string; entry: T }[]>;

/** Adds an item's state at a version, merging it into the entry of an earlier version that says the same. */
function collect<T extends { versions: readonly string[] }>(into: Variants<T>, name: string, version: string, value: Omit<T, 'versions'>): void {
  const key = JSON.stringify(value);
  const list = into.get(name) ?? [];
  into.set(name, list);
  const same = list.find((x) => x.key === key);
  if (same) (same.entry.versions as string[]).push(version);
  else list.push({ key, entry: { ...value, versions: [version] } as unknown as T });
}

const entries = <T>(m: Variants<T>): T[] => [...m.values()].flatMap((list) => list.map((x) => x.entry));

export function buildIndex(specs: readonly NamedSpec[]): ExplainIndex {
  const requests: Variants<IndexRequest> = new Map();
  const types: Variants<IndexType> = new Map();
  const constants: Variants<IndexConstant> = new Map();
  const sources: IndexSource[] = [];
  for (const { id, proposal, spec } of specs) {
    const doc = proposal ? spec.model.families[0]?.doc : undefined;
    sources.push({ id, proposal, versions: [...spec.versions], ...(doc ? { doc } : {}) });
    for (const v of spec.versions) {
      const found = spec.version(v);
      if (!found.ok) continue;
      const view = spec.at(found.version);
      for (const r of view.requests) collect(requests, `${id}\0${r.item.name}`, v, requestAt(view, r, id));
      for (const [key, t] of view.types) {
        const layout = layoutGroups(view, key) ?? [];
        collect(types, `${id}\0${key}`, v, { name: key, source: id, family: t.family, ...(t.item.doc ? { doc: t.item.doc } : {}), layout });
      }
      for (const [name, c] of view.constants) {
        collect(constants, `${id}\0${name}`, v, {
          name, source: id, family: c.family, kind: c.kind, spelling: c.spelling,
          ...(c.value !== undefined ? { value: c.value.toString() } : {}),
          ...(c.string !== undefined ? { string: c.string } : {}),
          ...(c.set && c.set.kind === 'set' ? { set: c.set.id } : {}),
          ...(c.item.doc ? { doc: c.item.doc } : {}),
        });
      }
    }
  }
  return {
    format: INDEX_FORMAT,
    abis: ABIS.map((a) => ({ name: a.name, encoding: a.encoding })),
    encodings: IOC_LAYOUTS,
    macros: MACRO_OF,
    sources,
    requests: entries(requests),
    types: entries(types),
    constants: entries(constants),
  };
}
