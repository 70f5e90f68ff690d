// Real history: the spec projected at each consecutive pair of its kernel versions, and the
// 2019 vhost-mdev proposals v1 -> v2 -> v3. Every verdict below that is not "compatible" was
// checked by hand against the kernel's history (docs/compat-rules.md, "Real transitions");
// the lists are exact, so a missed break or a false alarm fails the test.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { diff, only, ROOT, specCopy, sub, verdicts } from './support.ts';

const ALL = 17;

describe('spec 5.10 -> 6.1', async () => {
  const r = await diff('spec@5.10', 'spec@6.1');
  it('has the VFIO migration v1 break and the migration renames, nothing else', () => {
    expect(verdicts(r)).toEqual([
      'constant-redefined VFIO_DEVICE_STATE_RESUMING',
      'constant-renamed VFIO_DEVICE_STATE_SAVING',
      'constant-renamed VFIO_REGION_SUBTYPE_MIGRATION',
      'constant-renamed VFIO_REGION_TYPE_MIGRATION',
      'constant-value-changed VFIO_DEVICE_STATE_RUNNING',
      'constant-value-changed VFIO_DEVICE_STATE_STOP',
    ]);
  });
  it('the v1 state values changed meaning: wire breaks on every ABI', () => {
    const stop = only(r, 'constant-value-changed', 'VFIO_DEVICE_STATE_STOP');
    expect(stop.severity).toBe('wire-break');
    expect(stop.witnesses).toEqual([{ old: '0', new: '1' }]);
    expect(stop.abis).toHaveLength(ALL);
    expect(only(r, 'constant-value-changed', 'VFIO_DEVICE_STATE_RUNNING').witnesses).toEqual([{ old: '1', new: '2' }]);
    expect(only(r, 'constant-renamed', 'VFIO_DEVICE_STATE_SAVING').message).toContain('VFIO_DEVICE_STATE_V1_SAVING');
  });
  it('carve-outs, sentinels and flexible arrays are compatible', () => {
    expect(only(r, 'reserved-carved', 'struct vhost_msg_v2').message).toContain('asid carved out of reserved');
    expect(only(r, 'sentinel-moved', 'VFIO_CCW_NUM_IRQS').witnesses).toEqual([{ old: '2', new: '3' }]);
    expect(only(r, 'member-retyped', 'struct vhost_memory.regions').severity).toBe('compatible');
  });
  it('a set that moved to a header the old one includes is not a finding', () => {
    expect(r.findings.filter((f) => f.item === 'VHOST_BACKEND_F_IOTLB_MSG_V2' || f.item === 'VHOST_BACKEND_F_IOTLB_BATCH')).toEqual([]);
  });
});

describe('spec 6.1 -> 6.12', async () => {
  const r = await diff('spec@6.1', 'spec@6.12');
  it('has the ring-address and ring-base gates of vhost-vdpa, nothing else', () => {
    expect(verdicts(r)).toEqual(['gate-added VHOST_SET_VRING_ADDR@vhost-vdpa', 'gate-added VHOST_SET_VRING_BASE@vhost-vdpa']);
    expect(only(r, 'gate-added', 'VHOST_SET_VRING_ADDR@vhost-vdpa').message).toContain('refused when VIRTIO_CONFIG_S_DRIVER_OK is set (EINVAL)');
  });
  it('argsz structs that grew (at the end, or on 32-bit ABIs through __aligned_u64) are compatible', () => {
    expect(only(r, 'struct-grew', 'struct vfio_device_info').abis).toHaveLength(ALL);
    const io = only(r, 'struct-grew', 'struct vfio_device_ioeventfd');
    expect(io.abis).toEqual(['i386', 'm68k', 'sh4']);
    expect(io.witnesses.find((w) => w.abi === 'i386')).toEqual({ abi: 'i386', old: '28', new: '32' });
    expect(only(r, 'member-added', 'struct vfio_device_ioeventfd.reserved').abis).toHaveLength(ALL - 3);
  });
});

describe('spec 6.12 -> 7.2', async () => {
  const r = await diff('spec@6.12', 'spec@7.2');
  it('has the nesting-IOMMU rename, the hash_value split and the ASID gate', () => {
    expect(verdicts(r)).toEqual([
      'check-changed VHOST_VDPA_SET_GROUP_ASID@vhost-vdpa parent-refuses-asid',
      'constant-renamed VFIO_TYPE1_NESTING_IOMMU',
      'gate-added VHOST_VDPA_SET_GROUP_ASID@vhost-vdpa',
      'member-removed struct virtio_net_hdr_v1_hash.hash_value',
    ]);
    expect(only(r, 'constant-renamed', 'VFIO_TYPE1_NESTING_IOMMU').message).toContain('__VFIO_RESERVED_TYPE1_NESTING_IOMMU (value 6)');
  });
  it('VDUSE API v1 carved its fields out of reserved bytes the kernel checks are zero', () => {
    for (const s of ['struct vduse_dev_config', 'struct vduse_iova_info', 'struct vduse_iova_umem', 'struct vduse_vq_config']) expect(only(r, 'reserved-carved', s).severity).toBe('compatible');
    expect(r.findings.filter((f) => f.item.startsWith('struct vduse_') && f.severity !== 'compatible')).toEqual([]);
  });
  it('iommufd structs grew at the end of their argsz: compatible', () => {
    expect(only(r, 'struct-grew', 'struct vfio_device_bind_iommufd').witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '16', new: '24' });
  });
  it('the removed member points at its tombstone', () => {
    const f = only(r, 'member-removed', 'struct virtio_net_hdr_v1_hash.hash_value');
    expect(f.tombstone).toBe(true);
    expect(f.head?.file).toBe('spec/virtio-net.yaml');
  });
});

describe('spec 7.2 -> 7.3', async () => {
  const r = await diff('spec@7.2', 'spec@7.3');
  it('only adds', () => {
    expect(verdicts(r)).toEqual([]);
    expect(r.findings.every((f) => f.severity === 'compatible')).toBe(true);
  });
});

describe('the spec against itself', () => {
  it('every version of the spec compared with itself has no finding', async () => {
    const r = await diff('spec', 'spec');
    expect(r.pairs.map((p) => p.head)).toEqual(['5.10', '6.1', '6.12', '7.2', '7.3']);
    expect(r.findings).toEqual([]);
  });
});

describe('vhost-mdev v1 -> v2 (22 Oct 2019): SET_STATE gives way to status bits', async () => {
  const r = await diff('spec/history/vhost-mdev-v1', 'spec/history/vhost-mdev-v2');
  it('has exactly these verdicts', () => {
    expect(verdicts(r)).toEqual([
      'constant-removed VHOST_MDEV_S_MAX',
      'constant-removed VHOST_MDEV_S_RUNNING',
      'constant-removed VHOST_MDEV_S_STOPPED',
      // The closest name pairs v1's profile with the review design (vhost-mdev-v2); v2 as posted is an added profile.
      'device-id-changed device vhost-mdev-v2',
      'device-queues-limited device vhost-mdev-v2',
      'device-request-dropped VHOST_MDEV_SET_STATE@vhost-mdev-v2',
      'device-request-dropped VHOST_RESET_OWNER@vhost-mdev-v2',
      'gate-added VHOST_SET_VRING_ADDR@vhost-mdev',
      'gate-added VHOST_SET_VRING_BASE@vhost-mdev',
      'gate-added VHOST_SET_VRING_CALL@vhost-mdev',
      'gate-added VHOST_SET_VRING_KICK@vhost-mdev',
      'gate-added VHOST_SET_VRING_NUM@vhost-mdev',
      'quirk-added quirk parent-refusal-is-enodev@vhost-mdev',
      'quirk-added quirk reset-owner-unhandled@vhost-mdev',
      'quirk-added quirk ring-busy-while-ready@vhost-mdev',
      'request-removed VHOST_MDEV_SET_STATE',
    ]);
  });
  it('SET_STATE (0x4008af70 on x86_64) is gone, and no new request reuses its number', () => {
    expect(only(r, 'request-removed', 'VHOST_MDEV_SET_STATE').witnesses.find((w) => w.abi === 'x86_64')?.old).toBe('0x4008af70');
    expect(r.findings.filter((f) => f.rule === 'request-number-reused')).toEqual([]);
  });
  it('ring requests now need FEATURES_OK without DRIVER_OK (EPERM)', () => {
    // v1 states rules and v2 an executable dispatch: only the requests v1's rules name are
    // compared (SET_FEATURES' new EPERM gate is in test/model/dispatch-v2.test.ts).
    expect(only(r, 'gate-added', 'VHOST_SET_VRING_NUM@vhost-mdev').message).toContain('refused unless VIRTIO_CONFIG_S_FEATURES_OK is set, refused when VIRTIO_CONFIG_S_DRIVER_OK is set (EPERM)');
  });
});

describe('vhost-mdev v2 -> v3 (29 Oct 2019): renumbered, allow-list, EBUSY', async () => {
  const r = await diff('spec/history/vhost-mdev-v2', 'spec/history/vhost-mdev-v3');
  it('renumbers four requests (numbers from docs/vhost-mdev.md) and drops GET_QUEUE_NUM', () => {
    const x86 = (name: string) => only(r, 'request-number-changed', name).witnesses.find((w) => w.abi === 'x86_64');
    expect(x86('VHOST_MDEV_GET_STATUS')).toEqual({ abi: 'x86_64', old: '0x4001af70', new: '0x8001af71' });
    expect(x86('VHOST_MDEV_SET_STATUS')).toEqual({ abi: 'x86_64', old: '0x4001af71', new: '0x4001af72' });
    expect(x86('VHOST_MDEV_SET_VRING_ENABLE')).toEqual({ abi: 'x86_64', old: '0x4008af72', new: '0x4008af75' });
    expect(x86('VHOST_MDEV_GET_VRING_NUM')).toEqual({ abi: 'x86_64', old: '0x4002af73', new: '0x8002af76' });
    expect(only(r, 'request-removed', 'VHOST_MDEV_GET_QUEUE_NUM').severity).toBe('wire-break');
  });
  it('the allow-list withholds exactly the bits it does not list, MQ among them', () => {
    expect(verdicts(r, ['behaviour-break']).filter((v) => v.startsWith('feature-withheld'))).toEqual([
      'feature-withheld VIRTIO_F_SR_IOV@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_GUEST_OFFLOADS@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_MAC_ADDR@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_RX@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_RX_EXTRA@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_VLAN@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_CTRL_VQ@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_GUEST_ANNOUNCE@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_MQ@vhost-mdev-v3-net',
      'feature-withheld VIRTIO_NET_F_STANDBY@vhost-mdev-v3-net',
    ]);
  });
  it('has exactly these other verdicts (the review: EPERM becomes EBUSY)', () => {
    expect(verdicts(r).filter((v) => !v.startsWith('feature-withheld'))).toEqual([
      'device-removed device vhost-mdev-v2',
      'device-request-dropped VHOST_MDEV_GET_QUEUE_NUM@vhost-mdev-v3-net',
      'gate-errno-changed VHOST_GET_VRING_BASE@vhost-mdev',
      'gate-errno-changed VHOST_MDEV_SET_VRING_ENABLE@vhost-mdev',
      'gate-errno-changed VHOST_SET_FEATURES@vhost-mdev',
      'gate-errno-changed VHOST_SET_VRING_ADDR@vhost-mdev',
      'gate-errno-changed VHOST_SET_VRING_BASE@vhost-mdev',
      'gate-errno-changed VHOST_SET_VRING_CALL@vhost-mdev',
      'gate-errno-changed VHOST_SET_VRING_KICK@vhost-mdev',
      'gate-errno-changed VHOST_SET_VRING_NUM@vhost-mdev',
      'quirk-added quirk features-outside-allowlist@vhost-mdev',
      'quirk-changed quirk parent-refusal-is-enodev@vhost-mdev',
      'quirk-errno-changed quirk ring-busy-while-ready@vhost-mdev',
      'quirk-removed quirk features-outside-device@vhost-mdev',
      'quirk-removed quirk get-status-refreshes-cache@vhost-mdev',
      'quirk-removed quirk reset-owner-unhandled@vhost-mdev',
      'request-number-changed VHOST_MDEV_GET_STATUS',
      'request-number-changed VHOST_MDEV_GET_VRING_NUM',
      'request-number-changed VHOST_MDEV_SET_STATUS',
      'request-number-changed VHOST_MDEV_SET_VRING_ENABLE',
      'request-removed VHOST_MDEV_GET_QUEUE_NUM',
    ]);
    expect(only(r, 'gate-errno-changed', 'VHOST_SET_FEATURES@vhost-mdev').witnesses).toEqual([{ old: 'EPERM', new: 'EBUSY' }]);
  });
});

describe('the 2019 review debate: MQ leaving the blacklist of the review profile', () => {
  it('is a behaviour change: the feature is newly offered', async () => {
    const head = specCopy(join(ROOT, 'spec/history/vhost-mdev-v2'), sub('feature-blacklist: [VIRTIO_NET_F_MQ]', 'feature-blacklist: []'), 'vhost-mdev-v2.yaml');
    const r = await diff('spec/history/vhost-mdev-v2', head);
    expect(verdicts(r)).toEqual(['feature-newly-offered VIRTIO_NET_F_MQ@vhost-mdev-v2']);
    expect(only(r, 'feature-newly-offered').severity).toBe('behaviour-change');
  });
});
