// Test values for a struct or union and what they must look like in memory, derived from the
// model's layouts (proven against gcc by the oracle), not from the generated code: a sample value
// in the bindings' shape, its bytes on any ABI, and the C initializer that makes gcc store them.
// The mapping rules are the bindings' documented contract: camelCase names; u64, long, pointers
// and flag fields as bigint; char[N] as text; unsigned 8-bit arrays as Uint8Array; reserved
// members left out; one alternative of a union.
import { ABIS, type Abi, type AbiView, type AggregateItem, type CType, type FieldLayout, type FieldMember, type Member } from '../../src/model/index.ts';

export type Value = Record<string, unknown>;

/** A deterministic pseudo-random source (xorshift), so a failure names its seed. */
export class Rand {
  private s: bigint;
  constructor(seed: number) {
    this.s = BigInt(seed) * 0x9e3779b97f4a7c15n + 1n;
  }
  next(): bigint {
    let x = this.s & 0xffffffffffffffffn;
    x ^= (x << 13n) & 0xffffffffffffffffn;
    x ^= x >> 7n;
    x ^= (x << 17n) & 0xffffffffffffffffn;
    this.s = x;
    return x;
  }
  int(n: number): number {
    return Number(this.next() % BigInt(n));
  }
}

const camel = (s: string): string => s.split('_').filter(Boolean).map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('');

const isData = (m: Member): m is FieldMember | AggregateItem => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union';
const visible = (m: FieldMember | AggregateItem): boolean => (m.kind === 'field' ? !m.reserved : m.members.filter(isData).some(visible));

interface Prim {
  size: number;
  signed: boolean;
  order?: 'le' | 'be';
}

function primOf(view: AbiView, abi: Abi, t: CType): Prim {
  const l = view.layout(abi, t);
  if (!l.ok) throw new Error(l.error);
  if (t.kind === 'pointer') return { size: l.layout.size, signed: false };
  if (t.kind === 'enum') return { size: l.layout.size, signed: true };
  const name = t.kind === 'prim' ? t.name : '';
  const order = /^__(aligned_)?le|^__virtio/.test(name) ? 'le' : /^__(aligned_)?be/.test(name) ? 'be' : undefined;
  const signed = /^(__s\d|int$|short|long|signed|char$)/.test(name) && !/^unsigned/.test(name);
  return { size: l.layout.size, signed, ...(order ? { order } : {}) };
}

const X86_64 = ABIS[0] as Abi;
const isText = (m: FieldMember): boolean => m.ctype.kind === 'prim' && m.ctype.name === 'char' && m.dims.length > 0;
const isBytes = (view: AbiView, m: FieldMember): boolean => m.dims.length > 0 && !isText(m) && m.ctype.kind === 'prim' && (() => { const p = primOf(view, X86_64, m.ctype); return p.size === 1 && !p.signed; })();
const isBig = (view: AbiView, m: FieldMember): boolean => m.flags !== undefined || (m.ctype.kind !== 'struct' && m.ctype.kind !== 'union' && primOf(view, X86_64, m.ctype).size > 4);

/** Bytes per element of a flexible array of arrays (macs[][ETH_ALEN]), from the model's layout of one element. */
function rowOf(view: AbiView, abi: Abi, m: FieldMember): number | undefined {
  const [first, ...rest] = m.dims;
  if ((first !== 'flex' && first !== 'zero') || rest.length === 0) return undefined;
  const l = view.layout(abi, `${m.type}${rest.map((d) => `[${typeof d === 'string' ? 0 : d.text}]`).join('')}`);
  if (!l.ok) throw new Error(l.error);
  return l.layout.size;
}

function scalarSample(p: Prim, big: boolean, r: Rand): number | bigint {
  const bits = BigInt(p.size * 8);
  let v = r.next() & ((1n << bits) - 1n);
  if (p.signed && v >= 1n << (bits - 1n)) v -= 1n << bits;
  return big ? v : Number(v);
}

function fieldLayout(fields: readonly FieldLayout[], m: FieldMember | AggregateItem): FieldLayout {
  const f = fields.find((x) => x.field === m);
  if (!f) throw new Error(`no layout entry for ${m.kind === 'field' ? m.name : 'an inline aggregate'}`);
  return f;
}

/** A sample value of an aggregate's members (flattening anonymous ones), one union alternative. */
function sampleMembers(view: AbiView, abi: Abi, members: readonly Member[], fields: readonly FieldLayout[], union: boolean, r: Rand, out: Value, counted: Map<string, number>): void {
  const data = members.filter(isData).filter(visible);
  const chosen = union ? [data[r.int(data.length)] as FieldMember | AggregateItem] : data;
  for (const m of chosen) {
    const count = fieldLayout(fields, m).count;
    if (m.kind !== 'field') {
      if (!m.name) {
        sampleMembers(view, abi, m.members, fields, m.kind === 'union', r, out, counted);
        continue;
      }
      const inner = count === undefined ? fields : (() => {
        const one = view.inlineLayout(X86_64, m);
        if (!one.ok) throw new Error(one.error);
        return one.layout.fields;
      })();
      const one = (): Value => {
        const v: Value = {};
        sampleMembers(view, abi, m.members, inner, m.kind === 'union', r, v, counted);
        return v;
      };
      out[camel(m.name)] = count === undefined ? one() : Array.from({ length: count }, one);
      continue;
    }
    const n = count === 0 ? r.int(4) : count;
    if (count === 0 && m.countedBy) counted.set(m.countedBy, n as number);
    const t = m.ctype;
    const prop = camel(m.name);
    if (t.kind === 'struct' || t.kind === 'union') {
      const key = `${t.kind} ${t.tag}`;
      out[prop] = n === undefined ? sample(view, key, r, abi) : Array.from({ length: n }, () => sample(view, key, r, abi));
    } else if (isText(m)) {
      const room = (count as number) - 1;
      out[prop] = Array.from({ length: room > 0 ? r.int(room) + 1 : 0 }, () => String.fromCharCode(97 + r.int(26))).join('');
    } else if (isBytes(view, m)) {
      out[prop] = Uint8Array.from({ length: (n as number) * (rowOf(view, abi, m) ?? 1) }, () => r.int(256));
    } else {
      // The range is this ABI's width of the type, the JS type the widest ABI's.
      const p = primOf(view, abi, t);
      const big = isBig(view, m);
      out[prop] = n === undefined ? scalarSample(p, big, r) : Array.from({ length: n }, () => scalarSample(p, big, r));
    }
  }
}

/** A sample value of a type that fits abi (default x86_64); counted-by fields agree with their array. */
export function sample(view: AbiView, key: string, r: Rand, abi: Abi = X86_64): Value {
  const entry = view.types.get(key);
  const l = view.layout(X86_64, key);
  if (!entry || !l.ok) throw new Error(`no ${key}`);
  const out: Value = {};
  const counted = new Map<string, number>();
  sampleMembers(view, abi, entry.item.members, l.layout.fields, entry.item.kind === 'union', r, out, counted);
  for (const [field, n] of counted) {
    const m = entry.item.members.find((x) => x.kind === 'field' && x.name === field) as FieldMember | undefined;
    if (m) out[camel(field)] = isBig(view, m) ? BigInt(n) : n;
  }
  return out;
}

/** One stored value: where, how wide, and the C designator that names it. */
export type Leaf =
  | { kind: 'int'; offset: number; prim: Prim; value: bigint; designator: string }
  | { kind: 'text'; offset: number; length: number; value: string; designator: string }
  | { kind: 'bytes'; offset: number; value: Uint8Array; designator: string; row?: number };

function leavesOf(view: AbiView, abi: Abi, members: readonly Member[], fields: readonly FieldLayout[], base: number, value: Value, path: string, out: Leaf[]): void {
  for (const m of members.filter(isData).filter(visible)) {
    if (m.kind !== 'field') {
      const f = fieldLayout(fields, m);
      if (!m.name) {
        leavesOf(view, abi, m.members, fields, base, value, path, out);
        continue;
      }
      const v = value[camel(m.name)];
      if (v === undefined) continue;
      if (m.dims.length === 0) {
        leavesOf(view, abi, m.members, fields, base, v as Value, `${path}.${m.name}`, out);
      } else {
        const one = view.inlineLayout(abi, m);
        if (!one.ok) throw new Error(one.error);
        (v as Value[]).forEach((e, i) => leavesOf(view, abi, m.members, one.layout.fields, base + f.offset + i * one.layout.size, e, `${path}.${m.name}[${i}]`, out));
      }
      continue;
    }
    const v = value[camel(m.name)];
    if (v === undefined) continue;
    const f = fieldLayout(fields, m);
    const at = base + f.offset;
    const d = `${path}.${m.name}`;
    const t = m.ctype;
    if (t.kind === 'struct' || t.kind === 'union') {
      const key = `${t.kind} ${t.tag}`;
      const l = view.layout(abi, key);
      if (!l.ok) throw new Error(l.error);
      const entry = view.types.get(key);
      if (!entry) throw new Error(`no ${key}`);
      const list = m.dims.length ? (v as Value[]) : [v as Value];
      list.forEach((e, i) => leavesOf(view, abi, entry.item.members, l.layout.fields, at + i * l.layout.size, e, m.dims.length ? `${d}[${i}]` : d, out));
    } else if (isText(m)) {
      out.push({ kind: 'text', offset: at, length: f.size, value: v as string, designator: d });
    } else if (isBytes(view, m)) {
      const row = rowOf(view, abi, m);
      out.push({ kind: 'bytes', offset: at, value: v as Uint8Array, designator: d, ...(row ? { row } : {}) });
    } else {
      const p = primOf(view, abi, t);
      const list = m.dims.length ? (v as (number | bigint)[]) : [v as number | bigint];
      list.forEach((e, i) => out.push({ kind: 'int', offset: at + i * p.size, prim: p, value: BigInt(e), designator: m.dims.length ? `${d}[${i}]` : d }));
    }
  }
}

/** Every stored value of v as the type's layout on abi places it. */
export function leaves(view: AbiView, abi: Abi, key: string, v: Value): Leaf[] {
  const entry = view.types.get(key);
  const l = view.layout(abi, key);
  if (!entry || !l.ok) throw new Error(`no ${key}`);
  const out: Leaf[] = [];
  leavesOf(view, abi, entry.item.members, l.layout.fields, 0, v, '', out);
  return out;
}

/** The bytes of v on abi, from the model's layout: what a codec must produce. */
export function modelBytes(view: AbiView, abi: Abi, key: string, v: Value, size: number): Uint8Array {
  const bytes = new Uint8Array(size);
  const dv = new DataView(bytes.buffer);
  for (const leaf of leaves(view, abi, key, v)) {
    if (leaf.kind === 'text') bytes.set(new TextEncoder().encode(leaf.value), leaf.offset);
    else if (leaf.kind === 'bytes') bytes.set(leaf.value, leaf.offset);
    else {
      const le = (leaf.prim.order ?? (abi.bigEndian ? 'be' : 'le')) === 'le';
      const u = BigInt.asUintN(leaf.prim.size * 8, leaf.value);
      for (let i = 0; i < leaf.prim.size; i++) dv.setUint8(leaf.offset + (le ? i : leaf.prim.size - 1 - i), Number((u >> BigInt(8 * i)) & 0xffn));
    }
  }
  return bytes;
}

/** A C designated initializer that stores v; fixed-order fields get their bytes swapped where the ABI's order differs. */
export function cInitializer(abi: Abi, leavesList: readonly Leaf[]): string {
  const parts = leavesList.map((leaf) => {
    if (leaf.kind === 'text') return `${leaf.designator} = "${leaf.value}"`;
    if (leaf.kind === 'bytes') return [...leaf.value].map((b, i) => `${leaf.designator}${leaf.row ? `[${Math.floor(i / leaf.row)}][${i % leaf.row}]` : `[${i}]`} = ${b}`).join(', ');
    const u = BigInt.asUintN(leaf.prim.size * 8, leaf.value);
    const literal = `0x${u.toString(16)}ULL`;
    const swap = leaf.prim.order !== undefined && leaf.prim.order !== (abi.bigEndian ? 'be' : 'le') && leaf.prim.size > 1;
    return `${leaf.designator} = ${swap ? `__builtin_bswap${leaf.prim.size * 8}(${literal})` : literal}`;
  });
  return `{ ${parts.filter(Boolean).join(', ')} }`;
}
