// C comments the kernel's way: plain comments wrapped at 80 columns, and kernel-doc blocks
// (Documentation/doc-guide/kernel-doc.rst) for structs, unions and enums.
import { displayWidth } from './spacing.ts';

/** Comments wrap at the kernel's preferred 80 columns. */
export const COMMENT_COLUMNS = 80;

/** Comment text never closes the comment early. */
export function commentSafe(text: string): string {
  return text.replace(/\*\//g, '* /');
}

/** Wraps doc text into lines of at most `width` columns; paragraphs are separated by ''. */
export function wrapDoc(text: string, width: number, firstWidth = width): string[] {
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

/** A plain C comment: one line when it fits, else a block. */
export function comment(doc: string | undefined, indent = ''): string[] {
  if (!doc) return [];
  const room = COMMENT_COLUMNS - displayWidth(indent) - 3;
  const lines = wrapDoc(doc, room);
  if (lines.length === 1 && lines[0] !== undefined && displayWidth(`${indent}/* ${lines[0]} */`) <= COMMENT_COLUMNS) return [`${indent}/* ${lines[0]} */`];
  return [`${indent}/*`, ...lines.map((l) => (l ? `${indent} * ${l}` : `${indent} *`)), `${indent} */`];
}

/** The first sentence of a doc (kernel-doc's short description) and the rest. */
export function splitBrief(doc: string): [string, string] {
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
export interface DocMember {
  name: string;
  doc?: string;
}

/**
 * A kernel-doc comment: `struct tag - brief`, the brief continued on further lines if long,
 * one `@member:` per member, then the rest of the doc as the description. Callers use it
 * only when every member has a doc (kernel-doc warns about undescribed members).
 */
export function kernelDoc(kind: string, tag: string | null, doc: string | undefined, members: readonly DocMember[]): string[] {
  if (!doc || !tag) return comment(doc);
  const [brief, rest] = splitBrief(doc);
  const head = `${kind} ${tag} - `;
  const room = COMMENT_COLUMNS - 3;
  const briefLines = wrapDoc(brief, room, room - head.length);
  const out = ['/**', ...briefLines.map((l, i) => (i === 0 ? ` * ${head}${l}` : ` * ${l}`))];
  for (const m of members) {
    const tagged = `@${m.name}: `;
    out.push(...wrapDoc(m.doc ?? '', room - 8, room - tagged.length).map((l, i) => (i === 0 ? ` * ${tagged}${l}` : ` *\t${l}`)));
  }
  if (rest) out.push(' *', ...wrapDoc(rest, room).map((l) => (l ? ` * ${l}` : ' *')));
  out.push(' */');
  return out;
}
