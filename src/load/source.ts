// Turns a YAML document into plain values that remember where they came from.
// Numbers keep their source spelling (0x7A stays 0x7A) and their exact value as a bigint.
import { createRequire } from 'node:module';
import type { Document, Node, LineCounter } from 'yaml';
import type { Position } from '../diagnostics.ts';

/** An integer from the spec: exact value plus the spelling the author used. */
export class SpecNumber {
  constructor(
    readonly value: bigint,
    readonly text: string,
  ) {}
}

export type Raw = string | boolean | null | SpecNumber | RawList | RawObject;
export interface RawList extends Array<Raw> {}
export interface RawObject {
  [key: string]: Raw;
}

interface Where {
  self: Position;
  keys: Map<string, Position>;
}

const positions = new WeakMap<object, Where>();

/** Position of an object or list, or of one of its keys' values. */
export function posOf(value: object, key?: string | number): Position | undefined {
  const where = positions.get(value);
  if (!where) return undefined;
  if (key === undefined) return where.self;
  return where.keys.get(String(key)) ?? where.self;
}

/** yaml is loaded only when a file is parsed (not for a spec read from the parse cache). */
const yaml = (): typeof import('yaml') => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export function toRaw(node: Node | null | undefined, file: string, lines: LineCounter, doc?: Document, depth = 0): Raw {
  const { isAlias, isMap, isScalar, isSeq } = yaml();
  const at = (n: Node | null | undefined): Position => {
    const offset = n?.range?.[0] ?? 0;
    const { line, col } = lines.linePos(offset);
    return { file, line, col };
  };
  if (node == null) return null;
  if (isAlias(node)) {
    // An alias stands for its anchor's value; a depth bound stops alias bombs and cycles.
    const target = doc && depth < 64 ? (node.resolve(doc) as Node | undefined) : undefined;
    return target ? toRaw(target, file, lines, doc, depth + 1) : null;
  }
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'number' || typeof v === 'bigint') {
      const text = node.source ?? String(v);
      return Number.isInteger(Number(v)) && /^[+-]?(0x[0-9a-f]+|0o?[0-7]+|0b[01]+|[0-9]+)$/i.test(text)
        ? new SpecNumber(parseIntText(text), text)
        : text; // 6.12 and friends: keep the text, never a float
    }
    if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
    return String(v);
  }
  if (isSeq(node)) {
    const out: RawList = [];
    const keys = new Map<string, Position>();
    node.items.forEach((item, i) => {
      out.push(toRaw(item as Node, file, lines, doc, depth));
      keys.set(String(i), at(item as Node));
    });
    positions.set(out, { self: at(node), keys });
    return out;
  }
  if (isMap(node)) {
    const out: RawObject = Object.create(null);
    const keys = new Map<string, Position>();
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = toRaw(pair.value as Node, file, lines, doc, depth);
      keys.set(key, at((pair.value as Node) ?? (pair.key as Node)));
      keys.set(`key:${key}`, at(pair.key as Node));
    }
    positions.set(out, { self: at(node), keys });
    return out;
  }
  return null;
}

export function parseIntText(text: string): bigint {
  if (/^[+-]?0[0-7]*[89]/.test(text)) return BigInt(text.replace(/^([+-]?)0+(?=\d)/, '$1')); // YAML reads 019 as decimal
  const neg = text.startsWith('-');
  const body = text.replace(/^[+-]/, '');
  const v = /^0[0-7]+$/.test(body) ? BigInt(`0o${body.slice(1)}`) : BigInt(body.replace(/^0o/i, '0o'));
  return neg ? -v : v;
}

/** A JSON view for schema validation: SpecNumbers become numbers (precision beyond 2^53 is not needed to check types). */
export function toJsonView(value: Raw): unknown {
  if (value instanceof SpecNumber) return Number(value.value);
  if (Array.isArray(value)) return value.map(toJsonView);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = toJsonView(v);
    return out;
  }
  return value;
}

// Serialised form of a positioned value, for the parse cache: YAML parsing is most of the
// time of a run, and a spec file that did not change parses to the same values.
type Packed = string | boolean | null | { n: [string, string] } | { a: Packed[]; p: PackedWhere } | { o: Record<string, Packed>; p: PackedWhere };
interface PackedWhere { s: [number, number]; k: Array<[string, number, number]> }

const packWhere = (w: Where | undefined): PackedWhere => ({
  s: [w?.self.line ?? 1, w?.self.col ?? 1],
  k: [...(w?.keys ?? new Map<string, Position>())].map(([k, p]) => [k, p.line, p.col]),
});

export function packRaw(value: Raw): Packed {
  if (value instanceof SpecNumber) return { n: [value.value.toString(), value.text] };
  if (Array.isArray(value)) return { a: value.map(packRaw), p: packWhere(positions.get(value)) };
  if (value !== null && typeof value === 'object') {
    const o: Record<string, Packed> = {};
    for (const [k, v] of Object.entries(value)) o[k] = packRaw(v);
    return { o, p: packWhere(positions.get(value)) };
  }
  return value;
}

export function unpackRaw(packed: Packed, file: string): Raw {
  if (packed === null || typeof packed !== 'object') return packed;
  const where = (p: PackedWhere): Where => ({
    self: { file, line: p.s[0], col: p.s[1] },
    keys: new Map(p.k.map(([k, line, col]) => [k, { file, line, col }])),
  });
  if ('n' in packed) return new SpecNumber(BigInt(packed.n[0]), packed.n[1]);
  if ('a' in packed) {
    const list: RawList = packed.a.map((x) => unpackRaw(x, file));
    positions.set(list, where(packed.p));
    return list;
  }
  const obj: RawObject = Object.create(null);
  for (const [k, v] of Object.entries(packed.o)) obj[k] = unpackRaw(v, file);
  positions.set(obj, where(packed.p));
  return obj;
}
