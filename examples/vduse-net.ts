// A VDUSE virtio-net device written in TypeScript with the generated bindings: it creates the
// device, sets up its two queues, and answers the kernel's requests (status, IOTLB updates,
// queue state) on /dev/vduse/NAME until SIGTERM or SIGINT, then destroys it.
//
//   npx tsx examples/vduse-net.ts NAME [--mac 52:54:00:12:34:56] [--mtu 1500] [--queue-size 256]
//   vdpa dev add name NAME mgmtdev vduse       # binds it to vhost_vdpa: /dev/vhost-vdpa-N
//   npx tsx examples/vdpa-info.ts NAME
//   vdpa dev del NAME; kill %1
//
// stdout: one JSON object per line — {"offer"}, {"ready"}, and at the end {"served"} and
// {"destroyed"}; stderr: one line per request answered. Needs root (CAP_NET_ADMIN) and vduse.ko.
import { closeSync, openSync } from 'node:fs';
import {
  describeFeatures, featureMask, VDUSE_API_VERSION, VDUSE_GET_VQ_STATE, VDUSE_IOVA_CAP_UMEM, VDUSE_REQ_RESULT_FAILED, VDUSE_REQ_RESULT_OK,
  VDUSE_SET_STATUS, VDUSE_UPDATE_IOTLB, VduseControlFd, VduseDeviceFd, type VduseDevRequest, type VduseDevResponse, type VduseVqState,
} from '../generated/ts/api/vduse.ts';
import {
  describeVirtioDeviceStatus, VIRTIO_ID_NET, VIRTIO_NET_S_LINK_UP, virtioNetConfigLE, VirtioNetFeatures, VirtioTransportFeatures,
} from '../generated/ts/api/vhost.ts';
import { IoctlError } from '../src/runtime/index.ts';
import { koffiTransport } from '../src/runtime/node/index.ts';

const QUEUES = 2; // one receive and one transmit queue: one queue pair, no control queue
const VQ_ALIGN = 4096;
const FEATURES = featureMask(
  VirtioTransportFeatures.VIRTIO_F_VERSION_1,
  VirtioTransportFeatures.VIRTIO_F_ACCESS_PLATFORM, // VDUSE refuses a device without it
  VirtioNetFeatures.VIRTIO_NET_F_MAC,
  VirtioNetFeatures.VIRTIO_NET_F_MTU,
  VirtioNetFeatures.VIRTIO_NET_F_STATUS,
);
const FEATURE_NAMES = { ...VirtioTransportFeatures, ...VirtioNetFeatures };

/** Bad input: exit 2. */
class UsageError extends Error {}
/** The machine said no (no module, no permission, name taken): exit 1. */
class SetupError extends Error {}

interface Options { name: string; mac: Uint8Array; mtu: number; queueSize: number }

function parseMac(text: string): Uint8Array {
  const parts = text.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{2}$/.test(p))) throw new UsageError(`--mac ${text}: expected six hex bytes like 52:54:00:12:34:56`);
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

function parseInteger(flag: string, text: string | undefined, min: number, max: number): number {
  const n = Number(text);
  if (text === undefined || !Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${text ?? ''}: expected an integer from ${min} to ${max}`);
  return n;
}

function parseArgs(argv: readonly string[]): Options {
  const options: Options = { name: '', mac: parseMac('52:54:00:12:34:56'), mtu: 1500, queueSize: 256 };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--mac') options.mac = parseMac(argv[++i] ?? '');
    else if (arg === '--mtu') options.mtu = parseInteger('--mtu', argv[++i], 68, 65535);
    else if (arg === '--queue-size') {
      options.queueSize = parseInteger('--queue-size', argv[++i], 1, 32768);
      if ((options.queueSize & (options.queueSize - 1)) !== 0) throw new UsageError(`--queue-size ${options.queueSize}: must be a power of two`);
    } else if (arg.startsWith('-')) throw new UsageError(`unknown option ${arg}`);
    else if (options.name) throw new UsageError(`one device name only (got ${options.name} and ${arg})`);
    else options.name = arg;
  }
  if (!options.name) throw new UsageError('usage: vduse-net.ts NAME [--mac MAC] [--mtu N] [--queue-size N]');
  if (Buffer.byteLength(options.name) > 255 || options.name.includes('/')) throw new UsageError(`device name ${options.name}: at most 255 bytes, no '/'`);
  return options;
}

const macText = (mac: Uint8Array): string => [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
const statusText = (status: number): string => (status === 0 ? 'reset' : describeVirtioDeviceStatus(BigInt(status)).map((n) => n.replace('VIRTIO_CONFIG_S_', '')).join('|'));
const emit = (key: string, value: unknown): void => void process.stdout.write(`${JSON.stringify({ [key]: value })}\n`);
const log = (line: string): void => void process.stderr.write(`vduse-net: ${line}\n`);

/** What to tell the user when opening a VDUSE node fails. */
function openOrExplain(path: string): number {
  try {
    return openSync(path, 'r+');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const hint = code === 'ENOENT' ? ' (is the vduse module loaded? modprobe vduse)' : code === 'EACCES' ? ' (run as root)' : code === 'EBUSY' ? ' (another process serves this device)' : '';
    throw new SetupError(`cannot open ${path}: ${code ?? String(e)}${hint}`);
  }
}

function createDevice(control: VduseControlFd, o: Options): void {
  const config = virtioNetConfigLE.encode({
    mac: o.mac, status: Number(VIRTIO_NET_S_LINK_UP), maxVirtqueuePairs: QUEUES / 2, mtu: o.mtu,
    speed: 0, duplex: 0, rssMaxKeySize: 0, rssMaxIndirectionTableLength: 0, supportedHashTypes: 0,
  });
  control.setApiVersion(BigInt(VDUSE_API_VERSION));
  try {
    control.createDev({ name: o.name, vendorId: 0, deviceId: VIRTIO_ID_NET, features: FEATURES, vqNum: QUEUES, vqAlign: VQ_ALIGN, ngroups: 0, nas: 0, configSize: config.length, config });
  } catch (e) {
    if (e instanceof IoctlError && e.errnoName === 'EEXIST') throw new SetupError(`a VDUSE device named ${o.name} exists already (vdpa dev del ${o.name}, then stop its server)`);
    if (e instanceof IoctlError && e.errnoName === 'EPERM') throw new SetupError('creating a net device needs CAP_NET_ADMIN (run as root)');
    throw e;
  }
}

interface IotlbMapping { start: string; last: string; bounce: boolean }
const VDUSE_IOVA_CAP_UMEM_MASK = BigInt(VDUSE_IOVA_CAP_UMEM);

/** The device side of each request; the kernel waits for the answer (SET_STATUS blocks the driver). */
class Server {
  readonly counts: Record<string, number> = {};
  readonly vqStates: Record<number, number> = {};
  /** Every driver mapping (not the bounce buffer) any update showed. */
  readonly iotlbSeen: IotlbMapping[] = [];
  status = 0;

  constructor(private readonly device: VduseDeviceFd) {}

  answer(req: VduseDevRequest): VduseDevResponse {
    const ok = (vqState: VduseVqState = { index: 0 }): VduseDevResponse => ({ requestId: req.requestId, result: VDUSE_REQ_RESULT_OK, vqState });
    switch (req.type) {
      case VDUSE_SET_STATUS: {
        this.count('VDUSE_SET_STATUS');
        this.status = req.s?.status ?? 0;
        log(`SET_STATUS ${statusText(this.status)}`);
        return ok();
      }
      case VDUSE_GET_VQ_STATE: {
        this.count('VDUSE_GET_VQ_STATE');
        const index = req.vqState?.index ?? 0;
        // No buffers have moved, so the queue is where the kernel last put it (VHOST_SET_VRING_BASE
        // or 0): VDUSE_VQ_GET_INFO reads that back.
        const info = this.device.vqGetInfo({ index, num: 0, descAddr: 0n, driverAddr: 0n, deviceAddr: 0n, ready: 0 });
        const availIndex = info.split?.availIndex ?? 0;
        this.vqStates[index] = availIndex;
        log(`GET_VQ_STATE queue ${index}: avail index ${availIndex}`);
        return ok({ index, split: { availIndex } });
      }
      case VDUSE_UPDATE_IOTLB: {
        this.count('VDUSE_UPDATE_IOTLB');
        const start = req.iova?.start ?? 0n;
        const last = req.iova?.last ?? 0n;
        // The mappings in the range changed: read them again. A device with a data path would
        // also mmap each one (VDUSE_IOTLB_GET_FD); this one moves no packets, so it lists them.
        const maps = this.mappings(start, last);
        for (const m of maps) if (!m.bounce && !this.iotlbSeen.some((x) => x.start === m.start && x.last === m.last)) this.iotlbSeen.push(m);
        log(`UPDATE_IOTLB 0x${start.toString(16)}..0x${last.toString(16)}: ${maps.map((m) => `${m.start}..${m.last}${m.bounce ? ' (bounce buffer)' : ''}`).join(', ') || 'nothing mapped'}`);
        return ok();
      }
      default:
        this.count(`type ${req.type}`);
        log(`request type ${req.type} is not served: FAILED`);
        return { requestId: req.requestId, result: VDUSE_REQ_RESULT_FAILED, vqState: { index: 0 } };
    }
  }

  /** The IOTLB's mappings in [start, last], walked with VDUSE_IOTLB_GET_INFO (EINVAL: none left). */
  private mappings(start: bigint, last: bigint): IotlbMapping[] {
    const out: IotlbMapping[] = [];
    for (let at = start; at <= last && out.length < 1024;) {
      let info;
      try {
        info = this.device.iotlbGetInfo({ start: at, last, capability: 0n, asid: 0 });
      } catch (e) {
        if (e instanceof IoctlError && e.errnoName === 'EINVAL') break;
        throw e;
      }
      out.push({ start: `0x${info.start.toString(16)}`, last: `0x${info.last.toString(16)}`, bounce: (info.capability & VDUSE_IOVA_CAP_UMEM_MASK) !== 0n });
      if (info.last >= last) break;
      at = info.last + 1n;
    }
    return out;
  }

  private count(what: string): void {
    this.counts[what] = (this.counts[what] ?? 0) + 1;
  }
}

function main(): void {
  const options = parseArgs(process.argv.slice(2));
  const transport = koffiTransport();
  const controlFd = openOrExplain('/dev/vduse/control');
  const control = new VduseControlFd(transport, controlFd);
  createDevice(control, options);
  const deviceFd = openOrExplain(`/dev/vduse/${options.name}`);
  const device = new VduseDeviceFd(transport, deviceFd);
  for (let index = 0; index < QUEUES; index++) device.vqSetup({ index, maxSize: options.queueSize, group: 0 });
  emit('offer', {
    name: options.name, deviceId: VIRTIO_ID_NET, features: `0x${FEATURES.toString(16)}`, featureNames: describeFeatures(FEATURE_NAMES, FEATURES),
    mac: macText(options.mac), mtu: options.mtu, queues: QUEUES, queueSize: options.queueSize, configSize: virtioNetConfigLE.size,
  });

  const server = new Server(device);
  let stopping = false;
  const stop = (): void => void (stopping = true);
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  emit('ready', options.name);

  // Reads block, so the loop polls with a short timeout and gives the event loop a turn between
  // polls: that is where SIGTERM is noticed. A burst of requests is answered without yielding.
  const serve = (): void => {
    for (let burst = 0; burst < 64 && !stopping; burst++) {
      const ready = transport.pollIn(deviceFd, 100);
      if (ready === 0 || (ready < 0 && transport.errnoName(-ready) === 'EINTR')) break; // a signal: handled on the next turn
      if (ready < 0) throw new SetupError(`poll /dev/vduse/${options.name}: ${transport.errnoName(-ready)}`);
      device.writeVduseDevResponse(server.answer(device.readVduseDevRequest()));
    }
    if (stopping) shutdown();
    else setImmediate(guarded(serve));
  };
  const shutdown = (): void => {
    closeSync(deviceFd);
    emit('served', { requests: server.counts, vqStates: server.vqStates, iotlbSeen: server.iotlbSeen, lastStatus: statusText(server.status) });
    destroy(control, options.name, Date.now() + 5000);
  };
  guarded(serve)();
}

/** VDUSE_DESTROY_DEV is EBUSY while the device is still on the vdpa bus: waits a little, then says what to do. */
function destroy(control: VduseControlFd, name: string, deadline: number): void {
  try {
    control.destroyDev(name);
    closeSync(control.fd);
    emit('destroyed', name);
  } catch (e) {
    if (!(e instanceof IoctlError && e.errnoName === 'EBUSY')) throw e;
    if (Date.now() > deadline) {
      log(`cannot destroy ${name}: it is still attached to the vdpa bus (vdpa dev del ${name}), then stop me again`);
      process.exitCode = 1;
      return;
    }
    setTimeout(guarded(() => destroy(control, name, deadline)), 100);
  }
}

/** Known failures are one line (an IoctlError already names errno, request and fd); the rest is a bug. */
function guarded(f: () => void): () => void {
  return () => {
    try {
      f();
    } catch (e) {
      if (!(e instanceof UsageError || e instanceof SetupError || e instanceof IoctlError)) throw e;
      log(e.message);
      process.exit(e instanceof UsageError ? 2 : 1);
    }
  };
}

guarded(main)();
