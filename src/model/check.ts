// Cross-references that the schema cannot see (scopes, profiles, rules, channels, the field
// references flags:/values:/flag-gate:/counted-by:) at every version, and lifetimes that leave
// an item alive at no checked version. Each problem points at the key at fault.
import type { Diagnostic, Position } from '../diagnostics.ts';
import { at, walkDefinitions, type VersionModel } from './project.ts';
import { checkChannelWrite } from './channel-check.ts';
import { checkMessages } from './message-check.ts';
import { parseCType } from './ctype.ts';
import { ERRNO_NAMES } from './errno.ts';
import { ABIS } from './abi.ts';
import type * as M from './types.ts';
import { compareVersions, isLive, type Lifetime, type Version } from './version.ts';

type Report = (pos: Position, rule: string, message: string, hint: string) => void;

/** Position of entry `i` of list key `key` (e.g. requests[2]), else of the key, else of the item. */
const entry = (x: M.Located, key: string, i: number): Position => x.keys[`${key}[${i}]`] ?? at(x, key);

export function checkReferences(vm: VersionModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err: Report = (pos, rule, message, hint) => {
    out.push({ ...pos, severity: 'error', rule, message: `${message} (at ${vm.version})`, hint });
  };
  const requestKnown = (name: string): boolean => vm.requestsByName.has(name);
  const constOf = (name: string, kind?: string): boolean => {
    const c = vm.constants.get(name);
    return c !== undefined && (kind === undefined || c.kind === kind);
  };
  const statusBits = (fd: M.FdKind | undefined): Set<string> => {
    const set = fd?.status ? vm.sets.get(fd.status)?.item : undefined;
    return new Set(set?.values.map((v) => v.name) ?? []);
  };
  const requestList = (x: M.Located, key: string, names: readonly string[], what: string): void => {
    names.forEach((n, i) => {
      if (!requestKnown(n)) err(entry(x, key, i), 'spec-unknown-name', `${what} names unknown request '${n}'`, 'name a request defined at this version');
    });
  };
  const checkRules = (rules: readonly M.StatusRule[], fd: M.FdKind | undefined): void => {
    const bits = statusBits(fd);
    for (const r of rules) {
      requestList(r, r.keys.request ? 'request' : 'requests', r.requests, 'rule');
      for (const key of ['requires', 'forbids'] as const) {
        r[key].forEach((b, i) => {
          if (!bits.has(b)) err(entry(r, key, i), 'spec-unknown-name', `rule names '${b}', not a bit of the fd's status set${fd?.status ? ` '${fd.status}'` : ''}`, 'set status: on the fd and use its bit names');
        });
      }
    }
  };
  for (const r of vm.requests) {
    r.item.scope.forEach((s, i) => {
      if (!vm.fds.has(s)) err(entry(r.item, 'scope', i), 'spec-unknown-name', `request ${r.item.name}: unknown fd kind '${s}' in scope`, `declare it under fds: (known: ${[...vm.fds.keys()].sort().join(', ') || 'none'})`);
    });
  }
  for (const f of vm.families) {
    for (const fd of f.fds) {
      if (fd.status && vm.sets.get(fd.status)?.item.set !== 'status') err(at(fd, 'status'), 'spec-unknown-name', `fd ${fd.name}: unknown status set '${fd.status}'`, 'name a status: set');
      checkRules(fd.rules, fd);
      for (const q of fd.quirks) requestList(q, 'requests', q.requests, `quirk ${q.name}`);
      checkDispatch(vm, fd, err);
    }
    for (const s of f.requestSets) requestList(s, 'requests', s.requests, `request set ${s.name}`);
    for (const d of f.devices) {
      const fd = vm.fds.get(d.fd);
      if (!fd) err(at(d, 'fd'), 'spec-unknown-name', `device ${d.name}: unknown fd kind '${d.fd}'`, 'declare it under fds:');
      if (d.deviceId && !constOf(d.deviceId)) err(at(d, 'device-id'), 'spec-unknown-name', `device ${d.name}: unknown device id '${d.deviceId}'`, 'name a VIRTIO_ID_* constant');
      d.requestSets.forEach((s, i) => {
        if (!vm.requestSets.has(s)) err(entry(d, 'request-sets', i), 'spec-unknown-name', `device ${d.name}: unknown request set '${s}'`, 'declare it under request-sets:');
      });
      requestList(d, 'requests', d.requests, `device ${d.name}`);
      d.features.forEach((s, i) => {
        if (vm.sets.get(s)?.item.set !== 'features') err(entry(d, 'features', i), 'spec-unknown-name', `device ${d.name}: '${s}' is not a feature set`, 'name a features: set');
      });
      for (const key of ['feature-blacklist', 'feature-allowlist'] as const) {
        (key === 'feature-blacklist' ? d.featureBlacklist : d.featureAllowlist)?.forEach((b, i) => {
          if (!constOf(b, 'features') && !constOf(b, 'define') && !constOf(b, 'external')) err(entry(d, key, i), 'spec-unknown-name', `device ${d.name}: unknown feature bit '${b}'`, 'name a bit of a features: set');
        });
      }
      checkRules(d.rules, fd);
      if (fd) {
        for (const e of d.dispatch) {
          requestList(e, 'requests', e.requests, `device ${d.name} dispatch`);
          const anchor = 'check' in e.at ? e.at.check : undefined;
          if (anchor && !e.requests.every((r) => fd.dispatch.some((x) => x.requests.includes(r) && allChecks(fd, x.checks).some((c) => c.id === anchor)))) {
            err(at(e, 'at'), 'spec-unknown-name', `device ${d.name}: no check '${anchor}' on the path of ${e.requests.join(', ')}`, 'name a check of the fd kind\'s dispatch for those requests');
          }
          checkSteps(vm, fd, e.checks, e.requests, err);
        }
      }
    }
    for (const c of f.channels) {
      c.fds.forEach((n, i) => {
        if (!vm.fds.has(n)) err(entry(c, 'fd', i), 'spec-unknown-name', `channel ${c.name}: unknown fd kind '${n}'`, 'declare it under fds:');
      });
      c.records.forEach((r, i) => {
        if ((r.ctype.kind === 'struct' || r.ctype.kind === 'union') && !vm.aggregates.has(`${r.ctype.kind} ${r.ctype.tag}`)) {
          err(entry(c, 'records', i), 'spec-unknown-type', `channel ${c.name}: ${r.type} is not defined`, 'define the record type');
        }
      });
      checkChannelWrite(vm, c, err);
    }
    checkFieldReferences(vm, f, err);
  }
  checkMessages(vm, err);
  return out;
}

/** The checks of a list with its sequences inlined. */
function allChecks(fd: M.FdKind, checks: readonly M.Check[], depth = 0): M.Check[] {
  return checks.flatMap((c) => (c.kind === 'use' ? (depth < 8 ? allChecks(fd, fd.sequences.find((s) => s.name === c.sequence)?.checks ?? [], depth + 1) : []) : [c]));
}

/** Names in a check expression: identifiers and dotted names (arg.num, dev.nvqs). */
const NAMES = /[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*/g;

/** The executable dispatch of an fd kind: requests, sequences, status bits, errnos, every name in every expression. */
function checkDispatch(vm: VersionModel, fd: M.FdKind, err: Report): void {
  const names = new Set<string>();
  for (const seq of fd.sequences) {
    if (names.has(seq.name)) err(seq.pos, 'spec-duplicate-name', `fd ${fd.name}: sequence '${seq.name}' is defined twice`, 'sequence names are unique per fd kind');
    names.add(seq.name);
  }
  const requestsOf = new Map<string, string[]>();
  const usedBy = (checks: readonly M.Check[], requests: readonly string[], depth = 0): void => {
    for (const c of checks) {
      if (c.kind !== 'use') continue;
      requestsOf.set(c.sequence, [...(requestsOf.get(c.sequence) ?? []), ...requests]);
      const seq = fd.sequences.find((s) => s.name === c.sequence);
      if (seq && depth < 8) usedBy(seq.checks, requests, depth + 1);
    }
  };
  for (const e of fd.dispatch) {
    e.requests.forEach((n, i) => {
      if (!vm.requestsByName.has(n)) err(entry(e, 'requests', i), 'spec-unknown-name', `fd ${fd.name} dispatch names unknown request '${n}'`, 'name a request defined at this version (give the entry since/until)');
    });
    usedBy(e.checks, e.requests);
    checkSteps(vm, fd, e.checks, e.requests, err);
  }
  usedBy(fd.unhandled, []);
  checkSteps(vm, fd, fd.unhandled, [], err);
  for (const seq of fd.sequences) checkSteps(vm, fd, seq.checks, requestsOf.get(seq.name) ?? [], err);
  const ids = new Set([...fd.dispatch.flatMap((e) => allChecks(fd, e.checks)), ...allChecks(fd, fd.unhandled)].map((c) => c.id));
  // A quirk's own condition reads the same names as a check.
  for (const q of fd.quirks) {
    if (q.when === undefined) continue;
    const asCheck: M.Check = { kind: 'refuse', expr: q.when, id: `quirk ${q.name}`, pos: q.pos, keys: { refuse: at(q, 'when') } };
    checkSteps(vm, fd, [asCheck], q.requests, err);
  }
  // Where the fd has no dispatch at this version, its quirks cannot point into one.
  for (const q of fd.dispatch.length ? fd.quirks : []) {
    q.checks.forEach((id, i) => {
      if (!ids.has(id)) err(entry(q, 'checks', i), 'spec-unknown-name', `quirk ${q.name} names check '${id}', which no path of fd ${fd.name} has`, `name a check of its dispatch (${[...ids].slice(0, 6).join(', ')}, ...)`);
    });
  }
}

/** One list of checks, as used by `requests` (a sequence is checked for every request that uses it). */
function checkSteps(vm: VersionModel, fd: M.FdKind, checks: readonly M.Check[], requests: readonly string[], err: Report): void {
  const bits = new Set(fd.status ? (vm.sets.get(fd.status)?.item.values.map((v) => v.name) ?? []) : []);
  const facts = new Set(fd.facts.map((f) => f.name));
  for (const c of checks) {
    if (c.kind === 'use') {
      if (!fd.sequences.some((s) => s.name === c.sequence)) err(at(c, 'use'), 'spec-unknown-name', `fd ${fd.name}: unknown sequence '${c.sequence}'`, `declare it under sequences: (known: ${fd.sequences.map((s) => s.name).join(', ') || 'none'})`);
      continue;
    }
    if (c.kind === 'fd' && c.kindError !== undefined && !ERRNO_NAMES.has(c.kindError)) err(at(c, 'kind-error'), 'spec-unknown-name', `check ${c.id}: '${c.kindError}' is not an errno name`, 'use the kernel\'s name, e.g. EINVAL');
    if (c.error !== undefined && !ERRNO_NAMES.has(c.error)) err(at(c, 'error'), 'spec-unknown-name', `check ${c.id}: '${c.error}' is not an errno name`, 'use the kernel\'s name, e.g. EINVAL, EBUSY, ENOTTY');
    if (c.kind === 'status') {
      for (const key of ['requires', 'forbids'] as const) {
        c[key].forEach((b, i) => {
          if (!bits.has(b)) err(entry(c, key, i), 'spec-unknown-name', `check ${c.id}: '${b}' is not a bit of the fd's status set${fd.status ? ` '${fd.status}'` : ''}`, 'set status: on the fd and use its bit names');
        });
      }
    }
    if (c.kind === 'read' && c.read === 'argsz') {
      for (const r of requests) if (!argszStruct(vm, r)) err(at(c, 'read'), 'spec-unknown-name', `check ${c.id}: read: argsz on ${r}, whose argument is no argsz struct with a min member`, 'use read: arg, or mark the struct argsz: true with its argsz field and the min: true field that ends its mandatory part');
    }
    if (c.kind === 'feature-filter' && c.filter === 'arg') {
      for (const r of requests) {
        const problem = argProblem(vm, r, '');
        if (problem) err(at(c, 'feature-filter'), 'spec-unknown-name', `check ${c.id}: the feature filter reads ${r}'s argument, but ${problem}`, 'filter the argument of a request that passes a feature mask (VHOST_SET_FEATURES)');
      }
    }
    if (c.kind === 'transition' && !fd.status) err(at(c, 'transition'), 'spec-unknown-name', `check ${c.id}: a status transition on an fd without a status set`, 'set status: on the fd');
    const expr = c.kind === 'refuse' || c.kind === 'accept' ? { key: c.kind, text: c.expr } : c.kind === 'fd' ? { key: 'fd', text: c.expr } : undefined;
    if (!expr) continue;
    for (const m of expr.text.matchAll(NAMES)) {
      const name = m[0];
      const before = expr.text[(m.index ?? 0) - 1] ?? '';
      if (/[0-9]/.test(before)) continue; // the xffff of 0xffff, the ULL of 1ULL
      if (name === 'owner' || name === 'status' || name === 'head' || name === 'sizeof') continue;
      if (name === 'minsz') {
        for (const r of requests) if (!argszStruct(vm, r)) err(at(c, expr.key), 'spec-unknown-name', `check ${c.id}: 'minsz' on ${r}, whose argument is no argsz struct with a min member`, 'minsz is the mandatory size of an argsz struct (VFIO); compare arg.argsz with it');
        continue;
      }
      if (name.startsWith('dev.')) {
        if (!facts.has(name.slice(4))) err(at(c, expr.key), 'spec-unknown-name', `check ${c.id}: '${name}' is not a fact of fd ${fd.name}`, `declare it under facts: (known: ${[...facts].join(', ') || 'none'})`);
        continue;
      }
      if (name === 'arg' || name.startsWith('arg.')) {
        for (const r of requests) {
          const problem = argProblem(vm, r, name.slice(4));
          if (problem) err(at(c, expr.key), 'spec-unknown-name', `check ${c.id}: '${name}' on ${r}: ${problem}`, 'name a field of the request\'s argument type');
        }
        continue;
      }
      if (vm.constants.get(name)?.value === undefined) err(at(c, expr.key), 'spec-unknown-name', `check ${c.id}: unknown name '${name}'`, 'use owner, status, head, arg, arg.FIELD, dev.FACT or a constant defined at this version');
    }
  }
}

/** Whether a request's argument is an argsz struct: an argsz field and a min field (VFIO). */
function argszStruct(vm: VersionModel, request: string): boolean {
  const t = vm.requestsByName.get(request)?.item.argType;
  if (t?.kind !== 'struct') return false;
  const members = vm.aggregates.get(`struct ${t.tag}`)?.item.members ?? [];
  return members.some((m) => m.kind === 'field' && m.argsz) && members.some((m) => m.kind === 'field' && m.min);
}

/** Why `arg` (field '') or `arg.FIELD` cannot be read for a request, or undefined. */
function argProblem(vm: VersionModel, request: string, field: string): string | undefined {
  const r = vm.requestsByName.get(request);
  if (!r) return undefined; // reported as an unknown request
  const t = r.item.argType;
  if (!t) return 'the request takes no argument';
  if (field === '') return t.kind === 'prim' ? undefined : `its argument is ${r.item.arg}, not a scalar`;
  if (t.kind !== 'struct' && t.kind !== 'union') return `its argument ${r.item.arg} has no fields`;
  const l = vm.aggregateLayout(ABIS[0] as (typeof ABIS)[number], `${t.kind} ${t.tag}`);
  const f = l.fields.find((x) => x.path === field);
  if (!f) return `${r.item.arg} has no field '${field}'`;
  if (f.field.kind !== 'field' || f.count !== undefined || !parseCType(f.field.type)) return `${r.item.arg}.${field} is not a scalar`;
  return undefined;
}

/** flags:, values:, flag-gate: and counted-by: on the fields of every struct and union. */
function checkFieldReferences(vm: VersionModel, f: M.Family, err: Report): void {
  for (const a of walkDefinitions(f.items)) {
    if (a.kind !== 'struct' && a.kind !== 'union') continue;
    const owner = `${a.kind} ${a.tag ?? a.name ?? '(anonymous)'}`;
    const siblings = new Map(a.members.filter((m): m is M.FieldMember => m.kind === 'field').map((m) => [m.name, m]));
    for (const m of siblings.values()) {
      const where = `${owner}.${m.name}`;
      // A flags field names its bits as masks (flags:) or as bit numbers (features:).
      const bits = m.flags === undefined ? undefined : vm.sets.get(m.flags)?.item.set;
      if (m.flags !== undefined && bits !== 'flags' && bits !== 'features') {
        err(at(m, 'flags'), 'spec-unknown-name', `${where}: '${m.flags}' is not a flags or features set`, `name a flags: set (known: ${setIds(vm, 'flags')})`);
      }
      if (m.values !== undefined && vm.sets.get(m.values)?.item.set !== 'values') {
        err(at(m, 'values'), 'spec-unknown-name', `${where}: '${m.values}' is not a value set`, `name a set: of values (known: ${setIds(vm, 'values')})`);
      }
      if (m.flagGate !== undefined && vm.constants.get(m.flagGate)?.value === undefined) {
        err(at(m, 'flag-gate'), 'spec-unknown-name', `${where}: flag-gate '${m.flagGate}' is not a constant at this version`, 'name the flag that says this field is valid');
      }
      if (m.countedBy !== undefined) {
        const counter = siblings.get(m.countedBy);
        if (!counter) err(at(m, 'counted-by'), 'spec-unknown-name', `${where}: counted-by '${m.countedBy}' is not a field of ${owner}`, `name a field of ${owner} (${[...siblings.keys()].join(', ')})`);
        else if (counter.ctype.kind !== 'prim' || counter.dims.length > 0) err(at(m, 'counted-by'), 'spec-type', `${where}: counted-by '${m.countedBy}' is not an integer field`, 'the counter must be a scalar integer field');
      }
    }
  }
}

function setIds(vm: VersionModel, kind: M.SetKind): string {
  const ids = [...vm.sets.values()].filter((s) => s.item.set === kind).map((s) => s.item.id).sort();
  return ids.length > 8 ? `${ids.slice(0, 8).join(', ')}, ...` : ids.join(', ') || 'none';
}

/**
 * A since/until that leaves something alive at no checked version: an empty range
 * (since >= until), or one that no checked version falls in. Nested things must also
 * overlap the life of what holds them.
 */
export function checkLifetimes(model: M.SpecModel, checked: readonly Version[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const visit = (x: Lifetime & M.Located, what: string, within: readonly Version[]): Version[] => {
    if (x.since === undefined && x.until === undefined) return [...within];
    const pos = x.keys.since ?? x.keys.until ?? x.pos;
    if (x.since !== undefined && x.until !== undefined && compareVersions(x.since, x.until) >= 0) {
      out.push({ ...pos, severity: 'error', rule: 'spec-empty-lifetime', message: `${what}: since ${x.since} is not before until ${x.until}`, hint: 'since is the first version with the item, until the first without it' });
      return [];
    }
    const live = within.filter((v) => isLive(x, v));
    if (live.length === 0 && within.length > 0) {
      out.push({ ...pos, severity: 'error', rule: 'spec-dead-item', message: `${what} is alive at no checked version (since ${x.since ?? '-'}, until ${x.until ?? '-'}; checked: ${within.join(', ')})`, hint: 'fix since/until, or add the version to project.yaml versions' });
    }
    return live;
  };
  const members = (list: readonly M.Member[], within: readonly Version[]): void => {
    for (const m of list) {
      const live = visit(m, describe(m), within);
      if (m.kind === 'struct' || m.kind === 'union') members(m.members, live);
      if (m.kind === 'set') for (const v of m.values) visit(v, v.name, live);
    }
  };
  for (const f of model.families) {
    const life = visit(f, `family ${f.name}`, checked);
    for (const i of f.items) {
      const live = visit(i, describe(i), life);
      if (i.kind === 'struct' || i.kind === 'union') members(i.members, live);
      if (i.kind === 'set' || i.kind === 'enum') for (const v of i.values) visit(v, v.name, live);
    }
    for (const fd of f.fds) {
      const live = visit(fd, `fd ${fd.name}`, life);
      for (const r of fd.rules) visit(r, `a rule of fd ${fd.name}`, live);
      for (const q of fd.quirks) visit(q, `quirk ${q.name}`, live);
    }
    for (const d of f.devices) {
      const live = visit(d, `device ${d.name}`, life);
      for (const r of d.rules) visit(r, `a rule of device ${d.name}`, live);
    }
    for (const s of f.requestSets) visit(s, `request set ${s.name}`, life);
    for (const c of f.channels) visit(c, `channel ${c.name}`, life);
    for (const s of f.suppressions) visit(s, `suppression of ${s.rule} for ${s.item}`, life);
  }
  return out;
}

function describe(x: M.Item | M.Member): string {
  switch (x.kind) {
    case 'include':
      return `include ${x.path}`;
    case 'struct':
    case 'union':
      return `${x.kind} ${x.tag ?? x.name ?? '(anonymous)'}`;
    case 'set':
      return `set ${x.id}`;
    case 'enum':
      return `enum ${x.tag ?? '(anonymous)'}`;
    case 'raw':
      return 'raw block';
    case 'field':
    case 'define':
    case 'macro':
    case 'request':
      return x.name;
  }
}
