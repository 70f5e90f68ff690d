// The read-only model at one kernel version: what every consumer (emitters, lint, dump, diff,
// the lab, examples) reads. Layouts and numbers come from here and nowhere else.
import { ABIS, type Abi } from './abi.ts';
import { behaviourOf, type Behaviour } from './behaviour.ts';
import { parseCType, type CType } from './ctype.ts';
import type { DispatchContext } from './dispatch.ts';
import { featureFilterOf, type FeatureFilter } from './features.ts';
import { LayoutError, type AggregateLayout } from './layout.ts';
import type { AggregateEntry, ResolvedConst, ResolvedRequest, VersionModel } from './project.ts';
import type * as M from './types.ts';
import type { Version } from './version.ts';

export type Constant = ResolvedConst;
export type Request = ResolvedRequest;
export type TypeEntry = AggregateEntry;
/** A socket protocol (vhost-user) and the family that describes it. */
export interface ProtocolEntry {
  readonly item: M.Protocol;
  readonly family: string;
}
/** One message of a socket protocol, with its family and protocol. */
export interface ProtocolMessage {
  readonly item: M.Message;
  readonly family: string;
  readonly protocol: string;
}
export interface ConstantSet {
  readonly item: M.SetItem;
  readonly family: string;
}

/** What a view knows of its spec: the listed versions and the view at another one. */
export interface SpecHistory {
  readonly versions: readonly Version[];
  at(version: string): AbiView | undefined;
}

export type LayoutResult = { ok: true; layout: AggregateLayout } | { ok: false; error: string };

export interface AbiView {
  readonly version: Version;
  /** The versions of the spec this view belongs to (project.yaml's), oldest first. */
  readonly specVersions: readonly Version[];
  /** The same spec at another version it knows (for consumers that read history, such as the ABI lock file). */
  atVersion(version: string): AbiView | undefined;
  /** The families live at this version, with only their live items, members and values. */
  readonly families: readonly M.Family[];
  readonly constants: ReadonlyMap<string, Constant>;
  readonly macros: ReadonlyMap<string, M.MacroItem>;
  /** Constant sets (flags, features, status, values) by id. */
  readonly sets: ReadonlyMap<string, ConstantSet>;
  /** Named structs and unions by key ('struct vhost_vring_addr'). */
  readonly types: ReadonlyMap<string, TypeEntry>;
  /** Requests in spec order. */
  readonly requests: readonly Request[];
  readonly fds: ReadonlyMap<string, M.FdKind>;
  readonly devices: ReadonlyMap<string, M.DeviceProfile>;
  readonly requestSets: ReadonlyMap<string, M.RequestSet>;
  readonly channels: ReadonlyMap<string, M.Channel>;
  /**
   * Socket protocols by name ('vhost-user'). A protocol has no kernel versions: its family lives
   * at every version, and its messages are gated by protocol feature bits instead.
   */
  readonly protocols: ReadonlyMap<string, ProtocolEntry>;
  /** Messages of every protocol, in spec order; payload types are keys or C spellings for layout(). */
  readonly messages: readonly ProtocolMessage[];

  constant(name: string): Constant | undefined;
  /** A protocol message by name ('VHOST_USER_GET_VRING_BASE'). */
  message(name: string): ProtocolMessage | undefined;
  /** Numeric value of a constant. */
  value(name: string): bigint | undefined;
  request(name: string): Request | undefined;
  /**
   * Layout of a type on one ABI: a key ('struct vhost_vring_addr'), a C spelling ('__u64',
   * 'char[256]') or a parsed CType. Scalars have no fields. Never throws.
   */
  layout(abi: Abi, type: string | CType): LayoutResult;
  /**
   * Layout of one element of an aggregate declared inside another (`struct { ... } stats[1];`):
   * layout() of the outer type does not descend into arrays of inline aggregates.
   */
  inlineLayout(abi: Abi, item: M.AggregateItem): LayoutResult;
  /** The request's number on one ABI (its argument size capped to what the encoding carries). */
  number(request: Request, abi: Abi): number;
  /** Size of the argument the number encodes (0 for _IO). */
  argSize(request: Request, abi: Abi): number;
  /** Requests a device profile accepts: its request sets and its own requests. */
  accepted(device: string): ReadonlySet<string>;
  /** The feature filter of a device profile (none, a blacklist or an allow-list). */
  featureFilter(device: string): FeatureFilter | undefined;
  /** Status bits of an fd kind by name (empty when it has no status set). */
  statusBits(fd: string): ReadonlyMap<string, bigint>;
  /** Rules, quirks and accepted requests of one fd kind, optionally for one device profile. */
  behaviour(fd: string, device?: string): Behaviour | undefined;
}

/** A map a consumer can read but not change (a cast to Map does not help: there is no set). */
class FrozenMap<K, V> implements ReadonlyMap<K, V> {
  constructor(private readonly inner: ReadonlyMap<K, V>) {
    Object.freeze(this);
  }
  get size(): number {
    return this.inner.size;
  }
  get(key: K): V | undefined {
    return this.inner.get(key);
  }
  has(key: K): boolean {
    return this.inner.has(key);
  }
  forEach(fn: (value: V, key: K, map: ReadonlyMap<K, V>) => void): void {
    this.inner.forEach((v, k) => fn(v, k, this));
  }
  keys(): MapIterator<K> {
    return this.inner.keys();
  }
  values(): MapIterator<V> {
    return this.inner.values();
  }
  entries(): MapIterator<[K, V]> {
    return this.inner.entries();
  }
  [Symbol.iterator](): MapIterator<[K, V]> {
    return this.inner.entries();
  }
}

export class AbiViewImpl implements AbiView {
  readonly families: readonly M.Family[];
  readonly constants: ReadonlyMap<string, Constant>;
  readonly macros: ReadonlyMap<string, M.MacroItem>;
  readonly sets: ReadonlyMap<string, ConstantSet>;
  readonly types: ReadonlyMap<string, TypeEntry>;
  readonly requests: readonly Request[];
  readonly fds: ReadonlyMap<string, M.FdKind>;
  readonly devices: ReadonlyMap<string, M.DeviceProfile>;
  readonly requestSets: ReadonlyMap<string, M.RequestSet>;
  readonly channels: ReadonlyMap<string, M.Channel>;
  readonly protocols: ReadonlyMap<string, ProtocolEntry>;
  readonly messages: readonly ProtocolMessage[];
  private readonly accepts = new Map<string, ReadonlySet<string>>();

  readonly specVersions: readonly Version[];

  constructor(
    private readonly vm: VersionModel,
    readonly version: Version,
    private readonly spec?: SpecHistory,
  ) {
    this.specVersions = Object.freeze([...(spec?.versions ?? [version])]);
    this.families = Object.freeze([...vm.families]);
    this.constants = new FrozenMap(vm.constants);
    this.macros = new FrozenMap(vm.macros);
    this.sets = new FrozenMap(vm.sets);
    this.types = new FrozenMap(vm.aggregates);
    this.requests = Object.freeze([...vm.requests]);
    this.fds = new FrozenMap(vm.fds);
    this.devices = new FrozenMap(vm.devices);
    this.requestSets = new FrozenMap(vm.requestSets);
    this.channels = new FrozenMap(vm.channels);
    const protocols = new Map<string, ProtocolEntry>();
    const messages: ProtocolMessage[] = [];
    for (const f of vm.families) {
      if (!f.protocol) continue;
      protocols.set(f.protocol.name, Object.freeze({ item: f.protocol, family: f.name }));
      for (const m of f.messages) messages.push(Object.freeze({ item: m, family: f.name, protocol: f.protocol.name }));
    }
    this.protocols = new FrozenMap(protocols);
    this.messages = Object.freeze(messages);
  }

  message(name: string): ProtocolMessage | undefined {
    return this.messages.find((m) => m.item.name === name);
  }

  atVersion(version: string): AbiView | undefined {
    return version === this.version ? this : this.spec?.at(version);
  }

  constant(name: string): Constant | undefined {
    return this.vm.constants.get(name);
  }

  value(name: string): bigint | undefined {
    return this.vm.constants.get(name)?.value;
  }

  request(name: string): Request | undefined {
    return this.vm.requestsByName.get(name);
  }

  layout(abi: Abi, type: string | CType): LayoutResult {
    try {
      if (typeof type === 'string' && this.vm.aggregates.has(type)) return { ok: true, layout: this.vm.aggregateLayout(abi, type) };
      const t = typeof type === 'string' ? parseCType(type) : type;
      if (!t) return { ok: false, error: `unknown C type '${String(type)}'` };
      if (t.kind === 'struct' || t.kind === 'union') {
        const key = `${t.kind} ${t.tag}`;
        if (!this.vm.aggregates.has(key)) return { ok: false, error: `${key} is not defined at ${this.version}` };
        return { ok: true, layout: this.vm.aggregateLayout(abi, key) };
      }
      const { size, align } = this.vm.typeLayout(abi, t);
      if (!Number.isFinite(size)) return { ok: false, error: `the size of '${String(type)}' does not evaluate` };
      return { ok: true, layout: { size, align, fields: [], holes: [], flexible: false } };
    } catch (e) {
      if (e instanceof LayoutError) return { ok: false, error: e.message };
      throw e;
    }
  }

  inlineLayout(abi: Abi, item: M.AggregateItem): LayoutResult {
    try {
      return { ok: true, layout: this.vm.inlineLayout(abi, item) };
    } catch (e) {
      if (e instanceof LayoutError) return { ok: false, error: e.message };
      throw e;
    }
  }

  number(request: Request, abi: Abi): number {
    return this.vm.requestNumber(request, abi);
  }

  argSize(request: Request, abi: Abi): number {
    return this.vm.argSize(request, abi);
  }

  accepted(device: string): ReadonlySet<string> {
    let set = this.accepts.get(device);
    if (!set) {
      const d = this.vm.devices.get(device);
      const fromSets = d?.requestSets.flatMap((s) => this.vm.requestSets.get(s)?.requests ?? []) ?? [];
      set = new Set([...fromSets, ...(d?.requests ?? [])].filter((n) => this.vm.requestsByName.has(n)));
      this.accepts.set(device, set);
    }
    return set;
  }

  featureFilter(device: string): FeatureFilter | undefined {
    const d = this.vm.devices.get(device);
    return d ? featureFilterOf(d, (n) => this.value(n)) : undefined;
  }

  statusBits(fd: string): ReadonlyMap<string, bigint> {
    const set = this.vm.fds.get(fd)?.status;
    const values = set ? this.vm.sets.get(set)?.item.values ?? [] : [];
    return new Map(values.map((v) => [v.name, this.value(v.name) ?? 0n]));
  }

  behaviour(fd: string, device?: string): Behaviour | undefined {
    const f = this.vm.fds.get(fd);
    const d = device === undefined ? undefined : this.vm.devices.get(device);
    if (!f || (device !== undefined && (!d || d.fd !== fd))) return undefined;
    const accepted = d ? this.accepted(d.name) : new Set(this.vm.requests.filter((r) => r.item.scope.includes(fd)).map((r) => r.item.name));
    const abi = ABIS[0] as Abi; // the lab's machine; a caller on another ABI passes its own bytes through layout()
    const ctx: DispatchContext = {
      abi,
      constant: (name) => this.constant(name),
      argType: (request) => this.request(request)?.item.argType,
      layout: (type) => {
        const r = this.layout(abi, type);
        return r.ok ? r.layout : undefined;
      },
      statusBits: this.statusBits(fd),
    };
    const writeChannel = [...this.vm.channels.values()].find((c) => c.write && c.fds.includes(fd));
    return behaviourOf(f, d, accepted, ctx, writeChannel);
  }
}
