// Raw, schema-checked YAML values -> model objects (structure only; numbers are evaluated per version).
import type { Diagnostic, Position } from '../diagnostics.ts';
import type { LoadedFile, LoadedSpec } from '../load/load.ts';
import { posOf, SpecNumber, type Raw, type RawObject } from '../load/source.ts';
import { parseCType, type CType } from './ctype.ts';
import type { Encoding } from './ioc.ts';
import type * as M from './types.ts';

type R = RawObject;

const str = (v: Raw | undefined): string | undefined => (v === undefined || v === null ? undefined : v instanceof SpecNumber ? v.text : String(v));
const bool = (v: Raw | undefined): boolean => v === true;
const strs = (v: Raw | undefined): string[] => (Array.isArray(v) ? v.map((x) => str(x) as string) : []);
/** since/until of a spec object, only the keys it has. */
function lifetimeOf(o: RawObject): { since?: string; until?: string } {
  return {
    ...(o.since !== undefined ? { since: str(o.since) } : {}),
    ...(o.until !== undefined ? { until: str(o.until) } : {}),
  };
}

/** Positions of the values of every key of a mapping. */
function keyPositions(o: RawObject): M.KeyPositions {
  const out: Record<string, Position> = {};
  for (const [k, v] of Object.entries(o)) {
    const p = posOf(o, k);
    if (p) out[k] = p;
    // List entries too (`requests[2]`), so an unknown name in a list points at itself.
    if (Array.isArray(v)) {
      v.forEach((_, i) => {
        const e = posOf(v, i);
        if (e) out[`${k}[${i}]`] = e;
      });
    }
  }
  return out;
}

const num = (v: Raw | undefined): number | undefined => (v instanceof SpecNumber ? Number(v.value) : undefined);

export function buildModel(spec: LoadedSpec): { model: M.SpecModel; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const versions = strs(spec.project?.raw.versions);
  const families = spec.families.map((f) => new FamilyBuilder(f, diagnostics).build());
  return { model: deepFreeze({ versions, families }), diagnostics };
}

/** The model is shared by every consumer (emitters, lint, diff): nobody may change it. */
function deepFreeze<T>(value: T): T {
  // A frozen object was frozen with everything below it: no need for a visited set.
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const k in value) deepFreeze((value as Record<string, unknown>)[k]);
  }
  return value;
}

class FamilyBuilder {
  constructor(
    private readonly file: LoadedFile,
    private readonly diagnostics: Diagnostic[],
  ) {}

  private pos(o: object, key?: string): Position {
    return posOf(o, key) ?? { file: this.file.path, line: 1, col: 1 };
  }

  private common(o: R): M.Common {
    const guard = o.guard as R | undefined;
    const g = guard ? (Object.entries(guard)[0] as [string, Raw]) : undefined;
    return {
      pos: this.pos(o),
      keys: keyPositions(o),
      ...lifetimeOf(o),
      ...(o.deprecated !== undefined ? { deprecated: str(o.deprecated) } : {}),
      ...(o.doc !== undefined ? { doc: str(o.doc) } : {}),
      ...(g ? { guard: { directive: g[0] as M.Guard['directive'], expr: str(g[1]) as string } } : {}),
    };
  }

  private expr(v: Raw | undefined): M.Expr | undefined {
    if (v === undefined || v === null) return undefined;
    return { text: v instanceof SpecNumber ? v.text : String(v) };
  }

  private ctype(o: R, key: string): CType {
    const text = str(o[key]) as string;
    const t = parseCType(text);
    if (!t) {
      this.diagnostics.push({
        ...this.pos(o, key), severity: 'error', rule: 'spec-unknown-type', message: `unknown C type '${text}'`,
        hint: 'use a UAPI spelling such as __u32, unsigned int, __aligned_u64, struct NAME, or NAME *',
      });
      return { kind: 'prim', name: 'int' };
    }
    return t;
  }

  private dims(v: Raw | undefined): M.Dim[] {
    if (v === undefined || v === null) return [];
    if (Array.isArray(v)) return v.length === 0 ? ['flex'] : v.map((d) => this.dim(d));
    return [this.dim(v)];
  }

  private dim(v: Raw): M.Dim {
    if (Array.isArray(v)) return 'flex';
    if (v instanceof SpecNumber && v.value === 0n) return 'zero';
    return this.expr(v) as M.Expr;
  }

  build(): M.Family {
    const raw = this.file.raw;
    const list = (key: string): R[] => (Array.isArray(raw[key]) ? (raw[key] as R[]) : []);
    return {
      name: str(raw.family) as string,
      file: this.file.path,
      pos: this.pos(raw), keys: keyPositions(raw),
      doc: str(raw.doc) as string,
      ...(raw.header !== undefined ? { header: str(raw.header) } : {}),
      ...(raw.guard !== undefined ? { guard: str(raw.guard) } : {}),
      ...(raw.license !== undefined ? { license: str(raw.license) } : {}),
      ...(raw.source !== undefined ? { source: str(raw.source) } : {}),
      ...lifetimeOf(raw),
      imports: strs(raw.imports),
      externals: list('externals').map((x) => ({ pos: this.pos(x), keys: keyPositions(x), name: str(x.name) as string, expr: this.expr(x.value) as M.Expr, header: str(x.header) as string, ...(x.doc !== undefined ? { doc: str(x.doc) } : {}) })),
      items: list('items').map((i) => this.item(i)),
      fds: list('fds').map((f) => this.fd(f)),
      requestSets: list('request-sets').map((s) => ({
        pos: this.pos(s), keys: keyPositions(s), name: str(s['request-set']) as string, ...(s.doc ? { doc: str(s.doc) } : {}), requests: strs(s.requests),
        ...lifetimeOf(s),
      })),
      devices: list('devices').map((d) => this.device(d)),
      channels: list('channels').map((c) => this.channel(c)),
      suppressions: list('suppressions').map((s) => ({
        pos: this.pos(s), keys: keyPositions(s), rule: str(s.rule) as string, item: str(s.item) as string, reason: str(s.reason) as string,
        ...(s.abis ? { abis: strs(s.abis) } : {}),
        ...lifetimeOf(s),
      })),
      wire: bool(raw.wire),
      ...(raw.protocol !== undefined ? { protocol: this.protocol(raw.protocol as R) } : {}),
      messages: list('messages').map((m) => this.message(m)),
    };
  }

  private protocol(o: R): M.Protocol {
    return {
      pos: this.pos(o), keys: keyPositions(o), name: str(o.protocol) as string, doc: str(o.doc) as string,
      header: str(o.header) as string, flags: str(o.flags) as string, features: str(o.features) as string,
      ...(o['ack-feature'] !== undefined ? { ackFeature: str(o['ack-feature']) } : {}),
      ...(o['need-reply'] !== undefined ? { needReply: str(o['need-reply']) } : {}),
      ...(o['max-fds'] !== undefined ? { maxFds: num(o['max-fds']) } : {}),
      ...(o.source !== undefined ? { source: str(o.source) } : {}),
    };
  }

  /** An exact count (`fds: 1`) or a range (`fds: { min: 0, max: 1, doc }`); absent: none. */
  private messageFds(v: Raw | undefined): M.MessageFds {
    if (v === undefined || v === null) return { min: 0, max: 0 };
    if (v instanceof SpecNumber) return { min: Number(v.value), max: Number(v.value) };
    const o = v as R;
    return { min: num(o.min) as number, max: num(o.max) as number, ...(o.doc !== undefined ? { doc: str(o.doc) } : {}) };
  }

  private message(o: R): M.Message {
    const opt = (key: string, as: string): Record<string, string> => (o[key] !== undefined ? { [as]: str(o[key]) as string } : {});
    const link = o.operation as R | undefined;
    const vduse = link?.vduse as R | undefined;
    return {
      pos: this.pos(o), keys: keyPositions(o), name: str(o.message) as string, code: num(o.code) as number,
      sender: str(o.sender) as M.Message['sender'], doc: str(o.doc) as string, reply: str(o.reply) as M.ReplyRule,
      ...opt('payload', 'payload'), ...opt('payload-opaque', 'payloadOpaque'), ...opt('reply-feature', 'replyFeature'), ...opt('reply-payload', 'replyPayload'),
      ...opt('protocol-feature', 'protocolFeature'), ...opt('qemu', 'qemu'), ...opt('deprecated', 'deprecated'), ...opt('source', 'source'),
      fds: this.messageFds(o.fds), replyFds: this.messageFds(o['reply-fds']),
      ...(link ? {
        operation: {
          pos: this.pos(link), keys: keyPositions(link), differences: str(link.differences) as string,
          ...(link.ioctl !== undefined ? { ioctl: str(link.ioctl) } : {}),
          ...(vduse ? { vduse: { request: str(vduse.request) as string, payload: str(vduse.payload) as string } } : {}),
          ...(link['payload-differs'] !== undefined ? { payloadDiffers: str(link['payload-differs']) } : {}),
        },
      } : {}),
    };
  }

  private item(o: R): M.Item {
    if ('include' in o) return { kind: 'include', ...this.common(o), path: str(o.include) as string, local: bool(o.local) };
    if ('request' in o) return this.request(o);
    if ('enum' in o) return { kind: 'enum', ...this.common(o), tag: str(o.enum) ?? null, values: (o.values as R[]).map((v) => this.setValue(v)), trailingComma: o['trailing-comma'] !== false };
    if ('raw' in o) return { kind: 'raw', ...this.common(o), text: str(o.raw) as string, reason: str(o.reason) as string };
    return this.member(o) as M.Item;
  }

  private member(o: R): M.Member {
    if ('field' in o) return this.field(o);
    if ('struct' in o || 'union' in o) return this.aggregate(o);
    if ('define' in o) {
      return {
        kind: 'define', ...this.common(o), name: str(o.define) as string,
        ...(o.value !== undefined ? { expr: this.expr(o.value) } : {}),
        ...(o.string !== undefined ? { string: str(o.string) } : {}),
        ...(o['alias-of'] !== undefined ? { aliasOf: str(o['alias-of']) } : {}),
        ioctlType: bool(o['ioctl-type']), sentinel: bool(o.sentinel),
      };
    }
    if ('macro' in o) return { kind: 'macro', ...this.common(o), name: str(o.macro) as string, ...(o.params ? { params: strs(o.params) } : {}), body: str(o.body) as string };
    const set: M.SetKind = 'flags' in o ? 'flags' : 'features' in o ? 'features' : 'status' in o ? 'status' : 'values';
    return {
      kind: 'set', ...this.common(o), set, id: str(o[set === 'values' ? 'set' : set]) as string,
      values: (o.values as R[]).map((v) => this.setValue(v)),
      ...(o.reserved !== undefined ? { reserved: str(o.reserved) as M.SetItem['reserved'] } : {}),
    };
  }

  private setValue(o: R): M.SetValue {
    return {
      ...this.common(o), name: str(o.name) as string,
      ...(o.value !== undefined ? { expr: this.expr(o.value) } : {}),
      ...(o.bit !== undefined ? { bit: this.expr(o.bit) } : {}),
      ...(o['alias-of'] !== undefined ? { aliasOf: str(o['alias-of']) } : {}),
      sentinel: bool(o.sentinel),
    };
  }

  private field(o: R): M.FieldMember {
    return {
      kind: 'field', ...this.common(o), name: str(o.field) as string, type: str(o.type) as string, ctype: this.ctype(o, 'type'),
      dims: this.dims(o.count), flexMacro: bool(o['flex-macro']),
      ...(o['counted-by'] !== undefined ? { countedBy: str(o['counted-by']) } : {}),
      ...(num(o.aligned) !== undefined ? { aligned: num(o.aligned) } : {}),
      ...(o.typedef !== undefined ? { typedef: str(o.typedef) } : {}),
      ...(o.flags !== undefined ? { flags: str(o.flags) } : {}),
      ...(o.values !== undefined ? { values: str(o.values) } : {}),
      userPointer: bool(o['user-pointer']), argsz: bool(o.argsz), min: bool(o.min),
      ...(o['flag-gate'] !== undefined ? { flagGate: str(o['flag-gate']) } : {}),
      ...(o.reserved === true ? { reserved: true } : {}),
    };
  }

  private aggregate(o: R): M.AggregateItem {
    const kind = 'struct' in o ? 'struct' : 'union';
    return {
      kind, ...this.common(o), tag: str(o[kind]) ?? null,
      ...(o.name !== undefined ? { name: str(o.name) } : {}),
      dims: this.dims(o.count), packed: bool(o.packed),
      ...(num(o.aligned) !== undefined ? { aligned: num(o.aligned) } : {}),
      attributeFirst: bool(o['attribute-first']), argsz: bool(o.argsz),
      ...(o.extension !== undefined ? { extension: str(o.extension) as M.Extension } : {}),
      members: (o.members as R[]).map((m) => this.member(m)),
    };
  }

  private request(o: R): M.RequestItem {
    const encoding = str(o.encoding) as Encoding;
    const data = (str(o.data) ?? { none: 'none', read: 'out', write: 'in', readwrite: 'inout' }[encoding]) as M.DataDirection;
    const arg = str(o.arg);
    return {
      kind: 'request', ...this.common(o), name: str(o.request) as string, typeName: str(o.type) as string,
      nr: this.expr(o.nr) as M.Expr, encoding,
      ...(arg !== undefined ? { arg, argType: this.ctype(o, 'arg') } : {}),
      pass: (str(o.pass) ?? (arg !== undefined ? 'pointer' : 'none')) as M.RequestItem['pass'],
      data, dataExplicit: o.data !== undefined,
      ...(o.returns !== undefined ? { returns: str(o.returns) } : {}),
      scope: strs(o.scope),
      ...(o.quirk !== undefined ? { quirk: str(o.quirk) } : {}),
    };
  }

  private rule(o: R): M.StatusRule {
    return {
      pos: this.pos(o), keys: keyPositions(o), requests: o.request !== undefined ? [str(o.request) as string] : strs(o.requests),
      requires: strs(o.requires), forbids: strs(o.forbids),
      ...(o.transition !== undefined ? { transition: str(o.transition) as M.StatusRule['transition'] } : {}),
      owner: bool(o.owner), unowned: bool(o.unowned), error: str(o.error) as string,
      ...lifetimeOf(o),
      ...(o.doc !== undefined ? { doc: str(o.doc) } : {}),
      ...(o.source !== undefined ? { source: str(o.source) } : {}),
    };
  }

  private fd(o: R): M.FdKind {
    return {
      pos: this.pos(o), keys: keyPositions(o), name: str(o.fd) as string, doc: str(o.doc) as string,
      ...(o.path !== undefined ? { path: str(o.path) } : {}),
      ...(o.status !== undefined ? { status: str(o.status) } : {}),
      rules: ((o.rules as R[] | undefined) ?? []).map((r) => this.rule(r)),
      ...(o['unknown-request'] !== undefined ? { unknownRequest: str(o['unknown-request']) } : {}),
      quirks: ((o.quirks as R[] | undefined) ?? []).map((q) => ({
        pos: this.pos(q), keys: keyPositions(q), name: str(q.name) as string, requests: strs(q.requests), unknownRequests: bool(q['unknown-requests']), errno: strs(q.errno), doc: str(q.doc) as string,
        checks: strs(q.checks), ...(q.when !== undefined ? { when: str(q.when) } : {}),
        ...lifetimeOf(q),
        ...(q.source !== undefined ? { source: str(q.source) } : {}),
      })),
      facts: ((o.facts as R[] | undefined) ?? []).map((f) => ({
        pos: this.pos(f), keys: keyPositions(f), name: str(f.fact) as string, doc: str(f.doc) as string,
        ...(f.kind !== undefined ? { kind: str(f.kind) as M.Fact['kind'] } : {}),
        ...(f.source !== undefined ? { source: str(f.source) } : {}),
        ...lifetimeOf(f),
      })),
      sequences: ((o.sequences as R[] | undefined) ?? []).map((q) => ({
        pos: this.pos(q), keys: keyPositions(q), name: str(q.sequence) as string, checks: this.checks(q.checks),
        ...(q.doc !== undefined ? { doc: str(q.doc) } : {}),
        ...lifetimeOf(q),
      })),
      dispatch: ((o.dispatch as R[] | undefined) ?? []).map((e) => this.dispatchEntry(e)),
      unhandled: this.checks((o.unhandled as R | undefined)?.checks),
      ...lifetimeOf(o),
    };
  }

  private dispatchEntry(e: R): M.DispatchEntry {
    return {
      pos: this.pos(e), keys: keyPositions(e), requests: strs(e.requests), checks: this.checks(e.checks),
      ...(e.doc !== undefined ? { doc: str(e.doc) } : {}),
      ...lifetimeOf(e),
    };
  }

  private checks(v: Raw | undefined): M.Check[] {
    return (Array.isArray(v) ? (v as R[]) : []).map((c) => this.check(c));
  }

  /** One check: exactly one kind key (the schema cannot say "exactly one of" with good errors). */
  private check(o: R): M.Check {
    const kinds = (['use', 'owner', 'requires', 'forbids', 'transition', 'read', 'write', 'refuse', 'accept', 'fd', 'always', 'feature-filter'] as const).filter((k) => o[k] !== undefined);
    const kindKeys = kinds.filter((k) => !(k === 'forbids' && kinds.includes('requires')));
    const base = {
      pos: this.pos(o), keys: keyPositions(o), id: str(o.check) ?? '',
      ...(o.error !== undefined ? { error: str(o.error) } : {}),
      ...(o.doc !== undefined ? { doc: str(o.doc) } : {}),
      ...(o.source !== undefined ? { source: str(o.source) } : {}),
      ...lifetimeOf(o),
    };
    const report = (message: string, hint: string): void => {
      this.diagnostics.push({ ...this.pos(o), severity: 'error', rule: 'spec-check-kind', message, hint });
    };
    if (kindKeys.length !== 1) report(kindKeys.length ? `a check has more than one kind: ${kindKeys.join(', ')}` : 'a check has no kind', 'give exactly one of: owner, requires/forbids, transition, read, write, refuse, accept, fd, always, feature-filter, use');
    if (kinds[0] !== 'use' && o.check === undefined) report('a check has no name', 'add check: NAME (lower-case-with-dashes)');
    // A filter on the answer never refuses; one on the argument does.
    const needsError = !['use', 'accept', 'read', 'write'].includes(kinds[0] ?? 'use') && !(kinds[0] === 'feature-filter' && o['feature-filter'] === 'answer');
    if (needsError && o.error === undefined) report(`check ${String(o.check)}: no error`, 'add error: ERRNO (what the kernel returns when this check refuses)');
    switch (kinds[0]) {
      case 'use': return { ...base, kind: 'use', sequence: str(o.use) as string };
      case 'owner': return { ...base, kind: 'owner', owner: str(o.owner) as 'required' | 'forbidden' };
      case 'requires':
      case 'forbids': return { ...base, kind: 'status', requires: strs(o.requires), forbids: strs(o.forbids) };
      case 'transition': return { ...base, kind: 'transition', transition: 'only-add-bits-or-reset' };
      case 'read': return { ...base, kind: 'read', read: str(o.read) as 'arg' | 'head' | 'argsz', error: str(o.error) ?? 'EFAULT' };
      case 'write': return { ...base, kind: 'write', write: 'arg', error: str(o.error) ?? 'EFAULT' };
      case 'refuse': return { ...base, kind: 'refuse', expr: str(o.refuse) as string };
      case 'accept': return { ...base, kind: 'accept', expr: str(o.accept) as string };
      case 'fd': return { ...base, kind: 'fd', expr: str(o.fd) as string, fdKind: 'eventfd', ...(o.unbind instanceof SpecNumber ? { unbind: o.unbind.value } : {}), ...(o['kind-error'] !== undefined ? { kindError: str(o['kind-error']) } : {}) };
      case 'feature-filter': return { ...base, kind: 'feature-filter', filter: str(o['feature-filter']) as 'answer' | 'arg' };
      default: return { ...base, kind: 'always' };
    }
  }

  private device(o: R): M.DeviceProfile {
    return {
      pos: this.pos(o), keys: keyPositions(o), name: str(o.device) as string, doc: str(o.doc) as string, fd: str(o.fd) as string,
      ...(o['device-id'] !== undefined ? { deviceId: str(o['device-id']) } : {}),
      requestSets: strs(o['request-sets']), requests: strs(o.requests), features: strs(o.features),
      ...(o['feature-blacklist'] !== undefined ? { featureBlacklist: strs(o['feature-blacklist']) } : {}),
      ...(o['feature-allowlist'] !== undefined ? { featureAllowlist: strs(o['feature-allowlist']) } : {}),
      ...(o['unsupported-request'] !== undefined ? { unsupportedRequest: str(o['unsupported-request']) } : {}),
      ...(num(o['max-queues']) !== undefined ? { maxQueues: num(o['max-queues']) } : {}),
      rules: ((o.rules as R[] | undefined) ?? []).map((r) => this.rule(r)),
      dispatch: ((o.dispatch as R[] | undefined) ?? []).map((e) => {
        const [where, check] = (str(e.at) as string).split(' ') as ['start' | 'end' | 'before' | 'after', string | undefined];
        return { ...this.dispatchEntry(e), at: where === 'before' || where === 'after' ? { where, check: check as string } : { where } };
      }),
      ...(o.source !== undefined ? { source: str(o.source) } : {}),
      ...lifetimeOf(o),
    };
  }

  private channel(o: R): M.Channel {
    return {
      pos: this.pos(o), keys: keyPositions(o), name: str(o.channel) as string, doc: str(o.doc) as string, fds: strs(o.fd),
      records: (o.records as R[]).map((r) => ({
        type: str(r.type) as string, ctype: this.ctype(r, 'type'), direction: str(r.direction) as 'write' | 'read',
        ...(r.when !== undefined ? { when: str(r.when) } : {}),
        ...(r.form !== undefined ? { form: str(r.form) } : {}),
        ...(r.doc !== undefined ? { doc: str(r.doc) } : {}),
      })),
      ...(o.write !== undefined ? { write: this.channelWrite(o.write as R) } : {}),
      ...lifetimeOf(o),
    };
  }

  private channelWrite(o: R): M.ChannelWrite {
    const handler = o.handler as R | undefined;
    return {
      pos: this.pos(o), keys: keyPositions(o), returns: str(o.returns) as string,
      lets: ((o.let as R[] | undefined) ?? []).map((l) => ({
        pos: this.pos(l), keys: keyPositions(l), name: str(l.name) as string, value: str(l.value) as string,
        ...(l.when !== undefined ? { when: str(l.when) } : {}),
        ...(l.otherwise !== undefined ? { otherwise: str(l.otherwise) } : {}),
        ...(l.doc !== undefined ? { doc: str(l.doc) } : {}),
      })),
      checks: ((o.checks as R[] | undefined) ?? []).map((c) => this.channelCheck(c)),
      ...(handler ? { handler: { surfacesAs: str(handler['surfaces-as']) as string, ...(handler.doc !== undefined ? { doc: str(handler.doc) } : {}), checks: ((handler.checks as R[] | undefined) ?? []).map((c) => this.channelCheck(c)) } } : {}),
      ...(o.doc !== undefined ? { doc: str(o.doc) } : {}),
      ...lifetimeOf(o),
    };
  }

  /** A channel check: an effect, or one of the dispatch kinds a write can have. */
  private channelCheck(o: R): M.ChannelCheck {
    if (o.effect === undefined) {
      const c = this.check(o);
      if (c.kind === 'owner' || c.kind === 'status' || c.kind === 'refuse' || c.kind === 'accept' || c.kind === 'always') return c;
      this.diagnostics.push({ ...this.pos(o), severity: 'error', rule: 'spec-check-kind', message: `check ${c.id}: a ${c.kind} check has no meaning in a write()`, hint: 'use owner, requires/forbids, refuse, accept, always or effect' });
      return { ...c, kind: 'always' } as M.ChannelCheck;
    }
    if (o.error !== undefined) this.diagnostics.push({ ...this.pos(o), severity: 'error', rule: 'spec-check-kind', message: `check ${String(o.check)}: an effect never refuses, so it has no error`, hint: 'drop error:, or make it a refuse check' });
    return {
      pos: this.pos(o), keys: keyPositions(o), id: str(o.check) ?? '', kind: 'effect', effect: str(o.effect) as M.WriteEffect,
      ...(o.when !== undefined ? { when: str(o.when) } : {}),
      ...(o.doc !== undefined ? { doc: str(o.doc) } : {}),
      ...(o.source !== undefined ? { source: str(o.source) } : {}),
      ...lifetimeOf(o),
    };
  }
}
