// Wording shared by the output formats: which ABIs, which versions, where, and the witnesses
// grouped by equal old and new values.
import type { DiffReport } from '../report.ts';
import type { Finding, Location, VersionPair, Witness } from '../types.ts';

/** "all 17 ABIs", "i386 and m68k only", "14 ABIs (all but i386, m68k and sh4)". */
export function abisText(abis: readonly string[], all: readonly string[]): string {
  if (abis.length === all.length) return `all ${all.length} ABIs`;
  const missing = all.filter((a) => !abis.includes(a));
  if (abis.length <= 4) return `${join(abis)} only`;
  return `${abis.length} ABIs (all but ${join(missing)})`;
}

function join(xs: readonly string[]): string {
  return xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`;
}

export const pairText = (p: VersionPair): string => (p.base === p.head ? p.base : `${p.base} -> ${p.head}`);

/** "at every version" when the finding holds at every pair compared, else the pairs. */
export function versionsText(f: Finding, pairs: readonly VersionPair[]): string {
  if (pairs.length > 1 && f.versions.length === pairs.length) return 'at every version';
  return `at ${f.versions.map(pairText).join(', ')}`;
}

export const locationText = (l: Location): string => `${l.ref ? `${l.ref}:` : ''}${l.file}:${l.line}:${l.col}`;

/** Witnesses with equal old and new values folded together: "x86_64, arm64: 0x40 -> 0x48". */
export function witnessLines(ws: readonly Witness[], max = 4): string[] {
  const groups = new Map<string, string[]>();
  for (const w of ws) {
    const key = `${w.old ?? ''} -> ${w.new ?? ''}`.replace(/^ -> /, 'new: ').replace(/ -> $/, '');
    groups.set(key, [...(groups.get(key) ?? []), ...(w.abi ? [w.abi] : [])]);
  }
  const lines = [...groups].map(([values, abis]) => (abis.length ? `${abis.join(' ')}: ${values}` : values));
  return lines.length > max ? [...lines.slice(0, max), `(${lines.length - max} more)`] : lines;
}

export function summaryCounts(report: DiffReport): string {
  const parts = report.counts.filter((c) => c.open > 0).map((c) => `${c.open} ${c.severity}`);
  const acked = report.acknowledged.length ? `, ${report.acknowledged.length} acknowledged` : '';
  const stale = report.stale.length ? `, ${report.stale.length} stale acknowledgement(s)` : '';
  return `${parts.length ? parts.join(', ') : 'no findings'}${acked}${stale}`;
}
