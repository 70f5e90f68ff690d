// Type tests of the generated bindings (vitest typecheck): what must compile and what must not.
// Each @ts-expect-error is a bug class the types rule out.
import { describe, expectTypeOf, it } from 'vitest';
import type { Transport } from '../../src/runtime/index.ts';
import { VhostNetDevice, VhostScsiDevice, VhostVdpaNetDevice, VhostVdpaFd, vhostVringAddrCodec, VirtioDeviceStatus, VirtioNetFeatures, type VhostMemory, type VhostVringAddr, type VhostVringState, type VhostMsgV2 } from '../../generated/ts/api/vhost.ts';
import { VduseControlFd, VduseDeviceFd, type VduseDevRequest, type VduseDevResponse } from '../../generated/ts/api/vduse.ts';
import { VfioDeviceFd, VfioContainerFd, type VfioDeviceInfo } from '../../generated/ts/api/vfio.ts';

declare const transport: Transport;

describe('device profiles have only their requests', () => {
  it('a net client has no SCSI methods', () => {
    const net = new VhostNetDevice(transport, 3);
    // @ts-expect-error VHOST_SCSI_SET_ENDPOINT is not a request vhost-net accepts
    net.scsiSetEndpoint({ abiVersion: 1, vhostWwpn: 'naa.1', vhostTpgt: 1 });
    expectTypeOf(new VhostScsiDevice(transport, 3)).toHaveProperty('scsiSetEndpoint');
  });

  it('vhost-vdpa-net has no vhost-net backend, no dirty log, no RESET_OWNER', () => {
    const vdpa = new VhostVdpaNetDevice(transport, 3);
    // @ts-expect-error VHOST_NET_SET_BACKEND is vhost-net's
    vdpa.netSetBackend({ index: 0, fd: 4 });
    // @ts-expect-error VHOST_SET_LOG_BASE is not accepted by vhost-vdpa
    vdpa.setLogBase(0n);
    // @ts-expect-error vhost-vdpa does not implement VHOST_RESET_OWNER
    vdpa.resetOwner();
    expectTypeOf(vdpa.vdpaSuspend).toEqualTypeOf<() => number>();
  });

  it('VDUSE control and device fds do not mix', () => {
    // @ts-expect-error VDUSE_VQ_SETUP is a device-fd request
    new VduseControlFd(transport, 3).vqSetup({ index: 0, maxSize: 256 });
    // @ts-expect-error VDUSE_CREATE_DEV is a control-fd request
    new VduseDeviceFd(transport, 3).createDev;
  });

  it('VFIO requests belong to their fd kind', () => {
    // @ts-expect-error VFIO_DEVICE_GET_INFO is not a container request
    new VfioContainerFd(transport, 3).deviceGetInfo;
    expectTypeOf(new VfioDeviceFd(transport, 3).deviceGetInfo).parameter(0).toEqualTypeOf<VfioDeviceInfo>();
  });
});

describe('arguments and results follow the data direction', () => {
  const vdpa = new VhostVdpaFd(transport, 3);

  it('getters take nothing and return the value; setters take it', () => {
    expectTypeOf(vdpa.getFeatures).toEqualTypeOf<() => bigint>();
    expectTypeOf(vdpa.setFeatures).toEqualTypeOf<(arg: bigint) => number>();
    expectTypeOf(vdpa.vdpaGetVringNum).returns.toEqualTypeOf<number>();
    expectTypeOf(vdpa.vdpaGetStatus).returns.toEqualTypeOf<number>();
    expectTypeOf(vdpa.setVringAddr).parameter(0).toEqualTypeOf<VhostVringAddr>();
    // GET_VRING_BASE sends the index and reads the base back.
    expectTypeOf(vdpa.getVringBase).toEqualTypeOf<(arg: VhostVringState) => VhostVringState>();
    // @ts-expect-error a getter takes no argument
    vdpa.getFeatures(1n);
    // @ts-expect-error a u64 is a bigint, not a number
    vdpa.setFeatures(1);
  });

  it('DESTROY_DEV takes the device name as a string (sized to VDUSE_NAME_MAX by the binding)', () => {
    expectTypeOf(new VduseControlFd(transport, 3).destroyDev).toEqualTypeOf<(arg: string) => number>();
  });

  it('message channels read and write their records', () => {
    const dev = new VduseDeviceFd(transport, 4);
    expectTypeOf(dev.readVduseDevRequest).returns.toEqualTypeOf<VduseDevRequest>();
    expectTypeOf(dev.writeVduseDevResponse).parameter(0).toEqualTypeOf<VduseDevResponse>();
    expectTypeOf(vdpa.writeVhostMsgV2).parameter(0).toEqualTypeOf<VhostMsgV2>();
    // @ts-expect-error vhost-vdpa's IOTLB channel is write-only
    vdpa.readVhostMsgV2;
  });
});

describe('struct types', () => {
  it('u64 fields are bigint, u32 fields number, masks bigint', () => {
    expectTypeOf<VhostVringAddr['descUserAddr']>().toEqualTypeOf<bigint>();
    expectTypeOf<VhostVringAddr['index']>().toEqualTypeOf<number>();
    expectTypeOf<VhostVringAddr['flags']>().toEqualTypeOf<bigint>();
  });

  it('reserved fields and padding are not in the types', () => {
    // @ts-expect-error vhost_memory.padding is reserved
    expectTypeOf<VhostMemory['padding']>();
    // @ts-expect-error vhost_msg_v2's union padding only sizes the union
    expectTypeOf<VhostMsgV2['padding']>();
  });

  it('codecs take and give the interface', () => {
    expectTypeOf(vhostVringAddrCodec.x86_64.decode).returns.toEqualTypeOf<VhostVringAddr>();
    // @ts-expect-error a field is missing
    vhostVringAddrCodec.x86_64.encode({ index: 0 });
  });

  it('sets are const objects with a type of the same name', () => {
    expectTypeOf(VirtioDeviceStatus.VIRTIO_CONFIG_S_DRIVER_OK).toEqualTypeOf<4n>();
    expectTypeOf(VirtioNetFeatures.VIRTIO_NET_F_MAC).toEqualTypeOf<5>();
    // linux/virtio_config.h: ACKNOWLEDGE 1, DRIVER 2, DRIVER_OK 4, FEATURES_OK 8, NEEDS_RESET 0x40, FAILED 0x80.
    expectTypeOf<VirtioDeviceStatus>().toEqualTypeOf<1n | 2n | 4n | 8n | 0x40n | 0x80n>();
    // @ts-expect-error 0x10n is no status bit
    const bad: VirtioDeviceStatus = 0x10n;
    void bad;
  });
});
