// The model at one kernel version: live items only, constants evaluated, types indexed,
// layouts and request numbers per ABI on demand (memoised).
import type { Diagnostic, Position } from '../diagnostics.ts';
import { ABIS, type Abi } from './abi.ts';
import { evaluate, EvalError, type CValue } from './cexpr.ts';
import { iocNumber, maxIocSize } from './ioc.ts';
import { layoutAggregate, LayoutError, typeLayout, type AggregateLayout, type LayoutContext, type TypeLayout } from './layout.ts';
import type * as M from './types.ts';
import { compareVersions, isLive, type Version } from './version.ts';

export type ConstKind = 'define' | 'flags' | 'features' | 'status' | 'values' | 'enum' | 'external';

export interface ResolvedConst {
  readonly name: string;
  readonly kind: ConstKind;
  /** undefined for string constants. */
  readonly value?: bigint;
  readonly string?: string;
  /** The C spelling the header prints after the name. */
  readonly spelling: string;
  readonly family: string;
  readonly set?: M.SetItem | M.EnumItem;
  readonly item: M.DefineItem | M.SetValue | M.External;
  readonly pos: Position;
  /** The C type of the value (for arithmetic in other constants). */
  readonly unsigned?: boolean;
  readonly wide?: boolean;
}

/** A constant found by indexing, not yet evaluated (enumerators without a value count on). */
interface PendingConst {
  kind: ConstKind;
  family: string;
  item: M.DefineItem | M.SetValue | M.External;
  set?: M.SetItem | M.EnumItem;
  implicit?: () => bigint;
}

export interface ResolvedRequest {
  readonly item: M.RequestItem;
  readonly family: string;
  readonly type: number;
  readonly nr: number;
}

export interface AggregateEntry {
  readonly key: string;
  readonly item: M.AggregateItem;
  readonly family: string;
}

/** Where one key of an item is written (the item itself when the key is absent). */
export const at = (x: M.Located, key: string): Position => x.keys[key] ?? x.pos;

function liveMembers<T extends M.Common>(list: readonly T[], at: Version): T[] {
  return list.filter((x) => isLive(x, at));
}

function projectMember(m: M.Member, at: Version): M.Member {
  if (m.kind === 'struct' || m.kind === 'union') return projectAggregate(m, at);
  if (m.kind === 'set') return { ...m, values: liveMembers(m.values, at) };
  return m;
}

function projectAggregate(a: M.AggregateItem, at: Version): M.AggregateItem {
  return { ...a, members: liveMembers(a.members, at).map((m) => projectMember(m, at)) };
}

function projectItem(i: M.Item, at: Version): M.Item {
  if (i.kind === 'enum') return { ...i, values: liveMembers(i.values, at) };
  if (i.kind === 'request' || i.kind === 'include' || i.kind === 'raw') return i;
  return projectMember(i, at) as M.Item;
}

export function projectFamily(f: M.Family, at: Version): M.Family {
  const live = <T extends { since?: Version; until?: Version }>(list: readonly T[]): T[] => list.filter((x) => isLive(x, at));
  return {
    ...f,
    items: liveMembers(f.items, at).map((i) => projectItem(i, at)),
    fds: live(f.fds).map((fd) => ({
      ...fd, rules: live(fd.rules), quirks: live(fd.quirks), facts: live(fd.facts), unhandled: live(fd.unhandled),
      sequences: live(fd.sequences).map((q) => ({ ...q, checks: live(q.checks) })),
      dispatch: live(fd.dispatch).map((e) => ({ ...e, checks: live(e.checks) })),
    })),
    devices: live(f.devices).map((d) => ({ ...d, rules: live(d.rules), dispatch: live(d.dispatch).map((e) => ({ ...e, checks: live(e.checks) })) })),
    requestSets: live(f.requestSets),
    channels: live(f.channels).map((c) => projectChannel(c, at)), suppressions: live(f.suppressions),
  };
}

/** A channel at one version: its write behaviour and that behaviour's checks, where live. */
function projectChannel(c: M.Channel, at: Version): M.Channel {
  const { write, ...rest } = c;
  if (!write || !isLive(write, at)) return rest;
  const live = (list: readonly M.ChannelCheck[]): M.ChannelCheck[] => list.filter((x) => isLive(x, at));
  return { ...rest, write: { ...write, checks: live(write.checks), ...(write.handler ? { handler: { ...write.handler, checks: live(write.handler.checks) } } : {}) } };
}

/** Every constant-like thing an item list defines, in order (struct bodies included). */
export function* walkDefinitions(items: readonly (M.Item | M.Member)[]): Generator<M.DefineItem | M.SetItem | M.EnumItem | M.AggregateItem | M.RequestItem | M.MacroItem> {
  for (const i of items) {
    if (i.kind === 'define' || i.kind === 'set' || i.kind === 'enum' || i.kind === 'request' || i.kind === 'macro') yield i;
    if (i.kind === 'struct' || i.kind === 'union') {
      yield i;
      yield* walkDefinitions(i.members);
    }
  }
}

export class VersionModel {
  readonly families: readonly M.Family[];
  readonly constants = new Map<string, ResolvedConst>();
  readonly macros = new Map<string, M.MacroItem>();
  readonly aggregates = new Map<string, AggregateEntry>();
  readonly sets = new Map<string, { item: M.SetItem; family: string }>();
  readonly requests: ResolvedRequest[] = [];
  readonly requestsByName = new Map<string, ResolvedRequest>();
  readonly fds = new Map<string, M.FdKind>();
  readonly devices = new Map<string, M.DeviceProfile>();
  readonly requestSets = new Map<string, M.RequestSet>();
  readonly channels = new Map<string, M.Channel>();
  readonly diagnostics: Diagnostic[] = [];
  private readonly layouts = new Map<string, AggregateLayout>();
  /** Family of each spec file, and the families each family can see (itself and its imports, transitively). */
  private readonly familyOfFile = new Map<string, string>();
  private readonly visible = new Map<string, Set<string>>();
  private readonly reportedImports = new Set<string>();

  constructor(
    readonly spec: M.SpecModel,
    readonly version: Version,
  ) {
    this.families = spec.families.filter((f) => isLive(f, version)).map((f) => projectFamily(f, version));
    this.computeVisibility();
    this.index();
    this.evaluateConstants();
    this.resolveRequests();
    for (const f of this.families) {
      for (const fd of f.fds) this.fds.set(fd.name, fd);
      for (const d of f.devices) this.devices.set(d.name, d);
      for (const s of f.requestSets) this.requestSets.set(s.name, s);
      for (const c of f.channels) this.channels.set(c.name, c);
    }
  }

  /**
   * Resolution problems at this version, after laying every type out once (which surfaces
   * array sizes that do not evaluate). A layout that fails for a reason not yet reported
   * becomes a diagnostic of its own.
   */
  validate(): Diagnostic[] {
    for (const [key, entry] of this.aggregates) {
      try {
        // What can fail (an array size that does not evaluate) fails on every ABI alike: one suffices.
        this.aggregateLayout(ABIS[0] as Abi, key);
      } catch (e) {
        if (!(e instanceof LayoutError)) throw e;
        if (!this.diagnostics.some((d) => d.severity === 'error')) this.error(entry.item.pos, 'spec-layout', `${key} cannot be laid out: ${e.message}`, 'check its member types and array sizes');
      }
    }
    return this.diagnostics;
  }

  private computeVisibility(): void {
    const imports = new Map(this.spec.families.map((f) => [f.name, f.imports]));
    for (const f of this.spec.families) {
      this.familyOfFile.set(f.file, f.name);
      const seen = new Set<string>([f.name]);
      const stack = [...f.imports];
      while (stack.length) {
        const n = stack.pop() as string;
        if (seen.has(n)) continue;
        seen.add(n);
        stack.push(...(imports.get(n) ?? []));
      }
      this.visible.set(f.name, seen);
    }
  }

  /** Reports a name used from a family that does not import the family defining it. */
  private checkVisible(pos: Position, name: string, definedIn: string): void {
    const from = this.familyOfFile.get(pos.file);
    if (!from || this.visible.get(from)?.has(definedIn)) return;
    const key = `${from}\0${name}`;
    if (this.reportedImports.has(key)) return;
    this.reportedImports.add(key);
    this.error(pos, 'spec-not-imported', `'${name}' is defined in family ${definedIn}, which family ${from} does not import`, `add ${definedIn} to imports: of ${from}`);
  }

  private error(pos: Position, rule: string, message: string, hint: string): void {
    this.diagnostics.push({ ...pos, severity: 'error', rule, message: `${message} (at ${this.version})`, hint });
  }

  private pendingConsts = new Map<string, PendingConst>();
  private readonly nameOwner = new Map<string, { pos: Position; what: string }>();

  private claim(name: string, pos: Position, what: string): boolean {
    const first = this.nameOwner.get(name);
    if (first) {
      this.error(pos, 'spec-duplicate-name', `'${name}' is defined twice (${what}; first as ${first.what} at ${first.pos.file}:${first.pos.line})`, 'give one of them since/until so their lifetimes do not overlap, or rename it');
      return false;
    }
    this.nameOwner.set(name, { pos, what });
    return true;
  }

  private index(): void {
    for (const f of this.families) {
      for (const x of f.externals) {
        if (this.claim(x.name, x.pos, `an external constant from ${x.header}`)) this.pendingConsts.set(x.name, { kind: 'external', family: f.name, item: x });
      }
      for (const d of walkDefinitions(f.items)) {
        switch (d.kind) {
          case 'define':
            if (this.claim(d.name, d.pos, 'a define')) this.pendingConsts.set(d.name, { kind: 'define', family: f.name, item: d });
            break;
          case 'macro':
            if (this.claim(d.name, d.pos, 'a macro')) this.macros.set(d.name, d);
            break;
          case 'set': {
            const first = this.sets.get(d.id);
            if (first) this.error(d.pos, 'spec-duplicate-name', `set '${d.id}' is defined twice (first in ${first.family})`, 'set ids are unique; merge the two lists');
            else this.sets.set(d.id, Object.freeze({ item: d, family: f.name }));
            for (const v of d.values) if (this.claim(v.name, v.pos, `a value of ${d.set} set ${d.id}`)) this.pendingConsts.set(v.name, { kind: d.set, family: f.name, item: v, set: d });
            break;
          }
          case 'enum': {
            let previous: string | undefined;
            for (const v of d.values) {
              const prev = previous;
              if (this.claim(v.name, v.pos, `an enumerator of enum ${d.tag ?? '(anonymous)'}`)) {
                this.pendingConsts.set(v.name, { kind: 'enum', family: f.name, item: v, set: d, implicit: () => (prev === undefined ? 0n : this.valueOf(prev) + 1n) });
              }
              previous = v.name;
            }
            if (d.tag) this.claim(`enum ${d.tag}`, d.pos, 'an enum');
            break;
          }
          case 'struct':
          case 'union':
            if (d.tag) {
              const key = `${d.kind} ${d.tag}`;
              if (this.claim(key, d.pos, `a ${d.kind}`)) this.aggregates.set(key, Object.freeze({ key, item: d, family: f.name }));
            }
            break;
          case 'request':
            this.claim(d.name, d.pos, 'a request');
            break;
        }
      }
    }
  }

  private readonly evaluating = new Set<string>();

  /** Value of a numeric constant; records a diagnostic and returns 0 when it cannot be had. */
  private valueOf(name: string): bigint {
    const c = this.resolveConst(name);
    return c?.value ?? 0n;
  }

  private resolveConst(name: string): ResolvedConst | undefined {
    const done = this.constants.get(name);
    if (done) return done;
    const p = this.pendingConsts.get(name);
    if (!p) return undefined;
    if (this.evaluating.has(name)) {
      this.error(p.item.pos, 'spec-constant-cycle', `constant '${name}' depends on itself`, 'break the cycle: one of the constants needs a literal value');
      return undefined;
    }
    this.evaluating.add(name);
    try {
      const c = this.computeConst(name, p);
      if (c) this.constants.set(name, Object.freeze(c));
      return c;
    } finally {
      this.evaluating.delete(name);
    }
  }

  private eval(text: string, pos: Position): CValue | undefined {
    try {
      return evaluate(text, {
        lookup: (n) => {
          const c = this.resolveConst(n);
          if (c) this.checkVisible(pos, n, c.family);
          return c?.value !== undefined ? { value: c.value, unsigned: c.unsigned ?? false, wide: c.wide ?? false } : undefined;
        },
      });
    } catch (e) {
      if (!(e instanceof EvalError)) throw e;
      this.error(pos, 'spec-bad-expression', `cannot evaluate '${text}': ${e.message}`, 'use integers, operators and names of constants defined at this version');
      return undefined;
    }
  }

  private computeConst(name: string, p: PendingConst): ResolvedConst | undefined {
    const item = p.item;
    const base = { name, kind: p.kind, family: p.family, item, pos: item.pos, ...(p.set ? { set: p.set } : {}) };
    if ('string' in item && item.string !== undefined) return { ...base, string: item.string, spelling: JSON.stringify(item.string) };
    if ('header' in item) {
      const v = this.eval(item.expr.text, at(item, 'value'));
      return v ? { ...base, value: v.value, unsigned: v.unsigned, wide: v.wide ?? false, spelling: item.expr.text } : undefined;
    }
    if (item.aliasOf) {
      const target = this.resolveConst(item.aliasOf);
      if (!target) {
        this.error(at(item, 'alias-of'), 'spec-unknown-name', `'${name}' is an alias of unknown constant '${item.aliasOf}'`, 'name a constant defined at this version');
        return undefined;
      }
      return { ...base, ...(target.value !== undefined ? { value: target.value, unsigned: target.unsigned ?? false, wide: target.wide ?? false } : {}), ...(target.string !== undefined ? { string: target.string } : {}), spelling: item.aliasOf };
    }
    if (item.expr) {
      const v = this.eval(item.expr.text, at(item, 'value'));
      if (!v) return undefined;
      if ('bit' in item && item.bit) {
        const b = this.eval(item.bit.text, at(item, 'bit'));
        const expect = p.kind === 'features' ? b?.value : b ? 1n << b.value : undefined;
        if (expect !== undefined && expect !== v.value) this.error(at(item, 'value'), 'spec-value-mismatch', `'${name}': value ${item.expr.text} disagrees with bit ${item.bit.text}`, 'fix one of them, or drop value and keep bit');
      }
      return { ...base, value: v.value, unsigned: v.unsigned, wide: v.wide ?? false, spelling: item.expr.text };
    }
    if ('bit' in item && item.bit) {
      const b = this.eval(item.bit.text, at(item, 'bit'));
      if (!b) return undefined;
      if (p.kind === 'features') return { ...base, value: b.value, unsigned: b.unsigned, wide: b.wide ?? false, spelling: item.bit.text };
      const spelling = `(1 << ${item.bit.text})`;
      const mask = this.eval(spelling, at(item, 'bit'));
      return mask ? { ...base, value: mask.value, unsigned: mask.unsigned, wide: mask.wide ?? false, spelling } : undefined;
    }
    if (p.implicit) return { ...base, value: p.implicit(), unsigned: false, wide: false, spelling: '' };
    this.error(item.pos, 'spec-missing-key', `'${name}' has no value`, 'add value: or bit:');
    return undefined;
  }

  private evaluateConstants(): void {
    for (const name of this.pendingConsts.keys()) this.resolveConst(name);
  }

  private resolveRequests(): void {
    for (const f of this.families) {
      for (const d of walkDefinitions(f.items)) {
        if (d.kind !== 'request') continue;
        const t = this.constants.get(d.typeName);
        if (!t || t.value === undefined) {
          this.error(at(d, 'type'), 'spec-unknown-name', `request ${d.name}: unknown ioctl type '${d.typeName}'`, 'name a define with ioctl-type: true');
          continue;
        }
        this.checkVisible(at(d, 'type'), d.typeName, t.family);
        if (t.item && 'ioctlType' in t.item && !t.item.ioctlType) {
          this.error(at(d, 'type'), 'spec-not-ioctl-type', `request ${d.name}: '${d.typeName}' is not marked as an ioctl type`, 'add ioctl-type: true to its define');
        }
        const nr = this.eval(d.nr.text, at(d, 'nr'));
        if (!nr) continue;
        if (t.value < 0n || t.value > 255n) this.error(at(d, 'type'), 'spec-out-of-range', `request ${d.name}: ioctl type ${t.value} is outside 0..255`, 'the type field of an ioctl number has 8 bits');
        if (nr.value < 0n || nr.value > 255n) this.error(at(d, 'nr'), 'spec-out-of-range', `request ${d.name}: nr ${nr.value} is outside 0..255`, 'the nr field of an ioctl number has 8 bits');
        if (d.argType) this.checkTypeKnown(d.argType, at(d, 'arg'), `request ${d.name}`);
        const r = Object.freeze({ item: d, family: f.name, type: Number(t.value), nr: Number(nr.value) });
        this.requests.push(r);
        this.requestsByName.set(d.name, r);
      }
      for (const a of walkDefinitions(f.items)) {
        if (a.kind !== 'struct' && a.kind !== 'union') continue;
        for (const m of a.members) if (m.kind === 'field') this.checkTypeKnown(m.ctype, at(m, 'type'), `${a.kind} ${a.tag ?? '(anonymous)'}.${m.name}`);
      }
    }
  }

  private checkTypeKnown(t: M.FieldMember['ctype'], pos: Position, what: string): void {
    if (t.kind === 'pointer') return this.checkTypeKnown(t.to, pos, what);
    if (t.kind === 'array') return this.checkTypeKnown(t.of, pos, what);
    const entry = t.kind === 'struct' || t.kind === 'union' ? this.aggregates.get(`${t.kind} ${t.tag}`) : undefined;
    if ((t.kind === 'struct' || t.kind === 'union') && !entry) {
      this.error(pos, 'spec-unknown-type', `${what}: ${t.kind} ${t.tag} is not defined`, 'define it in this family or one it imports, at this version');
    }
    if (entry) this.checkVisible(pos, entry.key, entry.family);
    if (t.kind === 'enum' && !this.nameOwner.has(`enum ${t.tag}`)) {
      this.error(pos, 'spec-unknown-type', `${what}: enum ${t.tag} is not defined`, 'define the enum at this version');
    }
  }

  /** Numeric value of a constant, or undefined. */
  value(name: string): bigint | undefined {
    return this.constants.get(name)?.value;
  }

  private context(abi: Abi): LayoutContext {
    return {
      abi,
      aggregate: (kind, tag) => this.aggregateLayout(abi, `${kind} ${tag}`),
      dim: (text, pos) => {
        const v = this.eval(text, pos ?? { file: '', line: 0, col: 0 });
        return v ? Number(v.value) : 0;
      },
    };
  }

  aggregateLayout(abi: Abi, key: string): AggregateLayout {
    const memo = `${abi.name}\0${key}`;
    const done = this.layouts.get(memo);
    if (done) return done;
    const entry = this.aggregates.get(key);
    if (!entry) throw new LayoutError(`${key} is not defined at ${this.version}`);
    // Memoised and handed to every consumer: frozen, so nobody can change it for the others.
    const l = layoutAggregate(entry.item, this.context(abi));
    for (const f of l.fields) Object.freeze(f);
    for (const h of l.holes) Object.freeze(h);
    Object.freeze(l.fields);
    Object.freeze(l.holes);
    Object.freeze(l);
    this.layouts.set(memo, l);
    return l;
  }

  typeLayout(abi: Abi, t: M.FieldMember['ctype']): TypeLayout {
    return typeLayout(t, this.context(abi));
  }

  /** Layout of an aggregate defined inside another (one element, for an array of inline structs). */
  inlineLayout(abi: Abi, item: M.AggregateItem): AggregateLayout {
    return layoutAggregate(item, this.context(abi));
  }

  /** Size the request number encodes on this ABI (0 for _IO). */
  argSize(r: ResolvedRequest, abi: Abi): number {
    if (r.item.encoding === 'none' || !r.item.argType) return 0;
    return this.typeLayout(abi, r.item.argType).size;
  }

  requestNumber(r: ResolvedRequest, abi: Abi): number {
    const size = this.argSize(r, abi);
    return iocNumber(abi.encoding, r.item.encoding, r.type, r.nr, Math.min(size, maxIocSize(abi.encoding)));
  }
}

export interface ProjectionCache {
  at(version: Version): VersionModel;
}

/** Memoised projections of one spec model. */
export function projections(spec: M.SpecModel): ProjectionCache {
  const cache = new Map<Version, VersionModel>();
  return {
    at(version) {
      let m = cache.get(version);
      if (!m) {
        m = new VersionModel(spec, version);
        cache.set(version, m);
      }
      return m;
    },
  };
}

export function newestVersion(spec: M.SpecModel): Version {
  const sorted = [...spec.versions].sort(compareVersions);
  const v = sorted[sorted.length - 1];
  if (!v) throw new LayoutError('the spec lists no versions (project.yaml: versions)');
  return v;
}
