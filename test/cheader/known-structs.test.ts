// Facts about particular declarations of the real headers, per kernel version.
import { describe, expect, it } from 'vitest';
import { parseHeader, type HeaderItem, type Member, type ParsedHeader } from '../../src/cheader/index.ts';
import { dataMembers, findStruct, headerPath, kernel, KERNEL_LABELS, readHeader } from './support.ts';

const cache = new Map<string, ParsedHeader>();
function parse(label: string, header: string): ParsedHeader {
  const key = `${label}/${header}`;
  let r = cache.get(key);
  if (!r) {
    const k = kernel(label);
    r = parseHeader(readHeader(k, header), headerPath(k, header));
    cache.set(key, r);
  }
  return r;
}

/** A compact view of data members: 'type name[dims]' for fields, '<kind> <name|anonymous> {...}' for aggregates. */
function shape(ms: Member[]): unknown[] {
  return dataMembers(ms).map((m) => {
    if (m.kind === 'field') return `${m.type} ${m.name}${m.dims.map((d) => `[${d}]`).join('')}${m.bits !== undefined ? `:${m.bits}` : ''}`;
    if (m.kind === 'struct' || m.kind === 'union') return { [`${m.kind} ${m.name ?? '(anonymous)'}`]: shape(m.members) };
    return m.kind;
  });
}

describe.each(KERNEL_LABELS)('linux %s', (label) => {
  it('vhost_vring_addr: six fields, unsigned int and __u64, with VHOST_VRING_F_LOG after flags', () => {
    const s = findStruct(parse(label, 'vhost_types.h').items, 'vhost_vring_addr');
    expect(shape(s.members)).toEqual([
      'unsigned int index', 'unsigned int flags',
      '__u64 desc_user_addr', '__u64 used_user_addr', '__u64 avail_user_addr', '__u64 log_guest_addr',
    ]);
    expect(s.members.map((m) => m.kind)).toEqual(['field', 'field', 'define', 'field', 'field', 'field', 'field']);
    expect(s.members[2]).toMatchObject({ kind: 'define', name: 'VHOST_VRING_F_LOG', body: '0' });
  });

  it('vhost_msg: type plus an anonymous union of iotlb and padding[64]', () => {
    const s = findStruct(parse(label, 'vhost_types.h').items, 'vhost_msg');
    expect(shape(s.members)).toEqual([
      'int type',
      { 'union (anonymous)': ['struct vhost_iotlb_msg iotlb', '__u8 padding[64]'] },
    ]);
  });

  it('vhost_iotlb_msg: defines kept between the fields they describe', () => {
    const s = findStruct(parse(label, 'vhost_types.h').items, 'vhost_iotlb_msg');
    const order = s.members.map((m) => ('name' in m ? m.name : m.kind));
    expect(order).toEqual([
      'iova', 'size', 'uaddr',
      'VHOST_ACCESS_RO', 'VHOST_ACCESS_WO', 'VHOST_ACCESS_RW',
      'perm',
      'VHOST_IOTLB_MISS', 'VHOST_IOTLB_UPDATE', 'VHOST_IOTLB_INVALIDATE', 'VHOST_IOTLB_ACCESS_FAIL',
      'VHOST_IOTLB_BATCH_BEGIN', 'VHOST_IOTLB_BATCH_END',
      'type',
    ]);
    expect(s.members.find((m) => m.kind === 'define' && m.name === 'VHOST_ACCESS_RW')).toMatchObject({ body: '0x3' });
  });

  it('vfio_device_info: pad appears in 6.x (6.12 and later)', () => {
    const s = findStruct(parse(label, 'vfio.h').items, 'vfio_device_info');
    const base = ['__u32 argsz', '__u32 flags', '__u32 num_regions', '__u32 num_irqs', '__u32 cap_offset'];
    expect(shape(s.members)).toEqual(label === '5.10' || label === '6.1' ? base : [...base, '__u32 pad']);
    expect(s.members.filter((m) => m.kind === 'define').map((m) => ('name' in m ? m.name : ''))).toContain('VFIO_DEVICE_FLAGS_PCI');
  });

  // 5.10 has no vduse.h (it came in 5.15): the test exists only where the header does.
  if (label !== '5.10') it('vduse_dev_request: an anonymous union whose members grow with the API version', () => {
    const s = findStruct(parse(label, 'vduse.h').items, 'vduse_dev_request');
    const union = label === '7.2'
      ? ['struct vduse_vq_state vq_state', 'struct vduse_dev_status s', 'struct vduse_iova_range iova',
        'struct vduse_iova_range_v2 iova_v2', 'struct vduse_vq_group_asid vq_group_asid', '__u32 padding[32]']
      : ['struct vduse_vq_state vq_state', 'struct vduse_dev_status s', 'struct vduse_iova_range iova', '__u32 padding[32]'];
    expect(shape(s.members)).toEqual(['__u32 type', '__u32 request_id', '__u32 reserved[4]', { 'union (anonymous)': union }]);
  });

  it('virtio_net_hdr_v1: a union of an anonymous struct and the named structs csum and rsc', () => {
    const s = findStruct(parse(label, 'virtio_net.h').items, 'virtio_net_hdr_v1');
    expect(shape(s.members)).toEqual([
      '__u8 flags', '__u8 gso_type', '__virtio16 hdr_len', '__virtio16 gso_size',
      {
        'union (anonymous)': [
          { 'struct (anonymous)': ['__virtio16 csum_start', '__virtio16 csum_offset'] },
          { 'struct csum': ['__virtio16 start', '__virtio16 offset'] },
          { 'struct rsc': ['__le16 segments', '__le16 dup_acks'] },
        ],
      },
      '__virtio16 num_buffers',
    ]);
  });

  it('virtio_net.h: packed structs and the VIRTIO_NET_NO_LEGACY block', () => {
    const items = parse(label, 'virtio_net.h').items;
    expect(findStruct(items, 'virtio_net_ctrl_hdr').attributes).toEqual(['__attribute__((packed))']);
    expect(findStruct(items, 'virtio_net_ctrl_mac').attributes).toEqual(['__attribute__((packed))']);
    const legacy = findStruct(items, 'virtio_net_hdr');
    expect(legacy.conds).toEqual([{ directive: 'ifndef', expr: 'VIRTIO_NET_NO_LEGACY' }]);
    expect(findStruct(items, 'virtio_net_config').attributes).toEqual(['__attribute__((packed))']);
    expect(findStruct(items, 'virtio_net_config').conds).toEqual([]);
  });

  // 5.10's vfio.h has no __aligned_u64 fields.
  if (label !== '5.10') it('vfio.h: __aligned_u64 fields keep their spelling', () => {
    const ranges = findStruct(parse(label, 'vfio.h').items, 'vfio_device_feature_dma_logging_control');
    expect(shape(ranges.members)).toEqual(['__aligned_u64 page_size', '__u32 num_ranges', '__u32 __reserved', '__aligned_u64 ranges']);
  });

  it('virtio_ring.h: typedefs with alignment attributes and static inline functions under VIRTIO_RING_NO_LEGACY', () => {
    const items = parse(label, 'virtio_ring.h').items;
    const typedefs = items.filter((i) => i.kind === 'typedef').map((i) => ('name' in i ? i.name : ''));
    expect(typedefs).toEqual(['vring_used_elem_t', 'vring_desc_t', 'vring_avail_t', 'vring_used_t']);
    const fns = items.filter((i): i is Extract<HeaderItem, { kind: 'function' }> => i.kind === 'function');
    expect(fns.map((f) => [f.name, f.conds])).toEqual([
      ['vring_init', [{ directive: 'ifndef', expr: 'VIRTIO_RING_NO_LEGACY' }]],
      ['vring_size', [{ directive: 'ifndef', expr: 'VIRTIO_RING_NO_LEGACY' }]],
      ['vring_need_event', []],
    ]);
    expect(fns[2]?.text).toMatch(/^static __inline__ int vring_need_event \( __u16 event_idx , .* \} *$/);
    expect(shape(findStruct(items, 'vring').members)).toEqual(['unsigned int num', 'vring_desc_t * desc', 'vring_avail_t * avail', 'vring_used_t * used']);
  });

  it('virtio_scsi.h: #ifndef-guarded size macros carry their condition', () => {
    const items = parse(label, 'virtio_scsi.h').items;
    const cdb = items.find((i) => i.kind === 'define' && i.name === 'VIRTIO_SCSI_CDB_SIZE');
    expect(cdb).toMatchObject({ body: 'VIRTIO_SCSI_CDB_DEFAULT_SIZE', conds: [{ directive: 'ifndef', expr: 'VIRTIO_SCSI_CDB_SIZE' }] });
    expect(shape(findStruct(items, 'virtio_scsi_cmd_req').members)).toContain('__u8 cdb[VIRTIO_SCSI_CDB_SIZE]');
  });
});

describe('per-version differences', () => {
  it('5.10 virtio_ring.h includes <stdint.h> (dropped later), unconditionally', () => {
    const inc = parse('5.10', 'virtio_ring.h').items.filter((i) => i.kind === 'include');
    expect(parse('7.2', 'virtio_ring.h').items.some((i) => i.kind === 'include' && i.path === 'stdint.h')).toBe(false);
    expect(inc.map((i) => ['path' in i ? i.path : '', i.conds])).toEqual([
      ['stdint.h', []],
      ['linux/types.h', []],
      ['linux/virtio_types.h', []],
    ]);
  });

  it('vhost_features_array (7.2) has a __counted_by flexible array', () => {
    const s = findStruct(parse('7.2', 'vhost_types.h').items, 'vhost_features_array');
    expect(s.members[1]).toMatchObject({ kind: 'field', type: '__u64', name: 'features', dims: [''], attributes: ['__counted_by(count)'] });
    expect(() => findStruct(parse('6.12', 'vhost_types.h').items, 'vhost_features_array')).toThrow();
  });
});
