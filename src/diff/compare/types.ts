// Structs and unions: member offsets and sizes per ABI, judged by the struct's declared
// extension protocol; renames, removals, type changes, and fields carved out of reserved bytes.
import type { SnapshotLayout, SnapshotMember, SnapshotType } from '../../model/index.ts';
import { listNames, splitKeys, type PairContext } from '../context.ts';
import type { Witness } from '../types.ts';

/** Protocols under which a struct may grow at its end without breaking old callers. */
const EXTENSIBLE = new Set(['argsz', 'size-in-number', 'copy-struct-from-user']);

interface Flat {
  path: string;
  type: string;
  /** Array dimensions as C writes them: '[4]', '[]', '[0]'. */
  dims: string;
  rank: number;
  reserved: boolean;
  at: string;
}

/** Members by layout path: anonymous aggregates add no segment, named nested ones add `name.`. */
function flatten(members: readonly SnapshotMember[], prefix = '', out = new Map<string, Flat>()): Map<string, Flat> {
  for (const m of members) {
    const path = m.name === null ? undefined : `${prefix}${m.name}`;
    const dims = (m.dims ?? []).map((d) => (d.startsWith('[') ? d : `[${d}]`));
    if (path !== undefined) out.set(path, { path, type: m.type, dims: dims.join(''), rank: dims.length, reserved: Boolean(m.reserved), at: m.at });
    if (m.members) flatten(m.members, path === undefined ? prefix : `${path}.`, out);
  }
  return out;
}

/** What kind of C type a member has: changing it breaks code that uses the member. */
function typeClass(f: Flat): string {
  const agg = /^(struct|union|enum) (\S+)/.exec(f.type);
  const base = agg ? `${agg[1]} ${agg[2]}` : f.type.trim().endsWith('*') ? 'pointer' : 'scalar';
  return `${base}${'[]'.repeat(f.rank)}`;
}

export function compareTypes(ctx: PairContext): void {
  const { removed, common, added } = splitKeys(ctx.base.types, ctx.head.types);
  for (const key of removed) {
    ctx.add({ rule: 'type-removed', item: key, message: `${key} was removed${usedBy(ctx, key, 'base')}`, baseAt: ctx.base.types[key]?.at, tombstoneOf: { section: 'types', key } });
  }
  for (const key of added) ctx.add({ rule: 'type-added', item: key, message: `${key} was added`, headAt: ctx.head.types[key]?.at });
  for (const key of common) if (!ctx.unchanged('types', key)) compareStruct(ctx, key, ctx.base.types[key] as SnapshotType, ctx.head.types[key] as SnapshotType);
}

/** Per snapshot: the requests, channels and types that use each type (built once, on demand). */
const users = new WeakMap<object, Map<string, { reqs: string[]; chans: string[]; inside: string[] }>>();

function usersOf(snap: PairContext['head']): Map<string, { reqs: string[]; chans: string[]; inside: string[] }> {
  let index = users.get(snap);
  if (index) return index;
  const built = new Map<string, { reqs: string[]; chans: string[]; inside: string[] }>();
  index = built;
  const entry = (key: string) => {
    let e = built.get(key);
    if (!e) built.set(key, (e = { reqs: [], chans: [], inside: [] }));
    return e;
  };
  for (const [n, r] of Object.entries(snap.requests)) if (r.arg) entry(r.arg).reqs.push(n);
  for (const [n, c] of Object.entries(snap.channels)) for (const r of c.records) entry(r.type).chans.push(n);
  for (const [k, t] of Object.entries(snap.types)) {
    for (const m of flatten(t.members).values()) {
      const used = /^(struct|union) \S+/.exec(m.type)?.[0];
      if (used && used !== k && !entry(used).inside.includes(k)) entry(used).inside.push(k);
    }
  }
  users.set(snap, index);
  return index;
}

/** " (argument of X; record of channel c)": why a layout change reaches userspace. */
function usedBy(ctx: PairContext, key: string, side: 'base' | 'head'): string {
  const u = usersOf(side === 'base' ? ctx.base : ctx.head).get(key);
  if (!u) return '';
  const parts = [
    ...(u.reqs.length ? [`argument of ${listNames(u.reqs, 3)}`] : []),
    ...(u.chans.length ? [`record of channel ${listNames(u.chans, 3)}`] : []),
    ...(u.inside.length ? [`inside ${listNames(u.inside, 3)}`] : []),
  ];
  return parts.length ? ` (${parts.join('; ')})` : '';
}

/** Deep equality that ignores positions and lifetimes: most structs did not change at all. */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => !IGNORED.has(k));
  const kb = Object.keys(b).filter((k) => !IGNORED.has(k));
  return ka.length === kb.length && ka.every((k) => same((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}
const IGNORED = new Set(['at', 'since', 'until', 'doc']);

function compareStruct(ctx: PairContext, key: string, b: SnapshotType, h: SnapshotType): void {
  if (same(b, h)) return;
  const at = { baseAt: b.at, headAt: h.at };
  const abis = ctx.abis.filter((a) => b.layout[a] && h.layout[a]);
  const bl = (abi: string): SnapshotLayout => b.layout[abi] as SnapshotLayout;
  const hl = (abi: string): SnapshotLayout => h.layout[abi] as SnapshotLayout;
  const bm = flatten(b.members);
  const hm = flatten(h.members);
  const protocol = h.extension ?? b.extension ?? 'fixed';
  // Built only when a finding needs it: most structs do not change.
  let whereText: string | undefined;
  const whereOf = (): string => (whereText ??= usedBy(ctx, key, 'head'));

  if (b.extension && h.extension && b.extension !== h.extension) {
    ctx.add({ rule: 'extension-changed', item: key, ...at, message: `${key} is declared extension: ${h.extension}, was ${b.extension}`, witnesses: [{ old: b.extension, new: h.extension }] });
  }

  // Byte ranges the base declared reserved: new members inside them are carved, not inserted.
  const reserved = [...bm.values()].filter((m) => m.reserved && m.path in (bl(abis[0] ?? '')?.offsets ?? {}));
  const removedPaths = [...bm.keys()].filter((p) => !hm.has(p));
  const addedPaths = [...hm.keys()].filter((p) => !bm.has(p));
  const sameShape = (o: string, n: string): boolean => abis.every((abi) => bl(abi).offsets[o] === hl(abi).offsets[n] && bl(abi).sizes[o] === hl(abi).sizes[n]);

  // Renames: same type, offset and size everywhere, another name.
  const renamed = new Map<string, string>();
  for (const o of removedPaths) {
    const old = bm.get(o) as Flat;
    if (old.reserved) continue;
    const to = addedPaths.find((n) => ![...renamed.values()].includes(n) && hm.get(n)?.type === old.type && hm.get(n)?.dims === old.dims && sameShape(o, n));
    if (to) renamed.set(o, to);
  }
  const renameTargets = new Set(renamed.values());
  const stays = (path: string, abi: string): boolean => hm.has(path) && bl(abi).offsets[path] === hl(abi).offsets[path];
  /** Where a new member sits on one ABI, against the bytes of the old layout. */
  const placement = (p: string, abi: string): 'reserved' | 'moves' | 'overlay' | 'replaces' | 'end' | 'padding' => {
    const o = hl(abi).offsets[p] ?? 0;
    const e = o + (hl(abi).sizes[p] ?? 0);
    const hits = [...bm.keys()].filter((q) => {
      const qo = bl(abi).offsets[q];
      if (qo === undefined) return false;
      const qe = qo + (bl(abi).sizes[q] ?? 0);
      return o < qe && qo < e;
    });
    if (hits.length === 0) return o >= bl(abi).size ? 'end' : 'padding';
    if (hits.every((q) => bm.get(q)?.reserved || hits.some((r) => bm.get(r)?.reserved && r !== q && q.startsWith(`${r}.`)))) return 'reserved';
    if (hits.some((q) => !bm.get(q)?.reserved && hm.has(q) && !stays(q, abi))) return 'moves';
    if (hits.some((q) => stays(q, abi))) return 'overlay';
    return 'replaces';
  };
  const fresh = addedPaths.filter((p) => !renameTargets.has(p));
  const carved = fresh.filter((p) => reserved.length > 0 && abis.every((abi) => placement(p, abi) === 'reserved'));
  const inserted = fresh.filter((p) => !carved.includes(p) && abis.some((abi) => placement(p, abi) === 'moves'));
  const harmless = fresh.filter((p) => !carved.includes(p) && !inserted.includes(p));
  const appended = harmless.filter((p) => abis.some((abi) => placement(p, abi) === 'end'));

  for (const [o, n] of renamed) {
    ctx.add({ rule: 'member-renamed', item: `${key}.${o}`, baseAt: bm.get(o)?.at, headAt: hm.get(n)?.at, message: `${key}: member ${o} is now ${n} (same offset, size and type)`, witnesses: [{ old: o, new: n }] });
  }
  for (const o of removedPaths) {
    const old = bm.get(o) as Flat;
    if (old.reserved || renamed.has(o)) continue;
    ctx.add({ rule: 'member-removed', item: `${key}.${o}`, baseAt: old.at, tombstoneOf: { section: 'types', key, member: o }, message: `${key}: member ${o} (${old.type}${old.dims}) was removed${whereOf()}` });
  }

  // Members on both sides: moved, resized, retyped. Reserved members may move or shrink as
  // fields are carved out of them; that is judged by reserved-carved below.
  const moved: Array<{ path: string; abis: string[] }> = [];
  let resizedAny = false;
  for (const path of [...bm.keys()].filter((p) => hm.has(p))) {
    const old = bm.get(path) as Flat;
    const neu = hm.get(path) as Flat;
    if (old.reserved) continue;
    const movedOn = abis.filter((abi) => bl(abi).offsets[path] !== hl(abi).offsets[path]);
    if (movedOn.length) moved.push({ path, abis: movedOn });
    const resizedOn = abis.filter((abi) => bl(abi).sizes[path] !== hl(abi).sizes[path]);
    const typeText = old.type !== neu.type || old.dims !== neu.dims ? ` (${old.type}${old.dims} -> ${neu.type}${neu.dims})` : '';
    if (resizedOn.length) {
      resizedAny = true;
      const first = resizedOn[0] as string;
      ctx.add({
        rule: 'member-resized', item: `${key}.${path}`, abis: resizedOn, baseAt: old.at, headAt: neu.at,
        message: `${key}: member ${path} is ${bl(first).sizes[path]} -> ${hl(first).sizes[path]} bytes on ${first}${typeText}${whereOf()}`,
        witnesses: resizedOn.map((abi) => ({ abi, old: String(bl(abi).sizes[path]), new: String(hl(abi).sizes[path]) })),
      });
    } else if (typeText) {
      const rule = typeClass(old) === typeClass(neu) ? 'member-retyped' : 'member-type-changed';
      ctx.add({ rule, item: `${key}.${path}`, baseAt: old.at, headAt: neu.at, message: `${key}: member ${path}${typeText}, same size on every ABI`, witnesses: [{ old: `${old.type}${old.dims}`, new: `${neu.type}${neu.dims}` }] });
    }
  }

  if (moved.length) {
    const movedAbis = abis.filter((abi) => moved.some((m) => m.abis.includes(abi)));
    const first = movedAbis[0] as string;
    const lead = moved.find((m) => m.abis.includes(first)) as { path: string };
    const list = moved.filter((m) => m.abis.includes(first)).map((m) => `${m.path} ${bl(first).offsets[m.path]} -> ${hl(first).offsets[m.path]}`);
    const cause = inserted.length ? `; ${listNames(inserted)} inserted` : removedPaths.length ? `; ${listNames(removedPaths)} removed` : '';
    ctx.add({
      rule: 'member-moved', item: key, abis: movedAbis, ...at,
      message: `${key}: ${listNames(list)} on ${first}${cause}${whereOf()}`,
      witnesses: movedAbis.map((abi) => ({ abi, old: `${lead.path}@${bl(abi).offsets[lead.path]}`, new: `${lead.path}@${hl(abi).offsets[lead.path]}` })),
    });
  }

  if (carved.length || reserved.some((r) => !hm.has(r.path) || abis.some((abi) => bl(abi).sizes[r.path] !== hl(abi).sizes[r.path]))) {
    const from = listNames(reserved.map((r) => r.path));
    ctx.add({
      rule: 'reserved-carved', item: key, ...at,
      message: `${key}: ${carved.length ? `${listNames(carved)} carved out of ${from}` : `${from} reshaped`} (size unchanged where nothing else moved)${whereOf()}`,
      witnesses: abis.slice(0, 1).map((abi) => ({ abi, old: reserved.map((r) => `${r.path}@${bl(abi).offsets[r.path]}+${bl(abi).sizes[r.path]}`).join(' '), new: [...carved, ...reserved.filter((r) => hm.has(r.path)).map((r) => r.path)].map((p) => `${p}@${hl(abi).offsets[p]}+${hl(abi).sizes[p]}`).join(' ') })),
    });
  }

  const grew = abis.filter((abi) => hl(abi).size > bl(abi).size);
  const shrank = abis.filter((abi) => hl(abi).size < bl(abi).size);
  const sizeWitness = (list: string[]): Witness[] => list.map((abi) => ({ abi, old: String(bl(abi).size), new: String(hl(abi).size) }));
  const why = (list: string[]): string => {
    const first = list[0] as string;
    const causes = [
      ...(appended.length ? [`${listNames(appended)} appended`] : []),
      ...(inserted.length ? [`${listNames(inserted)} inserted`] : []),
      ...[...bm.keys()].filter((p) => hm.has(p) && (bm.get(p)?.type !== hm.get(p)?.type || bm.get(p)?.dims !== hm.get(p)?.dims)).map((p) => `${p} ${bm.get(p)?.type}${bm.get(p)?.dims} -> ${hm.get(p)?.type}${hm.get(p)?.dims}`),
      ...(bl(first).align !== hl(first).align ? [`alignment ${bl(first).align} -> ${hl(first).align}`] : []),
    ];
    return `${key} is ${bl(first).size} -> ${hl(first).size} bytes on ${first}${causes.length ? ` (${causes.join('; ')})` : ''}`;
  };
  if (shrank.length) ctx.add({ rule: 'struct-size-changed', item: key, abis: shrank, ...at, message: `${why(shrank)}, extension: ${protocol}${whereOf()}`, witnesses: sizeWitness(shrank) });
  if (grew.length) {
    const compatible = EXTENSIBLE.has(protocol) && !moved.length && !resizedAny && !inserted.length;
    ctx.add({ rule: compatible ? 'struct-grew' : 'struct-size-changed', item: key, abis: grew, ...at, message: `${why(grew)}, extension: ${protocol}${whereOf()}`, witnesses: sizeWitness(grew) });
  }
  // New members that moved nothing, where the struct did not grow (growth is reported above).
  for (const p of harmless) {
    const on = abis.filter((abi) => hl(abi).size === bl(abi).size);
    if (on.length === 0 || moved.length) continue;
    const first = on[0] as string;
    const where0 = placement(p, first);
    const how =
      where0 === 'overlay' ? `as another member over the bytes of ${listNames([...bm.keys()].filter((q) => stays(q, first) && (bl(first).offsets[q] ?? -1) === hl(first).offsets[p]))} (a union)`
      : where0 === 'replaces' ? `in the bytes of removed ${listNames(removedPaths.filter((q) => !renamed.has(q)))}`
      : 'into bytes the old layout left as padding';
    ctx.add({ rule: 'member-added', item: `${key}.${p}`, abis: on, baseAt: b.at, headAt: hm.get(p)?.at ?? h.at, message: `${key}: member ${p} added at offset ${hl(first).offsets[p]} on ${first}, ${how}${whereOf()}` });
  }
}
