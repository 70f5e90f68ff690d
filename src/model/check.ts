// Cross-references that the schema cannot see: scopes, profiles, rules and channels
// must name things that exist at every version they claim to live in.
import type { Diagnostic, Position } from '../diagnostics.ts';
import type { VersionModel } from './project.ts';
import type * as M from './types.ts';

export function checkReferences(vm: VersionModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err = (pos: Position, rule: string, message: string, hint: string): void => {
    out.push({ ...pos, severity: 'error', rule, message: `${message} (at ${vm.version})`, hint });
  };
  const fds = new Map<string, M.FdKind>();
  const requestSets = new Map<string, M.RequestSet>();
  for (const f of vm.families) {
    for (const fd of f.fds) fds.set(fd.name, fd);
    for (const s of f.requestSets) requestSets.set(s.name, s);
  }
  const requestNames = new Set(vm.requests.map((r) => r.item.name));
  const constOf = (name: string, kind?: string): boolean => {
    const c = vm.constants.get(name);
    return c !== undefined && (kind === undefined || c.kind === kind);
  };
  const statusBits = (fd: M.FdKind | undefined): Set<string> => {
    const set = fd?.status ? vm.sets.get(fd.status)?.item : undefined;
    return new Set(set?.values.map((v) => v.name) ?? []);
  };
  const checkRules = (rules: readonly M.StatusRule[], fd: M.FdKind | undefined): void => {
    const bits = statusBits(fd);
    for (const r of rules) {
      for (const q of r.requests) if (!requestNames.has(q)) err(r.pos, 'spec-unknown-name', `rule names unknown request '${q}'`, 'name a request defined at this version');
      for (const b of [...r.requires, ...r.forbids]) {
        if (!bits.has(b)) err(r.pos, 'spec-unknown-name', `rule names '${b}', not a bit of the fd's status set${fd?.status ? ` '${fd.status}'` : ''}`, 'set status: on the fd and use its bit names');
      }
    }
  };
  for (const f of vm.families) {
    for (const r of vm.requests.filter((x) => x.family === f.name)) {
      for (const s of r.item.scope) if (!fds.has(s)) err(r.item.pos, 'spec-unknown-name', `request ${r.item.name}: unknown fd kind '${s}' in scope`, `declare it under fds: (known: ${[...fds.keys()].sort().join(', ') || 'none'})`);
    }
    for (const fd of f.fds) {
      if (fd.status && !vm.sets.has(fd.status)) err(fd.pos, 'spec-unknown-name', `fd ${fd.name}: unknown status set '${fd.status}'`, 'name a status: set');
      checkRules(fd.rules, fd);
      for (const q of fd.quirks) for (const n of q.requests) if (!requestNames.has(n)) err(q.pos, 'spec-unknown-name', `quirk ${q.name} names unknown request '${n}'`, 'name a request defined at this version');
    }
    for (const s of f.requestSets) for (const n of s.requests) if (!requestNames.has(n)) err(s.pos, 'spec-unknown-name', `request set ${s.name} names unknown request '${n}'`, 'name a request defined at this version');
    for (const d of f.devices) {
      const fd = fds.get(d.fd);
      if (!fd) err(d.pos, 'spec-unknown-name', `device ${d.name}: unknown fd kind '${d.fd}'`, 'declare it under fds:');
      if (d.deviceId && !constOf(d.deviceId)) err(d.pos, 'spec-unknown-name', `device ${d.name}: unknown device id '${d.deviceId}'`, 'name a VIRTIO_ID_* constant');
      for (const s of d.requestSets) if (!requestSets.has(s)) err(d.pos, 'spec-unknown-name', `device ${d.name}: unknown request set '${s}'`, 'declare it under request-sets:');
      for (const n of d.requests) if (!requestNames.has(n)) err(d.pos, 'spec-unknown-name', `device ${d.name}: unknown request '${n}'`, 'name a request defined at this version');
      for (const s of d.features) if (vm.sets.get(s)?.item.set !== 'features') err(d.pos, 'spec-unknown-name', `device ${d.name}: '${s}' is not a feature set`, 'name a features: set');
      for (const b of [...(d.featureBlacklist ?? []), ...(d.featureAllowlist ?? [])]) {
        if (!constOf(b, 'features') && !constOf(b, 'define') && !constOf(b, 'external')) err(d.pos, 'spec-unknown-name', `device ${d.name}: unknown feature bit '${b}'`, 'name a bit of a features: set');
      }
      checkRules(d.rules, fd);
    }
    for (const c of f.channels) {
      for (const n of c.fds) if (!fds.has(n)) err(c.pos, 'spec-unknown-name', `channel ${c.name}: unknown fd kind '${n}'`, 'declare it under fds:');
      for (const r of c.records) {
        if ((r.ctype.kind === 'struct' || r.ctype.kind === 'union') && !vm.aggregates.has(`${r.ctype.kind} ${r.ctype.tag}`)) {
          err(c.pos, 'spec-unknown-type', `channel ${c.name}: ${r.type} is not defined`, 'define the record type');
        }
      }
    }
  }
  return out;
}
