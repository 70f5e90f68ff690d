// AbiSnapshot: the model at one version as stable, sorted, versioned JSON (`dump --json`).
// The ABI diff and its lock file read this shape: any change to it bumps SNAPSHOT_FORMAT and
// docs/snapshot.md. Positions are `file:line:col` with the file relative to the spec folder,
// so a snapshot does not depend on where the spec was read from.
import type { Position } from '../diagnostics.ts';
import type { Abi } from './abi.ts';
import { MACRO_OF } from './ioc.ts';
import type * as M from './types.ts';
import type { Behaviour } from './behaviour.ts';
import type { PathCheck } from './dispatch.ts';
import type { AbiView } from './view.ts';

export const SNAPSHOT_FORMAT = 'ioctl-abi-snapshot/3';

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
  /** Its structs are a protocol's wire formats (vhost-user), not kernel UAPI. */
  wire?: true;
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

/** One step of a request's path (docs/spec-format.md, dispatch): a gate, an argument read or a predicate. */
export interface SnapshotCheck {
  at: string;
  id: string;
  kind: string;
  /** Where it came from: the request's dispatch entry, a sequence, or the device profile. */
  from: string;
  error?: string;
  owner?: 'required' | 'forbidden';
  requires?: string[];
  forbids?: string[];
  transition?: string;
  read?: string;
  write?: string;
  /** The C expression of refuse, accept and fd checks. */
  expr?: string;
  fdKind?: string;
  unbind?: string;
  /** What a feature-filter check filters: the answer or the argument. */
  featureFilter?: string;
}

/** A request's ordered checks on an fd kind with an executable dispatch, and its answer when all pass. */
export interface SnapshotPath {
  kind: string;
  checks: SnapshotCheck[];
  end: string;
}

export interface SnapshotQuirk {
  at: string;
  name: string;
  requests: string[];
  unknownRequests?: true;
  errno: string[];
  /** Its condition: the dispatch checks that model it, or an expression. */
  checks?: string[];
  when?: string;
}

export interface SnapshotFd extends SnapshotOrigin {
  status?: string;
  rules: SnapshotRule[];
  quirks: SnapshotQuirk[];
  unknownRequest?: string;
  /** Fds with an executable dispatch: the path of every request in their scope. */
  paths?: Record<string, SnapshotPath>;
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
  /** The most queues the profile drives, when it limits them. */
  maxQueues?: number;
  rules: SnapshotRule[];
  /** Profiles that add checks to their fd's dispatch: the path of every request they accept. */
  paths?: Record<string, SnapshotPath>;
}

/** One step of a channel's write(): a check as on paths (from: write or handler), or an effect. */
export interface SnapshotChannelCheck extends Omit<SnapshotCheck, 'from'> {
  from: 'write' | 'handler';
  /** An effect on the fd's IOTLB state, and when it happens. */
  effect?: string;
  when?: string;
}

/** A channel's executable write(): names, ordered checks, what a write that passes returns. */
export interface SnapshotChannelWrite {
  at: string;
  since?: string;
  until?: string;
  returns: string;
  let: Array<{ name: string; value: string; when?: string; otherwise?: string }>;
  checks: SnapshotChannelCheck[];
  /** What write() returns for any error of a handler check. */
  surfacesAs?: string;
}

export interface SnapshotChannel extends SnapshotOrigin {
  fds: string[];
  records: Array<{ type: string; direction: 'write' | 'read'; when?: string; form?: string }>;
  write?: SnapshotChannelWrite;
}

/** A socket protocol (vhost-user): its header struct and the sets of its header flags and feature bits. */
export interface SnapshotProtocol extends SnapshotOrigin {
  family: string;
  header: string;
  flags: string;
  features: string;
  ackFeature?: string;
  needReply?: string;
  maxFds?: number;
}

/** A message of a socket protocol. Payload sizes per ABI (0: none) are what the peer reads after the header. */
export interface SnapshotMessage extends SnapshotOrigin {
  family: string;
  protocol: string;
  code: number;
  sender: M.Message['sender'];
  payload?: string;
  payloadOpaque?: true;
  reply: M.ReplyRule;
  replyFeature?: string;
  replyPayload?: string;
  fds: { min: number; max: number };
  replyFds: { min: number; max: number };
  protocolFeature?: string;
  qemu?: string;
  deprecated?: string;
  /** The ioctl and VDUSE request it shares its operation with. */
  operation?: { ioctl?: string; vduse?: string; payloadDiffers?: true };
  /** Bytes of the request and the reply payload on each ABI (a flexible array counts 0). */
  size: Record<string, { payload: number; reply: number }>;
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
  protocols: Record<string, SnapshotProtocol>;
  messages: Record<string, SnapshotMessage>;
}

const hex = (n: number | bigint): string => `0x${n.toString(16)}`;
const num = (v: bigint): SnapshotNumber => (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString());
const atOf = (p: Position): string => `${p.file.split('/').pop() ?? p.file}:${p.line}:${p.col}`;
const sorted = (xs: readonly string[]): string[] => [...xs].sort();

const withPaths = (p: Record<string, SnapshotPath> | undefined): { paths?: Record<string, SnapshotPath> } => (p ? { paths: p } : {});

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

/**
 * A type's layout on each ABI, ABIs and fields sorted by name. The field paths are the same on
 * every ABI, so they are sorted once (this runs for every type, ABI and version of a lock file).
 */
function layouts(view: AbiView, key: string, abis: readonly Abi[]): Record<string, SnapshotLayout> {
  const out: Record<string, SnapshotLayout> = {};
  let order: string[] | undefined;
  for (const abi of sortedAbis(abis)) {
    const r = view.layout(abi, key);
    const l = r.ok ? r.layout : { size: 0, align: 0, fields: [] };
    const at = new Map<string, { offset: number; size: number }>();
    for (const f of l.fields) if (f.path) at.set(f.path, f);
    order ??= [...at.keys()].sort(byText);
    const offsets: Record<string, number> = {};
    const sizes: Record<string, number> = {};
    for (const path of order) {
      const f = at.get(path);
      if (f) {
        offsets[path] = f.offset;
        sizes[path] = f.size;
      }
    }
    out[abi.name] = { size: l.size, align: l.align, offsets, sizes };
  }
  return out;
}

const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const abiOrder = new WeakMap<readonly Abi[], Abi[]>();
function sortedAbis(abis: readonly Abi[]): Abi[] {
  let s = abiOrder.get(abis);
  if (!s) abiOrder.set(abis, (s = [...abis].sort((a, b) => byText(a.name, b.name))));
  return s;
}

/** The snapshot of one version on the given ABIs. */
function check(c: PathCheck): SnapshotCheck {
  const out: SnapshotCheck = { at: atOf(c.pos), id: c.id, kind: c.kind, from: c.from, ...(c.error ? { error: c.error } : {}) };
  switch (c.kind) {
    case 'owner':
      return { ...out, owner: c.owner };
    case 'status':
      return { ...out, requires: [...c.requires], forbids: [...c.forbids] };
    case 'transition':
      return { ...out, transition: c.transition };
    case 'read':
      return { ...out, read: c.read };
    case 'write':
      return { ...out, write: c.write };
    case 'refuse':
    case 'accept':
      return { ...out, expr: c.expr };
    case 'fd':
      return { ...out, expr: c.expr, fdKind: c.fdKind, ...(c.unbind !== undefined ? { unbind: String(c.unbind) } : {}) };
    case 'feature-filter':
      return { ...out, featureFilter: c.filter };
    default:
      return out;
  }
}

function channelCheck(c: M.ChannelCheck, from: 'write' | 'handler'): SnapshotChannelCheck {
  const out: SnapshotChannelCheck = { at: atOf(c.pos), id: c.id, kind: c.kind, from, ...(c.error ? { error: c.error } : {}) };
  switch (c.kind) {
    case 'owner':
      return { ...out, owner: c.owner };
    case 'status':
      return { ...out, requires: [...c.requires], forbids: [...c.forbids] };
    case 'refuse':
    case 'accept':
      return { ...out, expr: c.expr };
    case 'effect':
      return { ...out, effect: c.effect, ...(c.when !== undefined ? { when: c.when } : {}) };
    default:
      return out;
  }
}

function channelWrite(w: M.ChannelWrite): SnapshotChannelWrite {
  return {
    at: atOf(w.pos), ...(w.since ? { since: w.since } : {}), ...(w.until ? { until: w.until } : {}), returns: w.returns,
    let: w.lets.map((l) => ({ name: l.name, value: l.value, ...(l.when !== undefined ? { when: l.when } : {}), ...(l.otherwise !== undefined ? { otherwise: l.otherwise } : {}) })),
    checks: [...w.checks.map((c) => channelCheck(c, 'write')), ...(w.handler?.checks ?? []).map((c) => channelCheck(c, 'handler'))],
    ...(w.handler ? { surfacesAs: w.handler.surfacesAs } : {}),
  };
}

/** The paths of the requests a behaviour handles, keyed by request (sorted). */
function paths(b: Behaviour | undefined, requests: readonly string[]): Record<string, SnapshotPath> | undefined {
  if (!b?.executable) return undefined;
  return byName(requests.map((r) => {
    const p = b.path(r);
    return [r, { kind: p.kind, checks: p.checks.map(check), end: p.end }];
  }));
}

export function snapshot(view: AbiView, abis: readonly Abi[]): AbiSnapshot {
  const families = byName(view.families.map((f) => [f.name, { ...origin(f), file: f.file.split('/').pop() ?? f.file, ...(f.header ? { header: f.header } : {}), ...(f.wire ? { wire: true as const } : {}), imports: sorted(f.imports) }]));
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
    layout: layouts(view, e.key, abis),
  }]));
  const requests = byName(view.requests.map((r) => [r.item.name, {
    ...origin(r.item), family: r.family, macro: MACRO_OF[r.item.encoding], type: hex(r.type), nr: hex(r.nr),
    ...(r.item.arg ? { arg: r.item.arg } : {}),
    pass: r.item.pass, data: r.item.data, scope: sorted(r.item.scope),
    ...(r.item.quirk ? { quirk: r.item.quirk } : {}),
    ...(r.item.deprecated ? { deprecated: r.item.deprecated } : {}),
    number: Object.fromEntries(sortedAbis(abis).map((abi) => [abi.name, hex(view.number(r, abi))])),
  }]));
  const fds = byName([...view.fds.values()].map((fd) => [fd.name, {
    ...origin(fd), ...(fd.status ? { status: fd.status } : {}), rules: fd.rules.map(rule),
    quirks: fd.quirks.map((q) => ({
      at: atOf(q.pos), name: q.name, requests: [...q.requests], ...(q.unknownRequests ? { unknownRequests: true as const } : {}), errno: [...q.errno],
      ...(q.checks.length ? { checks: [...q.checks] } : {}), ...(q.when ? { when: q.when } : {}),
    })),
    ...(fd.unknownRequest ? { unknownRequest: fd.unknownRequest } : {}),
    ...withPaths(paths(view.behaviour(fd.name), view.requests.filter((r) => r.item.scope.includes(fd.name)).map((r) => r.item.name))),
  }]));
  const devices = byName([...view.devices.values()].map((d) => [d.name, {
    ...origin(d), fd: d.fd, ...(d.deviceId ? { deviceId: d.deviceId } : {}),
    requestSets: [...d.requestSets], requests: [...d.requests], accepted: sorted([...view.accepted(d.name)]), features: [...d.features],
    featureFilter: view.featureFilter(d.name)?.kind ?? 'none',
    ...(d.featureBlacklist ? { featureBlacklist: sorted(d.featureBlacklist) } : {}),
    ...(d.featureAllowlist ? { featureAllowlist: sorted(d.featureAllowlist) } : {}),
    ...(d.maxQueues !== undefined ? { maxQueues: d.maxQueues } : {}),
    rules: d.rules.map(rule),
    ...withPaths(d.dispatch.length ? paths(view.behaviour(d.fd, d.name), [...view.accepted(d.name)]) : undefined),
  }]));
  const channels = byName([...view.channels.values()].map((c) => [c.name, { ...origin(c), fds: sorted(c.fds), records: c.records.map((r) => ({ type: r.type, direction: r.direction, ...(r.when ? { when: r.when } : {}), ...(r.form ? { form: r.form } : {}) })), ...(c.write ? { write: channelWrite(c.write) } : {}) }]));
  const protocols = byName([...view.protocols.values()].map(({ item: p, family }) => [p.name, {
    ...origin(p), family, header: p.header, flags: p.flags, features: p.features,
    ...(p.ackFeature ? { ackFeature: p.ackFeature } : {}), ...(p.needReply ? { needReply: p.needReply } : {}), ...(p.maxFds !== undefined ? { maxFds: p.maxFds } : {}),
  }]));
  const messages = byName(view.messages.map(({ item: m, family, protocol }) => [m.name, message(view, abis, m, family, protocol)]));
  return { format: SNAPSHOT_FORMAT, version: view.version, abis: abis.map((a) => a.name), families, constants, sets, types, requests, fds, devices, channels, protocols, messages };
}

function message(view: AbiView, abis: readonly Abi[], m: M.Message, family: string, protocol: string): SnapshotMessage {
  const bytes = (abi: Abi, type: string | undefined): number => {
    if (type === undefined) return 0;
    const r = view.layout(abi, type);
    return r.ok ? r.layout.size : 0;
  };
  const link = m.operation;
  return {
    ...origin(m), family, protocol, code: m.code, sender: m.sender,
    ...(m.payload ? { payload: m.payload } : {}), ...(m.payloadOpaque ? { payloadOpaque: true as const } : {}),
    reply: m.reply, ...(m.replyFeature ? { replyFeature: m.replyFeature } : {}), ...(m.replyPayload ? { replyPayload: m.replyPayload } : {}),
    fds: { min: m.fds.min, max: m.fds.max }, replyFds: { min: m.replyFds.min, max: m.replyFds.max },
    ...(m.protocolFeature ? { protocolFeature: m.protocolFeature } : {}), ...(m.qemu ? { qemu: m.qemu } : {}), ...(m.deprecated ? { deprecated: m.deprecated } : {}),
    ...(link ? { operation: { ...(link.ioctl ? { ioctl: link.ioctl } : {}), ...(link.vduse ? { vduse: link.vduse.request } : {}), ...(link.payloadDiffers ? { payloadDiffers: true as const } : {}) } } : {}),
    size: Object.fromEntries(sortedAbis(abis).map((abi) => [abi.name, { payload: bytes(abi, m.payload), reply: bytes(abi, m.replyPayload) }])),
  };
}

export function snapshotJson(s: AbiSnapshot): string {
  return `${JSON.stringify(s, null, 2)}\n`;
}
