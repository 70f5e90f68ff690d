// The answers of `explain`, as data: which requests a number is (on which ABIs, at which versions
// and in which proposals), its _IOC fields in each encoding, the nearest known requests when it
// is none; or every entry of a name. Pure functions over the index.
import type { IocEncoding } from '../model/index.ts';
import { decodeIoc, typeByte, type Decoded } from './decode.ts';
import type { ExplainIndex, IndexConstant, IndexRequest, IndexType } from './index-types.ts';

export interface Filters {
  /** One ABI (by name); all when absent. */
  readonly arch?: string;
  /** A kernel version of the spec, or a proposal's id; all when absent. */
  readonly at?: string;
}

export interface Decoding extends Decoded {
  /** The ABIs (after the --arch filter) that use this encoding. */
  readonly abis: readonly string[];
}

export interface NumberMatch {
  readonly request: IndexRequest;
  /** ABIs on which the request has this number. */
  readonly abis: readonly string[];
  /** Versions of its source at which it does (after the --at filter). */
  readonly versions: readonly string[];
}

export interface Nearest {
  readonly name: string;
  readonly source: string;
  readonly nr: number;
  readonly macro: string;
  /** Its number on the first ABI of the filter (x86_64 without --arch), and that ABI. */
  readonly number: number;
  readonly abi: string;
}

export interface NumberAnswer {
  readonly kind: 'number';
  readonly value: number;
  readonly hex: string;
  readonly decodings: readonly Decoding[];
  readonly matches: readonly NumberMatch[];
  /** Only when nothing matched: known requests of the same type byte, nearest nr first. */
  readonly nearest: readonly Nearest[];
  /** Only when no known request has that type byte: the types that are known. */
  readonly knownTypes: readonly { readonly type: number; readonly name: string }[];
}

export interface NameAnswer {
  readonly kind: 'name';
  readonly name: string;
  readonly requests: readonly IndexRequest[];
  readonly types: readonly IndexType[];
  readonly constants: readonly IndexConstant[];
  /** Only when nothing matched: names that contain the query. */
  readonly suggestions: readonly string[];
}

export type Answer = NumberAnswer | NameAnswer;

export const found = (a: Answer): boolean => (a.kind === 'number' ? a.matches.length > 0 : a.requests.length + a.types.length + a.constants.length > 0);

const hex = (n: number): string => `0x${n.toString(16)}`;

type Sourced = { source: string; name: string; versions: readonly string[] };

/** Kernel first, then the proposals; by name within each; older versions first. */
function bySource(index: ExplainIndex): (a: Sourced, b: Sourced) => number {
  const order = new Map(index.sources.map((s, i) => [s.id, i]));
  const versions = new Map(index.sources.map((s) => [s.id, s.versions]));
  const first = (x: Sourced): number => versions.get(x.source)?.indexOf(x.versions[0] ?? '') ?? 0;
  return (a, b) => (order.get(a.source) ?? 0) - (order.get(b.source) ?? 0) || a.name.localeCompare(b.name) || first(a) - first(b);
}

/** The versions of an entry that --at keeps: all of a proposal's when --at names it, else the one kernel version. */
function atVersions(x: { source: string; versions: readonly string[] }, at: string | undefined): string[] {
  if (at === undefined || x.source === at) return [...x.versions];
  return x.versions.filter((v) => v === at && x.source === 'linux');
}

export function explainNumber(index: ExplainIndex, value: number, filters: Filters = {}): NumberAnswer {
  const abis = index.abis.map((a, i) => ({ ...a, i })).filter((a) => filters.arch === undefined || a.name === filters.arch);
  const encodings = [...new Set(abis.map((a) => a.encoding))] as IocEncoding[];
  const decodings = encodings.map((e) => ({ ...decodeIoc(e, index.encodings[e], index.macros, value), abis: abis.filter((a) => a.encoding === e).map((a) => a.name) }));
  const matches: NumberMatch[] = [];
  for (const r of index.requests) {
    const versions = atVersions(r, filters.at);
    if (versions.length === 0) continue;
    const on = abis.filter((a) => r.numbers[a.i] === value).map((a) => a.name);
    if (on.length) matches.push({ request: r, abis: on, versions });
  }
  const order = bySource(index);
  matches.sort((a, b) => order(a.request, b.request));
  let nearest: Nearest[] = [];
  let knownTypes: { type: number; name: string }[] = [];
  if (matches.length === 0) {
    const t = typeByte(value);
    const nr = value & 0xff;
    const first = abis[0] ?? { name: 'x86_64', i: 0 };
    const seen = new Set<string>();
    nearest = index.requests
      .filter((r) => r.type === t)
      .sort((a, b) => Math.abs(a.nr - nr) - Math.abs(b.nr - nr) || bySource(index)(a, b))
      .filter((r) => !seen.has(`${r.source}\0${r.name}`) && seen.add(`${r.source}\0${r.name}`))
      .slice(0, 6)
      .map((r) => ({ name: r.name, source: r.source, nr: r.nr, macro: r.macro, number: r.numbers[first.i] ?? 0, abi: first.name }));
    if (nearest.length === 0) {
      const types = new Map<number, string>();
      for (const r of index.requests) if (!types.has(r.type)) types.set(r.type, r.typeName);
      knownTypes = [...types].sort((a, b) => a[0] - b[0]).map(([type, name]) => ({ type, name }));
    }
  }
  return { kind: 'number', value, hex: hex(value), decodings, matches, nearest, knownTypes };
}

export function explainName(index: ExplainIndex, name: string, filters: Filters = {}): NameAnswer {
  const wanted = (exact: boolean) => (n: string): boolean => {
    const candidates = [name, `struct ${name}`, `union ${name}`];
    return exact ? candidates.includes(n) : candidates.some((c) => c.toLowerCase() === n.toLowerCase());
  };
  const pick = <T extends Sourced>(list: readonly T[]): T[] => {
    const inScope = list.filter((x) => atVersions(x, filters.at).length > 0);
    const exact = inScope.filter((x) => wanted(true)(x.name));
    return (exact.length ? exact : inScope.filter((x) => wanted(false)(x.name))).sort(bySource(index));
  };
  const requests = pick(index.requests);
  const types = pick(index.types);
  const constants = pick(index.constants);
  let suggestions: string[] = [];
  if (requests.length + types.length + constants.length === 0) {
    const q = name.toLowerCase();
    const names = new Set([...index.requests, ...index.types, ...index.constants].map((x) => x.name));
    suggestions = [...names].filter((n) => n.toLowerCase().includes(q)).sort().slice(0, 10);
  }
  return { kind: 'name', name, requests, types, constants, suggestions };
}
