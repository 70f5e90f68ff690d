// Merges the declaration lists of several kernel versions into one list with lifetimes.
// Entries match across versions by key and content; children (struct members, set values)
// merge recursively, so a field added in 6.12 gets `since: 6.12` on the field, not a new struct.

export interface Entry {
  /** Identity: 'define X', 'struct x', 'field y', 'set vfio-device-flags' ... */
  key: string;
  /** Everything that must be equal for two versions to share the entry (children excluded). */
  head: string;
  node: Record<string, unknown>;
  childKey?: 'members' | 'values';
  children?: Entry[];
}

export interface Merged {
  key: string;
  head: string;
  node: Record<string, unknown>;
  childKey?: 'members' | 'values';
  /** Indexes (into the version list) of the first version holding the entry and the first one after it that does not. */
  first: number;
  end: number;
  children?: Merged[];
}

type Per = { v: number; entries: Entry[] };

/** Longest common subsequence of two key/head lists: index pairs. */
function lcs(a: Array<{ key: string; head: string }>, b: Array<{ key: string; head: string }>): Array<[number, number]> {
  const n = a.length;
  const m = b.length;
  const dp: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const row = dp[i] as Uint32Array;
      row[j] = a[i]?.key === b[j]?.key && a[i]?.head === b[j]?.head ? ((dp[i + 1] as Uint32Array)[j + 1] as number) + 1 : Math.max((dp[i + 1] as Uint32Array)[j] as number, row[j + 1] as number);
    }
  }
  const pairs: Array<[number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i]?.key === b[j]?.key && a[i]?.head === b[j]?.head) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (((dp[i + 1] as Uint32Array)[j] as number) >= ((dp[i] as Uint32Array)[j + 1] as number)) i++;
    else j++;
  }
  return pairs;
}

interface Acc extends Omit<Merged, 'children'> {
  lists: Per[];
}

export function mergeVersions(perVersion: Per[]): Merged[] {
  let merged: Acc[] = [];
  let previous = -1;
  for (const { v, entries } of perVersion) {
    const live = merged.filter((m) => m.end === previous + 1 && previous >= 0);
    const pairs = lcs(live, entries);
    const matchOf = new Map<Acc, number>(pairs.map(([i, j]) => [live[i] as Acc, j]));
    const next: Acc[] = [];
    let j = 0;
    const fresh = (e: Entry): Acc => ({ key: e.key, head: e.head, node: e.node, ...(e.childKey ? { childKey: e.childKey } : {}), first: v, end: v + 1, lists: e.children ? [{ v, entries: e.children }] : [] });
    for (const m of merged) {
      const k = matchOf.get(m);
      if (k !== undefined) {
        while (j < k) next.push(fresh(entries[j++] as Entry));
        const e = entries[j++] as Entry;
        m.end = v + 1;
        if (e.children) m.lists.push({ v, entries: e.children });
      }
      next.push(m);
    }
    while (j < entries.length) next.push(fresh(entries[j++] as Entry));
    merged = next;
    previous = v;
  }
  return merged.map(({ lists, ...m }) => (m.childKey ? { ...m, children: mergeVersions(lists) } : m));
}
