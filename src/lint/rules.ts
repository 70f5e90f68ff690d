// The lint rules. Each looks at one version of the model and reports findings keyed by item,
// so a suppression in the spec (rule + item) can silence a historic kernel choice with a reason.
import type { Position, Severity } from '../diagnostics.ts';
import { ABIS, ABI_DEPENDENT, maxIocSize, transportReport, walkDefinitions, type Abi, type AbiView, type AggregateLayout, type Request } from '../model/index.ts';
import type * as M from '../model/index.ts';

export interface Finding {
  rule: string;
  severity: Severity;
  /** The item the finding is about: a request name, 'struct x', 'struct x.field'. */
  item: string;
  abis?: string[];
  pos: Position;
  message: string;
  hint: string;
}

export interface Rule {
  id: string;
  severity: Severity;
  summary: string;
  check(vm: AbiView): Finding[];
}

/** Where one key of an item is written (the item when the key is absent). */
const at = (x: M.Located, key: string): Position => x.keys[key] ?? x.pos;

const abiList = (abis: Abi[]): string => (abis.length === ABIS.length ? 'every ABI' : abis.map((a) => a.name).join(', '));

function topAggregates(vm: AbiView): Array<{ key: string; item: M.AggregateItem }> {
  return [...vm.types.values()].map((e) => ({ key: e.key, item: e.item }));
}

/** Every field of every top-level struct or union, nested aggregates included, with its owner's key. */
function* allFields(vm: AbiView): Generator<{ key: string; field: M.FieldMember }> {
  for (const { key, item } of topAggregates(vm)) {
    for (const d of walkDefinitions([item])) {
      if (d.kind !== 'struct' && d.kind !== 'union') continue;
      for (const m of d.members) if (m.kind === 'field') yield { key, field: m };
    }
  }
}

function layoutOf(vm: AbiView, abi: Abi, key: string): AggregateLayout | undefined {
  const r = vm.layout(abi, key);
  return r.ok ? r.layout : undefined;
}

const paddingHole: Rule = {
  id: 'padding-hole',
  severity: 'warning',
  summary: 'Implicit padding between or after members: bytes the kernel may leak or userspace may leave uninitialised.',
  check(vm) {
    const out: Finding[] = [];
    for (const { key, item } of topAggregates(vm)) {
      const byHole = new Map<string, Abi[]>();
      for (const abi of ABIS) {
        for (const h of layoutOf(vm, abi, key)?.holes ?? []) {
          const k = h.tail ? `${h.size} byte(s) of tail padding after ${h.after}` : `${h.size} byte(s) of padding after ${h.after || 'the start'}`;
          byHole.set(k, [...(byHole.get(k) ?? []), abi]);
        }
      }
      for (const [k, abis] of byHole) {
        out.push({ rule: this.id, severity: this.severity, item: key, abis: abis.map((a) => a.name), pos: item.pos, message: `${key}: ${k} on ${abiList(abis)}`, hint: 'add an explicit reserved/padding member (and check it is zero), or reorder members' });
      }
    }
    return out;
  },
};

const compatLayout: Rule = {
  id: 'compat-layout',
  severity: 'warning',
  summary: 'A request argument whose layout differs between ABIs (32- vs 64-bit): a 64-bit kernel needs compat_ioctl translation.',
  check(vm) {
    const out: Finding[] = [];
    for (const r of vm.requests) {
      const t = r.item.argType;
      if (!t || r.item.pass !== 'pointer') continue;
      const shapes = new Map<string, Abi[]>();
      for (const abi of ABIS) {
        const r = vm.layout(abi, t);
        if (!r.ok) continue;
        const shape = `${r.layout.size}:${r.layout.fields.map((f) => `${f.path}@${f.offset}`).join(',')}`;
        shapes.set(shape, [...(shapes.get(shape) ?? []), abi]);
      }
      if (shapes.size > 1) {
        const groups = [...shapes.entries()].map(([s, abis]) => `size ${s.split(':')[0]} on ${abis.map((a) => a.name).join(', ')}`).join('; ');
        out.push({ rule: this.id, severity: this.severity, item: r.item.name, pos: at(r.item, 'arg'), message: `${r.item.name}: argument ${r.item.arg} is laid out differently across ABIs (${groups})`, hint: 'use fixed-width types with natural 64-bit alignment (__aligned_u64, explicit padding) so no compat_ioctl is needed' });
      }
    }
    return out;
  },
};

const abiDependentType: Rule = {
  id: 'abi-dependent-type',
  severity: 'warning',
  summary: 'long, unsigned long or a pointer in a UAPI struct: its size differs between 32- and 64-bit userspace.',
  check(vm) {
    const out: Finding[] = [];
    for (const { key, field: m } of allFields(vm)) {
      const pointer = m.ctype.kind === 'pointer';
      if (pointer || ABI_DEPENDENT.has(m.type)) {
        out.push({ rule: this.id, severity: this.severity, item: `${key}.${m.name}`, pos: at(m, 'type'), message: `${key}.${m.name} has type '${m.type}', whose size depends on the ABI`, hint: pointer ? 'carry user pointers in a __u64 (or __aligned_u64) and cast with u64_to_user_ptr()' : 'use __u32 or __u64' });
      }
    }
    for (const r of vm.requests) {
      if (r.item.arg && ABI_DEPENDENT.has(r.item.arg)) {
        out.push({ rule: this.id, severity: this.severity, item: r.item.name, pos: at(r.item, 'arg'), message: `${r.item.name}: argument type '${r.item.arg}' changes size between ABIs`, hint: 'use __u32 or __u64' });
      }
    }
    return out;
  },
};

const argTooLarge: Rule = {
  id: 'arg-too-large',
  severity: 'error',
  summary: 'The argument is larger than the size field of the ioctl number can carry on some ABI.',
  check(vm) {
    const out: Finding[] = [];
    for (const r of vm.requests) {
      if (r.item.encoding === 'none') continue;
      const bad = ABIS.filter((abi) => vm.argSize(r, abi) > maxIocSize(abi.encoding));
      if (bad.length) out.push({ rule: this.id, severity: this.severity, item: r.item.name, abis: bad.map((a) => a.name), pos: at(r.item, 'arg'), message: `${r.item.name}: argument does not fit the ioctl size field on ${abiList(bad)}`, hint: 'pass a small header struct with a pointer and a length, or use _IO with an argsz struct' });
    }
    return out;
  },
};

const duplicateNr: Rule = {
  id: 'duplicate-request-nr',
  severity: 'warning',
  summary: 'Two requests share (type, nr) on one fd kind; only the direction or size keeps their numbers apart.',
  check(vm) {
    // One finding per pair of requests, naming every fd kind where both are accepted.
    const pairs = new Map<string, { first: Request; second: Request; scopes: string[] }>();
    const seen = new Map<string, Request[]>();
    for (const r of vm.requests) {
      for (const scope of r.item.scope.length ? r.item.scope : ['(unscoped)']) {
        const k = `${scope}:${r.type}:${r.nr}`;
        const earlier = seen.get(k) ?? [];
        for (const first of earlier) {
          const pk = `${first.item.name}\0${r.item.name}`;
          const pair = pairs.get(pk) ?? { first, second: r, scopes: [] };
          pair.scopes.push(scope);
          pairs.set(pk, pair);
        }
        seen.set(k, [...earlier, r]);
      }
    }
    return [...pairs.values()].map(({ first, second, scopes }) => {
      const same = ABIS.filter((abi) => vm.number(first, abi) === vm.number(second, abi));
      const where = `fd kind${scopes.length > 1 ? 's' : ''} ${scopes.join(', ')}`;
      return {
        rule: same.length ? 'request-number-collision' : this.id,
        severity: same.length ? ('error' as const) : this.severity,
        item: second.item.name, pos: at(second.item, 'nr'),
        ...(same.length ? { abis: same.map((a) => a.name) } : {}),
        message: same.length
          ? `${second.item.name} has the same ioctl number as ${first.item.name} on ${where} (${abiList(same)})`
          : `${second.item.name} shares type/nr 0x${second.nr.toString(16)} with ${first.item.name} on ${where}`,
        hint: 'give the request a free nr for this type, or scope the two requests to different fd kinds',
      };
    });
  },
};

const directionMismatch: Rule = {
  id: 'direction-mismatch',
  severity: 'warning',
  summary: 'The encoded direction (_IOR/_IOW) disagrees with the data that really travels, and no quirk note says why.',
  check(vm) {
    const expected: Record<string, string> = { none: 'none', read: 'out', write: 'in', readwrite: 'inout' };
    return vm.requests
      .filter((r) => r.item.encoding !== 'none' && expected[r.item.encoding] !== r.item.data && !r.item.quirk)
      .map((r) => ({ rule: this.id, severity: this.severity, item: r.item.name, pos: at(r.item, 'data'), message: `${r.item.name} is encoded ${r.item.encoding} but its data is ${r.item.data}`, hint: 'add quirk: explaining the historic encoding, or fix the encoding before release' }));
  },
};

const flagsPolicy: Rule = {
  id: 'flags-reserved-policy',
  severity: 'warning',
  summary: 'A flags field without a reserved-bits policy: unknown bits must be rejected or the field can never grow.',
  check(vm) {
    const out: Finding[] = [];
    for (const { key, field: m } of allFields(vm)) {
      // validate has made sure a named flag set exists.
      const set = m.flags ? vm.sets.get(m.flags)?.item : undefined;
      if (set && !set.reserved) {
        out.push({ rule: this.id, severity: this.severity, item: `${key}.${m.name}`, pos: at(m, 'flags'), message: `${key}.${m.name}: flag set '${set.id}' has no reserved-bits policy`, hint: 'add reserved: reject (the kernel returns -EINVAL for unknown bits) or say what it does' });
      } else if (!m.flags && /^flags$/.test(m.name)) {
        out.push({ rule: this.id, severity: this.severity, item: `${key}.${m.name}`, pos: m.pos, message: `${key}.${m.name} looks like a flags field but names no flag set`, hint: 'add flags: SET-ID to the field and reserved: to the set' });
      }
    }
    return out;
  },
};

const argszFirst: Rule = {
  id: 'argsz-first',
  severity: 'error',
  summary: 'An argsz-extensible struct must start with __u32 argsz (then flags) so the kernel can read its size first.',
  check(vm) {
    const out: Finding[] = [];
    for (const { key, item } of topAggregates(vm)) {
      const fields = item.members.filter((m): m is M.FieldMember => m.kind === 'field');
      const hasArgsz = item.argsz || fields.some((f) => f.argsz || f.name === 'argsz');
      if (!hasArgsz) continue;
      const first = item.members.find((m) => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union');
      if (!first || first.kind !== 'field' || first.name !== 'argsz' || first.ctype.kind !== 'prim' || !['__u32', 'unsigned int'].includes(first.type)) {
        out.push({ rule: this.id, severity: this.severity, item: key, pos: item.pos, message: `${key} is argsz-extensible but does not start with __u32 argsz`, hint: 'move argsz to offset 0' });
      }
    }
    return out;
  },
};

const quirkCondition: Rule = {
  id: 'quirk-without-condition',
  severity: 'error',
  summary: 'A quirk that says neither which dispatch checks model it (checks:) nor when it happens (when:): it cannot be predicted, tested or generated.',
  check(vm) {
    return [...vm.fds.values()].flatMap((fd) => fd.quirks.filter((q) => q.checks.length === 0 && q.when === undefined).map((q) => ({
      rule: this.id, severity: this.severity, item: `${fd.name}/${q.name}`, pos: q.pos,
      message: `quirk ${q.name} of fd ${fd.name} has no condition`,
      hint: 'name the checks of the fd\'s dispatch that produce it (checks: [ID]), or give when: EXPR',
    })));
  },
};

const channelWriteUnmodelled: Rule = {
  id: 'channel-write-unmodelled',
  severity: 'error',
  summary: 'A channel written to an fd kind whose ioctls are executable, with no executable write() (write:): its behaviour is prose only and cannot be predicted or measured.',
  check(vm) {
    return [...vm.channels.values()]
      .filter((c) => !c.write && c.records.some((r) => r.direction === 'write') && c.fds.some((f) => (vm.fds.get(f)?.dispatch.length ?? 0) > 0))
      .map((c) => ({
        rule: this.id, severity: this.severity, item: `channel ${c.name}`, pos: c.pos,
        message: `channel ${c.name} is written to ${c.fds.join(', ')}, whose ioctls are executable, but its write() is not`,
        hint: 'give the channel write: (forms on the records, ordered checks, returns), or a lifetime that ends where the dispatch begins',
      }));
  },
};

const featureFilterUnapplied: Rule = {
  id: 'feature-filter-unapplied',
  severity: 'error',
  summary: "A device profile with a feature filter on an fd kind whose ioctls are executable, where no path applies it (feature-filter: answer and arg): the filter would be prose only.",
  check(vm) {
    return [...vm.devices.values()].flatMap((d) => {
      const filter = vm.featureFilter(d.name);
      const b = vm.behaviour(d.fd, d.name);
      if (!filter || filter.kind === 'none' || !b?.executable) return [];
      const applied = new Set([...b.accepted].flatMap((r) => b.path(r).checks.flatMap((c) => (c.kind === 'feature-filter' ? [c.filter] : []))));
      const missing = (['answer', 'arg'] as const).filter((w) => !applied.has(w));
      if (!missing.length) return [];
      const key = d.featureBlacklist ? 'feature-blacklist' : 'feature-allowlist';
      return [{
        rule: this.id, severity: this.severity, item: `device ${d.name}`, pos: at(d, key),
        message: `device ${d.name} has a feature ${filter.kind}, but no path of fd ${d.fd} applies it to the ${missing.map((w) => (w === 'arg' ? 'argument' : 'answer')).join(' or the ')}`,
        hint: 'add { check: NAME, feature-filter: answer } before the copy-out of the request that reports the features and { check: NAME, feature-filter: arg, error: ERRNO } after the read of the one that sets them',
      }];
    });
  },
};

const transportPayloadDrift: Rule = {
  id: 'transport-payload-drift',
  severity: 'warning',
  summary: 'An operation whose payload layouts differ between the transports that share it (vhost ioctl, VDUSE request, vhost-user message) and whose link states no reason (payload-differs:).',
  check(vm) {
    return transportReport(vm).operations.flatMap((o) => {
      if (!o.drift || o.payloadDiffers || !o.message) return [];
      const link = o.message.operation as M.OperationLink;
      const sides = o.sides.map((s, i) => `${s.name} ${s.payload ?? 'no payload'} (${o.drift?.shapes[i] ?? '?'})`).join(' vs ');
      return [{
        rule: this.id, severity: this.severity, item: o.message.name, abis: [...o.drift.abis], pos: link.pos,
        message: `operation ${o.operation}: payload layouts differ between transports on ${o.drift.abis.length === ABIS.length ? 'every ABI' : o.drift.abis.join(', ')}: ${sides}`,
        hint: 'say why under operation: payload-differs: (what each transport carries), or give the message the same payload type as the ioctl',
      }];
    });
  },
};

export const RULES: readonly Rule[] = [paddingHole, compatLayout, abiDependentType, argTooLarge, duplicateNr, directionMismatch, flagsPolicy, argszFirst, quirkCondition, channelWriteUnmodelled, featureFilterUnapplied, transportPayloadDrift];
