// One struct or union: a layout table for x86_64 (offset, size, field, type, doc, padding) and,
// for every group of ABIs whose layout differs, what differs. Layouts come from view.layout().
import type { AbiView, AggregateItem, AggregateLayout, Dim, FieldLayout } from '../../src/model/index.ts';
import { link, once, typeLink, type Ctx } from './context.ts';
import { cell, code, table, text } from './markdown.ts';
import { abiGroups, at, type AbiGroup } from './memo.ts';

const dims = (list: readonly Dim[]): string => list.map((d) => (d === 'flex' ? '[]' : d === 'zero' ? '[0]' : `[${d.text}]`)).join('');

function fieldType(f: FieldLayout): string {
  const m = f.field;
  if (m.kind === 'field') return `${m.type}${dims(m.dims)}`;
  return `${m.kind}${m.tag ? ` ${m.tag}` : ''}${dims(m.dims)}`;
}

function fieldNotes(ctx: Ctx, f: FieldLayout): string {
  const m = f.field;
  const notes: string[] = [];
  if (m.doc) notes.push(cell(m.doc));
  if (m.kind === 'field') {
    if (m.flags) notes.push(`flags: ${link(ctx, `set:${m.flags}`)}`);
    if (m.values) notes.push(`values: ${link(ctx, `set:${m.values}`)}`);
    if (m.countedBy) notes.push(`counted by ${code(m.countedBy)}`);
    if (m.flagGate) notes.push(`valid when ${link(ctx, `const:${m.flagGate}`)} is set`);
    if (m.userPointer) notes.push('a user-space address');
    if (m.argsz) notes.push('holds the argument size (argsz)');
    if (m.min) notes.push('last field of the mandatory part');
    if (m.aligned) notes.push(`aligned(${m.aligned})`);
  }
  if (f.count === 0) notes.push('flexible array (no storage of its own)');
  if (m.since) notes.push(`since ${m.since}`);
  if (m.until) notes.push(`until ${m.until}`);
  if (m.deprecated) notes.push(`deprecated: ${cell(m.deprecated)}`);
  return notes.join('; ');
}


function rows(ctx: Ctx, l: AggregateLayout): string[][] {
  const lines: { offset: number; order: number; row: string[] }[] = l.fields.map((f, i) => ({
    offset: f.offset,
    order: i,
    row: [String(f.offset), String(f.size), code(f.path || `(anonymous ${f.field.kind})`), typeLink(ctx, fieldType(f)), fieldNotes(ctx, f)],
  }));
  for (const h of l.holes) {
    lines.push({ offset: h.offset, order: -1, row: [String(h.offset), String(h.size), '*padding*', '', h.tail ? 'tail padding to the alignment' : `after ${code(h.after || 'start')}`] });
  }
  // Holes sort before a field at the same offset only when they end there, which never happens: a hole ends where the next member starts.
  return lines.sort((a, b) => a.offset - b.offset || (a.order < 0 ? 1 : b.order < 0 ? -1 : a.order - b.order)).map((x) => x.row);
}

function differences(base: AggregateLayout, other: AggregateLayout): string {
  const parts: string[] = [];
  if (other.size !== base.size) parts.push(`size ${other.size} (x86_64: ${base.size})`);
  if (other.align !== base.align) parts.push(`alignment ${other.align} (x86_64: ${base.align})`);
  const at = new Map(base.fields.map((f) => [f.path, f]));
  for (const f of other.fields) {
    const b = at.get(f.path);
    if (!b) parts.push(`${code(f.path)} only here`);
    else if (b.offset !== f.offset || b.size !== f.size) parts.push(`${code(f.path || `(anonymous ${f.field.kind})`)} at ${f.offset}, ${f.size} bytes (x86_64: at ${b.offset}, ${b.size} bytes)`);
  }
  const holes = other.holes.map((h) => `${h.size} at ${h.offset}`).join(', ');
  if (JSON.stringify(other.holes) !== JSON.stringify(base.holes)) parts.push(holes ? `padding ${holes}` : 'no padding');
  return parts.join('; ');
}

export function typeBody(ctx: Ctx, view: AbiView, key: string, item: AggregateItem): readonly string[] {
  const groups = abiGroups(view, key);
  // Versions whose layouts and declaration agree share one rendering.
  const memoKey = `type:${key0(key, item)}|${groups.map((g) => `${g.print}=${g.abis.join()}`).join('|')}`;
  return once(ctx, memoKey, () => render(ctx, item, groups));
}

/**
 * The declaration as rendered: the written aggregate (a projection copies it per version but
 * keeps its position object) and its live members (fields are the written objects).
 */
function key0(key: string, item: AggregateItem): string {
  let s = `${key}{${at(item.pos)}:`;
  for (const m of item.members) s += m.kind === 'struct' || m.kind === 'union' ? key0(m.tag ?? '', m) : `${at(m)},`;
  return `${s}}`;
}

function render(ctx: Ctx, item: AggregateItem, list: readonly AbiGroup[]): string[] {
  const [base, ...others] = list;
  const attrs = [item.packed ? 'packed' : '', item.aligned ? `aligned(${item.aligned})` : '', item.argsz ? 'argsz-style (VFIO): argsz first, later fields gated by flags' : ''].filter(Boolean);
  const out: string[] = [...(item.doc ? [text(item.doc), ''] : []), ...(attrs.length ? [`Attributes: ${attrs.join(', ')}.`, ''] : [])];
  if (!base?.layout) return [...out, `Cannot be laid out: ${text(base?.error)}`];
  const same = base.abis.slice(1);
  out.push(`Layout on x86_64: ${base.layout.size} bytes, aligned to ${base.layout.align}${base.layout.flexible ? ', ends in a flexible array' : ''}. ${same.length ? `The same on ${same.join(', ')}.` : ''}`.trimEnd(), '');
  out.push(...table(['offset', 'size', 'field', 'type', 'doc'], rows(ctx, base.layout)));
  if (others.length) {
    out.push('', 'Where other ABIs differ:', '');
    for (const g of others) out.push(`- ${g.abis.join(', ')}: ${g.layout ? differences(base.layout, g.layout) : `cannot be laid out: ${text(g.error)}`}.`);
  }
  return out;
}
