// What every comparison of one version pair shares: both snapshots, both sides (for file
// positions and tombstones), the ABIs compared, and the list findings go to.
import type { AbiSnapshot, SnapshotMember } from '../model/index.ts';
import type { LoadedSide } from './load.ts';
import { RULES, type RuleId } from './rules.ts';
import type { Finding, Location, VersionPair, Witness } from './types.ts';

export interface NewFinding {
  rule: RuleId;
  item: string;
  message: string;
  /** Default: every compared ABI. */
  abis?: string[];
  witnesses?: Witness[];
  /** `at` of the item in the base and head snapshots. */
  baseAt?: string;
  headAt?: string;
  /** Where to look for a tombstone when the head has no entry: the snapshot section and key. */
  tombstoneOf?: { section: Section; key: string; member?: string };
  hint?: string;
}

export type Section = 'constants' | 'types' | 'requests' | 'fds' | 'devices' | 'channels' | 'sets' | 'protocols' | 'messages';

export class PairContext {
  readonly findings: Finding[] = [];
  /** ABIs both snapshots carry, in the base's order. */
  readonly abis: string[];

  constructor(
    readonly base: AbiSnapshot,
    readonly head: AbiSnapshot,
    readonly baseSide: LoadedSide,
    readonly headSide: LoadedSide,
    readonly pair: VersionPair,
  ) {
    this.abis = base.abis.filter((a) => head.abis.includes(a));
  }

  /** Whether an item says the same on both sides (positions and lifetimes aside): nothing to compare. */
  unchanged(section: Section, name: string): boolean {
    const b = this.baseSide.signatures.get(this.base.version)?.[section]?.[name];
    return b !== undefined && b === this.headSide.signatures.get(this.head.version)?.[section]?.[name];
  }

  add(f: NewFinding): void {
    const head = f.headAt ? this.location(this.headSide, f.headAt) : f.tombstoneOf ? this.tombstone(f.tombstoneOf.section, f.tombstoneOf.key, f.tombstoneOf.member) : undefined;
    this.findings.push({
      rule: f.rule,
      severity: RULES[f.rule].severity,
      item: f.item,
      message: f.message,
      abis: f.abis ?? this.abis,
      witnesses: f.witnesses ?? [],
      versions: [this.pair],
      ...(f.baseAt ? { base: this.location(this.baseSide, f.baseAt) } : {}),
      ...(head ? { head } : {}),
      ...(!f.headAt && head ? { tombstone: true as const } : {}),
      ...(f.hint ? { hint: f.hint } : !f.headAt && f.tombstoneOf && !head ? { hint: 'the head spec has no entry for it at all: keep removed items with until: (a tombstone), so history stays reviewable' } : {}),
    });
  }

  /** `vhost.yaml:120:5` in a side's snapshot -> the file as that side shows it. */
  location(side: LoadedSide, at: string): Location {
    const m = /^(.*):(\d+):(\d+)$/.exec(at);
    const name = m ? (m[1] as string) : at;
    return { file: side.fileOf(name), line: m ? Number(m[2]) : 1, col: m ? Number(m[3]) : 1, ...(side.ref ? { ref: side.ref } : {}) };
  }

  /** The head's entry for an item that no longer lives at the head version: its tombstone (until:). */
  private tombstone(section: Section, key: string, member?: string): Location | undefined {
    let best: { at: string; until: string } | undefined;
    for (const [v, snap] of this.headSide.snapshots) {
      if (v === this.head.version) continue;
      const item = (snap[section] as Record<string, { at: string; until?: string; members?: SnapshotMember[] }>)[key];
      const entry = member === undefined ? item : findMember(item?.members ?? [], member);
      if (entry?.until && compareVersions(entry.until, this.head.version) <= 0 && (!best || compareVersions(entry.until, best.until) > 0)) best = { at: entry.at, until: entry.until };
    }
    return best ? this.location(this.headSide, best.at) : undefined;
  }
}

/** A member by layout path (anonymous aggregates add no segment). */
function findMember(members: readonly SnapshotMember[], path: string, prefix = ''): SnapshotMember | undefined {
  for (const m of members) {
    const p = m.name === null ? undefined : `${prefix}${m.name}`;
    if (p === path) return m;
    const inner = m.members ? findMember(m.members, path, p === undefined ? prefix : `${p}.`) : undefined;
    if (inner) return inner;
  }
  return undefined;
}

export function compareVersions(a: string, b: string): number {
  const [am = 0, an = 0] = a.split('.').map(Number);
  const [bm = 0, bn = 0] = b.split('.').map(Number);
  return am - bm || an - bn;
}

/** Keys of two records: only in a, in both, only in b (each sorted). */
export function splitKeys<T>(a: Record<string, T>, b: Record<string, T>): { removed: string[]; common: string[]; added: string[] } {
  const removed: string[] = [];
  const common: string[] = [];
  for (const k of Object.keys(a)) (k in b ? common : removed).push(k);
  const added = Object.keys(b).filter((k) => !(k in a));
  return { removed: removed.sort(), common: common.sort(), added: added.sort() };
}

/** Words of an identifier, for telling a rename from an unrelated add and remove. */
export function words(name: string): string[] {
  return name.toLowerCase().split(/[_\-\s.]+/).filter(Boolean);
}

/** One name's words all appear in the other's: VFIO_DEVICE_STATE_SAVING and VFIO_DEVICE_STATE_V1_SAVING. */
export function wordsContained(a: string, b: string): boolean {
  const wa = words(a);
  const wb = words(b);
  const inB = wa.every((w) => wb.includes(w));
  const inA = wb.every((w) => wa.includes(w));
  return inA || inB;
}

export function sharedWords(a: string, b: string): number {
  const wb = new Set(words(b));
  return words(a).filter((w) => wb.has(w)).length;
}

/** "a, b and c" (at most `max` names, then "and N more"). */
export function listNames(names: readonly string[], max = 6): string {
  const shown = names.slice(0, max);
  const rest = names.length - shown.length;
  if (rest > 0) return `${shown.join(', ')} and ${rest} more`;
  if (shown.length <= 1) return shown.join('');
  return `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
}
