// Constants (defines, enum values, flag, feature, status and value set members) and the sets'
// reserved-bits policies. A constant's value is what old binaries carry: changing it is a wire
// break, unless the spec declares it a sentinel (a count or end marker nobody sends).
import type { AbiSnapshot, SnapshotConstant } from '../../model/index.ts';
import { sharedWords, splitKeys, wordsContained, type PairContext } from '../context.ts';

const valueOf = (c: SnapshotConstant): string => (c.string !== undefined ? JSON.stringify(c.string) : String(c.value ?? c.spelling));

/** Families a family's header makes visible: itself and its imports, transitively. */
function visibleFrom(snap: AbiSnapshot, family: string): Set<string> {
  const seen = new Set<string>();
  const walk = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const i of snap.families[f]?.imports ?? []) walk(i);
  };
  walk(family);
  return seen;
}

export function compareConstants(ctx: PairContext): void {
  const b = ctx.base.constants;
  const h = ctx.head.constants;
  const { removed, common, added } = splitKeys(b, h);

  // A removed and an added constant with one value, whose names differ by added or dropped
  // words: a rename (VFIO_DEVICE_STATE_SAVING -> VFIO_DEVICE_STATE_V1_SAVING).
  const renamed = new Map<string, string>();
  const taken = new Set<string>();
  for (const old of removed) {
    const oc = b[old] as SnapshotConstant;
    const candidates = added.filter((n) => !taken.has(n) && valueOf(h[n] as SnapshotConstant) === valueOf(oc) && wordsContained(old, n));
    candidates.sort((x, y) => sharedWords(old, y) - sharedWords(old, x) || x.localeCompare(y));
    const to = candidates[0];
    if (to) {
      renamed.set(old, to);
      taken.add(to);
    }
  }
  for (const [old, to] of renamed) {
    ctx.add({ rule: 'constant-renamed', item: old, message: `${old} is now ${to} (value ${valueOf(h[to] as SnapshotConstant)})`, baseAt: b[old]?.at, headAt: h[to]?.at, witnesses: [{ old, new: to }] });
  }
  for (const name of removed) {
    if (renamed.has(name)) continue;
    const c = b[name] as SnapshotConstant;
    ctx.add({ rule: 'constant-removed', item: name, message: `${name} (${valueOf(c)}) was removed`, baseAt: c.at, tombstoneOf: { section: 'constants', key: name }, witnesses: [{ old: valueOf(c) }] });
  }
  for (const name of added) if (!taken.has(name)) ctx.add({ rule: 'constant-added', item: name, message: `${name} = ${valueOf(h[name] as SnapshotConstant)} was added`, headAt: h[name]?.at, witnesses: [{ new: valueOf(h[name] as SnapshotConstant) }] });

  for (const name of common) {
    if (ctx.unchanged('constants', name)) continue;
    const o = b[name] as SnapshotConstant;
    const n = h[name] as SnapshotConstant;
    const at = { baseAt: o.at, headAt: n.at };
    if (valueOf(o) !== valueOf(n)) {
      const sentinel = o.sentinel || n.sentinel;
      ctx.add({ rule: sentinel ? 'sentinel-moved' : 'constant-value-changed', item: name, ...at, message: `${name} is ${valueOf(o)} -> ${valueOf(n)}${sentinel ? ' (a sentinel)' : ''}`, witnesses: [{ old: valueOf(o), new: valueOf(n) }] });
    }
    const setOf = (c: SnapshotConstant): string => `${c.kind}${c.set ? ` ${c.set}` : ''}`;
    if (valueOf(o) === valueOf(n) && setOf(o) !== setOf(n) && !o.sentinel) {
      ctx.add({ rule: 'constant-redefined', item: name, ...at, message: `${name} keeps ${valueOf(n)} but is now a ${setOf(n)} constant, was a ${setOf(o)} one`, witnesses: [{ old: setOf(o), new: setOf(n) }] });
    }
    // A constant that moved between headers stays visible if the old header includes the new one.
    const oldHeader = ctx.base.families[o.family]?.header;
    const newHeader = ctx.head.families[n.family]?.header;
    const oldNow = Object.entries(ctx.head.families).find(([, f]) => oldHeader && f.header === oldHeader)?.[0];
    if (oldHeader && newHeader && oldHeader !== newHeader && oldNow && !visibleFrom(ctx.head, oldNow).has(n.family)) {
      ctx.add({ rule: 'constant-moved-header', item: name, ...at, message: `${name} moved from ${oldHeader} to ${newHeader}, which the old header does not include`, witnesses: [{ old: oldHeader, new: newHeader }] });
    }
  }
  compareSets(ctx);
}

const POLICY_RANK: Record<string, number> = { ignore: 0, 'must-be-zero-out': 1, reject: 2 };

function compareSets(ctx: PairContext): void {
  const { common } = splitKeys(ctx.base.sets, ctx.head.sets);
  for (const id of common) {
    const o = ctx.base.sets[id];
    const n = ctx.head.sets[id];
    if (!o || !n) continue;
    const at = { baseAt: o.at, headAt: n.at };
    if (o.reserved && n.reserved && o.reserved !== n.reserved) {
      const tighter = (POLICY_RANK[n.reserved] ?? 0) > (POLICY_RANK[o.reserved] ?? 0);
      ctx.add({ rule: tighter ? 'reserved-policy-tightened' : 'reserved-policy-loosened', item: `set ${id}`, ...at, message: `set ${id}: unknown bits are now '${n.reserved}', were '${o.reserved}'`, witnesses: [{ old: o.reserved, new: n.reserved }] });
    }
    if ((o.kind === 'flags' || o.kind === 'features') && n.reserved === 'reject') {
      // A value that still exists elsewhere (moved to another set) can still be passed.
      for (const v of o.values.filter((x) => !n.values.includes(x) && !(x in ctx.head.constants) && !ctx.base.constants[x]?.sentinel)) {
        ctx.add({ rule: 'flag-withdrawn', item: v, ...at, message: `${v} left set ${id}, which refuses unknown bits: old callers passing it now fail` });
      }
    }
  }
}
