// Every item of a source across all of its versions, in spec order, with the page and anchor
// that document it, and the item itself as projected at each version it lives at.
import { walkDefinitions, type AbiView, type Channel, type DeviceProfile, type FdKind, type RequestSet } from '../../src/model/index.ts';
import type * as M from '../../src/model/index.ts';
import { anchorId, slug } from './markdown.ts';
import type { DocSource } from './sources.ts';

export type Kind = 'request' | 'type' | 'set' | 'enum' | 'const' | 'macro' | 'fd' | 'request-set' | 'device' | 'channel';

/** What a catalogued item is at one version (projected: only its live members and values). */
export type Projected =
  | { kind: 'request'; item: M.RequestItem }
  | { kind: 'type'; item: M.AggregateItem }
  | { kind: 'set'; item: M.SetItem }
  | { kind: 'enum'; item: M.EnumItem }
  | { kind: 'const'; item: M.DefineItem | M.SetValue | M.External; within?: string }
  | { kind: 'macro'; item: M.MacroItem }
  | { kind: 'fd'; item: FdKind }
  | { kind: 'request-set'; item: RequestSet }
  | { kind: 'device'; item: DeviceProfile }
  | { kind: 'channel'; item: Channel };

export interface Entry {
  readonly kind: Kind;
  /** `${kind}:${name}`: what links and references name. */
  readonly key: string;
  /** Unique within the source: `${key}@${family}` (an item that moved between families has one entry in each). */
  readonly id: string;
  /** The name readers know it by: 'VHOST_GET_VRING_BASE', 'struct vhost_vring_addr', 'vdpa-core'. */
  readonly name: string;
  readonly family: string;
  /** Heading text (items with their own section), else undefined: a table row with an anchor. */
  readonly heading?: string;
  /** Page path under the output root, and the fragment that lands on the item. */
  readonly page: string;
  readonly fragment: string;
  /** For constants: the set or enum entry whose table lists it (undefined: the family's constant table). */
  readonly within?: string;
}

export interface Catalog {
  readonly source: DocSource;
  /** Family names in spec order, each with its entries in spec order. */
  readonly families: ReadonlyMap<string, readonly Entry[]>;
  readonly entries: ReadonlyMap<string, Entry>;
  /**
   * The entry a link to `key` (or an exact id) lands on: in `family` when it has one there, else
   * where the item lives at the version gen was asked for, else where it lived last.
   */
  find(keyOrId: string, family?: string): Entry | undefined;
  /** The item at a version, or undefined where it does not live. */
  at(id: string, version: string): Projected | undefined;
  /** The versions (listed, else checked) an entry lives at, oldest first. */
  versions(id: string): readonly string[];
  pageOf(family: string): string;
}

const HEADING: Partial<Record<Kind, (name: string) => string>> = {
  request: (n) => n,
  type: (n) => n,
  fd: (n) => `fd kind ${n}`,
  'request-set': (n) => `request set ${n}`,
  device: (n) => `device profile ${n}`,
  channel: (n) => `channel ${n}`,
};

/** An anonymous enum is named by its first enumerator as written (the spec position keys it). */
const enumName = (e: M.EnumItem): string => (e.tag ? `enum ${e.tag}` : `anonymous enum ${e.values[0]?.name ?? e.pos.line}`);
const enumKey = (e: M.EnumItem): string => (e.tag ? `enum ${e.tag}` : `enum @${e.pos.file}:${e.pos.line}`);

/** Items of a family item list (nested ones included), each with the id it is catalogued under. */
function* itemsOf(f: M.Family): Generator<{ key: string; name: string; kind: Kind; p: Projected; within?: string }> {
  for (const x of f.externals) yield { key: `const:${x.name}`, name: x.name, kind: 'const', p: { kind: 'const', item: x } };
  for (const d of walkDefinitions(f.items)) {
    switch (d.kind) {
      case 'request':
        yield { key: `request:${d.name}`, name: d.name, kind: 'request', p: { kind: 'request', item: d } };
        break;
      case 'struct':
      case 'union':
        if (d.tag) yield { key: `type:${d.kind} ${d.tag}`, name: `${d.kind} ${d.tag}`, kind: 'type', p: { kind: 'type', item: d } };
        break;
      case 'set': {
        const id = `set:${d.id}@${f.name}`;
        yield { key: `set:${d.id}`, name: d.id, kind: 'set', p: { kind: 'set', item: d } };
        for (const v of d.values) yield { key: `const:${v.name}`, name: v.name, kind: 'const', p: { kind: 'const', item: v, within: id }, within: id };
        break;
      }
      case 'enum': {
        const id = `enum:${enumKey(d)}@${f.name}`;
        yield { key: `enum:${enumKey(d)}`, name: enumName(d), kind: 'enum', p: { kind: 'enum', item: d } };
        for (const v of d.values) yield { key: `const:${v.name}`, name: v.name, kind: 'const', p: { kind: 'const', item: v, within: id }, within: id };
        break;
      }
      case 'define':
        yield { key: `const:${d.name}`, name: d.name, kind: 'const', p: { kind: 'const', item: d } };
        break;
      case 'macro':
        yield { key: `macro:${d.name}`, name: d.name, kind: 'macro', p: { kind: 'macro', item: d } };
        break;
    }
  }
  for (const x of f.fds) yield { key: `fd:${x.name}`, name: x.name, kind: 'fd', p: { kind: 'fd', item: x } };
  for (const x of f.requestSets) yield { key: `request-set:${x.name}`, name: x.name, kind: 'request-set', p: { kind: 'request-set', item: x } };
  for (const x of f.devices) yield { key: `device:${x.name}`, name: x.name, kind: 'device', p: { kind: 'device', item: x } };
  for (const x of f.channels) yield { key: `channel:${x.name}`, name: x.name, kind: 'channel', p: { kind: 'channel', item: x } };
}

function setHeading(s: M.SetItem): string {
  return `${s.set === 'values' ? 'value' : s.set} set ${s.id}`;
}

export function catalog(source: DocSource): Catalog {
  const pageOf = (family: string): string => `${source.dir}/${family}.md`;
  const families = new Map<string, Entry[]>();
  const entries = new Map<string, Entry>();
  const byKey = new Map<string, Entry[]>();
  // Spec order, every version: the raw families hold tombstones and later additions alike.
  for (const f of source.model.families) {
    const list = families.get(f.name) ?? [];
    families.set(f.name, list);
    for (const x of itemsOf(f)) {
      const id = `${x.key}@${f.name}`;
      if (entries.has(id)) continue;
      const heading = x.kind === 'set' && x.p.kind === 'set' ? setHeading(x.p.item) : x.kind === 'enum' ? x.name : HEADING[x.kind]?.(x.name);
      const e: Entry = {
        kind: x.kind, key: x.key, id, name: x.name, family: f.name, page: pageOf(f.name),
        ...(heading ? { heading, fragment: slug(heading) } : { fragment: anchorId(x.name) }),
        ...(x.within ? { within: x.within } : {}),
      };
      entries.set(id, e);
      byKey.set(x.key, [...(byKey.get(x.key) ?? []), e]);
      list.push(e);
    }
  }
  // The projected items at each checked version.
  const byVersion = new Map<string, Map<string, Projected>>();
  for (const v of source.checked) {
    const view: AbiView = source.at(v);
    const m = new Map<string, Projected>();
    for (const f of view.families) {
      for (const x of itemsOf(f)) {
        const id = `${x.key}@${f.name}`;
        if (!m.has(id)) m.set(id, x.p);
      }
    }
    byVersion.set(v, m);
  }
  const versionCache = new Map<string, readonly string[]>();
  const versions = (id: string): readonly string[] => {
    let vs = versionCache.get(id);
    if (!vs) {
      const live = (list: readonly string[]): string[] => list.filter((v) => byVersion.get(v)?.has(id));
      const listed = live(source.listed);
      vs = listed.length ? listed : live(source.checked);
      versionCache.set(id, vs);
    }
    return vs;
  };
  const rank = (e: Entry): number => {
    const vs = versions(e.id);
    return vs.includes(source.current) ? Infinity : source.checked.indexOf(vs[vs.length - 1] ?? '');
  };
  return {
    source,
    families,
    entries,
    find(keyOrId, family) {
      const exact = entries.get(keyOrId);
      if (exact) return exact;
      const list = byKey.get(keyOrId) ?? [];
      return list.find((e) => e.family === family) ?? [...list].sort((a, b) => rank(b) - rank(a))[0];
    },
    versions,
    pageOf,
    at: (id, v) => byVersion.get(v)?.get(id),
  };
}

/** The link from one page to an entry: a fragment on the same page, else a relative path. */
const relative = new Map<string, string>();

export function href(from: string, to: Entry): string {
  if (from === to.page) return `#${to.fragment}`;
  const key = `${from}\0${to.page}`;
  const known = relative.get(key);
  if (known !== undefined) return `${known}#${to.fragment}`;
  const a = from.split('/').slice(0, -1);
  const b = to.page.split('/');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const path = [...a.slice(i).map(() => '..'), ...b.slice(i)].join('/');
  relative.set(key, path);
  return `${path}#${to.fragment}`;
}
