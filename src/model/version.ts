// Kernel versions (major.minor) and item lifetimes [since, until).

export type Version = string;

export interface Lifetime {
  since?: Version;
  until?: Version;
}

export function versionKey(v: Version): number {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  if (!m) throw new Error(`not a version: ${v}`);
  return Number(m[1]) * 1000 + Number(m[2]);
}

export const compareVersions = (a: Version, b: Version): number => versionKey(a) - versionKey(b);

export function isLive(item: Lifetime, at: Version): boolean {
  const k = versionKey(at);
  return (item.since === undefined || versionKey(item.since) <= k) && (item.until === undefined || k < versionKey(item.until));
}

/** True when the two lifetimes share at least one version. */
export function overlaps(a: Lifetime, b: Lifetime): boolean {
  const lo = Math.max(a.since ? versionKey(a.since) : -Infinity, b.since ? versionKey(b.since) : -Infinity);
  const hi = Math.min(a.until ? versionKey(a.until) : Infinity, b.until ? versionKey(b.until) : Infinity);
  return lo < hi;
}

