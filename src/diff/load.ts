// A side's model as the diff reads it: the AbiSnapshot at every version the spec checks,
// computed by the model's front door, or taken from the cache when the same spec files were
// snapshotted before by the same code. Docs are dropped: the diff never reads them.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { cacheRead, cacheWrite } from '../load/cache.ts';
import type { AbiSnapshot, Diagnostic } from '../model/index.ts';
import type { SideSource } from './side.ts';

export interface LoadedSide extends SideSource {
  /** Versions of project.yaml, oldest first. */
  versions: string[];
  /** Every version with a snapshot (the listed ones and where historic profiles begin). */
  checked: string[];
  snapshots: ReadonlyMap<string, AbiSnapshot>;
  /** Per version, section and item: a hash of the entry without positions and lifetimes, so unchanged items are skipped. */
  signatures: ReadonlyMap<string, Signatures>;
}

export type Signatures = Record<string, Record<string, string>>;

export type LoadResult = { ok: true; side: LoadedSide } | { ok: false; diagnostics: readonly Diagnostic[] };

interface Cached {
  versions: string[];
  checked: string[];
  snapshots: Record<string, AbiSnapshot>;
  signatures: Record<string, Signatures>;
}

const SECTIONS = ['constants', 'sets', 'types', 'requests', 'fds', 'devices', 'channels', 'protocols', 'messages'] as const;
const UNSIGNED = new Set(['at', 'doc', 'since', 'until']);

/** What an entry says, positions and lifetimes aside. */
function signature(value: unknown): string {
  const text = JSON.stringify(value, (k, v: unknown) => (UNSIGNED.has(k) ? undefined : v));
  return createHash('sha1').update(text).digest('base64').slice(0, 16);
}

function signaturesOf(snap: AbiSnapshot): Signatures {
  return Object.fromEntries(SECTIONS.map((s) => [s, Object.fromEntries(Object.entries(snap[s] as Record<string, unknown>).map(([k, v]) => [k, signature(v)]))]));
}

/** Per-ABI layouts and numbers folded by equal value ("x86_64 arm64": value): the cache is read every run. */
function fold(snap: AbiSnapshot): AbiSnapshot {
  const group = <T>(perAbi: Record<string, T>): Record<string, T> => {
    const g = new Map<string, { abis: string[]; value: T }>();
    for (const [abi, value] of Object.entries(perAbi)) {
      const key = JSON.stringify(value);
      const hit = g.get(key);
      if (hit) hit.abis.push(abi);
      else g.set(key, { abis: [abi], value });
    }
    return Object.fromEntries([...g.values()].map((x) => [x.abis.join(' '), x.value]));
  };
  return {
    ...snap,
    types: Object.fromEntries(Object.entries(snap.types).map(([k, t]) => [k, { ...t, layout: group(t.layout) }])),
    requests: Object.fromEntries(Object.entries(snap.requests).map(([k, r]) => [k, { ...r, number: group(r.number) }])),
  };
}

function unfold(snap: AbiSnapshot): AbiSnapshot {
  const spread = <T>(folded: Record<string, T>): Record<string, T> => {
    const out: Record<string, T> = {};
    for (const [abis, value] of Object.entries(folded)) for (const abi of abis.split(' ')) out[abi] = value;
    return out;
  };
  for (const t of Object.values(snap.types)) t.layout = spread(t.layout);
  for (const r of Object.values(snap.requests)) r.number = spread(r.number);
  return snap;
}

let codeHash: string | undefined;

/** The model's and loader's code: a cached snapshot is only as good as the code that made it. */
function modelCodeHash(): string {
  if (codeHash) return codeHash;
  const h = createHash('sha256');
  for (const dir of ['../model/', '../load/']) {
    const path = fileURLToPath(new URL(dir, import.meta.url));
    for (const name of readdirSync(path).sort()) {
      if (!/\.(ts|js)$/.test(name) || name.endsWith('.d.ts')) continue;
      h.update(name).update('\0').update(readFileSync(join(path, name))).update('\0');
    }
  }
  codeHash = h.digest('hex').slice(0, 20);
  return codeHash;
}

/** Snapshot `at` positions name files by basename, so only basenames and texts matter. */
function cacheKey(side: SideSource): string {
  const h = createHash('sha256').update('ioctl-abi-diff-side/2\0').update(modelCodeHash());
  for (const s of [...side.sources].sort((a, b) => (basename(a.path) < basename(b.path) ? -1 : 1))) h.update('\0').update(basename(s.path)).update('\0').update(s.text);
  return `diff-side-${h.digest('hex').slice(0, 24)}.json`;
}

function stripDocs<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripDocs) as T;
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (k !== 'doc') out[k] = stripDocs(v);
    return out as T;
  }
  return value;
}

export async function loadSide(side: SideSource): Promise<LoadResult> {
  const key = cacheKey(side);
  const hit = cacheRead(key);
  if (hit !== undefined) {
    try {
      // Compressed: a side is ~1.5 MB of JSON and ~10x smaller deflated.
      const c = JSON.parse(inflateRawSync(Buffer.from((JSON.parse(hit) as { z: string }).z, 'base64')).toString('utf8')) as Cached;
      return { ok: true, side: { ...side, versions: c.versions, checked: c.checked, snapshots: new Map(Object.entries(c.snapshots).map(([v, s]) => [v, unfold(s)])), signatures: new Map(Object.entries(c.signatures)) } };
    } catch {
      /* a damaged entry: compute it again */
    }
  }
  // The model is loaded only when needed: a cached side costs no YAML, schema or layout work.
  const { openSpec, snapshot, ABIS } = await import('../model/index.ts');
  const opened = openSpec(side.sources);
  if (!opened.ok) return { ok: false, diagnostics: opened.diagnostics };
  const spec = opened.spec;
  const snapshots: Record<string, AbiSnapshot> = {};
  const signatures: Record<string, Signatures> = {};
  for (const v of spec.checkedVersions) {
    snapshots[v] = stripDocs(snapshot(spec.at(v), ABIS));
    signatures[v] = signaturesOf(snapshots[v]);
  }
  const cached: Cached = { versions: [...spec.versions], checked: [...spec.checkedVersions], snapshots: Object.fromEntries(Object.entries(snapshots).map(([v, s]) => [v, fold(s)])), signatures };
  cacheWrite(key, JSON.stringify({ z: deflateRawSync(JSON.stringify(cached)).toString('base64') }));
  return { ok: true, side: { ...side, versions: cached.versions, checked: cached.checked, snapshots: new Map(Object.entries(snapshots)), signatures: new Map(Object.entries(signatures)) } };
}
