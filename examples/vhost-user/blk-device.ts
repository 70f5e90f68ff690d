// A vhost-user-blk device as a front end sees it: connect, negotiate features and protocol
// features, read the block config, give the back end one memfd region of guest memory and one
// split virtqueue, then move sectors through it. Used by examples/vhost-user-blk.ts and the bench.
import {
  VhostUserFrontEnd, featureMask, hostAbi, virtioBlkConfigCodec, virtioBlkOuthdrCodec, describeVirtioBlkStatus,
  VHOST_USER_F_PROTOCOL_FEATURES, VIRTIO_F_VERSION_1, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH,
  VHOST_USER_PROTOCOL_F_CONFIG, VHOST_USER_PROTOCOL_F_REPLY_ACK, VIRTIO_BLK_T_IN, VIRTIO_BLK_S_OK, type AbiName, type VirtioBlkConfig,
} from '../../generated/ts/api/vhost-user.ts';
import { EventFd, GuestMemory, UnixSocket } from '../../src/runtime/node/index.ts';
import { SplitQueue, queueBytes, queueLayout } from './split-queue.ts';

const QUEUE_SIZE = 128;
/** Guest-physical base of the one region: neither 0 nor the user address, so a back end that mixed them up would fail. */
const GPA_BASE = 0x1_0000_0000n;
const REGION_BYTES = 256 * 1024;
/** Offsets of a request's pieces in the region: header, status byte, then up to MAX_TRANSFER bytes of data. */
const HEADER_AT = 0x10000;
const STATUS_AT = 0x10100;
const DATA_AT = 0x11000;
export const MAX_TRANSFER = REGION_BYTES - DATA_AT;

/** The back end lacks something the front end needs or was asked for: nothing was negotiated. */
export class Refused extends Error {}

/** A feature bit asked for on top of what the device needs: a device feature or a protocol feature. */
export interface WantedFeature {
  readonly name: string;
  readonly bit: number;
  readonly protocol: boolean;
}

const has = (mask: bigint, bit: number): boolean => ((mask >> BigInt(bit)) & 1n) === 1n;

export class BlkDevice {
  readonly config: VirtioBlkConfig;
  /** The data area requests read into and write from. */
  readonly data: Uint8Array;
  private readonly closers: Array<() => void>;

  private constructor(
    private readonly client: VhostUserFrontEnd,
    private readonly abi: AbiName,
    private readonly mem: GuestMemory,
    private readonly queue: SplitQueue,
    private readonly kick: EventFd,
    private readonly call: EventFd,
    config: VirtioBlkConfig,
    closers: Array<() => void>,
  ) {
    this.config = config;
    this.data = mem.bytes.subarray(DATA_AT, DATA_AT + MAX_TRANSFER);
    this.closers = closers;
  }

  /** Connects and sets the device up; throws Refused when the back end lacks a needed or wanted feature. */
  static open(socketPath: string, wanted?: WantedFeature): BlkDevice {
    const socket = UnixSocket.connect(socketPath, { timeoutMs: 10_000 });
    const closers: Array<() => void> = [() => socket.close()];
    const closeAll = (): void => closers.reverse().forEach((f) => f());
    try {
      const abi = hostAbi();
      const client = new VhostUserFrontEnd(socket, abi);
      client.setOwner();
      const offered = client.getFeatures();
      if (!has(offered, VIRTIO_F_VERSION_1)) throw new Refused('the back end does not offer VIRTIO_F_VERSION_1 (a modern device is needed)');
      if (!has(offered, VHOST_USER_F_PROTOCOL_FEATURES)) throw new Refused('the back end does not negotiate protocol features (VHOST_USER_F_PROTOCOL_FEATURES), so its config cannot be read');
      const offeredProtocol = client.getProtocolFeatures();
      if (wanted) {
        const from = wanted.protocol ? offeredProtocol : offered;
        if (!has(from, wanted.bit)) {
          throw new Refused(`the back end does not offer ${wanted.name} (${wanted.protocol ? 'protocol ' : ''}feature bit ${wanted.bit}); offered ${wanted.protocol ? 'protocol features' : 'features'} 0x${from.toString(16)}: refused, nothing negotiated`);
        }
      }
      if (!has(offeredProtocol, VHOST_USER_PROTOCOL_F_CONFIG)) throw new Refused('the back end does not offer VHOST_USER_PROTOCOL_F_CONFIG: no way to read the capacity');
      const protocolBits = [VHOST_USER_PROTOCOL_F_CONFIG, VHOST_USER_PROTOCOL_F_REPLY_ACK, ...(wanted?.protocol ? [wanted.bit] : [])];
      client.setProtocolFeatures(featureMask(...protocolBits.filter((b) => has(offeredProtocol, b))));

      const configSize = virtioBlkConfigCodec[abi].size;
      const reply = client.getConfig({ offset: 0, size: configSize, flags: 0, region: new Uint8Array(configSize) });
      const config = virtioBlkConfigCodec[abi].decode(reply.region);
      const deviceBits = [VIRTIO_F_VERSION_1, VHOST_USER_F_PROTOCOL_FEATURES, VIRTIO_BLK_F_BLK_SIZE, VIRTIO_BLK_F_FLUSH, ...(wanted && !wanted.protocol ? [wanted.bit] : [])];
      client.setFeatures(featureMask(...deviceBits.filter((b) => has(offered, b))));

      const mem = GuestMemory.create('vhost-user-blk', REGION_BYTES);
      closers.push(() => mem.close());
      client.setMemTable({ nregions: 1, regions: [{ guestPhysAddr: GPA_BASE, memorySize: BigInt(mem.size), userspaceAddr: mem.userAddr, mmapOffset: 0n }] }, [mem.fd]);
      const layout = queueLayout(QUEUE_SIZE, 0, GPA_BASE);
      if (queueBytes(layout) > HEADER_AT) throw new Error('the queue overlaps the request area');
      const queue = new SplitQueue(mem, layout);
      const kick = new EventFd();
      closers.push(() => kick.close());
      const call = new EventFd();
      closers.push(() => call.close());
      const addr = queue.userAddresses();
      client.setVringNum({ index: 0, num: QUEUE_SIZE });
      client.setVringBase({ index: 0, num: 0 });
      client.setVringAddr({ index: 0, flags: 0n, descUserAddr: addr.desc, usedUserAddr: addr.used, availUserAddr: addr.avail, logGuestAddr: 0n });
      client.setVringKick(0n, [kick.fd]);
      client.setVringCall(0n, [call.fd]);
      client.setVringEnable({ index: 0, num: 1 });
      // stop the ring before the memory goes away
      closers.push(() => void client.getVringBase({ index: 0, num: 0 }));
      return new BlkDevice(client, abi, mem, queue, kick, call, config, closers);
    } catch (e) {
      closeAll();
      throw e;
    }
  }

  /** One request through the queue (header, `bytes` of data at this.data, status), waited for; a status other than OK throws. */
  transfer(type: number, sector: bigint, bytes: number): void {
    if (bytes <= 0 || bytes > MAX_TRANSFER) throw new RangeError(`a transfer of ${bytes} bytes (1 to ${MAX_TRANSFER})`);
    const outhdr = virtioBlkOuthdrCodec[this.abi];
    outhdr.encodeInto({ type, ioprio: 0, sector }, this.mem.bytes, HEADER_AT);
    this.mem.bytes[STATUS_AT] = 0xff;
    const q = this.queue;
    q.offer([
      { gpa: q.gpa(HEADER_AT), len: outhdr.size, writable: false },
      { gpa: q.gpa(DATA_AT), len: bytes, writable: type === VIRTIO_BLK_T_IN },
      { gpa: q.gpa(STATUS_AT), len: 1, writable: true },
    ]);
    this.kick.signal();
    let used = q.takeUsed();
    for (let waited = 0; !used && waited < 100; waited++) {
      this.call.wait(100);
      used = q.takeUsed();
    }
    if (!used) throw new Error(`the back end did not complete the request for sector ${sector} within 10 s`);
    const status = this.mem.bytes[STATUS_AT] as number;
    if (status !== VIRTIO_BLK_S_OK) throw new Refused(`sector ${sector}: the device answered ${describeVirtioBlkStatus(status) ?? `status ${status}`}`);
  }

  /** Stops the ring and closes the socket, the memory and the eventfds. */
  close(): void {
    this.closers.reverse().forEach((f) => f());
    this.closers.length = 0;
  }
}
