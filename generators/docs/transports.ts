// docs/transports.md: the cross-transport report (vhost ioctls, VDUSE requests, vhost-user
// messages) at the generated version, and every message of each socket protocol. The report is
// the model's (transportReport); this page only prints it.
import { ABIS, transportReport, type AbiView, type Message, type MessageFds, type TransportSide } from '../../src/model/index.ts';
import { cell, code, table } from './markdown.ts';

const gate = (s: TransportSide): string =>
  s.transport === 'vhost-user' ? [s.protocolFeature ? code(s.protocolFeature) : 'no protocol feature', s.qemu ? `QEMU ${s.qemu}` : ''].filter(Boolean).join(', ') : s.since ? `kernel ${s.since}` : 'every listed kernel';

const side = (s: TransportSide | undefined): string => (s ? `${code(s.name)}<br>${s.payload ? code(s.payload) : 'no payload'}<br>${gate(s)}` : '—');

const fds = (f: MessageFds): string => (f.max === 0 ? '' : f.min === f.max ? String(f.max) : `${f.min}–${f.max}`) + (f.doc ? ` (${cell(f.doc)})` : '');

function reply(m: Message): string {
  if (m.reply === 'always') return `always${m.replyPayload ? `: ${code(m.replyPayload)}` : ''}`;
  if (m.reply === 'with-feature') return `with ${code(m.replyFeature ?? '')}${m.replyPayload ? `: ${code(m.replyPayload)}` : ''}; else ack`;
  return 'ack (need-reply)';
}

export function transportsPage(view: AbiView): { path: string; sources: string[]; body: string } {
  const r = transportReport(view);
  const families = new Set(view.messages.map((m) => m.family));
  for (const o of r.operations) {
    for (const s of o.sides) {
      if (s.transport !== 'vhost-user') families.add(s.transport === 'vhost' ? view.request(s.name)?.family ?? '' : view.constant(s.name)?.family ?? '');
      if (s.payload) families.add(view.types.get(s.payload)?.family ?? '');
    }
  }
  const sources = view.families.filter((f) => families.has(f.name)).map((f) => f.file);
  const shared = r.operations.filter((o) => o.transports.length > 1);
  const single = r.operations.filter((o) => o.transports.length === 1);
  const out: string[] = [
    '# Operations across transports',
    '',
    `The same virtqueue and device operations reach a device through three transports: vhost ioctls on a vhost fd (the caller asks the kernel), VDUSE requests (the kernel asks a userspace device, from 6.1) and vhost-user messages over a unix socket (a front-end asks a back-end process). This page is the model's report at kernel ${r.version} (\`ioctl-abi transports --at ${r.version}\`): which transport has each operation, since which kernel version or vhost-user protocol feature, with which payload, and where the payloads differ. vhost-user has no kernel versions: it is present at every version, gated by protocol features (QEMU releases are noted where a message is newer than QEMU 7.2).`,
    '',
    `Payload shapes are \`size{offset:size,...}\` on an ABI (nested structs flattened, \`[]\` a flexible array): two payloads agree when their bytes sit in the same places. A difference must be declared in the spec (\`payload-differs:\`); the lint rule \`transport-payload-drift\` reports one that is not.`,
    '',
    `## Shared operations (${shared.length})`,
    '',
    ...table(['operation', 'vhost ioctl', 'VDUSE request', 'vhost-user message', 'payloads'], shared.map((o) => [
      code(o.operation),
      side(o.sides.find((s) => s.transport === 'vhost')),
      side(o.sides.find((s) => s.transport === 'vduse')),
      o.sides.filter((s) => s.transport === 'vhost-user').map((s) => side(s)).join('<br>'),
      o.drift ? `differ on ${o.drift.abis.length === ABIS.length ? 'every ABI' : o.drift.abis.join(', ')}: ${o.drift.shapes.map(code).join(' vs ')}${o.payloadDiffers ? `<br>${cell(o.payloadDiffers)}` : '<br>**no reason declared**'}` : 'same layout',
    ])),
    '',
    '### What differs',
    '',
    ...shared.filter((o) => o.differences).flatMap((o) => [`- ${code(o.operation)}: ${cell(o.differences)}`]),
    '',
    `## On one transport only (${single.length})`,
    '',
    ...table(['transport', 'operation', 'payload', 'where'], single.map((o) => {
      const s = o.sides[0] as TransportSide;
      return [s.transport, code(s.name), s.payload ? code(s.payload) : 'no payload', gate(s)];
    })),
  ];
  for (const [name, p] of view.protocols) {
    const messages = view.messages.filter((m) => m.protocol === name).map((m) => m.item);
    out.push('', `## ${name} messages (${messages.length})`, '', cell(p.item.doc), '', `Header: ${code(p.item.header)}; flags ${code(p.item.flags)}; protocol features ${code(p.item.features)}${p.item.ackFeature ? `; ${code(p.item.ackFeature)} lets the sender ask any message for an ack with ${code(p.item.needReply ?? '')}` : ''}.`, '');
    out.push(...table(['code', 'message', 'sender', 'payload', 'reply', 'fds', 'reply fds', 'protocol feature', 'linked'], messages.map((m) => [
      String(m.code), code(m.name), m.sender,
      m.payload ? code(m.payload) : m.payloadOpaque ? `not laid out: ${cell(m.payloadOpaque)}` : '',
      reply(m), fds(m.fds), fds(m.replyFds),
      [m.protocolFeature ? code(m.protocolFeature) : '', m.qemu ? `QEMU ${m.qemu}` : ''].filter(Boolean).join(', '),
      [m.operation?.ioctl ? code(m.operation.ioctl) : '', m.operation?.vduse ? code(m.operation.vduse.request) : ''].filter(Boolean).join(', '),
    ])));
  }
  return { path: 'docs/transports.md', sources, body: `${out.join('\n')}\n` };
}
