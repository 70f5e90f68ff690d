// The shape of a struct or union on one ABI, read from the view's layout: every member with its
// offset, what it holds (a scalar, text, bytes, another type, an inline aggregate) and how many.
// Offsets and sizes are the view's; this only pairs them with the spec's members.
import type { AbiView, AggregateItem, Abi, CType, FieldLayout, FieldMember, Member } from '../../src/model/index.ts';
import { camel } from './names.ts';
import { scalarOf, type Scalar } from './scalars.ts';

interface Common {
  /** Property name in TypeScript. */
  readonly prop: string;
  /** The C path, for messages ('vhost_vring_addr.flags'). */
  readonly cPath: string;
  readonly offset: number;
  /** Elements: undefined for one, 0 for a flexible array. */
  readonly count?: number;
  readonly doc?: string;
  readonly since?: string;
  /** Kept for later fields: not in the types, written as zero. */
  readonly reserved: boolean;
}

export type Node =
  /** argsz: the field holds the size of the whole argument (VFIO); the codec fills it in when it is not given. */
  | (Common & { readonly kind: 'scalar'; readonly scalar: Scalar; readonly mask: boolean; readonly argsz?: true; readonly countedBy?: string })
  | (Common & { readonly kind: 'text'; readonly length: number })
  /** row: bytes per element of a flexible array of arrays (virtio_net_ctrl_mac.macs[][ETH_ALEN]). */
  | (Common & { readonly kind: 'bytes'; readonly countedBy?: string; readonly row?: number })
  /** inner: the type's own shape on this ABI, so ABIs group only where nested layouts agree too. */
  | (Common & { readonly kind: 'type'; readonly key: string; readonly size: number; readonly countedBy?: string; readonly inner: string })
  /** An aggregate declared in place; size is one element's when count is set. */
  | (Common & { readonly kind: 'inline'; readonly union: boolean; readonly size: number; readonly children: readonly Node[] });

export interface Shape {
  readonly key: string;
  readonly union: boolean;
  readonly size: number;
  /**
   * The ABI's byte order where some multi-byte scalar (here or in a nested type) follows it;
   * false when every one has a fixed order (__le, __virtio), so big- and little-endian ABIs
   * share one codec.
   */
  readonly bigEndian: boolean;
  readonly children: readonly Node[];
  /** The flexible array at the end, if any (a direct child). */
  readonly flex?: Node;
}

const isData = (m: Member): m is FieldMember | AggregateItem => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union';

function elementSize(view: AbiView, abi: Abi, t: CType): number {
  const r = view.layout(abi, t);
  if (!r.ok) throw new Error(`ts: ${r.error}`);
  return r.layout.size;
}

/** Walks members in layout order; `fields` is consumed front to back, as layoutAggregate pushed them. */
function walk(view: AbiView, abi: Abi, members: readonly Member[], fields: FieldLayout[], base: number, cName: string): Node[] {
  const out: Node[] = [];
  for (const m of members.filter(isData)) {
    const f = fields.shift();
    if (!f || f.field !== m) throw new Error(`ts: layout of ${cName} does not follow its members`);
    const common = {
      cPath: `${cName}.${m.name ?? '<anonymous>'}`,
      offset: f.offset - base,
      ...(f.count !== undefined ? { count: f.count } : {}),
      ...(m.doc ? { doc: m.doc } : {}),
      ...(m.since ? { since: m.since } : {}),
      reserved: m.kind === 'field' && m.reserved === true,
    };
    if (m.kind !== 'field') {
      if (m.dims.length > 0) {
        // An array of an inline aggregate: the outer layout stops at it; one element's layout has its fields.
        const one = view.inlineLayout(abi, m);
        if (!one.ok) throw new Error(`ts: ${one.error}`);
        if (f.count === 0) throw new Error(`ts: ${common.cPath}: flexible arrays of inline aggregates are not supported`);
        out.push({ ...common, prop: camel(m.name ?? ''), kind: 'inline', union: m.kind === 'union', size: one.layout.size, children: walk(view, abi, m.members, [...one.layout.fields], 0, cName) });
        continue;
      }
      const inner: FieldLayout[] = [];
      // Its own fields follow the aggregate's entry, flattened.
      while (fields[0] && isInside(fields[0].field, m)) inner.push(fields.shift() as FieldLayout);
      out.push({ ...common, prop: m.name ? camel(m.name) : '', kind: 'inline', union: m.kind === 'union', size: f.size, children: walk(view, abi, m.members, inner, f.offset, cName) });
      continue;
    }
    const prop = camel(m.name);
    const t = m.ctype;
    const counted = m.countedBy ? { countedBy: camel(m.countedBy) } : {};
    if (t.kind === 'struct' || t.kind === 'union') {
      const key = `${t.kind} ${t.tag}`;
      out.push({ ...common, ...counted, prop, kind: 'type', key, size: elementSize(view, abi, t), inner: signatureId(view, shapeOf(view, abi, key)) });
      continue;
    }
    const scalar = scalarOf(t, elementSize(view, abi, t));
    // A flexible array of arrays: each element is the inner dimensions' worth.
    const inner = f.count === 0 ? m.dims.slice(1) : [];
    const row = inner.length ? elementSize(view, abi, inner.reduceRight<CType>((of, d) => ({ kind: 'array', of, count: typeof d === 'string' ? '0' : d.text }), t)) : undefined;
    if (f.count !== undefined && scalar.char) out.push({ ...common, prop, kind: 'text', length: f.count });
    else if (f.count !== undefined && scalar.size === 1 && !scalar.signed) out.push({ ...common, ...counted, prop, kind: 'bytes', ...(row !== undefined ? { row } : {}) });
    else if (row !== undefined) throw new Error(`ts: ${common.cPath}: flexible arrays of arrays are supported for bytes only`);
    else out.push({ ...common, ...counted, prop, kind: 'scalar', scalar, mask: m.flags !== undefined, ...(m.argsz && f.count === undefined ? { argsz: true as const } : {}) });
  }
  return out;
}

/** Whether a layout entry belongs to the aggregate member m (directly or deeper). */
function isInside(field: FieldMember | AggregateItem, m: AggregateItem): boolean {
  return m.members.some((x) => x === field || ((x.kind === 'struct' || x.kind === 'union') && isInside(field, x)));
}

const memo = new WeakMap<AbiView, Map<string, Shape>>();

export function shapeOf(view: AbiView, abi: Abi, key: string): Shape {
  let shapes = memo.get(view);
  if (!shapes) memo.set(view, (shapes = new Map()));
  const known = shapes.get(`${abi.name} ${key}`);
  if (known) return known;
  const shape = buildShape(view, abi, key);
  shapes.set(`${abi.name} ${key}`, shape);
  return shape;
}

function buildShape(view: AbiView, abi: Abi, key: string): Shape {
  const entry = view.types.get(key);
  const r = view.layout(abi, key);
  if (!entry || !r.ok) throw new Error(`ts: no layout of ${key} on ${abi.name}`);
  const cName = key.replace(/^(struct|union) /, '');
  const children = walk(view, abi, entry.item.members, [...r.layout.fields], 0, cName);
  const last = children[children.length - 1];
  return {
    key,
    union: entry.item.kind === 'union',
    size: r.layout.size,
    bigEndian: abi.bigEndian && followsAbiOrder(view, abi, children),
    children,
    ...(r.layout.flexible && last ? { flex: last } : {}),
  };
}

/** Whether any multi-byte scalar among the nodes (nested types included) is in the ABI's byte order. */
function followsAbiOrder(view: AbiView, abi: Abi, nodes: readonly Node[]): boolean {
  return nodes.some((n) => {
    switch (n.kind) {
      case 'scalar': return n.scalar.size > 1 && n.scalar.order === undefined;
      case 'inline': return followsAbiOrder(view, abi, n.children);
      case 'type': return followsAbiOrder(view, abi, shapeOf(view, abi, n.key).children);
      default: return false;
    }
  });
}

/** Two ABIs share a codec when their shapes agree in every offset, size and byte order. */
export const shapeSignature = (s: Shape): string => JSON.stringify(s, (k, v: unknown) => (k === 'doc' || k === 'since' ? undefined : v));

const ids = new WeakMap<AbiView, Map<string, string>>();

/** A short stand-in for a nested type's signature (nesting the text itself grows it quadratically). */
function signatureId(view: AbiView, s: Shape): string {
  let known = ids.get(view);
  if (!known) ids.set(view, (known = new Map()));
  const sig = shapeSignature(s);
  let id = known.get(sig);
  if (id === undefined) known.set(sig, (id = `#${known.size}`));
  return id;
}
