// References of socket-protocol families (vhost-user): the protocol's header, flags and feature
// sets, each message's payload types, feature gates, fd counts and codes, wire structs that are
// packed, and the operation links to vhost ioctls and VDUSE requests. Links are checked across
// versions: a VDUSE request exists only from 6.1 on, so a link is wrong only when its name
// exists at no checked version.
import type { Diagnostic, Position } from '../diagnostics.ts';
import { ABIS, type Abi } from './abi.ts';
import { parseCType } from './ctype.ts';
import { LayoutError } from './layout.ts';
import { at, walkDefinitions, type VersionModel } from './project.ts';
import type * as M from './types.ts';

type Report = (pos: Position, rule: string, message: string, hint: string) => void;

/** Whether a payload spelling lays out at this version (a struct key or a C type). */
function typeResolves(vm: VersionModel, type: string): boolean {
  const t = parseCType(type);
  if (!t) return false;
  if ((t.kind === 'struct' || t.kind === 'union') && !vm.aggregates.has(`${t.kind} ${t.tag}`)) return false;
  try {
    vm.typeLayout(ABIS[0] as Abi, t);
    return true;
  } catch (e) {
    if (e instanceof LayoutError) return false;
    throw e;
  }
}

/** Per version: everything a message names inside its own protocol. */
export function checkMessages(vm: VersionModel, err: Report): void {
  for (const f of vm.families) {
    if (f.wire) checkWirePacked(f, err);
    if (f.wire && f.header) err(at(f, 'header'), 'spec-conflicting-keys', `wire family ${f.name} names a UAPI header`, 'a wire family describes a protocol, not a kernel header: drop header: (or wire:)');
    if (f.messages.length > 0 && !f.protocol) err(at(f, 'messages'), 'spec-unknown-name', `family ${f.name} has messages but no protocol:`, 'describe the protocol (header, flags, features) under protocol:');
    const p = f.protocol;
    if (!p) continue;
    const set = (id: string, kind: M.SetKind, key: string): ReadonlySet<string> => {
      const s = vm.sets.get(id);
      if (!s || s.item.set !== kind) {
        err(at(p, key), 'spec-unknown-name', `protocol ${p.name}: '${id}' is not a ${kind} set`, `name a ${kind}: set of the spec`);
        return new Set();
      }
      return new Set(s.item.values.map((v) => v.name));
    };
    const features = set(p.features, 'features', 'features');
    const flags = set(p.flags, 'flags', 'flags');
    if (!typeResolves(vm, p.header)) err(at(p, 'header'), 'spec-unknown-type', `protocol ${p.name}: header ${p.header} is not defined`, 'define the header struct in this family');
    if (p.ackFeature && !features.has(p.ackFeature)) err(at(p, 'ack-feature'), 'spec-unknown-name', `protocol ${p.name}: '${p.ackFeature}' is not a bit of ${p.features}`, 'name a protocol feature bit');
    if (p.needReply && !flags.has(p.needReply)) err(at(p, 'need-reply'), 'spec-unknown-name', `protocol ${p.name}: '${p.needReply}' is not a flag of ${p.flags}`, 'name a header flag');
    const codes = new Map<string, string>();
    for (const m of f.messages) {
      const key = `${m.sender}:${m.code}`;
      const first = codes.get(key);
      if (first) err(at(m, 'code'), 'spec-duplicate-name', `message ${m.name}: code ${m.code} of the ${m.sender} is also ${first}`, 'front-end and back-end messages number separately; within one side each code is one message');
      else codes.set(key, m.name);
      for (const [k, type] of [['payload', m.payload], ['reply-payload', m.replyPayload]] as const) {
        if (type !== undefined && !typeResolves(vm, type)) err(at(m, k), 'spec-unknown-type', `message ${m.name}: ${k} ${type} is not defined`, 'name a type of this family or of one it imports');
      }
      for (const [k, name] of [['protocol-feature', m.protocolFeature], ['reply-feature', m.replyFeature]] as const) {
        if (name !== undefined && !features.has(name)) err(at(m, k), 'spec-unknown-name', `message ${m.name}: '${name}' is not a bit of ${p.features}`, 'name a protocol feature bit');
      }
      if (m.reply === 'with-feature' && !m.replyFeature) err(at(m, 'reply'), 'spec-unknown-name', `message ${m.name}: reply with-feature needs reply-feature:`, 'name the protocol feature that makes the receiver reply');
      for (const [k, fds] of [['fds', m.fds], ['reply-fds', m.replyFds]] as const) {
        if (fds.min > fds.max) err(at(m, k), 'spec-out-of-range', `message ${m.name}: ${k} min ${fds.min} is above max ${fds.max}`, 'give min <= max');
        else if (p.maxFds !== undefined && fds.max > p.maxFds) err(at(m, k), 'spec-out-of-range', `message ${m.name}: ${k} max ${fds.max} is above the protocol's max-fds ${p.maxFds}`, 'a message carries at most max-fds descriptors');
      }
      const link = m.operation;
      const vduse = link?.vduse;
      // The VDUSE side is checked where VDUSE exists; its payload must then lay out.
      if (vduse && vm.constants.has(vduse.request) && !typeResolves(vm, vduse.payload)) err(at(link as M.OperationLink, 'vduse'), 'spec-unknown-type', `message ${m.name}: VDUSE payload ${vduse.payload} is not defined`, 'name the member type of struct vduse_dev_request that carries the request');
    }
  }
}

/** Wire structs must be packed: their layout is then one and the same on every ABI. */
function checkWirePacked(f: M.Family, err: Report): void {
  for (const d of walkDefinitions(f.items)) {
    if ((d.kind === 'struct' || d.kind === 'union') && !d.packed) {
      err(at(d, d.kind), 'spec-wire-not-packed', `${d.kind} ${d.tag ?? '(anonymous)'} of wire family ${f.name} is not packed`, 'add packed: true (a wire format has no ABI padding; spell padding as a field)');
    }
  }
}

/** Across versions: a link names an ioctl and a VDUSE request that exist at some checked version. */
export function checkMessageLinks(model: M.SpecModel, vms: readonly VersionModel[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const err: Report = (pos, rule, message, hint) => out.push({ ...pos, severity: 'error', rule, message, hint });
  for (const f of model.families) {
    for (const m of f.messages) {
      const link = m.operation;
      if (!link) continue;
      if (!link.ioctl && !link.vduse) err(link.pos, 'spec-unknown-name', `message ${m.name}: operation links neither an ioctl nor a VDUSE request`, 'give ioctl: or vduse:, or drop operation:');
      if (link.ioctl && !vms.some((vm) => vm.requestsByName.has(link.ioctl as string))) {
        err(at(link, 'ioctl'), 'spec-unknown-name', `message ${m.name}: '${link.ioctl}' is not a request at any checked version`, 'name a vhost ioctl of the spec');
      }
      const vduse = link.vduse;
      if (vduse && !vms.some((vm) => vm.constants.get(vduse.request)?.set?.kind === 'enum')) {
        err(at(link, 'vduse'), 'spec-unknown-name', `message ${m.name}: '${vduse.request}' is not a VDUSE request type at any checked version`, 'name a value of enum vduse_req_type');
      }
    }
  }
  return out;
}
