// Which versions to compare, running every comparison on each pair, and folding the same
// finding seen at several versions into one.
import { compareChannels, compareDevices, compareFds } from './compare/behaviour.ts';
import { compareConstants } from './compare/constants.ts';
import { compareMessages } from './compare/messages.ts';
import { compareRequests } from './compare/requests.ts';
import { compareTypes } from './compare/types.ts';
import { compareVersions, PairContext } from './context.ts';
import type { LoadedSide } from './load.ts';
import { SEVERITIES, type DiffResult, type Finding, type VersionPair } from './types.ts';

export class PairError extends Error {}

/**
 * The version pairs of a diff. With a projection (`spec@6.1`) on either side: that one pair
 * (the other side at the same version when it knows it, else at its newest). Without: each
 * version both specs list, compared with itself, and each version only the head lists,
 * compared with the newest base version before it (a kernel added to the spec).
 */
export function versionPairs(base: LoadedSide, head: LoadedSide): VersionPair[] {
  if (base.version !== undefined || head.version !== undefined) {
    const bv = base.version ?? (head.version && base.checked.includes(head.version) ? head.version : newest(base));
    const hv = head.version ?? (base.version && head.checked.includes(base.version) ? base.version : newest(head));
    for (const [side, v] of [[base, bv], [head, hv]] as const) {
      if (!side.checked.includes(v)) throw new PairError(`${side.label}: the spec does not know kernel ${v} (known: ${side.checked.join(', ')})`);
    }
    return [{ base: bv, head: hv }];
  }
  const pairs: VersionPair[] = [];
  for (const v of head.versions) {
    if (base.versions.includes(v)) pairs.push({ base: v, head: v });
    else {
      const before = base.versions.filter((b) => compareVersions(b, v) < 0).sort(compareVersions).pop();
      if (before) pairs.push({ base: before, head: v });
    }
  }
  if (pairs.length === 0) throw new PairError(`${base.label} and ${head.label} share no version to compare (${base.versions.join(', ')} vs ${head.versions.join(', ')})`);
  return pairs;
}

function newest(side: LoadedSide): string {
  return side.versions[side.versions.length - 1] ?? (side.checked[side.checked.length - 1] as string);
}

export function diffSides(base: LoadedSide, head: LoadedSide): DiffResult {
  const pairs = versionPairs(base, head);
  const merged = new Map<string, Finding>();
  let abis: string[] = [];
  for (const pair of pairs) {
    const ctx = new PairContext(base.snapshots.get(pair.base) as never, head.snapshots.get(pair.head) as never, base, head, pair);
    abis = ctx.abis;
    compareRequests(ctx);
    compareTypes(ctx);
    compareConstants(ctx);
    compareFds(ctx);
    compareDevices(ctx);
    compareChannels(ctx);
    compareMessages(ctx);
    for (const f of ctx.findings) {
      const key = [f.rule, f.item, f.abis.join(','), f.message].join('\0');
      const seen = merged.get(key);
      if (seen) seen.versions.push(pair);
      else merged.set(key, f);
    }
  }
  const rank = (f: Finding): number => SEVERITIES.indexOf(f.severity);
  const findings = [...merged.values()].sort((a, b) => rank(a) - rank(b) || a.item.localeCompare(b.item) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
  const summary = (s: LoadedSide, versions: string[]) => ({ label: s.label, source: s.source, ...(s.commit ? { commit: s.commit } : {}), versions });
  return {
    base: summary(base, [...new Set(pairs.map((p) => p.base))]),
    head: summary(head, [...new Set(pairs.map((p) => p.head))]),
    abis,
    pairs,
    findings,
  };
}
