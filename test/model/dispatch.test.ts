// The executable behaviour model of vhost-vdpa (spec/vhost-backends.yaml, measured on 6.12):
// each call has exactly one outcome, decided by the first check that refuses. Arguments are
// hand-encoded little-endian bytes (x86_64), so the model's field decoding is tested too.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CallInput } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));
const view = viewAt(spec, '6.12');
const vdpa = view.behaviour('vhost-vdpa', 'vhost-vdpa-net');
if (!vdpa) throw new Error('no vhost-vdpa behaviour at 6.12');

const ACK = 0x1n, DRIVER = 0x2n, DRIVER_OK = 0x4n, FEATURES_OK = 0x8n;
/** The device the lab probes: VDUSE net, 2 rings, 1 address space, 12-byte config, no suspend. */
const FACTS = new Map<string, bigint>([
  ['nvqs', 2n], ['nas', 1n], ['config_size', 12n], ['vq_num_max', 256n], ['backend_features', 0b111n], ['max_mem_regions', 64n],
  ['has_suspend', 0n], ['has_resume', 0n], ['has_get_vq_group', 0n], ['has_get_vq_desc_group', 0n],
  ['has_set_group_asid', 0n], ['has_get_vq_size', 0n], ['parent_accepts', (1n << 64n) - 1n], ['cross_endian_legacy', 0n],
]);
const EVENTFD = 7n;
const DEV_NULL = 8n; // open, but not an eventfd

function bytes(...fields: Array<[number, number | bigint]>): Uint8Array {
  const size = fields.reduce((n, [w]) => n + w, 0);
  const b = new Uint8Array(size);
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
const state = (index: number, num: number | bigint): Uint8Array => bytes([4, index], [4, num]);
const file = (index: number, fd: number | bigint): Uint8Array => bytes([4, index], [4, fd]);
const addr = (index: number, flags: number, desc: bigint, used: bigint, avail: bigint, log = 0n): Uint8Array => bytes([4, index], [4, flags], [8, desc], [8, used], [8, avail], [8, log]);
const u64 = (v: bigint): Uint8Array => bytes([8, v]);

function outcome(request: string, arg: Uint8Array | null | undefined, o: { owner?: boolean; status?: bigint; facts?: Record<string, bigint> } = {}): string {
  const facts = new Map(FACTS);
  for (const [k, v] of Object.entries(o.facts ?? {})) facts.set(k, v);
  const input: CallInput = { owner: o.owner ?? true, status: o.status ?? (ACK | DRIVER), arg, facts, eventfds: new Set([EVENTFD]), files: new Set([DEV_NULL]) };
  const r = vdpa!.evaluate(request, input);
  return r.kind === 'decided' ? `${r.result}${r.check ? ` ${r.check.id}` : ''}` : `unmodelled: ${r.reason}`;
}

describe('vhost-vdpa at 6.12: one outcome per call', () => {
  it('SET_FEATURES: the FEATURES_OK gate comes before the argument is read', () => {
    expect(outcome('VHOST_SET_FEATURES', null, { status: ACK | DRIVER | FEATURES_OK })).toBe('EBUSY features-locked');
    expect(outcome('VHOST_SET_FEATURES', null)).toBe('EFAULT copy-features');
    expect(outcome('VHOST_SET_FEATURES', u64(1n << 32n))).toBe('0');
    expect(outcome('VHOST_SET_FEATURES', u64(1n << 32n), { facts: { parent_accepts: 0n } })).toBe('EINVAL parent-refuses-features');
  });
  it('ring requests: owner, then the index read, then its bound, then the request', () => {
    expect(outcome('VHOST_SET_VRING_NUM', state(0, 256), { owner: false })).toBe('EPERM owner');
    expect(outcome('VHOST_SET_VRING_NUM', null)).toBe('EFAULT get-index');
    expect(outcome('VHOST_SET_VRING_NUM', state(2, 256))).toBe('ENOBUFS index-range');
    expect(outcome('VHOST_SET_VRING_NUM', state(1, 256))).toBe('0');
    expect(outcome('VHOST_SET_VRING_NUM', state(0, 0x8000))).toBe('EINVAL ring-over-device-max');
    expect(outcome('VHOST_SET_VRING_NUM', state(0, 0x8000), { facts: { vq_num_max: 0x8000n } })).toBe('0');
    for (const bad of [0, 100, 0x10000]) expect(outcome('VHOST_SET_VRING_NUM', state(0, bad)), String(bad)).toBe('EINVAL ring-size');
  });
  it('SET_VRING_ADDR: flags, then alignment, then the running device', () => {
    const base = 0x7f0000000000n;
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 0, base, base + 8192n, base + 4096n))).toBe('0');
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 2, base, base + 8192n, base + 4096n))).toBe('EOPNOTSUPP addr-flags');
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 1, base, base + 8192n, base + 4096n))).toBe('0'); // 1 << VHOST_VRING_F_LOG
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 0, base, base + 8193n, base + 4096n))).toBe('EINVAL addr-alignment');
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 0, base, base + 8192n, base + 4097n))).toBe('EINVAL addr-alignment');
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 2, base, base + 8192n, base + 4096n), { status: ACK | DRIVER | FEATURES_OK | DRIVER_OK })).toBe('EOPNOTSUPP addr-flags');
    expect(outcome('VHOST_SET_VRING_ADDR', addr(0, 0, base, base + 8192n, base + 4096n), { status: ACK | DRIVER | FEATURES_OK | DRIVER_OK })).toBe('EINVAL ring-running');
  });
  it('eventfd arguments: -1 unbinds, an eventfd binds, anything else is EBADF', () => {
    expect(outcome('VHOST_SET_VRING_KICK', file(0, EVENTFD))).toBe('0');
    expect(outcome('VHOST_SET_VRING_KICK', file(0, -1))).toBe('0');
    expect(outcome('VHOST_SET_VRING_CALL', file(0, 1000))).toBe('EBADF ring-eventfd');
    expect(outcome('VHOST_VDPA_SET_CONFIG_CALL', bytes([4, 1000]))).toBe('EBADF config-call-eventfd');
    // an open file of the wrong kind is not a bad fd number: eventfd_ctx_fileget's EINVAL
    expect(outcome('VHOST_SET_VRING_KICK', file(0, DEV_NULL))).toBe('EINVAL ring-eventfd');
    expect(outcome('VHOST_VDPA_SET_CONFIG_CALL', bytes([4, DEV_NULL]))).toBe('EINVAL config-call-eventfd');
  });
  it('SET_STATUS: bits are only added, or the device is reset', () => {
    expect(outcome('VHOST_VDPA_SET_STATUS', bytes([1, 0x3]), { status: ACK | DRIVER })).toBe('0');
    expect(outcome('VHOST_VDPA_SET_STATUS', bytes([1, 0x2]), { status: ACK | DRIVER })).toBe('EINVAL no-clear-without-reset');
    expect(outcome('VHOST_VDPA_SET_STATUS', bytes([1, 0]), { status: ACK | DRIVER | FEATURES_OK | DRIVER_OK })).toBe('0');
  });
  it('SUSPEND is a no-op before DRIVER_OK and needs the parent op after', () => {
    expect(outcome('VHOST_VDPA_SUSPEND', undefined)).toBe('0 not-running');
    expect(outcome('VHOST_VDPA_SUSPEND', undefined, { status: ACK | DRIVER | FEATURES_OK | DRIVER_OK })).toBe('EOPNOTSUPP suspend-unsupported');
    expect(outcome('VHOST_VDPA_SUSPEND', undefined, { status: ACK | DRIVER | FEATURES_OK | DRIVER_OK, facts: { has_suspend: 1n } })).toBe('0');
  });
  it('SET_BACKEND_FEATURES: unknown bits, then parent capabilities, then DESC_ASID without IOTLB_ASID', () => {
    expect(outcome('VHOST_SET_BACKEND_FEATURES', u64(1n << 0n), { owner: false })).toBe('EOPNOTSUPP unknown-backend-bits');
    expect(outcome('VHOST_SET_BACKEND_FEATURES', u64(0b110n), { owner: false })).toBe('0');
    expect(outcome('VHOST_SET_BACKEND_FEATURES', u64(1n << 4n))).toBe('EOPNOTSUPP suspend-unsupported');
    expect(outcome('VHOST_SET_BACKEND_FEATURES', u64(1n << 7n))).toBe('EINVAL desc-asid-needs-asid');
  });
  it('GET/SET_CONFIG: the window must lie inside the config space', () => {
    const win = (off: number, len: number): Uint8Array => bytes([4, off], [4, len]);
    expect(outcome('VHOST_VDPA_GET_CONFIG', win(0, 6))).toBe('0');
    expect(outcome('VHOST_VDPA_GET_CONFIG', win(6, 6))).toBe('0'); // ends exactly at the end
    expect(outcome('VHOST_VDPA_GET_CONFIG', win(6, 7))).toBe('EINVAL window-outside-config');
    expect(outcome('VHOST_VDPA_SET_CONFIG', win(13, 1))).toBe('EINVAL window-outside-config');
    expect(outcome('VHOST_VDPA_SET_CONFIG', win(0, 0))).toBe('EINVAL window-outside-config');
  });
  it('a request vhost-vdpa does not handle: owner, index read and bound, then ENOTTY', () => {
    expect(outcome('VHOST_NET_SET_BACKEND', file(0, EVENTFD), { owner: false })).toBe('EPERM owner');
    expect(outcome('VHOST_NET_SET_BACKEND', null)).toBe('EFAULT get-index');
    expect(outcome('VHOST_NET_SET_BACKEND', file(5, EVENTFD))).toBe('ENOBUFS index-range');
    expect(outcome('VHOST_NET_SET_BACKEND', file(0, EVENTFD))).toBe('ENOTTY');
    expect(vdpa.path('VHOST_NET_SET_BACKEND').kind).toBe('unhandled');
  });
  it('logging requests are ENOTTY before any owner check; SET_OWNER twice is EBUSY', () => {
    expect(outcome('VHOST_SET_LOG_BASE', null, { owner: false })).toBe('ENOTTY no-logging');
    expect(outcome('VHOST_SET_OWNER', undefined, { owner: true })).toBe('EBUSY has-owner');
    expect(outcome('VHOST_SET_OWNER', undefined, { owner: false })).toBe('0');
  });
  it('the path lists the checks in order, sequences inlined, with where each came from', () => {
    const p = vdpa.path('VHOST_SET_VRING_BASE');
    expect(p.checks.map((c) => c.id)).toEqual(['owner', 'get-index', 'index-range', 'base-range', 'ring-running']);
    expect(p.checks[0]?.from).toBe('sequence vhost-dev-ioctl');
  });
  it('before 6.12 the behaviour is not executable: said so, never guessed', () => {
    const old = viewAt(spec, '6.1').behaviour('vhost-vdpa', 'vhost-vdpa-net');
    const r = old?.evaluate('VHOST_SET_FEATURES', { owner: true, status: 0n, arg: u64(0n), facts: FACTS, eventfds: new Set() });
    expect(r?.kind).toBe('unmodelled');
    expect(old?.executable).toBe(false);
  });
});
