// Constants, sets (flags, features, status, values), enums and macros: one table row per name
// over every version, with its value at each (grouped where it does not change) and bit numbers.
import type { AbiView, Constant, SetItem } from '../../src/model/index.ts';
import { versionRange, versionSpan } from '../../src/explain/words.ts';
import type { Entry } from './catalog.ts';
import { link, versionsLine, type Ctx } from './context.ts';
import { anchor, cell, code, number, table, text } from './markdown.ts';

/** One value per version, grouped: "1" when it never changes, else "1 (5.10, 6.1); 2 (6.12 – 7.3)". */
function perVersion(ctx: Ctx, versions: readonly string[], show: (view: AbiView) => string): string {
  const groups = new Map<string, string[]>();
  for (const v of versions) {
    const s = show(ctx.cat.source.at(v));
    groups.set(s, [...(groups.get(s) ?? []), v]);
  }
  if (groups.size === 1) return [...groups.keys()][0] ?? '';
  return [...groups].map(([s, vs]) => `${s} (${versionRange(vs, ctx.cat.source.listed)})`).join('; ');
}

function valueText(c: Constant | undefined, kind: 'value' | 'bit'): string {
  if (!c) return '';
  if (c.string !== undefined) return code(JSON.stringify(c.string));
  if (c.value === undefined) return '';
  if (kind === 'bit') {
    // A single-bit mask names its bit; a features constant is the bit number itself.
    if (c.kind === 'features') return String(c.value);
    return c.value > 0n && (c.value & (c.value - 1n)) === 0n ? String(c.value.toString(2).length - 1) : '';
  }
  return number(c.value);
}

function constRow(ctx: Ctx, e: Entry, columns: readonly ('value' | 'bit' | 'spelling')[]): string[] {
  const vs = ctx.cat.versions(e.id);
  const latest = ctx.cat.at(e.id, vs[vs.length - 1] ?? '');
  const item = latest?.kind === 'const' ? latest.item : undefined;
  const cols = columns.map((c) =>
    c === 'spelling' ? perVersion(ctx, vs, (view) => (view.constant(e.name)?.spelling ? code(view.constant(e.name)?.spelling ?? '') : '')) : perVersion(ctx, vs, (view) => valueText(view.constant(e.name), c)),
  );
  const doc = [item?.doc ? cell(item.doc) : '', item && 'header' in item ? `from ${code(item.header)}` : '', item && 'aliasOf' in item && item.aliasOf ? `alias of ${link(ctx, `const:${item.aliasOf}`)}` : '', item && 'sentinel' in item && item.sentinel ? 'a count or end marker' : '']
    .filter(Boolean)
    .join('; ');
  return [`${anchor(e.name)}${code(e.name)}`, ...cols, versionSpan(vs, ctx.cat.source.listed), doc];
}

/** The family's own constants: defines and externals (set values and enumerators sit in their tables). */
export function constantsTable(ctx: Ctx, entries: readonly Entry[]): string[] {
  const own = entries.filter((e) => e.kind === 'const' && !e.within);
  return table(['name', 'value', 'spelling', 'versions', 'doc'], own.map((e) => constRow(ctx, e, ['value', 'spelling'])));
}

const SET_KIND: Record<SetItem['set'], string> = {
  flags: 'flags: each value is a mask',
  features: 'features: each value is a bit number',
  status: 'status: masks of a status byte, which status rules test',
  values: 'values: plain enumerated values',
};

export function setSection(ctx: Ctx, e: Entry, members: readonly Entry[]): string[] {
  const vs = ctx.cat.versions(e.id);
  const latest = ctx.cat.at(e.id, vs[vs.length - 1] ?? '');
  if (latest?.kind !== 'set') return [];
  const s = latest.item;
  const users = ctx.refs.to(e.key).map((r) => (r.label ? `${link(ctx, r.from, r.label)}` : link(ctx, r.from)));
  const columns: ('value' | 'bit' | 'spelling')[] = s.set === 'features' ? ['bit'] : s.set === 'values' ? ['value', 'spelling'] : ['value', 'bit', 'spelling'];
  return [
    versionsLine(ctx, vs),
    '',
    ...(s.doc ? [text(s.doc), ''] : []),
    `Kind: ${SET_KIND[s.set]}.${s.reserved ? ` Unknown bits: ${s.reserved}.` : ''}`,
    ...(users.length ? ['', `Used by: ${users.join(', ')}.`] : []),
    '',
    ...table(['name', ...columns, 'versions', 'doc'], members.map((m) => constRow(ctx, m, columns))),
  ];
}

export function enumSection(ctx: Ctx, e: Entry, members: readonly Entry[]): string[] {
  const vs = ctx.cat.versions(e.id);
  const latest = ctx.cat.at(e.id, vs[vs.length - 1] ?? '');
  if (latest?.kind !== 'enum') return [];
  return [versionsLine(ctx, vs), '', ...(latest.item.doc ? [text(latest.item.doc), ''] : []), ...table(['name', 'value', 'versions', 'doc'], members.map((m) => constRow(ctx, m, ['value'])))];
}

export function macrosTable(ctx: Ctx, entries: readonly Entry[]): string[] {
  const rows = entries
    .filter((e) => e.kind === 'macro')
    .map((e) => {
      const vs = ctx.cat.versions(e.id);
      const def = perVersion(ctx, vs, (view) => {
        const m = view.macros.get(e.name);
        return m ? code(`${m.name}${m.params ? `(${m.params.join(', ')})` : ''} ${m.body}`) : '';
      });
      const latest = ctx.cat.at(e.id, vs[vs.length - 1] ?? '');
      return [`${anchor(e.name)}${code(e.name)}`, def, versionSpan(vs, ctx.cat.source.listed), latest?.kind === 'macro' ? cell(latest.item.doc) : ''];
    });
  return table(['name', 'definition', 'versions', 'doc'], rows);
}

