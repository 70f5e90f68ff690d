// The ABI lock file of one family: its part of the AbiSnapshot at every version the spec checks,
// one item per line, so a pull request shows its ABI change as a reviewable diff and
// `gen --check` fails on one nobody regenerated. Each item line holds its entry per version as
// segments keyed by the first version of each (null: absent from there on), so an item that
// did not change is one segment and a new kernel version touches only what changed in it.
// Positions, docs and whole-spec lifetimes are left out (they change with edits, or repeat the
// segments); equal per-ABI layouts and numbers are folded into one key naming their ABIs, so an
// ABI-specific change stands out.
import type { AbiSnapshot } from '../../src/model/index.ts';

export const LOCK_FORMAT = 'ioctl-abi-lock/1';

type Section = 'constants' | 'sets' | 'types' | 'requests' | 'fds' | 'devices' | 'channels' | 'protocols' | 'messages';
export const SECTIONS: readonly Section[] = ['constants', 'sets', 'types', 'requests', 'fds', 'devices', 'channels', 'protocols', 'messages'];

/** Which entries of each section belong to the family. */
export interface FamilyItems {
  readonly fds: ReadonlySet<string>;
  readonly devices: ReadonlySet<string>;
  readonly channels: ReadonlySet<string>;
}

/** Keys that change with edits (positions), carry no ABI (docs), or repeat what the file says (family, lifetimes). */
const DROPPED = new Set(['at', 'doc', 'since', 'until', 'family']);

function strip(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(strip);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!DROPPED.has(k)) out[k] = strip(v);
    return out;
  }
  return value;
}

/** A layout's identity without JSON (its field names are the same on every ABI); anything else as JSON. */
function keyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  const l = value as { size?: number; align?: number; offsets?: Record<string, number>; sizes?: Record<string, number> };
  if (l && typeof l === 'object' && l.offsets && l.sizes) return `${l.size}/${l.align}/${Object.values(l.offsets).join(',')}/${Object.values(l.sizes).join(',')}`;
  return JSON.stringify(value);
}

/** { x86_64: A, i386: B, arm64: A } -> { "x86_64 arm64": A, "i386": B }, in the ABIs' order. */
function fold<T>(perAbi: Record<string, T>, abis: readonly string[]): Record<string, T> {
  const groups = new Map<string, { abis: string[]; value: T }>();
  for (const abi of abis) {
    if (!(abi in perAbi)) continue;
    const value = perAbi[abi] as T;
    const key = keyOf(value);
    const g = groups.get(key);
    if (g) g.abis.push(abi);
    else groups.set(key, { abis: [abi], value });
  }
  return Object.fromEntries([...groups.values()].map((g) => [g.abis.length === abis.length ? 'all' : g.abis.join(' '), g.value]));
}

function entry(section: Section, value: Record<string, unknown>, abis: readonly string[]): unknown {
  const e = strip(value) as Record<string, unknown>;
  if (section === 'types') e.layout = fold(e.layout as Record<string, unknown>, abis);
  if (section === 'requests') e.number = fold(e.number as Record<string, unknown>, abis);
  if (section === 'messages') e.size = fold(e.size as Record<string, unknown>, abis);
  return e;
}

/** The family's entries of one snapshot, by section (empty sections left out). */
export function familyPart(snap: AbiSnapshot, family: string, items: FamilyItems): Partial<Record<Section, Record<string, unknown>>> {
  const out: Partial<Record<Section, Record<string, unknown>>> = {};
  for (const section of SECTIONS) {
    const all = snap[section] as unknown as Record<string, Record<string, unknown>>;
    const mine = Object.entries(all).filter(([name, v]) => (section === 'fds' || section === 'devices' || section === 'channels' ? items[section].has(name) : v.family === family));
    if (mine.length) out[section] = Object.fromEntries(mine.map(([name, v]) => [name, entry(section, v, snap.abis)]));
  }
  return out;
}

/** Per item, its entry at each version as segments: { "5.10": entry, "6.12": changed, "7.2": null }. */
export function segments(versions: ReadonlyArray<readonly [string, Partial<Record<Section, Record<string, unknown>>>]>): Partial<Record<Section, Record<string, Record<string, unknown>>>> {
  const out: Partial<Record<Section, Record<string, Record<string, unknown>>>> = {};
  for (const section of SECTIONS) {
    const names = [...new Set(versions.flatMap(([, part]) => Object.keys(part[section] ?? {})))].sort();
    if (!names.length) continue;
    const items: Record<string, Record<string, unknown>> = {};
    for (const name of names) {
      const segs: Record<string, unknown> = {};
      let last: string | undefined;
      for (const [version, part] of versions) {
        const value = part[section]?.[name];
        const text = value === undefined ? 'null' : JSON.stringify(value);
        if (text === last || (last === undefined && value === undefined)) continue;
        segs[version] = value ?? null;
        last = text;
      }
      items[name] = segs;
    }
    out[section] = items;
  }
  return out;
}

/** The lock file's text: header fields, then sections with one line per item. */
export function lockText(head: Record<string, unknown>, body: Partial<Record<Section, Record<string, Record<string, unknown>>>>): string {
  const q = JSON.stringify;
  const lines = ['{', ...Object.entries(head).map(([k, v]) => `  ${q(k)}: ${q(v)},`)];
  const sections = Object.entries(body);
  sections.forEach(([section, items], si) => {
    lines.push(`  ${q(section)}: {`);
    const names = Object.keys(items);
    names.forEach((name, ni) => lines.push(`    ${q(name)}: ${q(items[name])}${ni < names.length - 1 ? ',' : ''}`));
    lines.push(`  }${si < sections.length - 1 ? ',' : ''}`);
  });
  if (!sections.length) lines[lines.length - 1] = (lines[lines.length - 1] as string).replace(/,$/, '');
  lines.push('}', '');
  return lines.join('\n');
}
