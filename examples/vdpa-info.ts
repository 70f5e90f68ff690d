// What a vDPA device bound to vhost_vdpa is, asked the way a driver asks: open
// /dev/vhost-vdpa-N, read the device id and features, walk the status up to FEATURES_OK with the
// features this tool understands, read the config (MAC, MTU, link), the queue count and size and
// each queue's state, then reset the device. Uses the generated vhost bindings and the koffi
// transport only.
//
//   npx tsx examples/vdpa-info.ts NAME|/dev/vhost-vdpa-N [--json]
//
// NAME is the vdpa device's name (`vdpa dev show`); its vhost-vdpa node is found in sysfs.
import { closeSync, openSync, readdirSync } from 'node:fs';
import {
  describeFeatures, describeVirtioDeviceIds, describeVirtioDeviceStatus, featureMask, VhostVdpaFd, virtioNetConfigLE,
  VirtioDeviceStatus, VirtioNetFeatures, VIRTIO_NET_S_LINK_UP, VirtioTransportFeatures, type VirtioNetConfig,
} from '../generated/ts/api/vhost.ts';
import { IoctlError } from '../src/runtime/index.ts';
import { koffiTransport } from '../src/runtime/node/index.ts';

const FEATURE_NAMES = { ...VirtioTransportFeatures, ...VirtioNetFeatures };
const { VIRTIO_CONFIG_S_ACKNOWLEDGE: ACK, VIRTIO_CONFIG_S_DRIVER: DRIVER, VIRTIO_CONFIG_S_FEATURES_OK: FEATURES_OK } = VirtioDeviceStatus;
/** What this tool knows how to read; everything else offered is left unnegotiated. */
const UNDERSTOOD = featureMask(
  VirtioTransportFeatures.VIRTIO_F_VERSION_1, VirtioTransportFeatures.VIRTIO_F_ACCESS_PLATFORM,
  VirtioNetFeatures.VIRTIO_NET_F_MAC, VirtioNetFeatures.VIRTIO_NET_F_MTU, VirtioNetFeatures.VIRTIO_NET_F_STATUS,
);

/** Bad input or a device that is not there: one line, exit 2. */
class UsageError extends Error {}

interface Info {
  path: string;
  deviceId: number;
  deviceType: string;
  features: string;
  featureNames: string[];
  negotiated: string[];
  statusWalk: string[];
  configSize: number;
  mac: string | null;
  mtu: number | null;
  linkUp: boolean | null;
  queues: number;
  queueSize: number;
  vringBases: number[];
}

/** /dev/vhost-vdpa-N of a vdpa device: /sys/bus/vdpa/devices/NAME/vhost-vdpa-N. */
function vhostNode(nameOrPath: string): string {
  if (nameOrPath.startsWith('/')) return nameOrPath;
  let entries: string[];
  try {
    entries = readdirSync(`/sys/bus/vdpa/devices/${nameOrPath}`);
  } catch {
    throw new UsageError(`no vDPA device named ${nameOrPath} (vdpa dev show lists them)`);
  }
  const node = entries.find((e) => /^vhost-vdpa-\d+$/.test(e));
  if (!node) throw new UsageError(`${nameOrPath} is not bound to vhost_vdpa (its driver: ls /sys/bus/vdpa/devices/${nameOrPath}/driver)`);
  return `/dev/${node}`;
}

const statusText = (status: bigint): string => describeVirtioDeviceStatus(status).map((n) => n.replace('VIRTIO_CONFIG_S_', '')).join('|');
const macText = (mac: Uint8Array): string => [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');

function inspect(path: string): Info {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot open ${path}: ${code ?? String(e)}${code === 'EBUSY' ? ' (another process has it open)' : code === 'EACCES' ? ' (run as root)' : ''}`);
  }
  const dev = new VhostVdpaFd(koffiTransport(), fd);
  try {
    const deviceId = dev.vdpaGetDeviceId();
    const features = dev.getFeatures();
    const statusWalk: string[] = [];
    const setStatus = (status: bigint): void => {
      dev.vdpaSetStatus(Number(status));
      statusWalk.push(status === 0n ? 'reset' : statusText(status));
    };
    setStatus(ACK);
    setStatus(ACK | DRIVER);
    const negotiated = features & UNDERSTOOD;
    dev.setFeatures(negotiated);
    setStatus(ACK | DRIVER | FEATURES_OK);
    const status = BigInt(dev.vdpaGetStatus());
    if ((status & FEATURES_OK) === 0n) throw new UsageError(`${path}: the device did not accept the features ${describeFeatures(FEATURE_NAMES, negotiated).join(' ')} (status ${statusText(status)})`);

    const configSize = dev.vdpaGetConfigSize();
    const raw = dev.vdpaGetConfig({ off: 0, len: configSize, buf: new Uint8Array(configSize) }).buf;
    // A VERSION_1 device's config space is little-endian on every host.
    const net: VirtioNetConfig | undefined = raw.length >= virtioNetConfigLE.size ? virtioNetConfigLE.decode(raw) : undefined;
    const has = (bit: number): boolean => (negotiated & featureMask(bit)) !== 0n;

    const queues = dev.vdpaGetVqsCount();
    const queueSize = dev.vdpaGetVringNum();
    // A queue's state goes through vhost's ring code, which needs an owner.
    dev.setOwner();
    const vringBases = Array.from({ length: queues }, (_, index) => dev.getVringBase({ index, num: 0 }).num);
    setStatus(0n);
    return {
      path, deviceId, deviceType: (describeVirtioDeviceIds(deviceId) ?? `id ${deviceId}`).replace('VIRTIO_ID_', '').toLowerCase(),
      features: `0x${features.toString(16)}`, featureNames: describeFeatures(FEATURE_NAMES, features), negotiated: describeFeatures(FEATURE_NAMES, negotiated),
      statusWalk, configSize,
      mac: net && has(VirtioNetFeatures.VIRTIO_NET_F_MAC) ? macText(net.mac) : null,
      mtu: net && has(VirtioNetFeatures.VIRTIO_NET_F_MTU) ? net.mtu : null,
      linkUp: net && has(VirtioNetFeatures.VIRTIO_NET_F_STATUS) ? (net.status & VIRTIO_NET_S_LINK_UP) !== 0 : null,
      queues, queueSize, vringBases,
    };
  } finally {
    closeSync(fd); // vhost_vdpa resets the device on release, too
  }
}

function text(i: Info): string {
  const row = (k: string, v: string): string => `${k.padEnd(15)} ${v}`;
  return [
    row('device', i.path),
    row('device id', `${i.deviceId} (${i.deviceType})`),
    row('features', `${i.features} ${i.featureNames.join(' ')}`),
    row('negotiated', i.negotiated.join(' ')),
    row('status walk', i.statusWalk.join(' -> ')),
    row('MAC', i.mac ?? 'not offered'),
    row('MTU', i.mtu === null ? 'not offered' : String(i.mtu)),
    row('link', i.linkUp === null ? 'not reported' : i.linkUp ? 'up' : 'down'),
    row('queues', `${i.queues} x ${i.queueSize}`),
    row('ring bases', i.vringBases.join(' ')),
    row('config size', String(i.configSize)),
  ].join('\n');
}

function main(argv: readonly string[]): void {
  const json = argv.includes('--json');
  const rest = argv.filter((a) => a !== '--json');
  const unknown = rest.find((a) => a.startsWith('-'));
  if (unknown || rest.length !== 1) throw new UsageError(unknown ? `unknown option ${unknown}` : 'usage: vdpa-info.ts NAME|/dev/vhost-vdpa-N [--json]');
  const info = inspect(vhostNode(rest[0] as string));
  process.stdout.write(`${json ? JSON.stringify(info, null, 2) : text(info)}\n`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  // Known failures are one line: bad input exits 2, a refused ioctl (named in full) exits 1.
  if (!(e instanceof UsageError || e instanceof IoctlError)) throw e;
  process.stderr.write(`vdpa-info: ${e.message}\n`);
  process.exit(e instanceof UsageError ? 2 : 1);
}
