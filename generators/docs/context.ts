// What every section renderer gets: the catalog, the page it writes on, links, and the
// grouping of versions whose rendering is the same.
import type { AbiView } from '../../src/model/index.ts';
import { versionSpan } from '../../src/explain/words.ts';
import { href, type Catalog, type Entry } from './catalog.ts';
import { code } from './markdown.ts';
import type { References } from './references.ts';

export interface Ctx {
  readonly cat: Catalog;
  readonly refs: References;
  /** The page being written (path under the output root), and its family. */
  readonly page: string;
  readonly family: string;
  /** Renderings by a key of everything they read, so versions that agree are rendered once. */
  readonly memo: Map<string, readonly string[]>;
}

/** The rendering for `key`, made once per page. */
export function once(ctx: Ctx, key: string, render: () => readonly string[]): readonly string[] {
  let r = ctx.memo.get(key);
  if (!r) ctx.memo.set(key, (r = render()));
  return r;
}

/** A link to a catalogued item (a key like 'set:x', or an entry id), or just its name where it is not catalogued. */
export function link(ctx: Ctx, id: string, label?: string): string {
  const e: Entry | undefined = ctx.cat.find(id, ctx.family);
  const shown = code(label ?? e?.name ?? id.slice(id.indexOf(':') + 1).replace(/@.*$/, ''));
  return e ? `[${shown}](${href(ctx.page, e)})` : shown;
}

/** A C type spelling with the struct or union in it linked. */
export function typeLink(ctx: Ctx, spelling: string): string {
  const m = /\b(struct|union) ([A-Za-z_]\w*)/.exec(spelling);
  if (!m) return code(spelling);
  const id = `type:${m[1]} ${m[2]}`;
  return ctx.cat.find(id, ctx.family) ? link(ctx, id, spelling) : code(spelling);
}

export interface Variant {
  readonly versions: readonly string[];
  readonly body: readonly string[];
}

/** Renders an item at each version it lives at; versions with identical text share one block. */
export function variants(versions: readonly string[], render: (view: AbiView, version: string) => readonly string[], at: (v: string) => AbiView): Variant[] {
  const out: { versions: string[]; body: readonly string[] }[] = [];
  const same = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
  for (const v of versions) {
    const body = render(at(v), v);
    const match = out.find((x) => same(x.body, body));
    if (match) match.versions.push(v);
    else out.push({ versions: [v], body });
  }
  return out;
}

/** The line that opens a version-specific block; test/docs finds blocks by it. */
export const variantLabel = (versions: readonly string[]): string => `**In ${versions.join(', ')}:**`;

export function variantBlocks(list: readonly Variant[]): string[] {
  if (list.length === 1) return [...(list[0]?.body ?? [])];
  return list.flatMap((v) => [variantLabel(v.versions), '', ...v.body, '']);
}

/** "Versions: 5.10 – 7.3 (all)", and whether it is missing from the version gen was asked for. */
export function versionsLine(ctx: Ctx, versions: readonly string[]): string {
  const src = ctx.cat.source;
  if (src.proposal) return `Posted against Linux ${src.listed.join(', ')} (never merged).`;
  const missing = versions.includes(src.current) ? '' : ` Not in ${src.current}.`;
  return `Versions: ${versionSpan(versions, src.listed)}.${missing}`;
}
