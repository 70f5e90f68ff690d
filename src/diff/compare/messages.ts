// Socket protocol messages (vhost-user): codes and senders, payload and reply sizes per ABI, who
// replies, the file descriptors carried, the protocol feature that gates a message, and the
// operation it shares with an ioctl. Protocol feature bits and header flags are constants and
// sets, compared with the other constants; the wire structs are types.
import type { SnapshotMessage } from '../../model/index.ts';
import { splitKeys, type PairContext } from '../context.ts';
import type { Witness } from '../types.ts';

const codeOf = (m: SnapshotMessage): string => `${m.protocol} ${m.sender} ${m.code}`;
const fdText = (f: { min: number; max: number }): string => (f.min === f.max ? String(f.max) : `${f.min}-${f.max}`);
const replyText = (m: SnapshotMessage): string => (m.reply === 'with-feature' ? `with ${m.replyFeature ?? '?'}` : m.reply);

export function compareMessages(ctx: PairContext): void {
  const b = ctx.base.messages ?? {};
  const h = ctx.head.messages ?? {};
  const { removed, common, added } = splitKeys(b, h);
  // A removed and an added message with the same protocol, sender and code: a rename.
  const renamed = new Map<string, string>();
  for (const old of removed) {
    const to = added.find((n) => ![...renamed.values()].includes(n) && codeOf(h[n] as SnapshotMessage) === codeOf(b[old] as SnapshotMessage));
    if (to) renamed.set(old, to);
  }
  for (const [old, to] of renamed) {
    ctx.add({ rule: 'message-renamed', item: old, message: `${old} is now ${to} (${codeOf(h[to] as SnapshotMessage)})`, baseAt: b[old]?.at, headAt: h[to]?.at, witnesses: [{ old, new: to }] });
    compareOne(ctx, old, b[old] as SnapshotMessage, h[to] as SnapshotMessage);
  }
  for (const name of removed) {
    if (renamed.has(name)) continue;
    const m = b[name] as SnapshotMessage;
    ctx.add({ rule: 'message-removed', item: name, message: `${name} (${codeOf(m)}) was removed`, baseAt: m.at, tombstoneOf: { section: 'messages', key: name } });
  }
  for (const name of added) {
    if ([...renamed.values()].includes(name)) continue;
    const m = h[name] as SnapshotMessage;
    ctx.add({ rule: 'message-added', item: name, message: `${name} (${codeOf(m)}) was added${m.protocolFeature ? `, gated by ${m.protocolFeature}` : ''}`, headAt: m.at });
  }
  for (const name of common) if (!ctx.unchanged('messages', name)) compareOne(ctx, name, b[name] as SnapshotMessage, h[name] as SnapshotMessage);
}

function compareOne(ctx: PairContext, name: string, o: SnapshotMessage, n: SnapshotMessage): void {
  const at = { baseAt: o.at, headAt: n.at };
  if (o.code !== n.code || o.sender !== n.sender) {
    ctx.add({ rule: 'message-code-changed', item: name, message: `${name}: ${o.sender} ${o.code} -> ${n.sender} ${n.code}`, ...at, witnesses: [{ old: `${o.sender} ${o.code}`, new: `${n.sender} ${n.code}` }] });
  }
  for (const part of ['payload', 'reply'] as const) {
    const type = (m: SnapshotMessage): string | undefined => (part === 'payload' ? m.payload : m.replyPayload);
    const moved: Witness[] = [];
    for (const abi of ctx.abis) {
      const ob = o.size[abi]?.[part] ?? 0;
      const nb = n.size[abi]?.[part] ?? 0;
      if (ob !== nb || (type(o) === undefined) !== (type(n) === undefined)) moved.push({ abi, old: `${type(o) ?? 'none'} ${ob} bytes`, new: `${type(n) ?? 'none'} ${nb} bytes` });
    }
    const what = part === 'payload' ? 'request payload' : 'reply payload';
    if (moved.length) {
      ctx.add({ rule: 'message-payload-changed', item: name, abis: moved.map((w) => w.abi as string), message: `${name}: the ${what} is now ${type(n) ?? 'none'} (was ${type(o) ?? 'none'}); ${moved[0]?.old} -> ${moved[0]?.new} on ${moved[0]?.abi}`, ...at, witnesses: moved });
    } else if (type(o) !== type(n)) {
      ctx.add({ rule: 'message-payload-renamed', item: name, message: `${name}: the ${what} is now ${type(n) ?? 'none'} (was ${type(o) ?? 'none'}), the same size on every ABI`, ...at, witnesses: [{ old: type(o) ?? 'none', new: type(n) ?? 'none' }] });
    }
  }
  if (replyText(o) !== replyText(n)) {
    ctx.add({ rule: 'message-reply-changed', item: name, message: `${name}: the receiver replies ${replyText(n)} (was ${replyText(o)})`, ...at, witnesses: [{ old: replyText(o), new: replyText(n) }] });
  }
  for (const [key, label] of [['fds', 'request'], ['replyFds', 'reply']] as const) {
    if (fdText(o[key]) !== fdText(n[key])) ctx.add({ rule: 'message-fds-changed', item: name, message: `${name}: the ${label} carries ${fdText(n[key])} fd(s) (was ${fdText(o[key])})`, ...at, witnesses: [{ old: fdText(o[key]), new: fdText(n[key]) }] });
  }
  if (o.protocolFeature !== n.protocolFeature) {
    if (n.protocolFeature) ctx.add({ rule: 'message-gated', item: name, message: `${name} now needs ${n.protocolFeature}${o.protocolFeature ? ` (was ${o.protocolFeature})` : ''}`, ...at, witnesses: [{ old: o.protocolFeature ?? 'none', new: n.protocolFeature }] });
    else ctx.add({ rule: 'message-ungated', item: name, message: `${name} no longer needs ${o.protocolFeature}`, ...at, witnesses: [{ old: o.protocolFeature ?? 'none', new: 'none' }] });
  }
  const link = (m: SnapshotMessage): string => [m.operation?.ioctl ?? '-', m.operation?.vduse ?? '-'].join(' / ');
  if (link(o) !== link(n)) ctx.add({ rule: 'message-link-changed', item: name, message: `${name} now shares its operation with ${link(n)} (was ${link(o)})`, ...at, witnesses: [{ old: link(o), new: link(n) }] });
}
