// generated/ts/message.ts: what the clients of socket protocols (vhost-user) share: the shape of
// a message as the spec describes it, the header-plus-payload codec of a message and of its
// reply, and a front-end client that applies the spec's reply rules over a MessageTransport.
import { RUNTIME } from './client-support.ts';

export const MESSAGE = './message.ts';

export function messageSupportStatements(): string[] {
  return [
    `import { MessageError, type MessageTransport } from '${RUNTIME}';`,
    `import { hostAbi, type AbiName, type Codec, type PerAbi } from './abi.ts';`,
    `/** When the receiver answers: always; ack (a u64 status, only when asked with need-reply and the ack feature is on); with-feature (a full reply once replyFeature is on, else as ack). */
export type ReplyRule = 'always' | 'ack' | 'with-feature';`,
    `/** How many fds a message carries (SCM_RIGHTS). */
export interface MessageFds {
  readonly min: number;
  readonly max: number;
}`,
    `/** One message of a socket protocol, as the spec describes it, with the codecs of its payloads. */
export interface MessageDef<P, R> {
  readonly name: string;
  readonly code: number;
  readonly sender: 'front-end' | 'back-end';
  readonly reply: ReplyRule;
  /** Protocol feature bit that turns the ack into a full reply (with-feature). */
  readonly replyFeature?: number;
  /** Protocol feature bit that must be negotiated before the message may be sent. */
  readonly protocolFeature?: number;
  readonly fds: MessageFds;
  readonly replyFds: MessageFds;
  /** Absent: the message has no payload. */
  readonly payload?: PerAbi<Codec<P>>;
  /** Absent: the reply is a u64 status (ack) or there is none. */
  readonly replyPayload?: PerAbi<Codec<R>>;
}`,
    `/** The fixed part of a protocol: its header as (code, flags, size) and the header's flag bits. */
export interface ProtocolDef {
  readonly name: string;
  readonly headerSize: number;
  writeHeader(abi: AbiName, bytes: Uint8Array, code: number, flags: bigint, size: number): void;
  readHeader(abi: AbiName, bytes: Uint8Array): { code: number; flags: bigint; size: number };
  /** The version every header carries, and the mask of the version field. */
  readonly version: bigint;
  readonly versionMask: bigint;
  readonly replyFlag: bigint;
  readonly needReplyFlag: bigint;
  /** Protocol feature bit of acknowledgements on request (need-reply). */
  readonly ackFeature?: number;
  /** Most fds in one message. */
  readonly maxFds: number;
}`,
    `/** A u64 in the ABI's byte order: the ack status of replies and scalar payloads. */
const u64LE: Codec<bigint> = scalarCodec(8, true);
const u64BE: Codec<bigint> = scalarCodec(8, false);`,
    `function scalarCodec(size: 8, little: boolean): Codec<bigint> {
  const write = (bytes: Uint8Array, at: number, v: bigint): void => {
    if (BigInt.asUintN(64, v) !== v) throw new RangeError(\`\${v}n is not a __u64\`);
    new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).setBigUint64(at, v, little);
  };
  return {
    size,
    sizeOf: () => size,
    encode(v) {
      const bytes = new Uint8Array(size);
      write(bytes, 0, v);
      return bytes;
    },
    encodeInto(v, bytes, at = 0) {
      if (at + size > bytes.length) throw new RangeError(\`__u64 needs \${size} bytes at \${at}, the buffer has \${bytes.length}\`);
      write(bytes, at, v);
      return size;
    },
    decode(bytes, at = 0) {
      if (at + size > bytes.length) throw new RangeError(\`__u64 needs \${size} bytes at \${at}, the buffer has \${bytes.length}\`);
      return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(at, little);
    },
  };
}`,
    `/** The codec of a __u64 payload on each ABI (its own byte order). */
export const u64PayloadCodec: PerAbi<Codec<bigint>> = { x86_64: u64LE, i386: u64LE, arm64: u64LE, armhf: u64LE, ppc64le: u64LE, ppc64: u64BE, powerpc: u64BE, mips64el: u64LE, mipsel: u64LE, s390x: u64BE, riscv64: u64LE, parisc: u64BE, sparc64: u64BE, alpha: u64LE, m68k: u64BE, sh4: u64LE, x32: u64LE };`,
    `/** An opaque payload (the spec does not lay it out): the bytes as they are, on every ABI. */
const opaque: Codec<Uint8Array> = {
  size: 0,
  sizeOf: (v) => v.length,
  encode: (v) => v.slice(),
  encodeInto(v, bytes, at = 0) {
    if (at + v.length > bytes.length) throw new RangeError(\`an opaque payload of \${v.length} bytes does not fit at \${at} of \${bytes.length}\`);
    bytes.set(v, at);
    return v.length;
  },
  decode: (bytes, at = 0) => bytes.slice(at),
};`,
    `/** The codec of an opaque payload on each ABI. */
export const opaquePayloadCodec: PerAbi<Codec<Uint8Array>> = { x86_64: opaque, i386: opaque, arm64: opaque, armhf: opaque, ppc64le: opaque, ppc64: opaque, powerpc: opaque, mips64el: opaque, mipsel: opaque, s390x: opaque, riscv64: opaque, parisc: opaque, sparc64: opaque, alpha: opaque, m68k: opaque, sh4: opaque, x32: opaque };`,
    `/** A message or a reply in bytes: header, then payload; what came in decoded back. */
export interface Decoded<T> {
  readonly flags: bigint;
  readonly value: T;
}`,
    `function frame<T>(protocol: ProtocolDef, abi: AbiName, code: number, flags: bigint, codec: Codec<T> | undefined, value: T): Uint8Array {
  const size = codec ? codec.sizeOf(value) : 0;
  const bytes = new Uint8Array(protocol.headerSize + size);
  protocol.writeHeader(abi, bytes, code, flags, size);
  if (codec) codec.encodeInto(value, bytes, protocol.headerSize);
  return bytes;
}`,
    `function unframe<T>(protocol: ProtocolDef, abi: AbiName, name: string, code: number, bytes: Uint8Array, codec: Codec<T> | undefined): Decoded<T> {
  const h = protocol.readHeader(abi, bytes);
  if (h.code !== code) throw new MessageError(name, code, \`a message with code \${h.code}\`);
  if (bytes.length !== protocol.headerSize + h.size) throw new MessageError(name, code, \`the header says \${h.size} payload bytes, \${bytes.length - protocol.headerSize} came\`);
  const payload = bytes.subarray(protocol.headerSize);
  if (codec && payload.length < codec.size) throw new MessageError(name, code, \`a payload of \${payload.length} bytes, at least \${codec.size} expected\`);
  if (!codec && payload.length !== 0) throw new MessageError(name, code, \`a payload of \${payload.length} bytes where none is expected\`);
  return { flags: h.flags, value: (codec ? codec.decode(payload) : undefined) as T };
}`,
    `/** Encoders and decoders of one message and of its reply on one ABI (the ack's u64 when the reply has no payload of its own). */
export interface MessageCodec<P, R> {
  encode(payload: P, flags?: bigint): Uint8Array;
  decode(bytes: Uint8Array): Decoded<P>;
  encodeReply(reply: R, flags?: bigint): Uint8Array;
  decodeReply(bytes: Uint8Array): Decoded<R>;
}`,
    `/** The codec of a message on an ABI (default: this process's). Flags default to the version (and, for replies, the reply flag). */
export function messageCodec<P, R>(protocol: ProtocolDef, def: MessageDef<P, R>, abi: AbiName = hostAbi()): MessageCodec<P, R> {
  const payload = def.payload?.[abi];
  const reply = (def.replyPayload ?? (u64PayloadCodec as unknown as PerAbi<Codec<R>>))[abi];
  return {
    encode: (p, flags = protocol.version) => frame(protocol, abi, def.code, flags, payload, p),
    decode: (bytes) => unframe(protocol, abi, def.name, def.code, bytes, payload),
    encodeReply: (r, flags = protocol.version | protocol.replyFlag) => frame(protocol, abi, def.code, flags, reply, r),
    decodeReply: (bytes) => unframe(protocol, abi, def.name, def.code, bytes, reply),
  };
}`,
    `/** What a request with reply fds returns: the decoded reply and the fds that came with it (the caller's to close). */
export interface WithFds<R> {
  readonly value: R;
  readonly fds: number[];
}`,
    `/**
 * The front end of a protocol over a MessageTransport: sends a message with its fds and applies
 * the spec's reply rule (waits for a reply when one comes, asks for an acknowledgement when the
 * ack feature is negotiated). Protocol features acknowledged with the protocol's
 * SET_PROTOCOL_FEATURES are remembered; a message whose protocol feature is not is refused before
 * anything is sent.
 */
export class MessageClient {
  readonly protocol: ProtocolDef;
  readonly transport: MessageTransport;
  readonly abi: AbiName;
  /** Protocol features acknowledged so far (a mask of bits). */
  protocolFeatures = 0n;
  private readonly header: Uint8Array;

  constructor(protocol: ProtocolDef, transport: MessageTransport, abi: AbiName = hostAbi()) {
    this.protocol = protocol;
    this.transport = transport;
    this.abi = abi;
    this.header = new Uint8Array(protocol.headerSize);
  }

  /** Whether a protocol feature bit has been acknowledged. */
  has(bit: number): boolean {
    return ((this.protocolFeatures >> BigInt(bit)) & 1n) === 1n;
  }

  /** Sends def with payload and fds; returns the reply's value, or undefined when none comes. */
  request<P, R>(def: MessageDef<P, R>, payload: P, fds: readonly number[] = [], replyFds?: number[]): R | undefined {
    if (def.protocolFeature !== undefined && !this.has(def.protocolFeature)) throw new MessageError(def.name, def.code, \`needs protocol feature bit \${def.protocolFeature}, which is not negotiated\`);
    if (fds.length < def.fds.min || fds.length > def.fds.max) throw new MessageError(def.name, def.code, \`\${fds.length} fds given, \${def.fds.min === def.fds.max ? def.fds.min : \`\${def.fds.min} to \${def.fds.max}\`} expected\`);
    const full = def.reply === 'always' || (def.reply === 'with-feature' && def.replyFeature !== undefined && this.has(def.replyFeature));
    const ack = !full && this.protocol.ackFeature !== undefined && this.has(this.protocol.ackFeature);
    const flags = this.protocol.version | (ack ? this.protocol.needReplyFlag : 0n);
    const bytes = frame(this.protocol, this.abi, def.code, flags, def.payload?.[this.abi], payload);
    const sent = this.transport.send(bytes, fds);
    if (sent < 0) throw this.failed(def, 'send', sent);
    if (!full && !ack) return undefined;
    const received: number[] = replyFds ?? [];
    const got = this.transport.receive(this.header, received);
    if (got < 0) throw this.failed(def, 'receive', got);
    if (got < this.header.length) throw new MessageError(def.name, def.code, 'the back end closed the connection instead of replying');
    const h = this.protocol.readHeader(this.abi, this.header);
    if (h.code !== def.code) throw new MessageError(def.name, def.code, \`the reply has code \${h.code}\`);
    if ((h.flags & this.protocol.replyFlag) === 0n) throw new MessageError(def.name, def.code, 'the reply lacks the reply flag');
    const body = new Uint8Array(h.size);
    const n = h.size === 0 ? 0 : this.transport.receive(body, received);
    if (n < 0) throw this.failed(def, 'receive', n);
    if (n < h.size) throw new MessageError(def.name, def.code, 'the back end closed the connection in the middle of its reply');
    const codec = (full ? def.replyPayload : undefined) ?? (u64PayloadCodec as unknown as PerAbi<Codec<R>>);
    const value = codec[this.abi].decode(body);
    if (!full && value !== 0n) throw new MessageError(def.name, def.code, \`the back end refused it (status \${String(value)})\`);
    if (received.length < def.replyFds.min || received.length > def.replyFds.max) throw new MessageError(def.name, def.code, \`the reply carried \${received.length} fds: \${received.join(', ')} (yours to close)\`);
    return full ? value : undefined;
  }

  private failed(def: MessageDef<unknown, unknown>, what: string, result: number): MessageError {
    const name = this.transport.errnoName?.(-result) ?? \`errno \${-result}\`;
    return new MessageError(def.name, def.code, \`\${what}: \${name}\`, result);
  }
}`,
  ];
}
