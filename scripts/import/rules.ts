// How each UAPI header's #defines group into the spec's constant sets, and what each request
// really passes (scope, data direction, quirks). Facts: the headers themselves and the
// kernel sources that handle each request (drivers/vhost, drivers/vdpa, drivers/vfio).
import type { ImportRules } from '../../src/import/convert.ts';

const VHOST_ALL = ['vhost-net', 'vhost-scsi', 'vhost-vsock', 'vhost-vdpa'];
const VHOST_WORKERS = ['vhost-net', 'vhost-scsi', 'vhost-vsock'];
const GETTER_IOW = 'encoded _IOW, but the kernel copies the result back to the caller (kept: the number is ABI)';

export interface HeaderPlan {
  header: string;
  family: string;
  doc: string;
  imports: string[];
  rules: ImportRules;
  /** Constants from headers outside the spec that these declarations use. */
  externals?: Array<{ name: string; value: number; header: string; doc: string }>;
}

export const PLANS: HeaderPlan[] = [
  {
    header: 'linux/virtio_ids.h', family: 'virtio-ids', imports: [],
    doc: 'Virtio device type identifiers, as reported by VHOST_VDPA_GET_DEVICE_ID and used by vDPA device profiles.',
    rules: { sets: [{ match: '^VIRTIO_ID_', kind: 'values', id: 'virtio-device-ids' }, { match: '^VIRTIO_TRANS_ID_', kind: 'values', id: 'virtio-transitional-ids' }] },
  },
  {
    header: 'linux/virtio_config.h', family: 'virtio-config', imports: [],
    doc: 'Virtio device status bits and transport feature bits shared by every virtio device type.',
    rules: {
      sets: [
        { match: '^VIRTIO_CONFIG_S_', kind: 'status', id: 'virtio-device-status' },
        { match: '^VIRTIO_(F_|TRANSPORT_F_)', kind: 'features', id: 'virtio-transport-features' },
      ],
    },
  },
  {
    header: 'linux/virtio_net.h', family: 'virtio-net', imports: ['virtio-ids', 'virtio-config'],
    externals: [{ name: 'ETH_ALEN', value: 6, header: 'linux/if_ether.h', doc: 'Octets in one Ethernet address.' }],
    doc: 'Virtio network device: feature bits, configuration layout, packet headers and control-queue commands.',
    rules: {
      sets: [
        { match: '^VIRTIO_NET_F_', kind: 'features', id: 'virtio-net-features' },
        { match: '^VIRTIO_NET_S_', kind: 'flags', id: 'virtio-net-link-status' },
      ],
    },
  },
  {
    header: 'linux/virtio_scsi.h', family: 'virtio-scsi', imports: ['virtio-config'],
    doc: 'Virtio SCSI host: feature bits, request and event layouts, response codes.',
    rules: { sets: [{ match: '^VIRTIO_SCSI_F_', kind: 'features', id: 'virtio-scsi-features' }] },
  },
  {
    header: 'linux/virtio_ring.h', family: 'virtio-ring', imports: [],
    doc: 'Virtio split and packed ring layouts: descriptors, available and used rings, packed-ring event suppression, and their flags.',
    rules: {
      sets: [
        { match: '^VRING_DESC_F_', kind: 'flags', id: 'vring-desc-flags' },
        { match: '^VRING_PACKED_DESC_F_', kind: 'values', id: 'vring-packed-desc-flag-shifts' },
        { match: '^VRING_PACKED_EVENT_FLAG_', kind: 'values', id: 'vring-packed-event-flags' },
        { match: '^VIRTIO_RING_F_', kind: 'features', id: 'virtio-ring-features' },
      ],
    },
  },
  {
    header: 'linux/vhost_types.h', family: 'vhost-types', imports: ['virtio-config'],
    doc: 'Types shared by the vhost ioctls and the vhost IOTLB message channel.',
    rules: {
      sets: [
        { match: '^VHOST_ACCESS_', kind: 'values', id: 'vhost-iotlb-access' },
        { match: '^VHOST_IOTLB_(MISS|UPDATE|INVALIDATE|ACCESS_FAIL|BATCH_BEGIN|BATCH_END)$', kind: 'values', id: 'vhost-iotlb-types' },
        { match: '^VHOST_IOTLB_MSG(_V2)?$', kind: 'values', id: 'vhost-msg-types' },
        { match: '^VHOST_BACKEND_F_', kind: 'features', id: 'vhost-backend-features' },
        { match: '^VHOST_(F_LOG_ALL|NET_F_VIRTIO_NET_HDR)$', kind: 'features', id: 'vhost-features' },
      ],
    },
  },
  {
    header: 'linux/vhost.h', family: 'vhost', imports: ['vhost-types'],
    doc: 'The vhost character devices (vhost-net, vhost-scsi, vhost-vsock, vhost-vdpa): ioctls that set up virtqueues, memory, features and device state.',
    rules: {
      sets: [
        { match: '^VHOST_VRING_(LITTLE|BIG)_ENDIAN$', kind: 'values', id: 'vhost-vring-endian' },
        { match: '^VHOST_FORK_OWNER_', kind: 'values', id: 'vhost-fork-owner' },
        { match: '^VHOST_BACKEND_F_', kind: 'features', id: 'vhost-backend-features' },
      ],
      requests: [
        { match: '^VHOST_(GET_VRING_ENDIAN|GET_VRING_BUSYLOOP_TIMEOUT)$', add: { data: 'inout', quirk: GETTER_IOW, scope: VHOST_ALL } },
        { match: '^VHOST_SCSI_(GET_ABI_VERSION|GET_EVENTS_MISSED)$', add: { data: 'out', quirk: GETTER_IOW, scope: ['vhost-scsi'] } },
        { match: '^VHOST_GET_VRING_BASE$', add: { scope: VHOST_ALL } },
        { match: '^VHOST_(NEW|FREE)_WORKER$|^VHOST_(ATTACH|GET)_VRING_WORKER$', add: { scope: VHOST_WORKERS } },
        { match: '^VHOST_(SET|GET)_FORK_FROM_OWNER$', add: { scope: VHOST_ALL } },
        { match: '^VHOST_(SET_LOG_BASE|SET_LOG_FD)$', add: { scope: VHOST_WORKERS } },
        { match: '^VHOST_(GET|SET)_FEATURES_ARRAY$', add: { scope: VHOST_ALL } },
        { match: '^VHOST_(GET|SET)_BACKEND_FEATURES$', add: { scope: ['vhost-net', 'vhost-vsock', 'vhost-vdpa'] } },
        { match: '^VHOST_NET_', add: { scope: ['vhost-net'] } },
        { match: '^VHOST_SCSI_', add: { scope: ['vhost-scsi'] } },
        { match: '^VHOST_VSOCK_', add: { scope: ['vhost-vsock'] } },
        { match: '^VHOST_VDPA_', add: { scope: ['vhost-vdpa'] } },
        { match: '^VHOST_', add: { scope: VHOST_ALL } },
      ],
    },
  },
  {
    header: 'linux/vduse.h', family: 'vduse', imports: [],
    doc: 'VDUSE: vDPA devices implemented in userspace. A control device creates them; each device fd serves virtqueue setup, IOTLB access and request messages.',
    rules: {
      sets: [
        { match: '^VDUSE_API_VERSION', kind: 'values', id: 'vduse-api-versions' },
        { match: '^VDUSE_F_', kind: 'features', id: 'vduse-features' },
        { match: '^VDUSE_ACCESS_', kind: 'values', id: 'vduse-access' },
        { match: '^VDUSE_REQ_RESULT_', kind: 'values', id: 'vduse-req-results' },
        { match: '^VDUSE_IOVA_CAP_', kind: 'flags', id: 'vduse-iova-caps' },
      ],
      requests: [
        { match: '^VDUSE_(GET_API_VERSION|SET_API_VERSION|CREATE_DEV|DESTROY_DEV)$', add: { scope: ['vduse-control'] } },
        { match: '^VDUSE_', add: { scope: ['vduse-device'] } },
      ],
    },
  },
  {
    header: 'linux/vfio.h', family: 'vfio', imports: [],
    doc: 'VFIO: userspace drivers for devices behind an IOMMU. Container, group and device fds; type1 and sPAPR IOMMU backends; device features and migration.',
    rules: {
      sets: [
        { match: '^(VFIO_(TYPE1|SPAPR_TCE|TYPE1v2|DMA_CC|TYPE1_NESTING|SPAPR_TCE_v2|NOIOMMU)_IOMMU|__VFIO_RESERVED_TYPE1_NESTING_IOMMU|VFIO_EEH|VFIO_UNMAP_ALL|VFIO_UPDATE_VADDR)$', kind: 'values', id: 'vfio-extensions' },
        { match: '^VFIO_GROUP_FLAGS_', kind: 'flags', id: 'vfio-group-flags' },
        { match: '^VFIO_DEVICE_FLAGS_', kind: 'flags', id: 'vfio-device-flags' },
        { match: '^VFIO_REGION_INFO_FLAG_', kind: 'flags', id: 'vfio-region-info-flags' },
        { match: '^VFIO_IRQ_INFO_(EVENTFD|MASKABLE|AUTOMASKED|NORESIZE)$', kind: 'flags', id: 'vfio-irq-info-flags' },
        { match: '^VFIO_IRQ_SET_(DATA_(NONE|BOOL|EVENTFD)|ACTION_(MASK|UNMASK|TRIGGER))$', kind: 'flags', id: 'vfio-irq-set-flags' },
        { match: '^VFIO_DMA_MAP_FLAG_', kind: 'flags', id: 'vfio-dma-map-flags' },
        { match: '^VFIO_DMA_UNMAP_FLAG_', kind: 'flags', id: 'vfio-dma-unmap-flags' },
        { match: '^VFIO_IOMMU_INFO_(PGSIZES|CAPS)$', kind: 'flags', id: 'vfio-iommu-info-flags' },
        { match: '^VFIO_IOMMU_DIRTY_PAGES_FLAG_', kind: 'flags', id: 'vfio-dirty-pages-flags' },
        { match: '^VFIO_DEVICE_FEATURE_(GET|SET|PROBE)$', kind: 'flags', id: 'vfio-device-feature-flags' },
        { match: '^VFIO_MIGRATION_(STOP_COPY|P2P|PRE_COPY)$', kind: 'flags', id: 'vfio-migration-flags' },
        { match: '^VFIO_DEVICE_IOEVENTFD_(8|16|32|64)$', kind: 'flags', id: 'vfio-ioeventfd-flags' },
        { match: '^VFIO_PCI_HOT_RESET_FLAG_', kind: 'flags', id: 'vfio-hot-reset-flags' },
        { match: '^VFIO_DEVICE_BIND_FLAG_', kind: 'flags', id: 'vfio-bind-flags' },
        { match: '^VFIO_DEVICE_ATTACH_PASID$', kind: 'flags', id: 'vfio-attach-flags' },
        { match: '^VFIO_DEVICE_DETACH_PASID$', kind: 'flags', id: 'vfio-detach-flags' },
        { match: '^VFIO_PRECOPY_INFO_', kind: 'flags', id: 'vfio-precopy-info-flags' },
        { match: '^VFIO_DEVICE_STATE_V1_', kind: 'flags', id: 'vfio-device-state-v1' },
      ],
      requests: [
        { match: '^VFIO_GET_API_VERSION$', add: { scope: ['vfio-container'], returns: 'VFIO_API_VERSION' } },
        { match: '^VFIO_(CHECK_EXTENSION|SET_IOMMU)$', add: { scope: ['vfio-container'], arg: '__u32', pass: 'value', data: 'in' } },
        { match: '^VFIO_GROUP_GET_STATUS$', add: { scope: ['vfio-group'], arg: 'struct vfio_group_status', data: 'out' } },
        { match: '^VFIO_GROUP_SET_CONTAINER$', add: { scope: ['vfio-group'], arg: '__s32', data: 'in' } },
        { match: '^VFIO_GROUP_UNSET_CONTAINER$', add: { scope: ['vfio-group'] } },
        { match: '^VFIO_GROUP_GET_DEVICE_FD$', add: { scope: ['vfio-group'], arg: 'char *', pass: 'value', data: 'in', returns: 'a new device fd' } },
        { match: '^VFIO_DEVICE_GET_INFO$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_info', data: 'inout' } },
        { match: '^VFIO_DEVICE_GET_REGION_INFO$', add: { scope: ['vfio-device'], arg: 'struct vfio_region_info', data: 'inout' } },
        { match: '^VFIO_DEVICE_GET_IRQ_INFO$', add: { scope: ['vfio-device'], arg: 'struct vfio_irq_info', data: 'inout' } },
        { match: '^VFIO_DEVICE_SET_IRQS$', add: { scope: ['vfio-device'], arg: 'struct vfio_irq_set', data: 'in' } },
        { match: '^VFIO_DEVICE_RESET$', add: { scope: ['vfio-device'] } },
        { match: '^VFIO_DEVICE_GET_PCI_HOT_RESET_INFO$', add: { scope: ['vfio-device'], arg: 'struct vfio_pci_hot_reset_info', data: 'inout' } },
        { match: '^VFIO_DEVICE_PCI_HOT_RESET$', add: { scope: ['vfio-device'], arg: 'struct vfio_pci_hot_reset', data: 'in' } },
        { match: '^VFIO_DEVICE_QUERY_GFX_PLANE$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_gfx_plane_info', data: 'inout' } },
        { match: '^VFIO_DEVICE_GET_GFX_DMABUF$', add: { scope: ['vfio-device'], arg: '__u32', data: 'in', returns: 'a new dma-buf fd' } },
        { match: '^VFIO_DEVICE_IOEVENTFD$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_ioeventfd', data: 'in' } },
        { match: '^VFIO_DEVICE_FEATURE$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_feature', data: 'inout' } },
        { match: '^VFIO_DEVICE_BIND_IOMMUFD$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_bind_iommufd', data: 'inout' } },
        { match: '^VFIO_DEVICE_ATTACH_IOMMUFD_PT$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_attach_iommufd_pt', data: 'inout' } },
        { match: '^VFIO_DEVICE_DETACH_IOMMUFD_PT$', add: { scope: ['vfio-device'], arg: 'struct vfio_device_detach_iommufd_pt', data: 'in' } },
        { match: '^VFIO_MIG_GET_PRECOPY_INFO$', add: { scope: ['vfio-migration-data'], arg: 'struct vfio_precopy_info', data: 'inout' } },
        { match: '^VFIO_IOMMU_GET_INFO$', add: { scope: ['vfio-iommu-type1'], arg: 'struct vfio_iommu_type1_info', data: 'inout' } },
        { match: '^VFIO_IOMMU_MAP_DMA$', add: { scope: ['vfio-iommu-type1'], arg: 'struct vfio_iommu_type1_dma_map', data: 'in' } },
        { match: '^VFIO_IOMMU_UNMAP_DMA$', add: { scope: ['vfio-iommu-type1'], arg: 'struct vfio_iommu_type1_dma_unmap', data: 'inout' } },
        { match: '^VFIO_IOMMU_(ENABLE|DISABLE)$', add: { scope: ['vfio-iommu-spapr'] } },
        { match: '^VFIO_IOMMU_DIRTY_PAGES$', add: { scope: ['vfio-iommu-type1'], arg: 'struct vfio_iommu_type1_dirty_bitmap', data: 'inout' } },
        { match: '^VFIO_IOMMU_SPAPR_TCE_GET_INFO$', add: { scope: ['vfio-iommu-spapr'], arg: 'struct vfio_iommu_spapr_tce_info', data: 'inout' } },
        { match: '^VFIO_EEH_PE_OP$', add: { scope: ['vfio-iommu-spapr'], arg: 'struct vfio_eeh_pe_op', data: 'in' } },
        { match: '^VFIO_IOMMU_SPAPR_(REGISTER|UNREGISTER)_MEMORY$', add: { scope: ['vfio-iommu-spapr'], arg: 'struct vfio_iommu_spapr_register_memory', data: 'in' } },
        { match: '^VFIO_IOMMU_SPAPR_TCE_CREATE$', add: { scope: ['vfio-iommu-spapr'], arg: 'struct vfio_iommu_spapr_tce_create', data: 'inout' } },
        { match: '^VFIO_IOMMU_SPAPR_TCE_REMOVE$', add: { scope: ['vfio-iommu-spapr'], arg: 'struct vfio_iommu_spapr_tce_remove', data: 'in' } },
      ],
    },
  },
];
