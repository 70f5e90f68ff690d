// The messages of a socket protocol (vhost-user) in its family's module: the protocol's header
// and flag bits, one MessageDef per message (code, sender, reply rule, fds, the protocol feature
// that gates it, the codecs of its payload and reply) and a typed front-end client with one
// method per message the front end sends.
import type { AbiView, ProtocolEntry, ProtocolMessage } from '../../src/model/index.ts';
import { ABIS, parseCType } from '../../src/model/index.ts';
import { docs, SUPPORT } from './docs.ts';
import { MESSAGE } from './message-support.ts';
import { camel, codecName, familyModule, pascal, typeName } from './names.ts';
import type { ImportScope } from './scope.ts';
import { shapeOf } from './shape.ts';

/** 'vhost-user' -> 'vhostUserProtocol'. */
export const protocolName = (protocol: string): string => `${camel(protocol)}Protocol`;
/** 'VHOST_USER_GET_FEATURES' -> 'vhostUserGetFeatures'. */
export const messageDefName = (message: string): string => camel(message);
/** 'vhost-user' -> 'VhostUserFrontEnd'. */
export const frontEndClassName = (protocol: string): string => `${pascal(protocol)}FrontEnd`;
/** 'vhost-user' -> 'VHOST_USER_MESSAGES'. */
export const messagesTableName = (protocol: string): string => `${protocol.replace(/-/g, '_').toUpperCase()}_MESSAGES`;
/** The client method of a message: its name without the protocol's words ('VHOST_USER_SET_MEM_TABLE' -> 'setMemTable'). */
export function frontEndMethodName(protocol: string, message: string): string {
  const prefix = `${protocol.replace(/-/g, '_').toUpperCase()}_`;
  return camel(message.startsWith(prefix) ? message.slice(prefix.length) : message);
}

interface PayloadCode {
  readonly type: string;
  readonly codec: string;
}

/** TypeScript type and per-ABI codec of a payload spelling: a struct or union of the spec, or a __u64. */
function payloadCode(view: AbiView, spelling: string, scope: ImportScope, where: string): PayloadCode {
  const t = parseCType(spelling);
  if (t && (t.kind === 'struct' || t.kind === 'union')) {
    const key = `${t.kind} ${t.tag}`;
    const family = view.types.get(key)?.family;
    if (!family) throw new Error(`ts: ${where}: payload ${spelling} is no type of the spec`);
    return { type: scope.type(typeName(key), familyModule(family)), codec: scope.value(codecName(key), familyModule(family)) };
  }
  if (t && t.kind === 'prim' && /^(__u64|__le64|__aligned_u64|unsigned long long|uint64_t)$/.test(t.name)) {
    return { type: 'bigint', codec: scope.value('u64PayloadCodec', MESSAGE) };
  }
  throw new Error(`ts: ${where}: payload type ${spelling} has no codec (a struct, a union or __u64)`);
}

/** A message's request payload: laid out by the spec, opaque bytes (payloadOpaque), or none. */
function payloadOf(view: AbiView, it: ProtocolMessage['item'], scope: ImportScope): PayloadCode | undefined {
  if (it.payload) return payloadCode(view, it.payload, scope, it.name);
  if (it.payloadOpaque !== undefined) return { type: 'Uint8Array', codec: scope.value('opaquePayloadCodec', MESSAGE) };
  return undefined;
}

const bitOf = (view: AbiView, name: string | undefined, where: string): number | undefined => {
  if (name === undefined) return undefined;
  const v = view.value(name);
  if (v === undefined) throw new Error(`ts: ${where}: ${name} has no value`);
  return Number(v);
};

function protocolStatement(view: AbiView, p: ProtocolEntry, scope: ImportScope): string {
  const where = `protocol ${p.item.name}`;
  const shapes = ABIS.map((abi) => shapeOf(view, abi, p.item.header));
  const shape = shapes[0];
  if (!shape) throw new Error(`ts: ${where}: no ABIs`);
  const fields = shape.children.filter((c) => !c.reserved);
  if (fields.length !== 3 || fields.some((f) => f.kind !== 'scalar')) throw new Error(`ts: ${where}: the header ${p.item.header} must have three integer fields (code, flags, size)`);
  const [code, flags, size] = fields as [(typeof fields)[0], (typeof fields)[0], (typeof fields)[0]];
  const flagsBig = flags.kind === 'scalar' && (flags.mask || flags.scalar.size > 4);
  const set = view.sets.get(p.item.flags);
  if (!set) throw new Error(`ts: ${where}: flags set ${p.item.flags} is missing`);
  const names = set.item.values.map((v) => v.name);
  const pick = (what: string, test: (n: string) => boolean): string => {
    const found = names.filter(test);
    if (found.length !== 1) throw new Error(`ts: ${where}: ${what}: expected one flag of ${p.item.flags} to match, found ${found.join(', ') || 'none'}`);
    return found[0] as string;
  };
  const needReply = p.item.needReply ?? pick('need-reply', (n) => /NEED_REPLY/.test(n));
  const reply = pick('reply', (n) => /REPLY/.test(n) && n !== needReply);
  // the version a header carries: <PROTOCOL>_VERSION (a constant beside the set); its field is the set's VERSION_MASK
  const version = `${p.item.name.replace(/-/g, '_').toUpperCase()}_VERSION`;
  if (view.value(version) === undefined) throw new Error(`ts: ${where}: no constant ${version}`);
  const versionMaskName = pick('version mask', (n) => /VERSION_MASK/.test(n));
  const value = (n: string): string => `0x${(view.value(n) ?? 0n).toString(16)}n`;
  const headerCodec = scope.value(codecName(p.item.header), familyModule(view.types.get(p.item.header)?.family as string));
  const ack = bitOf(view, p.item.ackFeature, where);
  const headerSize = shape.size;
  if (shapes.some((s) => s.size !== headerSize)) throw new Error(`ts: ${where}: the header's size differs between ABIs (a wire struct must not)`);
  return `/** ${p.item.doc.replaceAll('*/', '*\\/')} */
export const ${protocolName(p.item.name)}: ${scope.type('ProtocolDef', MESSAGE)} = {
  name: '${p.item.name}',
  headerSize: ${headerSize},
  writeHeader(abi, bytes, code, flags, size) {
    ${headerCodec}[abi].encodeInto({ ${code.prop}: code, ${flags.prop}: ${flagsBig ? 'flags' : 'Number(flags)'}, ${size.prop}: size }, bytes, 0);
  },
  readHeader(abi, bytes) {
    const h = ${headerCodec}[abi].decode(bytes.subarray(0, ${headerSize}));
    return { code: h.${code.prop}, flags: ${flagsBig ? `h.${flags.prop}` : `BigInt(h.${flags.prop})`}, size: h.${size.prop} };
  },
  version: ${value(version)},
  versionMask: ${value(versionMaskName)},
  replyFlag: ${value(reply)},
  needReplyFlag: ${value(needReply)},
  ${ack !== undefined ? `ackFeature: ${ack},\n  ` : ''}maxFds: ${p.item.maxFds ?? 8},
};`;
}

function messageStatement(view: AbiView, m: ProtocolMessage, scope: ImportScope): string {
  const it = m.item;
  const payload = payloadOf(view, it, scope);
  const reply = it.replyPayload ? payloadCode(view, it.replyPayload, scope, `${it.name} reply`) : undefined;
  const replyFeature = bitOf(view, it.replyFeature, it.name);
  const protocolFeature = bitOf(view, it.protocolFeature, it.name);
  const fields = [
    `name: '${it.name}'`,
    `code: ${it.code}`,
    `sender: '${it.sender}'`,
    `reply: '${it.reply}'`,
    ...(replyFeature !== undefined ? [`replyFeature: ${replyFeature}`] : []),
    ...(protocolFeature !== undefined ? [`protocolFeature: ${protocolFeature}`] : []),
    `fds: { min: ${it.fds.min}, max: ${it.fds.max} }`,
    `replyFds: { min: ${it.replyFds.min}, max: ${it.replyFds.max} }`,
    ...(payload ? [`payload: ${payload.codec}`] : []),
    ...(reply ? [`replyPayload: ${reply.codec}`] : []),
  ];
  const doc = docs(`${it.name} (${it.sender} message ${it.code}): ${it.doc}${it.protocolFeature ? ` Needs ${it.protocolFeature}.` : ''}`, { ...(it.deprecated ? { deprecated: it.deprecated } : {}) }, view, m.family)[0] as string;
  const def = `${scope.type('MessageDef', MESSAGE)}<${payload?.type ?? 'undefined'}, ${reply?.type ?? 'bigint'}>`;
  return `/**\n${doc.split('\n').map((l) => ` *${l ? ` ${l}` : ''}`).join('\n')}\n */\nexport const ${messageDefName(it.name)}: ${def} = { ${fields.join(', ')} };`;
}

function frontEndClass(view: AbiView, p: ProtocolEntry, messages: readonly ProtocolMessage[], scope: ImportScope): string {
  const client = scope.value('MessageClient', MESSAGE);
  const methods = messages.filter((m) => m.item.sender === 'front-end').map((m) => {
    const it = m.item;
    const payload = payloadOf(view, it, scope);
    const reply = it.replyPayload ? payloadCode(view, it.replyPayload, scope, `${it.name} reply`) : undefined;
    const params = [...(payload ? [`payload: ${payload.type}`] : []), ...(it.fds.max > 0 ? [`fds: readonly number[]${it.fds.min === 0 ? ' = []' : ''}`] : [])];
    const arg = payload ? 'payload' : 'undefined';
    const fds = it.fds.max > 0 ? 'fds' : '[]';
    const def = messageDefName(it.name);
    const name = frontEndMethodName(p.item.name, it.name);
    const replies = it.reply === 'always' || it.reply === 'with-feature';
    const value = reply?.type ?? 'bigint';
    const records = /_SET_PROTOCOL_FEATURES$/.test(it.name) && payload?.type === 'bigint' ? '\n    this.protocolFeatures = payload;' : '';
    let body: string;
    let result: string;
    if (it.replyFds.max > 0) {
      result = `${scope.type('WithFds', MESSAGE)}<${value}${it.reply === 'always' ? '' : ' | undefined'}>`;
      body = `const received: number[] = [];\n    const value = this.request(${def}, ${arg}, ${fds}, received)${it.reply === 'always' ? ` as ${value}` : ''};\n    return { value, fds: received };`;
    } else if (it.reply === 'always') {
      result = value;
      body = `return this.request(${def}, ${arg}, ${fds}) as ${value};`;
    } else if (replies) {
      result = `${value} | undefined`;
      body = `return this.request(${def}, ${arg}, ${fds});`;
    } else {
      result = 'void';
      body = `this.request(${def}, ${arg}, ${fds});${records}`;
    }
    const doc = `${it.name}: ${it.doc}${it.reply === 'ack' ? ' Acknowledged (and a refusal thrown) when the ack feature is negotiated.' : ''}${it.fds.max > 0 ? ` Sends ${it.fds.min === it.fds.max ? it.fds.min : `${it.fds.min} to ${it.fds.max}`} fd${it.fds.max === 1 ? '' : 's'}.` : ''}`.replaceAll('*/', '*\\/');
    return `  /** ${doc} */\n  ${name}(${params.join(', ')}): ${result} {\n    ${body}\n  }`;
  });
  return `/** The front end of ${p.item.name}: one method per message the front end sends, the reply rules of the spec applied. */
export class ${frontEndClassName(p.item.name)} extends ${client} {
  constructor(transport: ${scope.type('MessageTransport', '../../src/runtime/index.ts')}, abi: ${scope.type('AbiName', SUPPORT)} = ${scope.value('hostAbi', SUPPORT)}()) {
    super(${protocolName(p.item.name)}, transport, abi);
  }

${methods.join('\n\n')}
}`;
}

/** The statements a protocol family's module gains. */
export function messageStatements(view: AbiView, family: string, scope: ImportScope): string[] {
  const protocols = [...view.protocols.values()].filter((p) => p.family === family);
  return protocols.flatMap((p) => {
    const messages = view.messages.filter((m) => m.protocol === p.item.name);
    return [
      protocolStatement(view, p, scope),
      ...messages.map((m) => messageStatement(view, m, scope)),
      `/** Every message of ${p.item.name}, in spec order. */\nexport const ${messagesTableName(p.item.name)}: readonly ${scope.type('MessageDef', MESSAGE)}<unknown, unknown>[] = [${messages.map((m) => messageDefName(m.item.name)).join(', ')}];`,
      frontEndClass(view, p, messages, scope),
    ];
  });
}
