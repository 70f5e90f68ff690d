// Markdown spelling for the reference pages: escaping, code spans, tables, anchors. Everything
// here is about text only; what is printed comes from the model.

/** Prose from the spec: characters Markdown would read as markup are escaped. */
export function text(s: string | undefined): string {
  if (!s) return '';
  return s.replace(/\s+/g, ' ').trim().replace(/[\\*[\]<>]/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : `\\${c}`));
}

/** Prose inside a table cell: a `|` would end the cell. */
export function cell(s: string | undefined): string {
  return text(s).replace(/\|/g, '\\|');
}

/** A code span that is safe inside a table cell. */
export function code(s: string): string {
  const body = s.replace(/\s+/g, ' ').replace(/\|/g, '\\|');
  return body.includes('`') ? `\`\` ${body} \`\`` : `\`${body}\``;
}

export function table(head: readonly string[], rows: readonly (readonly string[])[]): string[] {
  if (rows.length === 0) return [];
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/**
 * The anchor GitHub (and most viewers) derive from a heading: lower case, punctuation other than
 * '-' and '_' dropped, spaces to '-'. Headings here are plain text, so this is exact.
 */
export function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** An explicit anchor for things that have no heading of their own (constants, table rows). */
export const anchorId = (name: string): string => name.toLowerCase().replace(/[^a-z0-9_-]/g, '-');
export const anchor = (name: string): string => `<a id="${anchorId(name)}"></a>`;

export function hex(n: number | bigint): string {
  const v = BigInt(n);
  return v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
}

/** A number as reviewers read it: decimal, and hex as well when that says more. */
export function number(n: number | bigint): string {
  const v = BigInt(n);
  return v >= 10n || v <= -10n ? `${v} (${hex(v)})` : String(v);
}
