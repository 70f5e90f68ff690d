// `ioctl-abi transports`: per operation, which transports have it (vhost ioctl, VDUSE request,
// vhost-user message), since which kernel version or protocol feature, with which payload, and
// where the payload layouts disagree. The report itself is the model's (transportReport).
import { transportReport, type AbiView, type OperationRow, type TransportSide } from '../model/index.ts';

export const TRANSPORTS_FORMAT = 'ioctl-abi-transports/1';

/** Where a side has the operation: a kernel version, a protocol feature, or always. */
export function gateOf(s: TransportSide): string {
  if (s.transport === 'vhost-user') return [s.protocolFeature ?? 'no feature needed', s.qemu ? `QEMU ${s.qemu}` : ''].filter(Boolean).join(', ');
  return s.since ? `kernel ${s.since}` : 'every listed kernel';
}

function rowJson(o: OperationRow): Record<string, unknown> {
  return {
    operation: o.operation,
    transports: o.transports,
    sides: o.sides.map((s) => ({ ...s })),
    ...(o.differences ? { differences: o.differences } : {}),
    ...(o.payloadDiffers ? { payloadDiffers: o.payloadDiffers } : {}),
    ...(o.drift ? { drift: { abis: o.drift.abis, shapes: o.drift.shapes } } : {}),
    ...(o.message ? { linkedBy: o.message.name } : {}),
  };
}

export function transportsJson(view: AbiView): string {
  const r = transportReport(view);
  return `${JSON.stringify({ format: TRANSPORTS_FORMAT, version: r.version, transports: r.transports, operations: r.operations.map(rowJson) }, null, 2)}\n`;
}

export function transportsText(view: AbiView): string {
  const r = transportReport(view);
  const lines: string[] = [`transports at kernel ${r.version}: ${r.transports.join(', ')}`];
  for (const o of r.operations) {
    lines.push('', `${o.operation}  [${o.transports.join(' + ')}]`);
    for (const s of o.sides) lines.push(`  ${s.transport.padEnd(10)} ${s.name.padEnd(42)} ${(s.payload ?? 'no payload').padEnd(40)} ${s.sender}; ${gateOf(s)}`);
    if (o.drift) lines.push(`  payloads differ on ${o.drift.abis.length} ABI(s): ${o.drift.shapes.join(' vs ')}${o.payloadDiffers ? `; declared: ${o.payloadDiffers}` : '; NO REASON DECLARED (lint transport-payload-drift)'}`);
    if (o.differences) lines.push(`  differences: ${o.differences}`);
  }
  const shared = r.operations.filter((o) => o.transports.length > 1).length;
  lines.push('', `${r.operations.length} operations: ${shared} on several transports, ${r.operations.length - shared} on one; ${r.operations.filter((o) => o.drift).length} with differing payloads`);
  return `${lines.join('\n')}\n`;
}
