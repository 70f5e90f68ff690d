// AbiSnapshot: the model at one version as stable, sorted, versioned JSON (`dump --json`).
// The ABI diff and its lock file read this shape: any change to it bumps SNAPSHOT_FORMAT and
// docs/snapshot.md. Positions are `file:line:col` with the file relative to the spec folder,
// so a snapshot does not depend on where the spec was read from.
import type { Position } from '../diagnostics.ts';
import type { Abi } from './abi.ts';
import { MACRO_OF } from './ioc.ts';
import type * as M from './types.ts';
import type { AbiView } from './view.ts';

export const SNAPSHOT_FORMAT = 'ioctl-abi-snapshot/2';

/** Where an item is written, its lifetime in the whole spec, its doc. */
export interface SnapshotOrigin {
  /** `vhost.yaml:120:5` */
  at: string;
  since?: string;
  until?: string;
  doc?: string;
}

/** A number: a JSON number when it is a safe integer, else its decimal text. */
export type SnapshotNumber = number | string;

export interface SnapshotFamily extends SnapshotOrigin {
  file: string;
  header?: string;
  imports: string[];
}

export interface SnapshotConstant extends SnapshotOrigin {
  kind: string;
  family: string;
  value?: SnapshotNumber;
  string?: string;
  /** The C spelling the header prints. */
  spelling: string;
  set?: string;
  sentinel?: true;
}

export interface SnapshotSet extends SnapshotOrigin {
  kind: M.SetKind;
  family: string;
  values: string[];
  reserved?: string;
}

export interface SnapshotMember extends SnapshotOrigin {
  name: string | null;
  type: string;
  dims?: string[];
  flags?: string;
  values?: string;
  countedBy?: string;
  flagGate?: string;
  argsz?: true;
  min?: true;
  userPointer?: true;
  reserved?: true;
  /** The members of a nested struct or union, in order. */
  members?: SnapshotMember[];
}

export interface SnapshotLayout {
  size: number;
  align: number;
  /** Offset of every named field (nested ones as outer.inner). */
  offsets: Record<string, number>;
  /** Size of every named field, keyed like offsets (0 for a flexible array). */
  sizes: Record<string, number>;
}

export interface SnapshotType extends SnapshotOrigin {
  kind: 'struct' | 'union';
  family: string;
  packed?: true;
  argsz?: true;
  /** The declared extension protocol (docs/spec-format.md); absent when not declared. */
  extension?: M.Extension;
  members: SnapshotMember[];
  layout: Record<string, SnapshotLayout>;
}

export interface SnapshotRequest extends SnapshotOrigin {
  family: string;
  macro: string;
  /** The ioctl type, e.g. `0xaf`. */
  type: string;
  nr: string;
  arg?: string;
  pass: M.RequestItem['pass'];
  data: M.DataDirection;
  scope: string[];
  quirk?: string;
  deprecated?: string;
  /** The request number on each ABI, hex. */
  number: Record<string, string>;
}

export interface SnapshotRule {
  at: string;
  requests: string[];
  requires: string[];
  forbids: string[];
  transition?: string;
  owner: boolean;
  unowned: boolean;
  error: string;
}

export interface SnapshotFd extends SnapshotOrigin {
  status?: string;
  rules: SnapshotRule[];
  quirks: Array<{ at: string; name: string; requests: string[]; unknownRequests?: true; errno: string[] }>;
  unknownRequest?: string;
}

export interface SnapshotDevice extends SnapshotOrigin {
  fd: string;
  deviceId?: string;
  requestSets: string[];
  requests: string[];
  /** Every request the profile accepts (its sets and its own), sorted. */
  accepted: string[];
  features: string[];
  featureFilter: 'none' | 'blacklist' | 'allowlist';
  featureBlacklist?: string[];
  featureAllowlist?: string[];
  rules: SnapshotRule[];
}

export interface SnapshotChannel extends SnapshotOrigin {
  fds: string[];
  records: Array<{ type: string; direction: 'write' | 'read'; when?: string }>;
}

export interface AbiSnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: string;
  abis: string[];
  families: Record<string, SnapshotFamily>;
  constants: Record<string, SnapshotConstant>;
  sets: Record<string, SnapshotSet>;
  types: Record<string, SnapshotType>;
  requests: Record<string, SnapshotRequest>;
  fds: Record<string, SnapshotFd>;
  devices: Record<string, SnapshotDevice>;
  channels: Record<string, SnapshotChannel>;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const num = (v: bigint): SnapshotNumber => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
const atOf = (p: Position): string => `${p.file.split('/').pop() ?? p.file}:${p.line}:${p.col}`;
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

function byName<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function origin(x: M.Located & { since?: string; until?: string; doc?: string }): SnapshotOrigin {
  return { at: atOf(x.pos), ...(x.since ? { since: x.since } : {}), ...(x.until ? { until: x.until } : {}), ...(x.doc ? { doc: x.doc } : {}) };
}

const dimText = (d: M.Dim): string => (d === 'flex' ? '[]' : d === 'zero' ? '[0]' : d.text);

const isMember = (m: M.Member): m is M.FieldMember | M.AggregateItem => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union';

function member(m: M.FieldMember | M.AggregateItem): SnapshotMember {
  if (m.kind !== 'field') return { ...origin(m), name: m.name ?? null, type: `${m.kind} ${m.tag ?? '(anonymous)'}`, ...(m.dims.length ? { dims: m.dims.map(dimText) } : {}), members: m.members.filter(isMember).map(member) };
  return {
    ...origin(m), name: m.name, type: m.type,
    ...(m.dims.length ? { dims: m.dims.map(dimText) } : {}),
    ...(m.flags ? { flags: m.flags } : {}),
    ...(m.values ? { values: m.values } : {}),
    ...(m.countedBy ? { countedBy: m.countedBy } : {}),
    ...(m.flagGate ? { flagGate: m.flagGate } : {}),
    ...(m.argsz ? { argsz: true as const } : {}),
    ...(m.min ? { min: true as const } : {}),
    ...(m.userPointer ? { userPointer: true as const } : {}),
    ...(m.reserved ? { reserved: true as const } : {}),
  };
}

function rule(r: M.StatusRule): SnapshotRule {
  return { at: atOf(r.pos), requests: [...r.requests], requires: [...r.requires], forbids: [...r.forbids], ...(r.transition ? { transition: r.transition } : {}), owner: r.owner, unowned: r.unowned, error: r.error };
}

/** The snapshot of one version on the given ABIs. */
export function snapshot(view: AbiView, abis: readonly Abi[]): AbiSnapshot {
  const families = byName(view.families.map((f) => [f.name, { ...origin(f), file: f.file.split('/').pop() ?? f.file, ...(f.header ? { header: f.header } : {}), imports: sorted(f.imports) }]));
  const constants = byName([...view.constants.values()].map((c) => [c.name, {
    ...origin(c.item), kind: c.kind, family: c.family,
    ...(c.value !== undefined ? { value: num(c.value) } : {}),
    ...(c.string !== undefined ? { string: c.string } : {}),
    spelling: c.spelling,
    ...(c.set && c.set.kind === 'set' ? { set: c.set.id } : {}),
    ...('sentinel' in c.item && c.item.sentinel ? { sentinel: true as const } : {}),
  }]));
  const sets = byName([...view.sets.values()].map(({ item, family }) => [item.id, { ...origin(item), kind: item.set, family, values: item.values.map((v) => v.name), ...(item.reserved ? { reserved: item.reserved } : {}) }]));
  const types = byName([...view.types.values()].map((e) => [e.key, {
    ...origin(e.item), kind: e.item.kind, family: e.family,
    ...(e.item.packed ? { packed: true as const } : {}),
    ...(e.item.argsz ? { argsz: true as const } : {}),
    ...(e.item.extension ? { extension: e.item.extension } : {}),
    members: e.item.members.filter(isMember).map(member),
    layout: byName(abis.map((abi) => {
      const r = view.layout(abi, e.key);
      const l = r.ok ? r.layout : { size: 0, align: 0, fields: [] };
      const named = l.fields.filter((f) => f.path);
      return [abi.name, { size: l.size, align: l.align, offsets: byName(named.map((f) => [f.path, f.offset])), sizes: byName(named.map((f) => [f.path, f.size])) }];
    })),
  }]));
  const requests = byName(view.requests.map((r) => [r.item.name, {
    ...origin(r.item), family: r.family, macro: MACRO_OF[r.item.encoding], type: hex(r.type), nr: hex(r.nr),
    ...(r.item.arg ? { arg: r.item.arg } : {}),
    pass: r.item.pass, data: r.item.data, scope: sorted(r.item.scope),
    ...(r.item.quirk ? { quirk: r.item.quirk } : {}),
    ...(r.item.deprecated ? { deprecated: r.item.deprecated } : {}),
    number: byName(abis.map((abi) => [abi.name, hex(view.number(r, abi))])),
  }]));
  const fds = byName([...view.fds.values()].map((fd) => [fd.name, {
    ...origin(fd), ...(fd.status ? { status: fd.status } : {}), rules: fd.rules.map(rule),
    quirks: fd.quirks.map((q) => ({ at: atOf(q.pos), name: q.name, requests: [...q.requests], ...(q.unknownRequests ? { unknownRequests: true as const } : {}), errno: [...q.errno] })),
    ...(fd.unknownRequest ? { unknownRequest: fd.unknownRequest } : {}),
  }]));
  const devices = byName([...view.devices.values()].map((d) => [d.name, {
    ...origin(d), fd: d.fd, ...(d.deviceId ? { deviceId: d.deviceId } : {}),
    requestSets: [...d.requestSets], requests: [...d.requests], accepted: sorted([...view.accepted(d.name)]), features: [...d.features],
    featureFilter: view.featureFilter(d.name)?.kind ?? 'none',
    ...(d.featureBlacklist ? { featureBlacklist: sorted(d.featureBlacklist) } : {}),
    ...(d.featureAllowlist ? { featureAllowlist: sorted(d.featureAllowlist) } : {}),
    rules: d.rules.map(rule),
  }]));
  const channels = byName([...view.channels.values()].map((c) => [c.name, { ...origin(c), fds: sorted(c.fds), records: c.records.map((r) => ({ type: r.type, direction: r.direction, ...(r.when ? { when: r.when } : {}) })) }]));
  return { format: SNAPSHOT_FORMAT, version: view.version, abis: abis.map((a) => a.name), families, constants, sets, types, requests, fds, devices, channels };
}

export function snapshotJson(s: AbiSnapshot): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
