// Struct and union layout per ABI: sizes, alignments, offsets and the holes between them.
// The C rules gcc applies on Linux targets: members at the next multiple of their alignment,
// size rounded up to the aggregate's alignment; packed drops member alignment to 1.
import type { Position } from '../diagnostics.ts';
import type { Abi } from './abi.ts';
import { PRIMITIVES, type CType } from './ctype.ts';
import type { AggregateItem, Dim, FieldMember, Member } from './types.ts';

export interface TypeLayout {
  size: number;
  align: number;
}

export interface FieldLayout {
  /** Dotted path; anonymous members add no segment (their fields are reachable directly). */
  path: string;
  offset: number;
  size: number;
  align: number;
  /** Element count for arrays (0 for flexible arrays), undefined for scalars. */
  count?: number;
  field: FieldMember | AggregateItem;
}

export interface Hole {
  offset: number;
  size: number;
  /** The member the hole follows, or '' at the start; 'tail' holes follow the last member. */
  after: string;
  tail: boolean;
}

export interface AggregateLayout extends TypeLayout {
  fields: FieldLayout[];
  holes: Hole[];
  /** True when the last member is a flexible (or zero-length) array. */
  flexible: boolean;
}

export interface LayoutContext {
  abi: Abi;
  /** Layout of a struct/union/enum by tag; throws LayoutError when unknown. */
  aggregate(kind: 'struct' | 'union', tag: string): AggregateLayout;
  /** Value of an array dimension expression (pos: where it is written, for errors). */
  dim(expr: string, pos?: Position): number;
}

export class LayoutError extends Error {}

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export function typeLayout(t: CType, ctx: LayoutContext): TypeLayout {
  switch (t.kind) {
    case 'prim':
      return ctx.abi.prims[PRIMITIVES[t.name] ?? 'int'];
    case 'pointer':
      return ctx.abi.prims.pointer;
    case 'array': {
      const elem = typeLayout(t.of, ctx);
      return { size: elem.size * ctx.dim(t.count), align: elem.align };
    }
    case 'enum':
      return ctx.abi.prims.int;
    default: {
      const l = ctx.aggregate(t.kind, t.tag);
      return { size: l.size, align: l.align };
    }
  }
}

function elementCount(dims: readonly Dim[], ctx: LayoutContext, pos: Position): number | undefined {
  if (dims.length === 0) return undefined;
  let n = 1;
  for (const d of dims) n *= d === 'flex' || d === 'zero' ? 0 : ctx.dim(d.text, pos);
  return n;
}

const isMemberData = (m: Member): m is FieldMember | AggregateItem => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union';

export function layoutAggregate(item: AggregateItem, ctx: LayoutContext): AggregateLayout {
  const fields: FieldLayout[] = [];
  const holes: Hole[] = [];
  const isUnion = item.kind === 'union';
  let offset = 0;
  let size = 0;
  let align = 1;
  let last = '';
  let flexible = false;
  for (const m of item.members.filter(isMemberData)) {
    const elem = m.kind === 'field' ? typeLayout(m.ctype, ctx) : layoutAggregate(m, ctx);
    const count = elementCount(m.dims, ctx, m.keys.count ?? m.pos);
    let malign = item.packed ? 1 : elem.align;
    if (m.aligned) malign = Math.max(malign, m.aligned);
    const msize = elem.size * (count ?? 1);
    const at = isUnion ? 0 : alignUp(offset, malign);
    if (at > offset) holes.push({ offset, size: at - offset, after: last, tail: false });
    const path = m.kind === 'field' ? m.name : m.name ?? '';
    fields.push({ path, offset: at, size: msize, align: malign, ...(count !== undefined ? { count } : {}), field: m });
    if (m.kind !== 'field' && m.dims.length === 0) {
      // Members of a nested aggregate, reachable as path.member (or directly when anonymous).
      for (const inner of layoutAggregate(m, ctx).fields) {
        fields.push({ ...inner, path: path ? `${path}.${inner.path}` : inner.path, offset: at + inner.offset });
      }
    }
    flexible = count === 0;
    align = Math.max(align, malign);
    if (isUnion) size = Math.max(size, msize);
    else offset = at + msize;
    last = path || `<anonymous ${m.kind}>`;
  }
  if (item.aligned) align = Math.max(align, item.aligned);
  const end = isUnion ? size : offset;
  const total = alignUp(end, align);
  if (!isUnion && total > end) holes.push({ offset: end, size: total - end, after: last, tail: true });
  return { size: total, align, fields, holes, flexible };
}
