// The generated vhost-user messages (generated/ts/vhost-user.ts, message.ts): every message of the
// spec has a definition that says what the model says, and a codec whose bytes are the ones the
// model's layouts give (header and payload, request and reply) on little- and big-endian, 32- and
// 64-bit ABIs, and that decodes them back. The front-end client applies the reply rules over a
// real socket pair to a scripted back end.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ABIS, parseCType, type Abi, type AbiView } from '../../src/model/index.ts';
import { MessageError } from '../../src/runtime/index.ts';
import { UnixSocket } from '../../src/runtime/node/index.ts';
import * as vu from '../../generated/ts/api/vhost-user.ts';
import { openOk } from '../support/spec.ts';
import { leaves, modelBytes, Rand, sample, type Value } from './model-values.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));
const view: AbiView = spec.at(spec.newest);
const exportsOf = vu as unknown as Record<string, unknown>;
const camel = (s: string): string => s.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const defOf = (name: string): vu.MessageDef<unknown, unknown> => exportsOf[camel(name)] as vu.MessageDef<unknown, unknown>;
const abiOf = (name: string): Abi => ABIS.find((a) => a.name === name) as Abi;
const ON = ['x86_64', 'i386', 'ppc64', 's390x', 'arm64'].map(abiOf);
const bit = (name: string | undefined): number | undefined => (name === undefined ? undefined : Number(view.value(name)));

/** A sample payload of a spelling and its bytes on an ABI, both from the model. */
function payloadSample(spelling: string | undefined, opaque: boolean, abi: Abi, r: Rand): { value: unknown; bytes: Uint8Array } {
  if (spelling === undefined) {
    if (!opaque) return { value: undefined, bytes: new Uint8Array(0) };
    const bytes = Uint8Array.from({ length: 1 + r.int(40) }, () => r.int(256));
    return { value: bytes, bytes };
  }
  const t = parseCType(spelling);
  if (t && (t.kind === 'struct' || t.kind === 'union')) {
    const key = `${t.kind} ${t.tag}`;
    const value = sample(view, key, r, abi);
    const l = view.layout(abi, key);
    if (!l.ok) throw new Error(l.error);
    const ends = leaves(view, abi, key, value).map((leaf) => leaf.offset + (leaf.kind === 'text' ? 0 : leaf.kind === 'bytes' ? leaf.value.length : leaf.prim.size));
    return { value, bytes: modelBytes(view, abi, key, value as Value, Math.max(l.layout.size, ...ends)) };
  }
  const value = r.next();
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, value, !abi.bigEndian);
  return { value, bytes };
}

/** A header as the model lays it out: request, flags, size, each a __u32 in the ABI's order. */
function header(abi: Abi, code: number, flags: bigint, size: number): Uint8Array {
  const h = new Uint8Array(12);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, code, !abi.bigEndian);
  dv.setUint32(4, Number(flags), !abi.bigEndian);
  dv.setUint32(8, size, !abi.bigEndian);
  return h;
}

const VERSION = view.value('VHOST_USER_VERSION') as bigint;
const REPLY = view.value('VHOST_USER_REPLY_MASK') as bigint;
const NEED_REPLY = view.value('VHOST_USER_NEED_REPLY_MASK') as bigint;

describe('every vhost-user message has a generated definition and codec', () => {
  it('the spec has the messages (a broken model must not pass with none)', () => {
    expect(view.messages.length).toBeGreaterThanOrEqual(50);
    expect(vu.VHOST_USER_MESSAGES.map((d) => d.name)).toEqual(view.messages.map((m) => m.item.name));
    expect(view.layout(abiOf('x86_64'), 'struct vhost_user_header')).toMatchObject({ ok: true, layout: { size: 12 } });
  });

  it.each(view.messages.map((m) => [m.item.name, m] as const))('%s', (_name, m) => {
    const it = m.item;
    const def = defOf(it.name);
    expect(def).toBeDefined();
    expect({ code: def.code, sender: def.sender, reply: def.reply, fds: def.fds, replyFds: def.replyFds, protocolFeature: def.protocolFeature, replyFeature: def.replyFeature })
      .toEqual({ code: it.code, sender: it.sender, reply: it.reply, fds: { min: it.fds.min, max: it.fds.max }, replyFds: { min: it.replyFds.min, max: it.replyFds.max }, protocolFeature: bit(it.protocolFeature), replyFeature: bit(it.replyFeature) });
    const r = new Rand(it.code * 131 + (it.sender === 'back-end' ? 7 : 0));
    for (const abi of ON) {
      const codec = vu.messageCodec(vu.vhostUserProtocol, def, abi.name as vu.AbiName);
      for (let round = 0; round < 4; round++) {
        const request = payloadSample(it.payload, it.payloadOpaque !== undefined, abi, r);
        const flags = round % 2 ? VERSION | NEED_REPLY : VERSION;
        const bytes = codec.encode(request.value, flags);
        expect(bytes, `${abi.name} request`).toEqual(new Uint8Array([...header(abi, it.code, flags, request.bytes.length), ...request.bytes]));
        expect(codec.decode(bytes), `${abi.name} request decoded`).toEqual({ flags, value: request.value });
        // a reply: its own payload type, else the u64 status of an ack
        const reply = payloadSample(it.replyPayload ?? '__u64', false, abi, r);
        const replyBytes = codec.encodeReply(reply.value);
        expect(replyBytes, `${abi.name} reply`).toEqual(new Uint8Array([...header(abi, it.code, VERSION | REPLY, reply.bytes.length), ...reply.bytes]));
        expect(codec.decodeReply(replyBytes)).toEqual({ flags: VERSION | REPLY, value: reply.value });
      }
      // a message of another code, or with fewer bytes than its header says, is refused
      const other = header(abi, it.code + 1, VERSION, 0);
      expect(() => codec.decode(other)).toThrow(MessageError);
      if (it.payload) expect(() => codec.decode(header(abi, it.code, VERSION, 8))).toThrow(MessageError);
    }
  });

  it('the front-end client has one method per front-end message, named after it', () => {
    const methods = Object.getOwnPropertyNames(vu.VhostUserFrontEnd.prototype).filter((n) => n !== 'constructor').sort();
    const expected = view.messages.filter((m) => m.item.sender === 'front-end').map((m) => camel(m.item.name.replace(/^VHOST_USER_/, ''))).sort();
    expect(methods).toEqual(expected);
  });
});

describe('the front-end client over a socket', () => {
  const open: UnixSocket[] = [];
  afterEach(() => open.splice(0).forEach((s) => s.close()));
  const abi = abiOf(vu.hostAbi());
  const pair = (timeoutMs = 2000): [UnixSocket, UnixSocket] => {
    const p = UnixSocket.pair({ timeoutMs });
    open.push(...p);
    return p;
  };
  /** What the back end side received: one message's header fields and payload. */
  const receive = (back: UnixSocket, fds: number[] = []): { code: number; flags: bigint; payload: Uint8Array } => {
    const h = new Uint8Array(12);
    expect(back.receive(h, fds)).toBe(12);
    const dv = new DataView(h.buffer);
    const payload = new Uint8Array(dv.getUint32(8, !abi.bigEndian));
    if (payload.length) expect(back.receive(payload, fds)).toBe(payload.length);
    return { code: dv.getUint32(0, !abi.bigEndian), flags: BigInt(dv.getUint32(4, !abi.bigEndian)), payload };
  };
  const u64 = (v: bigint): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, v, !abi.bigEndian);
    return b;
  };
  const code = (name: string): number => view.message(name)?.item.code as number;

  it('a message that always replies waits for the reply and decodes it', () => {
    const [front, back] = pair();
    const client = new vu.VhostUserFrontEnd(front);
    back.send(new Uint8Array([...header(abi, code('VHOST_USER_GET_FEATURES'), VERSION | REPLY, 8), ...u64(0x1_4000_0000n)]), []);
    expect(client.getFeatures()).toBe(0x1_4000_0000n);
    expect(receive(back)).toMatchObject({ code: code('VHOST_USER_GET_FEATURES'), flags: VERSION });
  });

  it('an ack message: no need-reply before REPLY_ACK is negotiated; after, it waits and a non-zero status throws', () => {
    const [front, back] = pair();
    const client = new vu.VhostUserFrontEnd(front);
    client.setOwner();
    expect(receive(back)).toEqual({ code: code('VHOST_USER_SET_OWNER'), flags: VERSION, payload: new Uint8Array(0) });
    client.setProtocolFeatures(1n << BigInt(bit('VHOST_USER_PROTOCOL_F_REPLY_ACK') as number));
    expect(receive(back).code).toBe(code('VHOST_USER_SET_PROTOCOL_FEATURES'));
    const setFeatures = code('VHOST_USER_SET_FEATURES');
    back.send(new Uint8Array([...header(abi, setFeatures, VERSION | REPLY, 8), ...u64(0n)]), []);
    client.setFeatures(1n << 32n);
    expect(receive(back)).toEqual({ code: setFeatures, flags: VERSION | NEED_REPLY, payload: u64(1n << 32n) });
    back.send(new Uint8Array([...header(abi, setFeatures, VERSION | REPLY, 8), ...u64(1n)]), []);
    expect(() => client.setFeatures(1n << 33n)).toThrow(/VHOST_USER_SET_FEATURES \(2\): the back end refused it \(status 1\)/);
  });

  it('a message gated by a protocol feature that is not negotiated, or with the wrong number of fds, is refused before anything is sent', () => {
    const [front, back] = pair(100);
    const client = new vu.VhostUserFrontEnd(front);
    expect(() => client.getConfig({ offset: 0, size: 4, flags: 0, region: new Uint8Array(4) })).toThrow(/VHOST_USER_GET_CONFIG \(24\): needs protocol feature bit 9/);
    expect(() => client.setLogFd([])).toThrow(/0 fds given, 1 expected/);
    expect(() => client.setVringKick(0n, [1, 2])).toThrow(/2 fds given, 0 to 1 expected/);
    expect(back.receive(new Uint8Array(1), [])).toBe(-110);
  });

  it('a back end that hangs up instead of replying is a MessageError, not a hang', () => {
    const [front, back] = pair();
    const client = new vu.VhostUserFrontEnd(front);
    back.close();
    expect(() => client.getFeatures()).toThrow(MessageError);
  });
});
