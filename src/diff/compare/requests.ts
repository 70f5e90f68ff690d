// Requests: numbers per ABI, how the argument travels, which fd kinds take them, renames and
// numbers reused after their request was retired.
import type { SnapshotRequest } from '../../model/index.ts';
import { compareVersions, listNames, splitKeys, type PairContext } from '../context.ts';
import type { Witness } from '../types.ts';

export function compareRequests(ctx: PairContext): void {
  const b = ctx.base.requests;
  const h = ctx.head.requests;
  const { removed, common, added } = splitKeys(b, h);

  // A removed and an added request with the same number on every ABI: a rename.
  const renamed = new Map<string, string>();
  for (const old of removed) {
    const to = added.find((n) => !renamedTo(renamed, n) && ctx.abis.every((abi) => b[old]?.number[abi] === h[n]?.number[abi]));
    if (to) renamed.set(old, to);
  }
  for (const [old, to] of renamed) {
    ctx.add({ rule: 'request-renamed', item: old, message: `${old} is now ${to} (same number on every ABI, ${h[to]?.number[ctx.abis[0] ?? ''] ?? '?'} on ${ctx.abis[0]})`, baseAt: b[old]?.at, headAt: h[to]?.at, witnesses: [{ old, new: to }] });
  }
  for (const name of removed) {
    if (renamed.has(name)) continue;
    const r = b[name] as SnapshotRequest;
    ctx.add({ rule: 'request-removed', item: name, message: `${name} (${r.macro} ${r.type} ${r.nr}) was removed`, baseAt: r.at, tombstoneOf: { section: 'requests', key: name }, witnesses: ctx.abis.map((abi) => ({ abi, old: r.number[abi] as string })) });
  }
  const retired = retiredNumbers(ctx, removed.filter((n) => !renamed.has(n)));
  for (const name of added) {
    if (renamedTo(renamed, name)) continue;
    const r = h[name] as SnapshotRequest;
    const reuse: Witness[] = [];
    const whom = new Set<string>();
    for (const abi of ctx.abis) {
      const hit = retired.get(`${abi} ${r.number[abi]}`);
      if (hit) {
        reuse.push({ abi, old: `${hit.name} ${r.number[abi]}`, new: `${name} ${r.number[abi]}` });
        whom.add(hit.name + (hit.until ? ` (retired at ${hit.until})` : ''));
      }
    }
    if (reuse.length) {
      ctx.add({ rule: 'request-number-reused', item: name, abis: reuse.map((w) => w.abi as string), message: `${name} takes the number of ${listNames([...whom])}`, headAt: r.at, witnesses: reuse });
    } else {
      ctx.add({ rule: 'request-added', item: name, message: `${name} (${r.macro} ${r.type} ${r.nr}) was added`, headAt: r.at, witnesses: [{ abi: ctx.abis[0], new: r.number[ctx.abis[0] ?? ''] }] });
    }
  }
  for (const name of common) if (!ctx.unchanged('requests', name)) compareOne(ctx, name, b[name] as SnapshotRequest, h[name] as SnapshotRequest);
}

function renamedTo(renamed: Map<string, string>, name: string): boolean {
  for (const to of renamed.values()) if (to === name) return true;
  return false;
}

/**
 * Numbers of requests that no longer live at the head version: those the base had and the head
 * dropped, and the head spec's tombstones (requests whose until: is at or before the head version).
 */
function retiredNumbers(ctx: PairContext, dropped: string[]): Map<string, { name: string; until?: string }> {
  const out = new Map<string, { name: string; until?: string }>();
  for (const name of dropped) for (const abi of ctx.abis) out.set(`${abi} ${ctx.base.requests[name]?.number[abi]}`, { name });
  for (const [v, snap] of ctx.headSide.snapshots) {
    if (compareVersions(v, ctx.head.version) >= 0) continue;
    for (const [name, r] of Object.entries(snap.requests)) {
      if (!r.until || compareVersions(r.until, ctx.head.version) > 0 || name in ctx.head.requests) continue;
      for (const abi of ctx.abis) {
        const key = `${abi} ${r.number[abi]}`;
        if (!out.has(key)) out.set(key, { name, until: r.until });
      }
    }
  }
  return out;
}

function argSize(ctx: PairContext, side: 'base' | 'head', arg: string | undefined, abi: string): number | undefined {
  if (!arg) return undefined;
  return (side === 'base' ? ctx.base : ctx.head).types[arg]?.layout[abi]?.size;
}

function extensionOf(ctx: PairContext, arg: string | undefined): string | undefined {
  return arg ? (ctx.head.types[arg]?.extension ?? ctx.base.types[arg]?.extension) : undefined;
}

function compareOne(ctx: PairContext, name: string, b: SnapshotRequest, h: SnapshotRequest): void {
  const at = { baseAt: b.at, headAt: h.at };
  const changed = ctx.abis.filter((abi) => b.number[abi] !== h.number[abi]);
  if (changed.length) {
    const causes: string[] = [];
    if (b.macro !== h.macro) causes.push(`${b.macro} -> ${h.macro}`);
    if (b.type !== h.type) causes.push(`type ${b.type} -> ${h.type}`);
    if (b.nr !== h.nr) causes.push(`nr ${b.nr} -> ${h.nr}`);
    if (b.arg !== h.arg) causes.push(`argument ${b.arg ?? 'none'} -> ${h.arg ?? 'none'}`);
    const sizes = changed.map((abi) => [abi, argSize(ctx, 'base', b.arg, abi), argSize(ctx, 'head', h.arg, abi)] as const).filter(([, o, n]) => o !== undefined && n !== undefined && o !== n);
    if (sizes.length) {
      const [abi, o, n] = sizes[0] as readonly [string, number, number];
      causes.push(`${h.arg} is ${o} -> ${n} bytes on ${abi}${sizes.length > 1 ? ` (and ${sizes.length - 1} more ABIs)` : ''}`);
    }
    const onlySize = b.macro === h.macro && b.type === h.type && b.nr === h.nr && b.arg === h.arg && sizes.length === changed.length;
    const rule = onlySize && extensionOf(ctx, h.arg) === 'size-in-number' ? 'request-size-versioned' : 'request-number-changed';
    const first = changed[0] as string;
    ctx.add({
      rule, item: name, abis: changed, ...at,
      message: `${name} is ${b.number[first]} -> ${h.number[first]} on ${first}${causes.length ? ` (${causes.join('; ')})` : ''}`,
      witnesses: changed.map((abi) => ({ abi, old: b.number[abi], new: h.number[abi] })),
    });
  } else if (b.arg !== h.arg) {
    // The number hides the argument (no size bits, or the same size): compare the layouts.
    const differs = ctx.abis.filter((abi) => !sameLayout(ctx.base.types[b.arg ?? '']?.layout[abi], ctx.head.types[h.arg ?? '']?.layout[abi]));
    const bothStruct = Boolean(b.arg && h.arg && ctx.base.types[b.arg] && ctx.head.types[h.arg]);
    if (bothStruct && differs.length) {
      ctx.add({ rule: 'request-arg-replaced', item: name, abis: differs, ...at, message: `${name} takes ${h.arg} instead of ${b.arg}, laid out differently on ${listNames(differs)}`, witnesses: differs.map((abi) => ({ abi, old: `${b.arg} ${ctx.base.types[b.arg ?? '']?.layout[abi]?.size} bytes`, new: `${h.arg} ${ctx.head.types[h.arg ?? '']?.layout[abi]?.size} bytes` })) });
    } else {
      ctx.add({ rule: 'request-arg-renamed', item: name, ...at, message: `${name} takes ${h.arg ?? 'no argument'} instead of ${b.arg ?? 'no argument'} (same layout and number)`, witnesses: [{ old: b.arg ?? 'none', new: h.arg ?? 'none' }] });
    }
  }
  if (b.pass !== h.pass) ctx.add({ rule: 'request-pass-changed', item: name, ...at, message: `${name}: the argument is passed by ${h.pass}, was ${b.pass}`, witnesses: [{ old: b.pass, new: h.pass }] });
  if (b.data !== h.data) ctx.add({ rule: 'request-data-changed', item: name, ...at, message: `${name}: data travels ${h.data}, was ${b.data} (number unchanged)`, witnesses: [{ old: b.data, new: h.data }] });
  const lost = b.scope.filter((fd) => !h.scope.includes(fd));
  const gained = h.scope.filter((fd) => !b.scope.includes(fd));
  if (lost.length) ctx.add({ rule: 'request-scope-narrowed', item: name, ...at, message: `${name} is no longer accepted on ${listNames(lost)}`, witnesses: [{ old: b.scope.join(' '), new: h.scope.join(' ') }] });
  if (gained.length) ctx.add({ rule: 'request-scope-widened', item: name, ...at, message: `${name} is now accepted on ${listNames(gained)} too`, witnesses: [{ old: b.scope.join(' '), new: h.scope.join(' ') }] });
  if (!b.deprecated && h.deprecated) ctx.add({ rule: 'request-deprecated', item: name, ...at, message: `${name} is deprecated: ${h.deprecated}` });
}

function sameLayout(a: { size: number; offsets: Record<string, number>; sizes: Record<string, number> } | undefined, b: { size: number; offsets: Record<string, number>; sizes: Record<string, number> } | undefined): boolean {
  if (!a || !b) return a === b;
  // Member names may differ (that is the point of a rename): compare the shapes.
  const shape = (l: { offsets: Record<string, number>; sizes: Record<string, number> }): string => Object.keys(l.offsets).map((k) => `${l.offsets[k]}+${l.sizes[k]}`).sort().join(',');
  return a.size === b.size && shape(a) === shape(b);
}
