// C declarations for one family, as lines. Prints the spec's own spellings: the emitter
// never computes a number or a layout (the model did, and the oracle checks both).
import { comment, cSpacing, defineLines, guarded, kernelDoc, type DocMember } from '../../src/emit/c/index.ts';
import { MACRO_OF, type AbiView } from '../../src/model/index.ts';
import type * as M from '../../src/model/index.ts';

/** One declaration (or group) with the condition it sits in. */
export interface Block {
  guard?: M.Guard;
  lines: string[];
}

const TAB = '\t';

function dims(list: readonly M.Dim[]): string {
  return list.map((d) => (d === 'flex' ? '[]' : d === 'zero' ? '[0]' : `[${cSpacing(d.text)}]`)).join('');
}

function declarator(type: string, name: string): string {
  return type.endsWith('*') ? `${type}${name}` : `${type} ${name}`;
}

function setValueSpelling(vm: AbiView, v: M.SetValue): string {
  return vm.constant(v.name)?.spelling ?? v.expr?.text ?? '';
}

/** Lines of a set: its values, each under its own guard if it has one. */
function setLines(vm: AbiView, s: M.SetItem): Array<{ guard?: M.Guard; lines: string[] }> {
  return s.values.map((v) => ({ ...(v.guard ? { guard: v.guard } : {}), lines: [...comment(v.doc), ...defineLines(v.name, setValueSpelling(vm, v))] }));
}

/** `inlineDocs`: member docs print as comments above the members (no kernel-doc block above). */
function memberLines(vm: AbiView, m: M.Member, depth: number, inlineDocs: boolean): string[] {
  const ind = TAB.repeat(depth);
  switch (m.kind) {
    case 'field': {
      // A typedef carries its own aligned attribute: the member then spells the typedef alone.
      const attrs = [m.aligned && !m.typedef ? ` __attribute__((aligned(${m.aligned})))` : '', m.countedBy ? ` __counted_by(${m.countedBy})` : ''].join('');
      const type = m.typedef ?? m.type;
      const decl = m.flexMacro ? `__DECLARE_FLEX_ARRAY(${type}, ${m.name});` : `${declarator(type, m.name)}${dims(m.dims)}${attrs};`;
      return [...(inlineDocs ? comment(m.doc, ind) : []), `${ind}${decl}`];
    }
    case 'struct':
    case 'union':
      return [...(inlineDocs ? comment(m.doc, ind) : []), ...aggregateLines(vm, m, depth, inlineDocs)];
    case 'define':
      return [...comment(m.doc), ...defineLines(m.name, vm.constant(m.name)?.spelling ?? m.expr?.text ?? '')];
    case 'macro':
      return [...comment(m.doc), ...defineLines(`${m.name}${m.params ? `(${m.params.join(', ')})` : ''}`, m.body)];
    case 'set':
      return [...comment(m.doc), ...guarded(setLines(vm, m))];
  }
}

function aggregateLines(vm: AbiView, a: M.AggregateItem, depth: number, inlineDocs: boolean): string[] {
  const ind = TAB.repeat(depth);
  const attrs = [a.packed ? '__attribute__((packed))' : '', a.aligned ? `__attribute__((aligned(${a.aligned})))` : ''].filter(Boolean).join(' ');
  const head = a.attributeFirst && attrs ? `${a.kind} ${attrs}${a.tag ? ` ${a.tag}` : ''} {` : `${a.kind}${a.tag ? ` ${a.tag}` : ''} {`;
  const tail = `}${a.name ? ` ${a.name}${dims(a.dims)}` : ''}${!a.attributeFirst && attrs ? ` ${attrs}` : ''};`;
  const body = a.members.flatMap((m) => memberLines(vm, m, depth + 1, inlineDocs));
  return [`${ind}${head}`, ...body, `${ind}${tail}`];
}

function requestLines(r: M.RequestItem): string[] {
  const macro = MACRO_OF[r.encoding];
  const args = r.encoding === 'none' ? `${r.typeName}, ${r.nr.text}` : `${r.typeName}, ${r.nr.text}, ${r.arg ?? 'int'}`;
  return defineLines(r.name, `${macro}(${args})`);
}

/**
 * The members kernel-doc wants described: fields; a named nested struct or union and its
 * own members as `outer.inner`; the members of an anonymous one as if they were the
 * outer aggregate's.
 */
function fieldDocs(a: M.AggregateItem, prefix = ''): DocMember[] {
  return a.members.flatMap((m): DocMember[] => {
    const doc = m.doc ? { doc: m.doc } : {};
    if (m.kind === 'field') return [{ name: `${prefix}${m.name}`, ...doc }];
    if (m.kind !== 'struct' && m.kind !== 'union') return [];
    if (!m.name) return fieldDocs(m, prefix);
    return [{ name: `${prefix}${m.name}`, ...doc }, ...fieldDocs(m, `${prefix}${m.name}.`)];
  });
}

export function itemBlock(vm: AbiView, item: M.Item): Block {
  const g = item.guard ? { guard: item.guard } : {};
  switch (item.kind) {
    case 'include':
      return { ...g, lines: [item.local ? `#include "${item.path}"` : `#include <${item.path}>`] };
    case 'request':
      return { ...g, lines: [...comment(item.doc), ...requestLines(item)] };
    case 'enum': {
      // A kernel-doc enum comment describes every value (so only when all have a doc); the
      // values then carry no comment of their own.
      const kdoc = Boolean(item.doc && item.tag) && item.values.every((v) => v.doc);
      return {
        ...g,
        lines: [
          ...(kdoc ? kernelDoc('enum', item.tag, item.doc, item.values.map((v) => ({ name: v.name, ...(v.doc ? { doc: v.doc } : {}) }))) : comment(item.doc)),
          `enum${item.tag ? ` ${item.tag}` : ''} {`,
          ...guarded(item.values.map((v, i) => ({
            ...(v.guard ? { guard: v.guard } : {}),
            lines: [...(kdoc ? [] : comment(v.doc, TAB)), `${TAB}${v.name}${v.expr ? ` = ${cSpacing(v.expr.text)}` : v.aliasOf ? ` = ${v.aliasOf}` : ''}${i < item.values.length - 1 || item.trailingComma ? ',' : ''}`],
          }))),
          '};',
        ],
      };
    }
    case 'raw': {
      // A one-line raw item is the importer's token list, spaced here; a block is the kernel's own layout, kept.
      const lines = item.text.replace(/\n$/, '').split('\n');
      return { ...g, lines: lines.length > 1 ? lines : lines.map((l) => l.replace(/^(\s*)(.*)$/, (_all, ind: string, code: string) => `${ind}${cSpacing(code)}`)) };
    }
    case 'struct':
    case 'union': {
      // kernel-doc wants every member described: a kernel-doc block only when the spec
      // documents them all, else a plain comment and the member docs above the members.
      const members = fieldDocs(item);
      const kdoc = Boolean(item.doc && item.tag) && members.every((m) => m.doc);
      return { ...g, lines: [...(kdoc ? kernelDoc(item.kind, item.tag, item.doc, members) : comment(item.doc)), ...aggregateLines(vm, item, 0, !kdoc)] };
    }
    default:
      return { ...g, lines: memberLines(vm, item, 0, true) };
  }
}
