// One request: its macro, type, nr and argument, the real data direction, the fd kinds and
// device profiles that take it, its number on every ABI, and the checks the spec knows.
import { ABIS, MACRO_OF, type AbiView, type Behaviour, type Request, type RequestPath } from '../../src/model/index.ts';
import { checkResult, checkText, ruleCondition } from '../../src/explain/words.ts';
import { link, once, typeLink, type Ctx } from './context.ts';
import { cell, code, hex, table, text } from './markdown.ts';
import { at, behaviourOf, numbersOf } from './memo.ts';

const DIRECTION = { none: 'none', read: 'read (kernel to user)', write: 'write (user to kernel)', readwrite: 'read and write' } as const;
const DATA = { none: 'none', in: 'in (user to kernel)', out: 'out (kernel to user)', inout: 'in and out' } as const;

export function signature(r: Request): string {
  const i = r.item;
  const arg = i.encoding === 'none' ? '' : `, ${i.arg ?? ''}`;
  return `${MACRO_OF[i.encoding]}(${i.typeName}, ${i.nr.text}${arg})`;
}

/** ABIs grouped by the number the request has on them, in ABIS order. */
function numbers(view: AbiView, r: Request): string[] {
  const groups = new Map<number, { size: number; abis: string[] }>();
  const all = numbersOf(view, r);
  ABIS.forEach((abi, i) => {
    const n = all[i] as number;
    const g = groups.get(n) ?? { size: view.argSize(r, abi), abis: [] };
    g.abis.push(abi.name);
    groups.set(n, g);
  });
  return table(['number', 'decimal', 'size field', 'ABIs'], [...groups].map(([n, g]) => [code(hex(n)), String(n), String(g.size), g.abis.join(', ')]));
}

/** A path by what it renders: each check by where it is written and where it came from. */
const pathKey = (p: RequestPath): string => `${p.kind}:${p.end}:${p.checks.map((c) => `${c.from}@${c.pos.file}:${c.pos.line}:${c.pos.col}`).join()}`;

/** A request's path on an executable fd: its ordered checks, each with the errno it gives. */
function pathSteps(b: Behaviour, name: string): string[] {
  const p = b.path(name);
  if (p.kind === 'unmodelled') return ['not modelled'];
  const steps = p.checks.map((c) => {
    const where = c.from === 'dispatch' ? '' : ` *(${text(c.from)})*`;
    const result = checkResult(c);
    return `${code(c.id)}: ${checkText(c, code)}${result ? ` → **${result}**` : ''}${where}${c.doc ? `. ${text(c.doc)}` : ''}`;
  });
  steps.push(p.kind === 'handled' ? 'all passed → **0**' : `not handled here → **${p.end}**`);
  // Quirks that no check models are still facts about the request.
  for (const q of b.quirksFor(name).filter((x) => x.checks.length === 0)) steps.push(`quirk *${q.name}*: ${text(q.doc)} → ${q.errno.map((e) => `**${e}**`).join(', ') || 'no errno'}`);
  return steps;
}

/** Status rules in spec order, then recorded quirks: what the spec knows where the order is not modelled. */
function ruleSteps(b: Behaviour, name: string): string[] {
  return [
    ...b.rulesFor(name).map((rule) => `status rule: ${text(ruleCondition(rule))} → **${rule.error}**${rule.doc ? `. ${text(rule.doc)}` : ''}`),
    ...b.quirksFor(name).map((q) => `quirk *${q.name}*: ${text(q.doc)} → ${q.errno.map((e) => `**${e}**`).join(', ') || 'no errno'}`),
  ];
}

/** Per fd kind in scope (and per device profile that adds checks): what a call passes through. */
function checks(ctx: Ctx, view: AbiView, r: Request): string[] {
  const name = r.item.name;
  const out: string[] = [];
  const list = (head: string, steps: readonly string[], ordered: boolean): void => {
    out.push(`- ${head}${ordered ? ' (in order)' : ' (status rules in spec order, then recorded quirks)'}:${steps.length ? '' : ' no status rule or recorded quirk.'}`);
    steps.forEach((s, i) => out.push(`  ${i + 1}. ${s}`));
  };
  // Steps are rendered once per distinct path (or rules and quirks) across versions.
  const steps = (b: Behaviour): readonly string[] =>
    b.executable ? once(ctx, `path:${pathKey(b.path(name))}|${b.quirksFor(name).map(at).join()}`, () => pathSteps(b, name)) : once(ctx, `rules:${name}|${b.rulesFor(name).map(at).join()}|${b.quirksFor(name).map(at).join()}`, () => ruleSteps(b, name));
  for (const fd of r.item.scope) {
    const b = behaviourOf(view, fd);
    if (b) list(`On ${link(ctx, `fd:${fd}`)}`, steps(b), b.executable);
  }
  for (const d of view.devices.values()) {
    if (!view.accepted(d.name).has(name)) continue;
    const b = behaviourOf(view, d.fd, d.name);
    if (!b) continue;
    const adds = b.executable ? d.dispatch.some((x) => x.requests.includes(name)) : d.rules.some((x) => x.requests.includes(name));
    if (adds) list(`With device profile ${link(ctx, `device:${d.name}`)}`, steps(b), b.executable);
  }
  return out;
}

export function requestBody(ctx: Ctx, view: AbiView, r: Request): string[] {
  const i = r.item;
  const type = view.constant(i.typeName);
  const devices = [...view.devices.values()].filter((d) => view.accepted(d.name).has(i.name)).map((d) => d.name);
  // Everything the head reads: the item (by where it is written), numbers, sizes, the type's spelling, the profiles.
  const key = `head:${at(i)}|${numbersOf(view, r).join()}|${type?.spelling}|${r.type}|${r.nr}|${devices.join()}`;
  return [...once(ctx, key, () => requestHead(ctx, view, r, devices)), '', ...checksSection(ctx, view, r)];
}

function checksSection(ctx: Ctx, view: AbiView, r: Request): string[] {
  const checkLines = checks(ctx, view, r);
  return ['*Checks* (the status gates and argument checks a call passes through, with the errno of each):', '', ...(checkLines.length ? checkLines : ['- none recorded'])];
}

function requestHead(ctx: Ctx, view: AbiView, r: Request, deviceNames: readonly string[]): string[] {
  const i = r.item;
  const type = view.constant(i.typeName);
  const pass = i.pass === 'value' ? 'passed by value (the ioctl argument itself)' : i.pass === 'pointer' ? 'passed by pointer' : 'none';
  const devices = deviceNames.map((d) => link(ctx, `device:${d}`));
  const rows: string[][] = [
    ['macro', code(MACRO_OF[i.encoding])],
    ['type', `${link(ctx, `const:${i.typeName}`)} = ${code(hex(r.type))}${type?.spelling && type.spelling.toLowerCase() !== hex(r.type) ? ` (${code(type.spelling)})` : ''}`],
    ['nr', `${code(i.nr.text)} = ${code(hex(r.nr))} (${r.nr})`],
    ['argument', i.arg ? `${typeLink(ctx, i.arg)}, ${pass}` : 'none'],
    ['encoded direction', DIRECTION[i.encoding]],
    ['data direction', `${DATA[i.data]}${i.dataExplicit && i.data !== 'none' ? ' (stated by the spec)' : ''}`],
  ];
  if (i.quirk) rows.push(['quirk', cell(i.quirk)]);
  if (i.returns) rows.push(['returns', cell(i.returns)]);
  rows.push(['fd kinds', i.scope.map((fd) => link(ctx, `fd:${fd}`)).join(', ') || 'none']);
  rows.push(['device profiles', devices.join(', ') || 'none']);
  if (i.deprecated) rows.push(['deprecated', cell(i.deprecated)]);
  return [code(signature(r)), '', ...(i.doc ? [text(i.doc), ''] : []), ...table(['', ''], rows), '', ...numbers(view, r)];
}
