// Straight-line DataView code for one shape: a writer and a reader with literal offsets and a
// literal byte order. Writers assume zeroed bytes (padding and reserved fields stay zero) and
// check every value's range, since DataView wraps -1 and 2^64+3 without a word.
import type { Node, Shape } from './shape.ts';
import { accessor, cName, isBig, outOfRange, type Scalar } from './scalars.ts';

/** What the code of one variant refers to by name. */
export interface VariantNames {
  /** Writer and reader function names of a type's variant on the ABIs of this one. */
  writer(key: string): string;
  reader(key: string): string;
  /** Whether the TypeScript property at this C path is a bigint (decided once for all ABIs). */
  big(cPath: string): boolean;
}

const le = (s: Scalar, bigEndian: boolean): string => String((s.order ?? (bigEndian ? 'be' : 'le')) === 'le');
const pos = (offset: number, i?: string, stride?: number): string => `at${offset ? ` + ${offset}` : ''}${i ? ` + ${stride} * ${i}` : ''}`;

/** Whether a node has a place in the TypeScript types. */
export const visible = (n: Node): boolean => !n.reserved && (n.kind !== 'inline' || n.children.some(visible));

/** The alternatives of a union the caller chooses from (reserved ones only size it). */
export const alternatives = (n: { children: readonly Node[] }): Node[] => n.children.filter(visible);

/** Properties a union alternative is recognised by: its own, or any of an anonymous aggregate's. */
function presenceProps(n: Node): string[] {
  if (n.kind === 'inline' && !n.prop) return alternatives(n).flatMap(presenceProps);
  return [n.prop];
}

/** Statement lines with their block indentation (ts-morph prints statement text as given). */
class Lines {
  readonly out: string[] = [];
  private depth = 0;
  push(...l: string[]): void {
    for (const line of l) {
      if (line.startsWith('}')) this.depth--;
      this.out.push(`${'  '.repeat(Math.max(this.depth, 0))}${line}`);
      if (line.endsWith('{')) this.depth++;
    }
  }
}

function writeScalar(l: Lines, s: Scalar, big: boolean, value: string, at: string, cPath: string, bigEndian: boolean): void {
  const wire = isBig(s);
  if (big && !wire) {
    // A mask or an ABI-wide type that is 4 bytes or less here: checked as bigint, written as number.
    l.push(`if (BigInt.as${s.signed ? 'Int' : 'Uint'}N(${s.size * 8}, ${value}) !== ${value}) throw badValue('${cPath}', ${value}, '${cName(s)}');`);
    l.push(`view.set${accessor(s)}(${at}, Number(${value})${s.size > 1 ? `, ${le(s, bigEndian)}` : ''});`);
    return;
  }
  l.push(`if (${outOfRange(s, value)}) throw badValue('${cPath}', ${value}, '${cName(s)}');`);
  l.push(`view.set${accessor(s)}(${at}, ${value}${s.size > 1 ? `, ${le(s, bigEndian)}` : ''});`);
}

function readScalar(s: Scalar, big: boolean, at: string, bigEndian: boolean): string {
  const get = `view.get${accessor(s)}(${at}${s.size > 1 ? `, ${le(s, bigEndian)}` : ''})`;
  return big && !isBig(s) ? `BigInt(${get})` : get;
}

function countCheck(l: Lines, n: Node, obj: string, names: VariantNames): void {
  if (!('countedBy' in n) || !n.countedBy) return;
  const cPath = n.cPath.replace(/\.[^.]+$/, `.${n.countedBy}`);
  const len = names.big(cPath) ? `BigInt(${obj}.${n.prop}.length)` : `${obj}.${n.prop}.length`;
  l.push(`if (${obj}.${n.countedBy} !== ${len}) throw new RangeError(\`${n.cPath}: ${n.countedBy} is \${${obj}.${n.countedBy}} but there are \${${obj}.${n.prop}.length} elements\`);`);
}

/** optional: the member belongs to an anonymous aggregate in a union; absent, it stays zero. */
function writeNode(l: Lines, n: Node, obj: string, shape: Shape, names: VariantNames, base: number, optional = false): void {
  if (n.reserved) return;
  const value = `${obj}.${n.prop}`;
  if (optional && n.prop) {
    l.push(`if (${value} !== undefined) {`);
    writeNode(l, n, obj, shape, names, base);
    l.push('}');
    return;
  }
  const off = base + n.offset;
  const flexible = n.count === 0;
  const fixedCount = n.count !== undefined && n.count > 0 ? n.count : undefined;
  switch (n.kind) {
    case 'inline': {
      if (n.count !== undefined) {
        // Arrays of inline aggregates are short (the headers have [1]): unrolled, element by element.
        l.push(`if (${value}.length !== ${n.count}) throw new RangeError(\`${n.cPath}: \${${value}.length} elements, not ${n.count}\`);`);
        for (let i = 0; i < n.count; i++) writeNode(l, { ...n, count: undefined, prop: '', offset: 0 } as Node, `${value}[${i}]!`, shape, names, off + i * n.size, false);
        return;
      }
      const inner = n.prop ? value : obj;
      if (!n.union) {
        for (const c of n.children) writeNode(l, c, inner, shape, names, off, optional);
        return;
      }
      const alts = alternatives(n);
      if (alts.length === 1) {
        writeNode(l, alts[0] as Node, inner, shape, names, off, optional);
        return;
      }
      const present = alts.map((a) => presenceProps(a).map((p) => `${inner}.${p} !== undefined`).join(' || '));
      l.push(`if (${present.map((p) => `+(${p})`).join(' + ')} > 1) throw new RangeError('${n.cPath}: give one of ${alts.map((a) => presenceProps(a).join('/')).join(', ')}');`);
      alts.forEach((a, i) => {
        l.push(`${i === 0 ? '' : '} else '}if (${present[i]}) {`);
        writeNode(l, a, inner, shape, names, off, a.kind === 'inline' && !a.prop);
      });
      l.push('}');
      return;
    }
    case 'text':
      l.push(`putText(view, ${pos(off)}, ${n.length}, ${value}, '${n.cPath}');`);
      return;
    case 'bytes':
      countCheck(l, n, obj, names);
      l.push(`putBytes(view, ${pos(off)}, ${fixedCount ?? -(n.row ?? 1)}, ${value}, '${n.cPath}');`);
      return;
    case 'scalar':
    case 'type': {
      if (n.kind === 'scalar' && n.argsz) {
        // Left out, argsz is the size of this encoding: sizeof plus the flexible array's elements.
        const elem = flexElementSize(shape);
        // A flexible byte array's length is already in bytes; other elements count elem bytes each.
        const extra = shape.flex?.kind === 'bytes' || elem === 1 ? `${obj}.${shape.flex?.prop}.length` : `${elem} * ${obj}.${shape.flex?.prop}.length`;
        const total = shape.flex && elem !== undefined ? `${shape.size} + ${extra}` : String(shape.size);
        l.push(`const ${n.prop} = ${value} ?? ${total};`);
        writeScalar(l, n.scalar, names.big(n.cPath), n.prop, pos(off), n.cPath, shape.bigEndian);
        return;
      }
      const size = n.kind === 'scalar' ? n.scalar.size : n.size;
      const one = (v: string, at: string): void => {
        if (n.kind === 'scalar') writeScalar(l, n.scalar, names.big(n.cPath), v, at, n.cPath, shape.bigEndian);
        else l.push(`${names.writer(n.key)}(view, ${at}, ${v});`);
      };
      if (fixedCount === undefined && !flexible) {
        one(value, pos(off));
        return;
      }
      if (fixedCount !== undefined) l.push(`if (${value}.length !== ${fixedCount}) throw new RangeError(\`${n.cPath}: \${${value}.length} elements, not ${fixedCount}\`);`);
      countCheck(l, n, obj, names);
      l.push(`for (let i = 0; i < ${fixedCount ?? `${value}.length`}; i++) {`);
      one(`${value}[i]!`, pos(off, 'i', size));
      l.push('}');
      return;
    }
  }
}

/** The property initialisers of a read, flattened for anonymous members. */
function readNode(n: Node, shape: Shape, names: VariantNames, base: number): string[] {
  if (n.reserved) return [];
  const off = base + n.offset;
  const fixedCount = n.count !== undefined && n.count > 0 ? n.count : undefined;
  const count = fixedCount ?? (n.count === 0 ? 'n' : undefined);
  switch (n.kind) {
    case 'inline': {
      if (n.count !== undefined) {
        const elems = Array.from({ length: n.count }, (_, i) => `{ ${n.children.flatMap((c) => readNode(c, shape, names, off + i * n.size)).join(', ')} }`);
        return [`${n.prop}: [${elems.join(', ')}]`];
      }
      const props = n.children.flatMap((c) => readNode(c, shape, names, off));
      return n.prop ? [`${n.prop}: { ${props.join(', ')} }`] : props;
    }
    case 'text':
      return [`${n.prop}: getText(view, ${pos(off)}, ${n.length})`];
    case 'bytes':
      return [`${n.prop}: getBytes(view, ${pos(off)}, ${count === 'n' && n.row ? `n * ${n.row}` : count})`];
    case 'scalar':
    case 'type': {
      const size = n.kind === 'scalar' ? n.scalar.size : n.size;
      const one = (at: string): string => (n.kind === 'scalar' ? readScalar(n.scalar, names.big(n.cPath), at, shape.bigEndian) : `${names.reader(n.key)}(view, ${at})`);
      if (count === undefined) return [`${n.prop}: ${one(pos(off))}`];
      return [`${n.prop}: Array.from({ length: ${count} }, (_, i) => ${one(pos(off, 'i', size))})`];
    }
  }
}

/** The element count of the flexible array when reading `end - at` bytes. */
function flexCount(shape: Shape, names: VariantNames, elemSize: number): string[] {
  const flex = shape.flex as Node;
  const fit = `Math.floor((end - at - ${shape.size}) / ${elemSize})`;
  if (!('countedBy' in flex) || !flex.countedBy) return [`const n = ${fit};`];
  const counter = shape.children.find((c) => c.prop === flex.countedBy);
  if (!counter || counter.kind !== 'scalar') throw new Error(`ts: ${flex.cPath}: counted-by names no scalar`);
  const read = readScalar(counter.scalar, false, pos(counter.offset), shape.bigEndian);
  return [
    `const n = Number(${read});`,
    `if (n > ${fit}) throw new RangeError(\`${flex.cPath}: ${flex.countedBy} says \${n} elements, the buffer holds \${${fit}}\`);`,
  ];
}

export function flexElementSize(shape: Shape): number | undefined {
  const f = shape.flex;
  if (!f) return undefined;
  return f.kind === 'scalar' ? f.scalar.size : f.kind === 'type' ? f.size : f.kind === 'bytes' ? f.row ?? 1 : 1;
}

export function writerBody(shape: Shape, names: VariantNames): string[] {
  const l = new Lines();
  const root = { kind: 'inline' as const, union: shape.union, prop: '', cPath: shape.key, offset: 0, size: shape.size, reserved: false, children: shape.children };
  writeNode(l, root, 'v', shape, names, 0);
  return l.out;
}

export function readerBody(shape: Shape, names: VariantNames): string[] {
  const props = shape.children.flatMap((c) => readNode(c, shape, names, 0));
  const elem = flexElementSize(shape);
  return [...(elem !== undefined ? flexCount(shape, names, elem) : []), props.length ? `return {\n  ${props.join(',\n  ')},\n};` : 'return {};'];
}
