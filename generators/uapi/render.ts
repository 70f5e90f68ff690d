// C declarations for one family, as lines. Prints the spec's own spellings: the emitter
// never computes a number or a layout (the model did, and the oracle checks both).
import { MACRO_OF } from '../../src/model/ioc.ts';
import type { VersionModel } from '../../src/model/project.ts';
import type * as M from '../../src/model/types.ts';

/** One declaration (or group) with the condition it sits in. */
export interface Block {
  guard?: M.Guard;
  lines: string[];
}

const TAB = '\t';

function wrapDoc(text: string, width = 72): string[] {
  const out: string[] = [];
  for (const para of text.trim().split(/\n\s*\n/)) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      if (line && line.length + word.length + 1 > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    if (line) out.push(line);
    out.push('');
  }
  out.pop();
  return out;
}

/** A plain C comment (for defines and requests). */
export function comment(doc: string | undefined, indent = ''): string[] {
  if (!doc) return [];
  const lines = wrapDoc(doc);
  if (lines.length === 1 && lines[0] !== undefined && lines[0].length < 68) return [`${indent}/* ${lines[0]} */`];
  return [`${indent}/*`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/** A kernel-doc comment for a struct, union or enum, with its documented members. */
function kernelDoc(kind: string, tag: string | null, doc: string | undefined, members: Array<{ name: string; doc?: string }>): string[] {
  if (!doc || !tag) return comment(doc);
  const [first, ...rest] = wrapDoc(doc);
  const out = ['/**', ` * ${kind} ${tag} - ${first ?? ''}`];
  for (const m of members) if (m.doc) out.push(...wrapDoc(m.doc, 68).map((l, i) => (i === 0 ? ` * @${m.name}: ${l}` : ` *${l ? `\t${l}` : ''}`)));
  if (rest.length) out.push(' *', ...rest.map((l) => (l ? ` * ${l}` : ' *')));
  out.push(' */');
  return out;
}

function dims(list: readonly M.Dim[]): string {
  return list.map((d) => (d === 'flex' ? '[]' : d === 'zero' ? '[0]' : `[${d.text}]`)).join('');
}

function declarator(type: string, name: string): string {
  return type.endsWith('*') ? `${type}${name}` : `${type} ${name}`;
}

function defineLine(name: string, spelling: string): string {
  return `#define ${name} ${spelling}`;
}

function setValueSpelling(vm: VersionModel, v: M.SetValue): string {
  return vm.constants.get(v.name)?.spelling ?? v.expr?.text ?? '';
}

/** Lines of a set: its values, each under its own guard if it has one. */
function setLines(vm: VersionModel, s: M.SetItem): Array<{ guard?: M.Guard; lines: string[] }> {
  return s.values.map((v) => ({ ...(v.guard ? { guard: v.guard } : {}), lines: [...comment(v.doc), defineLine(v.name, setValueSpelling(vm, v))] }));
}

function memberLines(vm: VersionModel, m: M.Member, depth: number): string[] {
  const ind = TAB.repeat(depth);
  switch (m.kind) {
    case 'field': {
      const attrs = [m.aligned ? ` __attribute__((aligned(${m.aligned})))` : '', m.countedBy ? ` __counted_by(${m.countedBy})` : ''].join('');
      const decl = m.flexMacro ? `__DECLARE_FLEX_ARRAY(${m.type}, ${m.name});` : `${declarator(m.type, m.name)}${dims(m.dims)}${attrs};`;
      return [`${ind}${decl}`];
    }
    case 'struct':
    case 'union':
      return aggregateLines(vm, m, depth);
    case 'define':
      return [...comment(m.doc), defineLine(m.name, vm.constants.get(m.name)?.spelling ?? m.expr?.text ?? '')];
    case 'macro':
      return [...comment(m.doc), `#define ${m.name}${m.params ? `(${m.params.join(', ')})` : ''} ${m.body}`];
    case 'set':
      return [...comment(m.doc), ...guarded(setLines(vm, m))];
  }
}

function aggregateLines(vm: VersionModel, a: M.AggregateItem, depth: number): string[] {
  const ind = TAB.repeat(depth);
  const attrs = [a.packed ? '__attribute__((packed))' : '', a.aligned ? `__attribute__((aligned(${a.aligned})))` : ''].filter(Boolean).join(' ');
  const head = a.attributeFirst && attrs ? `${a.kind} ${attrs}${a.tag ? ` ${a.tag}` : ''} {` : `${a.kind}${a.tag ? ` ${a.tag}` : ''} {`;
  const tail = `}${a.name ? ` ${a.name}${dims(a.dims)}` : ''}${!a.attributeFirst && attrs ? ` ${attrs}` : ''};`;
  const body = a.members.flatMap((m) => memberLines(vm, m, depth + 1));
  return [`${ind}${head}`, ...body, `${ind}${tail}`];
}

/** Consecutive lines with the same guard share one #if block. */
export function guarded(blocks: Array<{ guard?: M.Guard; lines: string[] }>): string[] {
  const out: string[] = [];
  let open: M.Guard | undefined;
  const same = (a?: M.Guard, b?: M.Guard): boolean => a?.directive === b?.directive && a?.expr === b?.expr;
  for (const b of blocks) {
    if (!same(open, b.guard)) {
      if (open) out.push(`#endif /* ${open.expr} */`);
      if (b.guard) out.push(`#${b.guard.directive} ${b.guard.expr}`);
      open = b.guard;
    }
    out.push(...b.lines);
  }
  if (open) out.push(`#endif /* ${open.expr} */`);
  return out;
}

function requestLine(r: M.RequestItem): string {
  const macro = MACRO_OF[r.encoding];
  const args = r.encoding === 'none' ? `${r.typeName}, ${r.nr.text}` : `${r.typeName}, ${r.nr.text}, ${r.arg ?? 'int'}`;
  return defineLine(r.name, `${macro}(${args})`);
}

function fieldDocs(a: M.AggregateItem): Array<{ name: string; doc?: string }> {
  return a.members.flatMap((m) => (m.kind === 'field' ? [{ name: m.name, ...(m.doc ? { doc: m.doc } : {}) }] : (m.kind === 'struct' || m.kind === 'union') && m.name ? [{ name: m.name, ...(m.doc ? { doc: m.doc } : {}) }] : []));
}

export function itemBlock(vm: VersionModel, item: M.Item): Block {
  const g = item.guard ? { guard: item.guard } : {};
  switch (item.kind) {
    case 'include':
      return { ...g, lines: [item.local ? `#include "${item.path}"` : `#include <${item.path}>`] };
    case 'request':
      return { ...g, lines: [...comment(item.doc), requestLine(item)] };
    case 'enum':
      return {
        ...g,
        lines: [
          ...kernelDoc('enum', item.tag, item.doc, []),
          `enum${item.tag ? ` ${item.tag}` : ''} {`,
          ...guarded(item.values.map((v, i) => ({
            ...(v.guard ? { guard: v.guard } : {}),
            lines: [...comment(v.doc, TAB), `${TAB}${v.name}${v.expr ? ` = ${v.expr.text}` : v.aliasOf ? ` = ${v.aliasOf}` : ''}${i < item.values.length - 1 || item.trailingComma ? ',' : ''}`],
          }))),
          '};',
        ],
      };
    case 'raw':
      return { ...g, lines: item.text.replace(/\n$/, '').split('\n') };
    case 'struct':
    case 'union':
      return { ...g, lines: [...kernelDoc(item.kind, item.tag, item.doc, fieldDocs(item)), ...aggregateLines(vm, item, 0)] };
    default:
      return { ...g, lines: memberLines(vm, item, 0) };
  }
}
