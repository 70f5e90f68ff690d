// C declarations for one family, as lines. Prints the spec's own spellings: the emitter
// never computes a number or a layout (the model did, and the oracle checks both).
import { MACRO_OF } from '../../src/model/ioc.ts';
import type { VersionModel } from '../../src/model/project.ts';
import type * as M from '../../src/model/types.ts';
import { continued, cSpacing, displayWidth } from '../../src/cheader/format.ts';

/** One declaration (or group) with the condition it sits in. */
export interface Block {
  guard?: M.Guard;
  lines: string[];
}

const TAB = '\t';

/** Comment text never closes the comment early. */
function commentSafe(text: string): string {
  return text.replace(/\*\//g, '* /');
}

/** Wraps doc text into lines of at most `width` columns; paragraphs are separated by ''. */
function wrapDoc(text: string, width: number, firstWidth = width): string[] {
  const out: string[] = [];
  for (const para of commentSafe(text).trim().split(/\n\s*\n/)) {
    let line = '';
    for (const word of para.split(/\s+/)) {
      const w = out.length === 0 ? firstWidth : width;
      if (line && line.length + word.length + 1 > w) {
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

/** Comments wrap at the kernel's preferred 80 columns. */
const COMMENT_COLUMNS = 80;

/** A plain C comment (for defines and requests). */
export function comment(doc: string | undefined, indent = ''): string[] {
  if (!doc) return [];
  const room = COMMENT_COLUMNS - displayWidth(indent) - 3;
  const lines = wrapDoc(doc, room);
  if (lines.length === 1 && lines[0] !== undefined && displayWidth(`${indent}/* ${lines[0]} */`) <= COMMENT_COLUMNS) return [`${indent}/* ${lines[0]} */`];
  return [`${indent}/*`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/** The first sentence of a doc (kernel-doc's short description) and the rest. */
function splitBrief(doc: string): [string, string] {
  const text = doc.trim();
  const para = text.split(/\n\s*\n/)[0] ?? '';
  // A sentence ends at '.', '!' or '?' followed by a space and not inside parentheses.
  let depth = 0;
  for (let i = 0; i < para.length; i++) {
    const c = para[i];
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    else if ((c === '.' || c === '!' || c === '?') && depth === 0 && /\s/.test(para[i + 1] ?? '') && !/\b(?:e\.g|i\.e|etc|vs)$/.test(para.slice(0, i))) {
      return [para.slice(0, i + 1), text.slice(i + 1).trim()];
    }
  }
  return [para, text.slice(para.length).trim()];
}

/** A member kernel-doc describes: `name` (or `outer.name` inside a named nested aggregate). */
interface DocMember { name: string; doc?: string }

/**
 * A kernel-doc comment (Documentation/doc-guide/kernel-doc.rst): `struct tag - brief`, the
 * brief continued on further lines if long, one `@member:` per member, then the rest of
 * the doc as the description. Callers use it only when every member has a doc.
 */
function kernelDoc(kind: string, tag: string | null, doc: string | undefined, members: DocMember[]): string[] {
  if (!doc || !tag) return comment(doc);
  const [brief, rest] = splitBrief(doc);
  const head = `${kind} ${tag} - `;
  const room = COMMENT_COLUMNS - 3;
  const briefLines = wrapDoc(brief, room, room - head.length);
  const out = ['/**', ...briefLines.map((l, i) => (i === 0 ? ` * ${head}${l}` : ` * ${l}`))];
  for (const m of members) {
    const tagged = `@${m.name}: `;
    const text = m.doc ?? '';
    out.push(...wrapDoc(text, room - 8, room - tagged.length).map((l, i) => (i === 0 ? ` * ${tagged}${l}` : ` *\t${l}`)));
  }
  if (rest) out.push(' *', ...wrapDoc(rest, room).map((l) => (l ? ` * ${l}` : ' *')));
  out.push(' */');
  return out;
}

function dims(list: readonly M.Dim[]): string {
  return list.map((d) => (d === 'flex' ? '[]' : d === 'zero' ? '[0]' : `[${cSpacing(d.text)}]`)).join('');
}

function declarator(type: string, name: string): string {
  return type.endsWith('*') ? `${type}${name}` : `${type} ${name}`;
}

/** `#define NAME VALUE`, spaced the kernel's way, continued over lines if wider than 100 columns. */
function defineLines(head: string, spelling: string): string[] {
  return continued(`#define ${head}`, cSpacing(spelling));
}

function setValueSpelling(vm: VersionModel, v: M.SetValue): string {
  return vm.constants.get(v.name)?.spelling ?? v.expr?.text ?? '';
}

/** Lines of a set: its values, each under its own guard if it has one. */
function setLines(vm: VersionModel, s: M.SetItem): Array<{ guard?: M.Guard; lines: string[] }> {
  return s.values.map((v) => ({ ...(v.guard ? { guard: v.guard } : {}), lines: [...comment(v.doc), ...defineLines(v.name, setValueSpelling(vm, v))] }));
}

/** `inlineDocs`: member docs print as comments above the members (no kernel-doc block above). */
function memberLines(vm: VersionModel, m: M.Member, depth: number, inlineDocs: boolean): string[] {
  const ind = TAB.repeat(depth);
  switch (m.kind) {
    case 'field': {
      const attrs = [m.aligned ? ` __attribute__((aligned(${m.aligned})))` : '', m.countedBy ? ` __counted_by(${m.countedBy})` : ''].join('');
      const decl = m.flexMacro ? `__DECLARE_FLEX_ARRAY(${m.type}, ${m.name});` : `${declarator(m.type, m.name)}${dims(m.dims)}${attrs};`;
      return [...(inlineDocs ? comment(m.doc, ind) : []), `${ind}${decl}`];
    }
    case 'struct':
    case 'union':
      return [...(inlineDocs ? comment(m.doc, ind) : []), ...aggregateLines(vm, m, depth, inlineDocs)];
    case 'define':
      return [...comment(m.doc), ...defineLines(m.name, vm.constants.get(m.name)?.spelling ?? m.expr?.text ?? '')];
    case 'macro':
      return [...comment(m.doc), ...defineLines(`${m.name}${m.params ? `(${m.params.join(', ')})` : ''}`, m.body)];
    case 'set':
      return [...comment(m.doc), ...guarded(setLines(vm, m))];
  }
}

function aggregateLines(vm: VersionModel, a: M.AggregateItem, depth: number, inlineDocs: boolean): string[] {
  const ind = TAB.repeat(depth);
  const attrs = [a.packed ? '__attribute__((packed))' : '', a.aligned ? `__attribute__((aligned(${a.aligned})))` : ''].filter(Boolean).join(' ');
  const head = a.attributeFirst && attrs ? `${a.kind} ${attrs}${a.tag ? ` ${a.tag}` : ''} {` : `${a.kind}${a.tag ? ` ${a.tag}` : ''} {`;
  const tail = `}${a.name ? ` ${a.name}${dims(a.dims)}` : ''}${!a.attributeFirst && attrs ? ` ${attrs}` : ''};`;
  const body = a.members.flatMap((m) => memberLines(vm, m, depth + 1, inlineDocs));
  return [`${ind}${head}`, ...body, `${ind}${tail}`];
}

function endif(g: M.Guard): string {
  return `#endif /* ${commentSafe(cSpacing(g.expr))} */`;
}

/** Consecutive lines with the same guard share one #if block. */
export function guarded(blocks: Array<{ guard?: M.Guard; lines: string[] }>): string[] {
  const out: string[] = [];
  let open: M.Guard | undefined;
  const same = (a?: M.Guard, b?: M.Guard): boolean => a?.directive === b?.directive && a?.expr === b?.expr;
  for (const b of blocks) {
    if (!same(open, b.guard)) {
      if (open) out.push(endif(open));
      if (b.guard) out.push(`#${b.guard.directive} ${cSpacing(b.guard.expr)}`);
      open = b.guard;
    }
    out.push(...b.lines);
  }
  if (open) out.push(endif(open));
  return out;
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

export function itemBlock(vm: VersionModel, item: M.Item): Block {
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
    case 'raw':
      return { ...g, lines: item.text.replace(/\n$/, '').split('\n').map((l) => l.replace(/^(\s*)(.*)$/, (_all, ind: string, code: string) => `${ind}${cSpacing(code)}`)) };
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
