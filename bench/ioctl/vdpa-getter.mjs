// VHOST_VDPA_GET_DEVICE_ID on an open /dev/vhost-vdpa-N from the built package (loop.mjs times
// it): through the generated client, and through the transport alone with a preallocated buffer
// and the generated number table, which separates the client's own cost from koffi's.
import { hostAbi, VHOST_REQUEST_NUMBERS, VhostVdpaFd } from 'ioctl-abi/vhost';

export function vdpaGetterLoop(transport, fd) {
  const dev = new VhostVdpaFd(transport, fd);
  return () => dev.vdpaGetDeviceId();
}

export function vdpaTransportLoop(transport, fd) {
  const number = VHOST_REQUEST_NUMBERS[hostAbi()].VHOST_VDPA_GET_DEVICE_ID;
  const buf = new Uint8Array(4);
  const view = new DataView(buf.buffer);
  return () => {
    const r = transport.ioctl(fd, number, buf);
    if (r < 0) throw new Error(`VHOST_VDPA_GET_DEVICE_ID: ${transport.errnoName(-r)}`);
    return view.getUint32(0, true);
  };
}
