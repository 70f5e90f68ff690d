// The executable behaviour of the 2019 vhost-mdev v2 proposal (spec/history/vhost-mdev-v2), read
// from the code quoted in its review: each call's one outcome, and the profile's feature filter
// as a step of the path (GET_FEATURES masked, SET_FEATURES refused). Expectations are worked out
// by hand from the posted drivers/vhost/mdev.c and 5.4's vhost.c; arguments are x86_64 bytes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAbi, type Abi, type Behaviour, type CallInput } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

const DIR = join(import.meta.dirname, '../../spec/history/vhost-mdev-v2');
const FAMILY = 'vhost-mdev-v2.yaml';

/** The v2 spec, optionally with one textual change to its family file. */
function behaviourOf(device: string, from?: string, to?: string): Behaviour {
  const text = readFileSync(join(DIR, FAMILY), 'utf8');
  if (from !== undefined && !text.includes(from)) throw new Error(`${FAMILY} has no '${from}'`);
  const spec = openOk([
    { path: 'project.yaml', text: readFileSync(join(DIR, 'project.yaml'), 'utf8') },
    { path: FAMILY, text: from === undefined ? text : text.replace(from, to ?? '') },
  ]);
  const b = viewAt(spec, '5.4').behaviour('vhost-mdev', device);
  if (!b?.executable) throw new Error(`${device} is not executable`);
  return b;
}

const ABI = findAbi('x86_64') as Abi;
const review = behaviourOf('vhost-mdev-v2');
const posted = behaviourOf('vhost-mdev-v2-net');

const ACK = 0x1n, DRIVER = 0x2n, DRIVER_OK = 0x4n, FEATURES_OK = 0x8n;
const READY = ACK | DRIVER | FEATURES_OK; // rings programmable
const MQ = 1n << 22n, VERSION_1 = 1n << 32n, MAC = 1n << 5n, CSUM = 1n;
const U64 = (1n << 64n) - 1n;
const FACTS = { nvqs: 2n, features: VERSION_1 | MQ | MAC | CSUM, ring_ready: 0n, parent_refuses: 0n };
const EVENTFD = 7n;
const DEV_NULL = 8n;

function le(...fields: Array<[number, number | bigint]>): Uint8Array {
  const b = new Uint8Array(fields.reduce((n, [w]) => n + w, 0));
  const dv = new DataView(b.buffer);
  let at = 0;
  for (const [w, v] of fields) {
    if (w === 1) dv.setUint8(at, Number(v));
    else if (w === 2) dv.setUint16(at, Number(v), true);
    else if (w === 4) dv.setUint32(at, Number(BigInt.asUintN(32, BigInt(v))), true);
    else dv.setBigUint64(at, BigInt.asUintN(64, BigInt(v)), true);
    at += w;
  }
  return b;
}
const state = (index: number, num: number): Uint8Array => le([4, index], [4, num]);
const u64 = (v: bigint): Uint8Array => le([8, v]);

interface Call { owner?: boolean; status?: bigint; facts?: Partial<typeof FACTS> }

function input(arg: Uint8Array | null | undefined, c: Call): CallInput {
  return {
    owner: c.owner ?? true,
    status: c.status ?? READY,
    arg,
    facts: new Map(Object.entries({ ...FACTS, ...c.facts })),
    eventfds: new Set([EVENTFD]),
    files: new Set([DEV_NULL]),
  };
}

function outcome(b: Behaviour, request: string, arg: Uint8Array | null | undefined, c: Call = {}): string {
  const r = b.evaluate(request, input(arg, c));
  return r.kind === 'decided' ? `${r.result}${r.check ? ` ${r.check.id}` : ''}` : `unmodelled: ${r.reason}`;
}

describe('vhost-mdev v2 (2019 proposal): one outcome per call, in the posted code order', () => {
  it('ring requests: owner (vhost_dev_ioctl), index read, index bound, FEATURES_OK-and-not-DRIVER_OK, then the ready ring', () => {
    for (const b of [review, posted]) {
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(5, 0), { owner: false, status: 0n })).toBe('EPERM owner');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', null, { status: 0n })).toBe('EFAULT get-index');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(2, 0), { status: 0n })).toBe('ENOBUFS index-range');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(1, 0), { status: ACK | DRIVER })).toBe('EPERM rings-programmable');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(1, 0), { status: READY | DRIVER_OK })).toBe('EPERM rings-programmable');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(1, 0))).toBe('EINVAL ring-size');
      expect(outcome(b, 'VHOST_SET_VRING_NUM', state(1, 256))).toBe('0');
    }
  });

  it('the ready check reads the addressed ring only (ring_ready is a mask of rings)', () => {
    // Ring 1 ready (mask 0b10): ring 1 is busy, ring 0 is not.
    expect(outcome(review, 'VHOST_SET_VRING_NUM', state(1, 256), { facts: { ring_ready: 2n } })).toBe('EPERM ring-busy');
    expect(outcome(review, 'VHOST_SET_VRING_NUM', state(0, 256), { facts: { ring_ready: 2n } })).toBe('0');
    expect(outcome(review, 'VHOST_GET_VRING_BASE', state(1, 0), { facts: { ring_ready: 2n } })).toBe('EPERM ring-busy');
    // A ring past the mask's 64 bits is never busy: C's && does not evaluate the shift by 77, and
    // neither does the model (which refuses a shift past the width where one is evaluated).
    expect(outcome(review, 'VHOST_SET_VRING_NUM', state(77, 256), { facts: { nvqs: 80n, ring_ready: U64 } })).toBe('0');
    expect(outcome(review, 'VHOST_SET_VRING_NUM', state(63, 256), { facts: { nvqs: 80n, ring_ready: 1n << 63n } })).toBe('EPERM ring-busy');
    // SET_VRING_ENABLE is handled before the ready check: it is how a ring is disabled.
    expect(outcome(review, 'VHOST_MDEV_SET_VRING_ENABLE', state(1, 0), { facts: { ring_ready: 2n } })).toBe('0');
    // ...but not before the status gate.
    expect(outcome(review, 'VHOST_MDEV_SET_VRING_ENABLE', state(1, 1), { status: READY | DRIVER_OK })).toBe('EPERM rings-programmable');
  });

  it('SET_VRING_ADDR and SET_VRING_BASE: generic 5.4 checks, then the parent refusal as ENODEV', () => {
    const a = (flags: number, avail: bigint, used: bigint): Uint8Array => le([4, 0], [4, flags], [8, 0x1000n], [8, used], [8, avail], [8, 0n]);
    expect(outcome(review, 'VHOST_SET_VRING_ADDR', a(2, 0x2000n, 0x3000n))).toBe('EOPNOTSUPP addr-flags');
    expect(outcome(review, 'VHOST_SET_VRING_ADDR', a(1, 0x2001n, 0x3000n))).toBe('EINVAL addr-alignment');
    expect(outcome(review, 'VHOST_SET_VRING_ADDR', a(1, 0x2000n, 0x3002n))).toBe('EINVAL addr-alignment');
    expect(outcome(review, 'VHOST_SET_VRING_ADDR', a(1, 0x2000n, 0x3000n))).toBe('0');
    expect(outcome(review, 'VHOST_SET_VRING_ADDR', a(1, 0x2000n, 0x3000n), { facts: { parent_refuses: 1n } })).toBe('ENODEV parent-refuses-addr');
    expect(outcome(review, 'VHOST_SET_VRING_BASE', state(0, 0x10000))).toBe('EINVAL base-range');
    expect(outcome(review, 'VHOST_SET_VRING_BASE', state(0, 0xffff), { facts: { parent_refuses: 1n } })).toBe('ENODEV parent-refuses-base');
  });

  it('eventfds: -1 unbinds, a number that is no fd is EBADF, another file EINVAL', () => {
    const f = (fd: bigint): Uint8Array => le([4, 0], [4, fd]);
    expect(outcome(review, 'VHOST_SET_VRING_KICK', f(-1n))).toBe('0');
    expect(outcome(review, 'VHOST_SET_VRING_KICK', f(EVENTFD))).toBe('0');
    expect(outcome(review, 'VHOST_SET_VRING_CALL', f(1000n))).toBe('EBADF ring-eventfd');
    expect(outcome(review, 'VHOST_SET_VRING_CALL', f(DEV_NULL))).toBe('EINVAL ring-eventfd');
  });

  it('status, owner and getters need no owner; SET_STATUS only adds bits to the cached status, or resets', () => {
    expect(outcome(review, 'VHOST_MDEV_GET_STATUS', new Uint8Array(1), { owner: false })).toBe('0');
    expect(outcome(review, 'VHOST_MDEV_GET_STATUS', null)).toBe('EFAULT copy-out');
    expect(outcome(review, 'VHOST_MDEV_SET_STATUS', le([1, Number(ACK)]), { owner: false, status: READY })).toBe('EINVAL no-clear-without-reset');
    expect(outcome(review, 'VHOST_MDEV_SET_STATUS', le([1, 0]), { status: READY })).toBe('0');
    expect(outcome(review, 'VHOST_MDEV_SET_STATUS', le([1, Number(READY | DRIVER_OK)]), { status: READY })).toBe('0');
    expect(outcome(review, 'VHOST_MDEV_GET_QUEUE_NUM', new Uint8Array(4), { owner: false })).toBe('0');
    expect(outcome(review, 'VHOST_SET_OWNER', undefined, { owner: true })).toBe('EBUSY has-owner');
    expect(outcome(review, 'VHOST_SET_OWNER', undefined, { owner: false })).toBe('0');
  });

  it('VHOST_RESET_OWNER is not handled by v2: it takes the ring path, then ENOTTY', () => {
    expect(review.accepted.has('VHOST_RESET_OWNER')).toBe(false);
    expect(review.path('VHOST_RESET_OWNER').kind).toBe('unhandled');
    expect(outcome(review, 'VHOST_RESET_OWNER', state(0, 0), { owner: false })).toBe('EPERM owner');
    expect(outcome(review, 'VHOST_RESET_OWNER', state(3, 0))).toBe('ENOBUFS index-range');
    expect(outcome(review, 'VHOST_RESET_OWNER', state(0, 0), { status: ACK })).toBe('EPERM rings-programmable');
    expect(outcome(review, 'VHOST_RESET_OWNER', state(0, 0))).toBe('ENOTTY');
  });
});

describe('every v2 request has one outcome (what the lab compares the module with)', () => {
  it('for each request of the spec, owner or not, in every status the walk reaches, with NULL and with bytes', () => {
    const spec = openOk(DIR);
    const view = viewAt(spec, '5.4');
    let decided = 0;
    for (const b of [review, posted]) {
      for (const r of view.requests) {
        const size = r.item.argType ? view.argSize(r, ABI) : 0;
        const args: Array<Uint8Array | null> = [null, new Uint8Array(Math.max(size, 8))];
        for (const arg of args) for (const owner of [false, true]) for (const status of [0n, ACK | DRIVER, READY, READY | DRIVER_OK]) {
          const o = b.evaluate(r.item.name, input(arg, { owner, status }));
          expect(o.kind, `${r.item.name} ${arg ? 'bytes' : 'NULL'} owner=${owner} status=${status}`).toBe('decided');
          decided++;
        }
      }
    }
    // 15 requests x 2 profiles x 2 arguments x 2 owners x 4 states.
    expect(decided).toBe(15 * 2 * 2 * 2 * 4);
  });
});

describe('the feature filter as steps of the path', () => {
  it('SET_FEATURES as posted: FEATURES_OK gate before the read, bits outside the device, parent refusal', () => {
    expect(outcome(posted, 'VHOST_SET_FEATURES', null, { status: READY })).toBe('EPERM features-locked');
    expect(outcome(posted, 'VHOST_SET_FEATURES', null, { status: ACK | DRIVER })).toBe('EFAULT copy-features');
    // No filter: MQ, which the parent offers, is accepted.
    expect(outcome(posted, 'VHOST_SET_FEATURES', u64(VERSION_1 | MQ), { status: ACK | DRIVER })).toBe('0');
    expect(outcome(posted, 'VHOST_SET_FEATURES', u64(VERSION_1 | (1n << 33n)), { status: ACK | DRIVER })).toBe('EINVAL features-outside-device');
    expect(outcome(posted, 'VHOST_SET_FEATURES', u64(VERSION_1), { status: ACK | DRIVER, facts: { parent_refuses: 1n } })).toBe('ENODEV parent-refuses-features');
  });

  it("the review's blacklist refuses MQ on SET_FEATURES (EINVAL) even though the parent offers it", () => {
    expect(outcome(review, 'VHOST_SET_FEATURES', u64(VERSION_1 | MQ), { status: ACK | DRIVER })).toBe('EINVAL refuse-filtered');
    expect(outcome(review, 'VHOST_SET_FEATURES', u64(VERSION_1 | MAC), { status: ACK | DRIVER })).toBe('0');
    // The locked gate still comes first, the read second.
    expect(outcome(review, 'VHOST_SET_FEATURES', u64(MQ), { status: READY })).toBe('EPERM features-locked');
    expect(outcome(review, 'VHOST_SET_FEATURES', null, { status: ACK | DRIVER })).toBe('EFAULT copy-features');
  });

  it('GET_FEATURES: the answer is masked by the blacklist (every bit but 22), unmasked as posted', () => {
    const r = review.evaluate('VHOST_GET_FEATURES', input(new Uint8Array(8), {}));
    expect(r.kind === 'decided' && r.result).toBe('0');
    // ~(1 << 22) over 64 bits, worked out by hand: 0xffffffffffbfffff.
    expect(r.kind === 'decided' && r.answerMask).toBe(0xffffffffffbfffffn);
    expect(r.kind === 'decided' && (FACTS.features & (r.answerMask ?? U64))).toBe(VERSION_1 | MAC | CSUM);
    const p = posted.evaluate('VHOST_GET_FEATURES', input(new Uint8Array(8), {}));
    expect(p.kind === 'decided' && p.answerMask).toBeUndefined();
    // A failed copy-out is no success: no mask to apply.
    const f = review.evaluate('VHOST_GET_FEATURES', input(null, {}));
    expect(f.kind === 'decided' && [f.result, f.answerMask]).toEqual(['EFAULT', undefined]);
  });

  it("an allow-list (v3's design) passes only its bits: GET keeps them, SET refuses the rest", () => {
    const allow = behaviourOf('vhost-mdev-v2', 'feature-blacklist: [VIRTIO_NET_F_MQ]', 'feature-allowlist: [VIRTIO_F_VERSION_1, VIRTIO_NET_F_MAC]');
    const r = allow.evaluate('VHOST_GET_FEATURES', input(new Uint8Array(8), {}));
    expect(r.kind === 'decided' && r.answerMask).toBe((1n << 32n) | (1n << 5n));
    expect(outcome(allow, 'VHOST_SET_FEATURES', u64(VERSION_1 | MAC), { status: ACK | DRIVER })).toBe('0');
    expect(outcome(allow, 'VHOST_SET_FEATURES', u64(VERSION_1 | CSUM), { status: ACK | DRIVER })).toBe('EINVAL refuse-filtered');
  });

  it('a filter check on a request without a scalar argument is a spec error', () => {
    expect(() => behaviourOf('vhost-mdev-v2', '          - { check: copy-state, read: arg, source: v2 drivers/vhost/mdev.c vhost_mdev_vring_ioctl }',
      '          - { check: copy-state, read: arg }\n          - { check: odd-filter, feature-filter: arg, error: EINVAL }')).toThrow(/odd-filter.*VHOST_MDEV_SET_VRING_ENABLE.*not a scalar/s);
  });
});
