// The cross-transport view of one version: each operation the vhost ioctls, VDUSE requests and
// a socket protocol's messages (vhost-user) share, where each transport has it (kernel version or
// protocol feature), with which payload, and whether the payload layouts agree on every ABI.
// Operations come from the messages' `operation:` links; ioctls, VDUSE requests and messages that
// no link names are operations of one transport only.
import { ABIS, type Abi } from './abi.ts';
import type { AggregateLayout } from './layout.ts';
import type * as M from './types.ts';
import type { AbiView, Request } from './view.ts';

export type TransportName = 'vhost' | 'vduse' | 'vhost-user';

/** One transport's form of an operation. */
export interface TransportSide {
  readonly transport: TransportName;
  /** The ioctl, the VDUSE request type or the message. */
  readonly name: string;
  /** Who starts it: the ioctl caller, the kernel (VDUSE asks the userspace device), or a vhost-user side. */
  readonly sender: 'caller' | 'kernel' | 'front-end' | 'back-end';
  /** First kernel version that has it (absent: the oldest listed version already has it, or a protocol without kernel versions). */
  readonly since?: string;
  /** The protocol feature bit the message needs first. */
  readonly protocolFeature?: string;
  /** First QEMU release with the message, where the spec says. */
  readonly qemu?: string;
  /** The payload type the operation's data travels in (a key or C spelling for view.layout); absent: none. */
  readonly payload?: string;
}

/** Payload sizes and shapes that differ between transports on some ABIs. */
export interface PayloadDrift {
  readonly abis: readonly string[];
  /** Per side (same order as sides): the payload's shape on the first of those ABIs. */
  readonly shapes: readonly string[];
}

export interface OperationRow {
  /** The operation's key: the linked ioctl, else the VDUSE request, else the message. */
  readonly operation: string;
  readonly sides: readonly TransportSide[];
  readonly transports: readonly TransportName[];
  /** What the spec says differs between the transports (from the message's link). */
  readonly differences?: string;
  /** The declared reason the payloads differ. */
  readonly payloadDiffers?: string;
  /** Where the payload layouts disagree (undefined: they agree on every ABI, or only one transport has it). */
  readonly drift?: PayloadDrift;
  /** The message whose link made the row, for findings and positions. */
  readonly message?: M.Message;
}

export interface TransportReport {
  readonly version: string;
  readonly transports: readonly TransportName[];
  readonly operations: readonly OperationRow[];
}

/**
 * A payload's shape on one ABI: its size and the offset and size of every scalar it holds
 * (nested structs and array elements flattened, a flexible array as its element's shape with
 * `[]`). Field names are not part of it: two payloads agree when the bytes sit in the same places.
 */
export function payloadShape(view: AbiView, abi: Abi, type: string | undefined): string {
  if (type === undefined) return 'none';
  const r = view.layout(abi, type);
  if (!r.ok) return `? (${r.error})`;
  if (r.layout.fields.length === 0) return `${r.layout.size}`;
  return `${r.layout.size}{${leaves(view, abi, r.layout, 0).join(',')}}`;
}

function leaves(view: AbiView, abi: Abi, layout: AggregateLayout, base: number): string[] {
  const out: string[] = [];
  for (const f of layout.fields) {
    const m = f.field;
    const offset = base + f.offset;
    const inner = m.kind === 'field' && (m.ctype.kind === 'struct' || m.ctype.kind === 'union') ? view.layout(abi, `${m.ctype.kind} ${m.ctype.tag}`) : undefined;
    const element = inner?.ok ? `{${leaves(view, abi, inner.layout, 0).join(',')}}` : undefined;
    if (f.count === 0) out.push(`${offset}:${element ?? f.size}[]`);
    else if (f.count !== undefined) out.push(`${offset}:${element ?? f.size / f.count}x${f.count}`);
    else if (element) out.push(...leaves(view, abi, (inner as { ok: true; layout: AggregateLayout }).layout, offset));
    else out.push(`${offset}:${f.size}`);
  }
  return out;
}

function ioctlSide(view: AbiView, r: Request): TransportSide {
  return { transport: 'vhost', name: r.item.name, sender: 'caller', ...(r.item.since ? { since: r.item.since } : {}), ...(r.item.arg ? { payload: r.item.arg } : {}) };
}

function vduseSide(view: AbiView, request: string, payload: string | undefined): TransportSide | undefined {
  const c = view.constant(request);
  if (!c) return undefined;
  const since = ('since' in c.item ? c.item.since : undefined) ?? view.families.find((f) => f.name === c.family)?.since;
  return { transport: 'vduse', name: request, sender: 'kernel', ...(since ? { since } : {}), ...(payload ? { payload } : {}) };
}

function messageSide(m: M.Message): TransportSide {
  const payload = m.payload ?? m.replyPayload;
  return {
    transport: 'vhost-user', name: m.name, sender: m.sender,
    ...(m.protocolFeature ? { protocolFeature: m.protocolFeature } : {}), ...(m.qemu ? { qemu: m.qemu } : {}), ...(payload ? { payload } : {}),
  };
}

/** Shapes per side on each ABI; the ABIs where not all sides agree, grouped by their disagreement. */
function driftOf(view: AbiView, sides: readonly TransportSide[]): PayloadDrift | undefined {
  if (sides.length < 2) return undefined;
  const abis: string[] = [];
  let shapes: string[] | undefined;
  for (const abi of ABIS) {
    const s = sides.map((side) => payloadShape(view, abi, side.payload));
    if (new Set(s).size > 1) {
      abis.push(abi.name);
      shapes ??= s;
    }
  }
  return shapes ? { abis, shapes } : undefined;
}

/** The cross-transport report at this view's version. */
export function transportReport(view: AbiView): TransportReport {
  const rows = new Map<string, { sides: TransportSide[]; message?: M.Message; differences?: string; payloadDiffers?: string }>();
  const linkedIoctls = new Set<string>();
  const linkedVduse = new Set<string>();
  const ioctlFamilies = new Set<string>();
  const vduseSets = new Set<M.SetItem | M.EnumItem>();
  for (const { item: m } of view.messages) {
    const link = m.operation;
    // Keyed by the ioctl, else the VDUSE request, where this version has them; else by the message.
    const ioctl = link?.ioctl ? view.request(link.ioctl) : undefined;
    const vduse = link?.vduse && view.constant(link.vduse.request) ? link.vduse.request : undefined;
    const key = ioctl?.item.name ?? vduse ?? m.name;
    let row = rows.get(key);
    if (!row) {
      row = { sides: [] };
      rows.set(key, row);
      if (ioctl) row.sides.push(ioctlSide(view, ioctl));
      if (link?.vduse) {
        const v = vduseSide(view, link.vduse.request, link.vduse.payload);
        if (v) row.sides.push(v);
      }
    }
    row.sides.push(messageSide(m));
    if (link) {
      row.message ??= m;
      row.differences ??= link.differences;
      row.payloadDiffers ??= link.payloadDiffers;
      if (link.ioctl) {
        linkedIoctls.add(link.ioctl);
        const fam = view.request(link.ioctl)?.family;
        if (fam) ioctlFamilies.add(fam);
      }
      if (link.vduse) {
        linkedVduse.add(link.vduse.request);
        const set = view.constant(link.vduse.request)?.set;
        if (set) vduseSets.add(set);
      }
    }
  }
  // What no message links: operations of one transport only.
  for (const r of view.requests) {
    if (ioctlFamilies.has(r.family) && !linkedIoctls.has(r.item.name)) rows.set(r.item.name, { sides: [ioctlSide(view, r)] });
  }
  for (const set of vduseSets) {
    for (const v of set.values) {
      if (linkedVduse.has(v.name)) continue;
      const side = vduseSide(view, v.name, undefined);
      if (side) rows.set(v.name, { sides: [side] });
    }
  }
  const operations: OperationRow[] = [...rows].map(([operation, r]) => {
    const drift = driftOf(view, r.sides);
    return {
      operation, sides: r.sides, transports: [...new Set(r.sides.map((s) => s.transport))],
      ...(r.differences ? { differences: r.differences } : {}), ...(r.payloadDiffers ? { payloadDiffers: r.payloadDiffers } : {}),
      ...(drift ? { drift } : {}), ...(r.message ? { message: r.message } : {}),
    };
  });
  operations.sort((a, b) => b.transports.length - a.transports.length || a.operation.localeCompare(b.operation));
  const transports = (['vhost', 'vduse', 'vhost-user'] as const).filter((t) => operations.some((o) => o.transports.includes(t)));
  return { version: view.version, transports, operations };
}
