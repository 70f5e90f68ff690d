// The codecs on their own: every value of every type round-trips on every ABI (fast-check drives
// the model-derived sample values); values DataView would wrap silently are refused; char arrays
// keep their C rules; padding and reserved bytes are written as zero; the bindings load without
// anything of Node.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../src/model/index.ts';
import { openOk } from '../support/spec.ts';
import { vhostMemoryCodec, vhostMsgV2Codec, vhostVringAddrCodec, vhostFeaturesArrayCodec, VirtioNetFeatures, VirtioDeviceStatus, describeVirtioNetFeatures, describeVirtioDeviceStatus, featureWords, hostAbi, UnsupportedPlatformError } from '../../generated/ts/api/vhost.ts';
import { vduseDevConfigCodec as vduseConfig } from '../../generated/ts/api/vduse.ts';
import { vfioIrqSetCodec } from '../../generated/ts/api/vfio.ts';
import { codecName, codecsOf, GENERATED } from './generated.ts';
import { modelBytes, Rand, sample } from './model-values.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));
const view = spec.at(spec.newest);
const codecs = await codecsOf();
const x86 = ABIS[0]!;

describe('round trips', () => {
  for (const key of view.types.keys()) {
    it(key, () => {
      const table = codecs.get(codecName(key));
      expect(table, `a codec for ${key}`).toBeDefined();
      fc.assert(fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(...ABIS), (seed, abi) => {
        const codec = table![abi.name as 'x86_64'];
        const v = sample(view, key, new Rand(seed), abi);
        const bytes = codec.encode(v);
        // The bytes are the model's (layout proven by the oracle), and decode gives the value back.
        expect(Buffer.from(bytes).equals(Buffer.from(modelBytes(view, abi, key, v, bytes.length)))).toBe(true);
        expect(codec.decode(bytes)).toMatchObject(v);
        // encodeInto a dirty buffer zeroes padding and reserved bytes: the same bytes.
        const dirty = new Uint8Array(bytes.length + 8).fill(0xa5);
        expect(codec.encodeInto(v, dirty, 8)).toBe(bytes.length);
        expect(Buffer.from(dirty.subarray(8)).equals(Buffer.from(bytes))).toBe(true);
      }), { numRuns: 40 });
    });
  }
});

describe('range checks (DataView would wrap these silently)', () => {
  const addr = { index: 1, flags: 0n, descUserAddr: 0x1000n, usedUserAddr: 0x2000n, availUserAddr: 0x3000n, logGuestAddr: 0n };
  const c = vhostVringAddrCodec.x86_64;

  it('accepts the extremes of each type', () => {
    expect(() => c.encode({ ...addr, index: 0xffffffff, descUserAddr: 2n ** 64n - 1n, flags: 0xffffffffn })).not.toThrow();
  });

  it.each([
    ['a negative __u32', { index: -1 }],
    ['a __u32 past 2^32', { index: 2 ** 32 }],
    ['a fraction', { index: 1.5 }],
    ['NaN', { index: Number.NaN }],
    ['-1n in a __u64', { descUserAddr: -1n }],
    ['2^64 + 3 in a __u64', { descUserAddr: 2n ** 64n + 3n }],
    ['a mask past its __u32', { flags: 2n ** 32n }],
  ])('refuses %s', (_what, patch) => {
    expect(() => c.encode({ ...addr, ...patch } as typeof addr)).toThrow(RangeError);
  });

  it('names the field and the type in the error', () => {
    expect(() => c.encode({ ...addr, descUserAddr: -1n })).toThrow('vhost_vring_addr.desc_user_addr: -1n is not a __u64');
  });

  it('vhost_msg_v2 refuses an out-of-range asid and a perm past __u8', () => {
    const iotlb = { iova: 0n, size: 4096n, uaddr: 0n, perm: 3, type: 2 };
    const m = vhostMsgV2Codec.x86_64;
    expect(m.encode({ type: 2, asid: 1, iotlb }).length).toBe(72);
    expect(() => m.encode({ type: 2, asid: -1, iotlb })).toThrow(RangeError);
    expect(() => m.encode({ type: 2, asid: 0, iotlb: { ...iotlb, perm: 256 } })).toThrow(RangeError);
  });
});

describe('char arrays, bytes and flexible arrays', () => {
  const cfg = { name: 'n', vendorId: 0, deviceId: 1, features: 0n, vqNum: 2, vqAlign: 4096, ngroups: 0, nas: 0, configSize: 0, config: new Uint8Array(0) };
  const codec = vduseConfig.x86_64;

  it('a char[256] takes 255 bytes and its NUL, not 256', () => {
    expect(() => codec.encode({ ...cfg, name: 'x'.repeat(255) })).not.toThrow();
    expect(() => codec.encode({ ...cfg, name: 'x'.repeat(256) })).toThrow(RangeError);
    expect(() => codec.encode({ ...cfg, name: 'a\0b' })).toThrow(RangeError);
    // UTF-8 counts bytes: 128 two-byte characters are 256 bytes.
    expect(() => codec.encode({ ...cfg, name: 'é'.repeat(128) })).toThrow(RangeError);
  });

  it('decodes a char array without NUL as all of its bytes', () => {
    const bytes = codec.encode(cfg);
    bytes.fill(0x41, 0, 256);
    expect(codec.decode(bytes).name).toBe('A'.repeat(256));
  });

  it('a flexible array sizes the encoding; its counted-by field must agree', () => {
    const regions = [{ guestPhysAddr: 0n, memorySize: 4096n, userspaceAddr: 0x7f00n }];
    const mem = vhostMemoryCodec.x86_64;
    expect(mem.encode({ nregions: 1, regions }).length).toBe(8 + 32);
    const fa = vhostFeaturesArrayCodec.x86_64;
    expect(fa.encode({ count: 2n, features: [1n, 2n] }).length).toBe(24);
    expect(() => fa.encode({ count: 3n, features: [1n, 2n] })).toThrow(RangeError);
    expect(fa.decode(fa.encode({ count: 2n, features: [5n, 6n] }))).toEqual({ count: 2n, features: [5n, 6n] });
  });

  it('a VFIO argsz left out is the size of the encoding, flexible part included', () => {
    const set = vfioIrqSetCodec.x86_64;
    // struct vfio_irq_set: argsz, flags, index, start, count (5 x __u32 = 20 bytes), then data[].
    const bytes = set.encode({ flags: 0n, index: 1, start: 0, count: 2, data: new Uint8Array(8) });
    expect(bytes.length).toBe(28);
    expect(new DataView(bytes.buffer).getUint32(0, true)).toBe(28);
    expect(new DataView(set.encode({ argsz: 100, flags: 0n, index: 1, start: 0, count: 0, data: new Uint8Array(0) }).buffer).getUint32(0, true)).toBe(100);
  });

  it('reserved fields are not in the types and are written as zero', () => {
    const bytes = vhostMemoryCodec.x86_64.encode({ nregions: 0, regions: [] });
    expect([...bytes]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(Object.keys(vhostMemoryCodec.x86_64.decode(bytes))).toEqual(['nregions', 'regions']);
  });
});

describe('sets', () => {
  it('describe a mask by names, leftovers as hex', () => {
    expect(describeVirtioDeviceStatus(VirtioDeviceStatus.VIRTIO_CONFIG_S_ACKNOWLEDGE | VirtioDeviceStatus.VIRTIO_CONFIG_S_DRIVER | 0x100n)).toEqual(['VIRTIO_CONFIG_S_ACKNOWLEDGE', 'VIRTIO_CONFIG_S_DRIVER', '0x100']);
  });

  it('describe feature bits from a 64-bit mask and from words past 64 bits', () => {
    expect(describeVirtioNetFeatures(1n << BigInt(VirtioNetFeatures.VIRTIO_NET_F_MAC))).toEqual(['VIRTIO_NET_F_MAC']);
    expect(describeVirtioNetFeatures(featureWords(VirtioNetFeatures.VIRTIO_NET_F_CSUM, 70))).toEqual(['VIRTIO_NET_F_CSUM', 'bit 70']);
  });
});

describe('platform', () => {
  it('an unsupported platform is a clear error naming it', async () => {
    const arch = Object.getOwnPropertyDescriptor(process, 'arch')!;
    Object.defineProperty(process, 'arch', { value: 'loong64', configurable: true });
    try {
      // A fresh instance of the module: hostAbi() remembers the answer of the first call.
      // @ts-expect-error the query (a second module instance for vitest) is beyond TypeScript's resolution
      const fresh = (await import('../../generated/ts/abi.ts?unsupported-platform')) as typeof import('../../generated/ts/abi.ts');
      expect(() => fresh.hostAbi()).toThrow(/no ioctl ABI for loong64 \(little-endian\); known: x64 \(little-endian\)/);
      expect(() => fresh.hostAbi()).toThrow(fresh.UnsupportedPlatformError);
    } finally {
      Object.defineProperty(process, 'arch', arch);
    }
  });

  it('the host ABI is the model\'s for this process', () => {
    const arch = process.arch;
    const known = ['x64', 'ia32', 'arm64', 'arm', 'ppc64', 'mips64el', 'mipsel', 's390x', 'riscv64'];
    if (known.includes(arch)) expect(ABIS.map((a) => a.name)).toContain(hostAbi());
    else expect(() => hostAbi()).toThrow(UnsupportedPlatformError);
  });
});

describe('generated/ts imports anywhere', () => {
  it('no module of generated/ts loads node:* or anything outside generated/ts and src/runtime', () => {
    const seen = new Set<string>();
    const todo = readdirSync(GENERATED, { recursive: true }).map(String).filter((f) => f.endsWith('.ts')).map((f) => join(GENERATED, f));
    const outside: string[] = [];
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      for (const m of readFileSync(f, 'utf8').matchAll(/^(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/gm)) {
        if (m[1]) continue; // erased
        const spec = m[2]!;
        if (!spec.startsWith('.')) outside.push(`${f}: ${spec}`);
        else todo.push(resolve(dirname(f), spec));
      }
    }
    const root = resolve(GENERATED, '../..');
    expect(outside).toEqual([]);
    expect([...seen].map((f) => f.slice(root.length + 1)).filter((f) => !f.startsWith('generated/ts/') && !(f.startsWith('src/runtime/') && !f.startsWith('src/runtime/node/')))).toEqual([]);
  });
});
