// Every generated client method, through a recording transport, on every ABI: it sends exactly
// its own request number (the model's, proven against gcc by the oracle), an argument buffer of
// exactly the spec's size holding exactly the expected bytes (from the model's layout), and
// decodes what the kernel writes back. Each fd kind and device profile has a method for exactly
// the requests it accepts, and no two requests of one fd kind share a number.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, type Abi, type AbiView, type Request } from '../../src/model/index.ts';
import { IoctlError, RecordingTransport, type RecordedCall } from '../../src/runtime/index.ts';
import { openOk } from '../support/spec.ts';
import { generatedExports } from './generated.ts';
import { modelBytes, Rand, sample, type Value } from './model-values.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));
const view = spec.at(spec.newest);
const all = await generatedExports();

const pascal = (s: string): string => s.split(/[-_]/).filter(Boolean).map((w) => w[0]!.toUpperCase() + w.slice(1).toLowerCase()).join('');
const methodOf = (request: string): string => {
  const p = pascal(request.split('_').slice(1).join('_'));
  return p[0]!.toLowerCase() + p.slice(1);
};

type Client = Record<string, (...args: unknown[]) => unknown>;
type ClientClass = new (transport: RecordingTransport, fd: number, abi: string) => Client;

function classOf(name: string): ClientClass {
  const c = all.get(name);
  if (typeof c !== 'function') throw new Error(`generated/ts exports no class ${name}`);
  return c as ClientClass;
}

const methodsOf = (c: ClientClass): string[] => Object.getOwnPropertyNames(c.prototype).filter((m) => m !== 'constructor');

function sizeOf(abi: Abi, r: Request): number {
  const l = view.layout(abi, r.item.argType!);
  if (!l.ok) throw new Error(l.error);
  return l.layout.size;
}

const isFlexible = (r: Request): boolean => {
  const t = r.item.argType;
  if (!t || (t.kind !== 'struct' && t.kind !== 'union')) return false;
  const l = view.layout(ABIS[0]!, t);
  return l.ok && l.layout.flexible;
};

/** The argument a caller passes, and the reply the fake kernel writes back, for one request on one ABI. */
interface Case {
  arg?: unknown;
  /** What the method must send: null, a bigint, or these bytes. */
  sent: null | bigint | Uint8Array;
  /** Bytes the kernel writes into the buffer, and the result the method must then return. */
  reply?: { bytes: Uint8Array; result: unknown };
}

function scalarBytes(abi: Abi, size: number, value: bigint, order?: 'le' | 'be'): Uint8Array {
  const out = new Uint8Array(size);
  const le = (order ?? (abi.bigEndian ? 'be' : 'le')) === 'le';
  const u = BigInt.asUintN(size * 8, value);
  for (let i = 0; i < size; i++) out[le ? i : size - 1 - i] = Number((u >> BigInt(8 * i)) & 0xffn);
  return out;
}

function caseOf(abi: Abi, r: Request, seed: number): Case {
  const t = r.item.argType;
  const rand = new Rand(seed);
  if (r.item.pass === 'none' || !t) return { sent: null };
  if (r.item.pass === 'value') {
    if (t.kind === 'pointer') return { arg: 'dev0000:00:01.0', sent: new TextEncoder().encode('dev0000:00:01.0\0') };
    const v = Number(rand.next() & 0x7fffffffn);
    return { arg: v, sent: BigInt(v) };
  }
  const size = sizeOf(abi, r);
  const data = r.item.data === 'none' ? 'in' : r.item.data;
  if (t.kind === 'struct' || t.kind === 'union') {
    const key = `${t.kind} ${t.tag}`;
    const inout = data === 'inout' || (data === 'out' && isFlexible(r));
    const arg = sample(view, key, rand, abi);
    const argBytes = (v: Value): Uint8Array => {
      // A flexible struct's buffer is sizeof plus its elements: encode once to learn how many.
      const codec = (all.get(`${key.replace(/^(struct|union) /, '').split('_').map((w, i) => (i ? w[0]!.toUpperCase() + w.slice(1) : w)).join('')}Codec`) as Record<string, { sizeOf(v: unknown): number }>)[abi.name]!;
      return modelBytes(view, abi, key, v, codec.sizeOf(v));
    };
    if (data === 'in') return { arg, sent: argBytes(arg) };
    const sent = inout ? argBytes(arg) : new Uint8Array(size);
    // What the kernel writes back: another value of the same length (a flexible struct keeps the caller's).
    let back = sample(view, key, new Rand(seed + 1), abi);
    for (let s = 2; argBytes(back).length !== sent.length; s++) back = s < 50 ? sample(view, key, new Rand(seed + s), abi) : arg as Value;
    // A request that also returns something (a new fd) gives the ioctl's result beside the data.
    return { ...(inout ? { arg } : {}), sent, reply: { bytes: argBytes(back), result: r.item.returns ? { result: 0, value: back } : back } };
  }
  if (t.kind === 'array') {
    const text = 'vduse-test';
    const sent = new Uint8Array(size);
    sent.set(new TextEncoder().encode(text));
    return { arg: text, sent };
  }
  const name = t.kind === 'prim' ? t.name : '';
  const signed = /^(__s|int$|short|long)/.test(name);
  let v = rand.next() & ((1n << BigInt(size * 8 - 1)) - 1n);
  if (signed && rand.int(2) === 1) v = -v;
  const big = size > 4;
  const asArg = big ? v : Number(v);
  if (data === 'in') return { arg: asArg, sent: scalarBytes(abi, size, v) };
  return { sent: new Uint8Array(size), reply: { bytes: scalarBytes(abi, size, v), result: r.item.returns ? { result: 0, value: asArg } : asArg } };
}

function callOnce(cls: ClientClass, abi: Abi, r: Request, c: Case): { call: RecordedCall; result: unknown } {
  const transport = new RecordingTransport();
  if (c.reply) transport.fillNext(view.number(r, abi), c.reply.bytes);
  const client = new cls(transport, 7, abi.name);
  const method = client[methodOf(r.item.name)];
  if (typeof method !== 'function') throw new Error(`${cls.name} has no method ${methodOf(r.item.name)} for ${r.item.name}`);
  const result = c.arg === undefined ? method.call(client) : method.call(client, c.arg);
  expect(transport.calls).toHaveLength(1);
  return { call: transport.calls[0]!, result };
}

const targets = [
  ...[...view.fds.values()].map((fd) => ({ cls: `${pascal(fd.name)}Fd`, fd: fd.name, requests: view.requests.filter((r) => r.item.scope.includes(fd.name)) })),
  ...[...view.devices.values()].map((d) => ({ cls: `${pascal(d.name)}Device`, fd: d.fd, requests: view.requests.filter((r) => view.accepted(d.name).has(r.item.name)) })),
];

describe(`generated clients (kernel ${view.version})`, () => {
  it('every request of the version has a typed method on every fd kind that takes it', () => {
    const covered = new Set(targets.filter((t) => t.cls.endsWith('Fd')).flatMap((t) => t.requests.map((r) => r.item.name)));
    expect(view.requests.map((r) => r.item.name).filter((n) => !covered.has(n))).toEqual([]);
    expect(view.requests.length).toBeGreaterThan(100);
  });

  for (const t of targets) {
    describe(t.cls, () => {
      it('has exactly the methods of the requests it accepts (and of its channel records)', () => {
        const channel = [...view.channels.values()].filter((c) => c.fds.includes(t.fd)).flatMap((c) => c.records.map((rec) => `${rec.direction}${pascal(rec.type.replace(/^(struct|union) /, ''))}`));
        expect(methodsOf(classOf(t.cls)).sort()).toEqual([...new Set([...t.requests.map((r) => methodOf(r.item.name)), ...channel])].sort());
      });

      it('sends each request with its own number and exactly its argument bytes, on every ABI', () => {
        const cls = classOf(t.cls);
        let checked = 0;
        for (const abi of ABIS) {
          t.requests.forEach((r, i) => {
            const c = caseOf(abi, r, 31 * i + abi.name.length);
            const { call, result } = callOnce(cls, abi, r, c);
            const what = `${r.item.name} on ${abi.name}`;
            expect(call.op, what).toBe('ioctl');
            expect(call.fd, what).toBe(7);
            expect(call.request, what).toBe(view.number(r, abi));
            if (c.sent instanceof Uint8Array) {
              expect(call.arg, what).toBeInstanceOf(Uint8Array);
              expect(Buffer.from(call.arg as Uint8Array).toString('hex'), what).toBe(Buffer.from(c.sent).toString('hex'));
            } else expect(call.arg, what).toEqual(c.sent);
            // A decoded union has every alternative: the one written back must match.
            if (c.reply && typeof c.reply.result === 'object') expect(result, what).toMatchObject(c.reply.result as object);
            else if (c.reply) expect(result, what).toEqual(c.reply.result);
            else expect(result, what).toBe(0);
            checked++;
          });
        }
        expect(checked).toBe(t.requests.length * ABIS.length);
      });

      it('no two of its requests share a number on any ABI', () => {
        for (const abi of ABIS) {
          const seen = new Map<number, string>();
          for (const r of t.requests) {
            const n = view.number(r, abi);
            expect(seen.get(n) ?? r.item.name, `${r.item.name} and ${seen.get(n)} on ${abi.name}`).toBe(r.item.name);
            seen.set(n, r.item.name);
          }
          // The class's own table agrees: its numbers are the model's.
          const table = all.get(`${r0Family(t.requests)}_REQUEST_NUMBERS`) as Record<string, Record<string, number>> | undefined;
          if (table) for (const r of t.requests.filter((x) => x.family === t.requests[0]!.family)) expect(table[abi.name]![r.item.name]).toBe(view.number(r, abi));
        }
      });
    });
  }
});

function r0Family(requests: readonly Request[]): string {
  return (requests[0]?.family ?? '').replace(/-/g, '_').toUpperCase();
}

describe('bugs seen in the wild cannot happen', () => {
  const x86 = ABIS[0]!;
  const VhostVdpaNetDevice = classOf('VhostVdpaNetDevice');
  const vduse = classOf('VduseControlFd');

  it('set group asid sends VHOST_VDPA_SET_GROUP_ASID, not GET_VRING_GROUP (rust-vmm)', () => {
    const t = new RecordingTransport();
    new VhostVdpaNetDevice(t, 3, 'x86_64').vdpaSetGroupAsid!({ index: 1, num: 2 });
    expect(t.calls[0]!.request).toBe(0x4008af7c); // _IOW(0xAF, 0x7C, struct vhost_vring_state)
    expect(t.calls[0]!.request).not.toBe(view.number(view.request('VHOST_VDPA_GET_VRING_GROUP')!, x86));
  });

  it('GET_VRING_NUM reads a 2-byte buffer, not 4 (QEMU)', () => {
    const t = new RecordingTransport();
    t.fillNext(0x8002af76, Uint8Array.of(0x00, 0x01));
    expect(new VhostVdpaNetDevice(t, 3, 'x86_64').vdpaGetVringNum!()).toBe(256);
    expect((t.calls[0]!.arg as Uint8Array).length).toBe(2);
  });

  it('DESTROY_DEV always passes its full 256-byte argument, however short the name (libvduse)', () => {
    const t = new RecordingTransport();
    new vduse(t, 3, 'x86_64').destroyDev!('blk0');
    const arg = t.calls[0]!.arg as Uint8Array;
    expect(arg.length).toBe(256);
    expect(t.calls[0]!.request).toBe(0x41008103); // _IOW(0x81, 3, char[256]): 1 << 30 | 256 << 16 | 0x81 << 8 | 3
    expect([...arg.subarray(0, 5)]).toEqual([0x62, 0x6c, 0x6b, 0x30, 0]);
  });

  it('a name that does not fit DESTROY_DEV with its NUL is refused before the call', () => {
    const t = new RecordingTransport();
    expect(() => new vduse(t, 3, 'x86_64').destroyDev!('x'.repeat(256))).toThrow(RangeError);
    expect(t.calls).toHaveLength(0);
  });

  it('IOTLB_GET_FD gives the new fd the ioctl returns as well as the entry it filled in', () => {
    const t = new RecordingTransport();
    const entry = new Uint8Array(32);
    new DataView(entry.buffer).setBigUint64(0, 0x2000n, true); // offset
    t.fillNext(0xc0208110, entry, 7); // _IOWR(0x81, 0x10, struct vduse_iotlb_entry): 3 << 30 | 32 << 16 | 0x81 << 8 | 0x10
    const VduseDeviceFd = classOf('VduseDeviceFd');
    const got = new VduseDeviceFd(t, 3, 'x86_64').iotlbGetFd!({ offset: 0n, start: 0n, last: 0xfffn, perm: 0 }) as { result: number; value: { offset: bigint } };
    expect(got.result).toBe(7);
    expect(got.value.offset).toBe(0x2000n);
  });

  it('a refused call throws an IoctlError naming errno, request, number and fd kind', () => {
    const t = new RecordingTransport(() => -16);
    const err = (() => {
      try {
        new VhostVdpaNetDevice(t, 3, 'x86_64').setFeatures!(1n << 32n);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(IoctlError);
    expect(err).toMatchObject({ errno: 16, errnoName: 'EBUSY', request: 'VHOST_SET_FEATURES', number: 0x4008af00, fdKind: 'vhost-vdpa', fd: 3 });
  });
});

describe('message channels', () => {
  it('every record of every channel is read or written whole, in the model\'s bytes, on every ABI', () => {
    let checked = 0;
    for (const ch of view.channels.values()) {
      for (const fd of ch.fds) {
        const cls = classOf(`${pascal(fd)}Fd`);
        for (const rec of ch.records) {
          const name = `${rec.direction}${pascal(rec.type.replace(/^(struct|union) /, ''))}`;
          for (const abi of ABIS) {
            const l = view.layout(abi, rec.type);
            if (!l.ok) throw new Error(l.error);
            const value = sample(view, rec.type, new Rand(checked), abi);
            const bytes = modelBytes(view, abi, rec.type, value, l.layout.size);
            // A kernel that takes a whole record written to it.
            const t = new RecordingTransport((op, _fd, _req, arg) => (op === 'write' ? (arg as Uint8Array).length : 0));
            const client = new cls(t, 9, abi.name);
            if (rec.direction === 'write') {
              expect(client[name]!.call(client, value)).toBe(l.layout.size);
              expect(t.calls[0]).toMatchObject({ op: 'write', fd: 9 });
              expect(Buffer.from(t.calls[0]!.arg as Uint8Array).equals(Buffer.from(bytes)), `${name} ${abi.name}`).toBe(true);
            } else {
              t.answerNext('read', (_op, _fd, _req, buf) => {
                (buf as Uint8Array).set(bytes);
                return bytes.length;
              });
              expect(client[name]!.call(client), `${name} ${abi.name}`).toMatchObject(value);
              expect((t.calls[0]!.arg as Uint8Array).length).toBe(l.layout.size);
            }
            checked++;
          }
        }
      }
    }
    expect(checked).toBeGreaterThanOrEqual(7 * ABIS.length);
  });

  it('a short read or write is an error, and -errno names the channel operation', () => {
    const Dev = classOf('VduseDeviceFd');
    const short = new RecordingTransport(() => 100);
    expect(() => new Dev(short, 4, 'x86_64').readVduseDevRequest!()).toThrow(/read struct vduse_dev_request on vduse-device fd 4: 100 bytes, not 152/);
    const again = new RecordingTransport(() => -11);
    expect(() => new Dev(again, 4, 'x86_64').readVduseDevRequest!()).toThrow(expect.objectContaining({ errnoName: 'EAGAIN', request: 'read', fdKind: 'vduse-device' }) as Error);
  });
});
