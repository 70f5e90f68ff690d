// One reference page per family: header facts, then requests, structs and unions, constants,
// sets, enums, macros, fd kinds, request sets, device profiles and channels, each entry with its
// versions, what refers to it, and its body at each version (identical versions share a block).
import type { AbiView, Family } from '../../src/model/index.ts';
import { versionSpan } from '../../src/explain/words.ts';
import type { Catalog, Entry, Kind } from './catalog.ts';
import { constantsTable, enumSection, macrosTable, setSection } from './constants.ts';
import { link, variantBlocks, variants, versionsLine, type Ctx } from './context.ts';
import { code, slug, text } from './markdown.ts';
import { channelBody, deviceBody, fdBody, requestSetBody } from './profiles.ts';
import type { References } from './references.ts';
import { requestBody } from './requests.ts';
import { typeBody } from './types.ts';

export interface Page {
  readonly path: string;
  readonly sources: readonly string[];
  readonly body: string;
}

type Body = (ctx: Ctx, view: AbiView, e: Entry) => readonly string[];

/** Sections with one heading per entry, rendered per version. */
const SECTIONS: ReadonlyArray<{ title: string; kind: Kind; body: Body }> = [
  { title: 'Requests', kind: 'request', body: (ctx, view, e) => { const r = view.request(e.name); return r ? requestBody(ctx, view, r) : []; } },
  { title: 'Structs and unions', kind: 'type', body: (ctx, view, e) => { const t = view.types.get(e.name); return t ? typeBody(ctx, view, e.name, t.item) : []; } },
  { title: 'fd kinds', kind: 'fd', body: (ctx, view, e) => { const p = ctx.cat.at(e.id, view.version); return p?.kind === 'fd' ? fdBody(ctx, view, p.item) : []; } },
  { title: 'Request sets', kind: 'request-set', body: (ctx, view, e) => { const p = ctx.cat.at(e.id, view.version); return p?.kind === 'request-set' ? requestSetBody(ctx, view, p.item) : []; } },
  { title: 'Device profiles', kind: 'device', body: (ctx, view, e) => { const p = ctx.cat.at(e.id, view.version); return p?.kind === 'device' ? deviceBody(ctx, view, p.item) : []; } },
  { title: 'Message channels', kind: 'channel', body: (ctx, view, e) => { const p = ctx.cat.at(e.id, view.version); return p?.kind === 'channel' ? channelBody(ctx, view, p.item) : []; } },
];

function referencedBy(ctx: Ctx, e: Entry): string[] {
  const refs = ctx.refs.to(e.key);
  if (refs.length === 0) return [];
  return [`Referenced by: ${refs.map((r) => link(ctx, r.from, r.label)).join(', ')}.`, ''];
}

function entrySection(ctx: Ctx, e: Entry, body: Body): string[] {
  const versions = ctx.cat.versions(e.id);
  const blocks = variantBlocks(variants(versions, (view) => body(ctx, view, e), ctx.cat.source.at));
  return [`### ${e.heading ?? e.name}`, '', versionsLine(ctx, versions), '', ...referencedBy(ctx, e), ...blocks, ''];
}

/** The family as written at the newest version it lives at (its doc, header, imports). */
function familyAt(cat: Catalog, name: string): { family?: Family; versions: string[] } {
  const versions = cat.source.checked.filter((v) => cat.source.at(v).families.some((f) => f.name === name));
  const listed = versions.filter((v) => cat.source.listed.includes(v));
  const last = (listed.length ? listed : versions).at(-1);
  const family = last ? cat.source.at(last).families.find((f) => f.name === name) : cat.source.model.families.find((f) => f.name === name);
  return { ...(family ? { family } : {}), versions: listed.length ? listed : versions };
}

export function familyPage(cat: Catalog, refs: References, name: string): Page {
  const entries = cat.families.get(name) ?? [];
  const page = cat.pageOf(name);
  const ctx: Ctx = { cat, refs, page, family: name, memo: new Map() };
  const { family, versions } = familyAt(cat, name);
  const head: string[] = [`# ${name}${family?.header ? ` (${family.header})` : ''}`, ''];
  if (family?.doc) head.push(text(family.doc), '');
  const facts = [
    family?.header ? `Header: ${code(family.header)}.` : family?.wire ? 'Wire formats of a socket protocol, not kernel UAPI: no header; its messages are listed in [transports.md](transports.md).' : 'No header of its own (semantics or a historic ABI).',
    `Spec file: ${code(family?.file ?? '')}.`,
    cat.source.proposal ? `A proposal posted against Linux ${cat.source.listed.join(', ')}; never merged.` : `Versions: ${versionSpan(versions, cat.source.listed)}.`,
    ...(family?.imports.length ? [`Imports: ${family.imports.map((i) => `[${code(i)}](${i}.md)`).join(', ')}.`] : []),
    ...(family?.source ? [`Source: ${text(family.source)}`] : []),
  ];
  head.push(facts.join(' '), '');

  const sections: { title: string; lines: string[] }[] = [];
  const [requests, types, ...profiles] = SECTIONS;
  for (const s of [requests, types]) {
    if (!s) continue;
    const list = entries.filter((e) => e.kind === s.kind);
    if (list.length) sections.push({ title: s.title, lines: list.flatMap((e) => entrySection(ctx, e, s.body)) });
  }
  const constants = constantsTable(ctx, entries);
  if (constants.length) sections.push({ title: 'Constants', lines: [...constants, ''] });
  // The values of each set and enum, in spec order.
  const within = new Map<string, Entry[]>();
  for (const e of entries) if (e.within) within.set(e.within, [...(within.get(e.within) ?? []), e]); // sets hold few values
  const sets = entries.filter((e) => e.kind === 'set');
  if (sets.length) sections.push({ title: 'Sets', lines: sets.flatMap((e) => [`### ${e.heading ?? e.name}`, '', ...setSection(ctx, e, within.get(e.id) ?? []), '']) });
  const enums = entries.filter((e) => e.kind === 'enum');
  if (enums.length) sections.push({ title: 'Enums', lines: enums.flatMap((e) => [`### ${e.heading ?? e.name}`, '', ...enumSection(ctx, e, within.get(e.id) ?? []), '']) });
  const macros = macrosTable(ctx, entries);
  if (macros.length) sections.push({ title: 'Macros', lines: [...macros, ''] });
  for (const s of profiles) {
    const list = entries.filter((e) => e.kind === s.kind);
    if (list.length) sections.push({ title: s.title, lines: list.flatMap((e) => entrySection(ctx, e, s.body)) });
  }
  const toc = sections.map((s) => `[${s.title}](#${slug(s.title)})`).join(' · ');
  const body = [...head, ...(toc ? [toc, ''] : []), ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.lines])];
  while (body.at(-1) === '') body.pop();
  return { path: page, sources: family ? [family.file] : [], body: `${body.join('\n')}\n` };
}
