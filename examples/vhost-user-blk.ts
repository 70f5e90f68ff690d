// A vhost-user-blk front end on the host, against any back end (qemu-storage-daemon's
// vhost-user-blk export): negotiates features and protocol features, reads the block config, gives
// the back end one memfd region of guest memory and one split virtqueue, and reads sector 0.
//
//   examples/vhost-user-blk.ts SOCKET [--write-test] [--want FEATURE]
//
// Prints `capacity: N sectors` (512-byte sectors), then sector 0 as a hex dump (offset, 16 bytes,
// text). --write-test also writes the last sector (byte i = (i * 31 + 7) mod 256), reads it back
// and says whether the bytes match. --want FEATURE asks for one more feature bit by name (a
// VIRTIO_BLK_F_*, VIRTIO_F_* or VHOST_USER_PROTOCOL_F_*); one the back end does not offer is
// refused before anything is negotiated: one line, exit 1. Bad arguments: one line, exit 2.
import { VirtioBlkFeatures, VirtioTransportFeatures, VhostUserProtocolFeatures, VIRTIO_BLK_T_IN, VIRTIO_BLK_T_OUT, VIRTIO_BLK_SECTOR_SIZE } from '../generated/ts/api/vhost-user.ts';
import { MessageError } from '../src/runtime/index.ts';
import { BlkDevice, Refused, type WantedFeature } from './vhost-user/blk-device.ts';

const USAGE = 'usage: vhost-user-blk.ts SOCKET [--write-test] [--want FEATURE]';
const SECTOR = VIRTIO_BLK_SECTOR_SIZE;

class ExitError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
  }
}

interface Args {
  readonly socket: string;
  readonly writeTest: boolean;
  readonly want?: WantedFeature;
}

/** A named feature bit: a device or transport feature, or a protocol feature. */
function featureByName(name: string): WantedFeature {
  const device: Record<string, number> = { ...VirtioBlkFeatures, ...VirtioTransportFeatures };
  const protocol: Record<string, number> = VhostUserProtocolFeatures;
  if (name in device) return { name, bit: device[name] as number, protocol: false };
  if (name in protocol) return { name, bit: protocol[name] as number, protocol: true };
  throw new ExitError(2, `--want ${name}: not a VIRTIO_BLK_F_*, VIRTIO_F_* or VHOST_USER_PROTOCOL_F_* name`);
}

function parseArgs(argv: readonly string[]): Args {
  let socket: string | undefined;
  let writeTest = false;
  let want: WantedFeature | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--write-test') writeTest = true;
    else if (a === '--want') {
      const name = argv[++i];
      if (name === undefined) throw new ExitError(2, '--want needs a feature name, e.g. --want VIRTIO_BLK_F_RO');
      want = featureByName(name);
    } else if (a.startsWith('-')) throw new ExitError(2, `unknown option ${a} (${USAGE})`);
    else if (socket === undefined) socket = a;
    else throw new ExitError(2, `one socket only, got ${socket} and ${a} (${USAGE})`);
  }
  if (socket === undefined) throw new ExitError(2, USAGE);
  return { socket, writeTest, ...(want ? { want } : {}) };
}

function hexDump(bytes: Uint8Array): string {
  const lines: string[] = [];
  for (let at = 0; at < bytes.length; at += 16) {
    const row = bytes.subarray(at, at + 16);
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const text = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex}  |${text}|`);
  }
  return lines.join('\n');
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  let device: BlkDevice;
  try {
    device = BlkDevice.open(args.socket, args.want);
  } catch (e) {
    if (e instanceof Error && /^connect /.test(e.message)) throw new ExitError(2, `${e.message} (is a vhost-user back end listening there?)`);
    throw e;
  }
  try {
    const { data, config } = device;
    device.transfer(VIRTIO_BLK_T_IN, 0n, SECTOR);
    process.stdout.write(`capacity: ${config.capacity} sectors\n${hexDump(data.subarray(0, SECTOR))}\n`);
    if (args.writeTest) {
      const scratch = config.capacity - 1n;
      const pattern = Uint8Array.from({ length: SECTOR }, (_, i) => (i * 31 + 7) & 0xff);
      data.set(pattern);
      device.transfer(VIRTIO_BLK_T_OUT, scratch, SECTOR);
      data.fill(0, 0, SECTOR);
      device.transfer(VIRTIO_BLK_T_IN, scratch, SECTOR);
      const same = data.subarray(0, SECTOR).every((b, i) => b === pattern[i]);
      process.stdout.write(`write-test: sector ${scratch} written and read back: ${same ? 'equal' : 'DIFFERENT'}\n`);
      if (!same) throw new ExitError(1, `write-test: sector ${scratch} read back differs from what was written`);
    }
  } finally {
    device.close();
  }
}

try {
  main();
} catch (e) {
  if (e instanceof ExitError) {
    process.stderr.write(`vhost-user-blk: ${e.message}\n`);
    process.exitCode = e.code;
  } else if (e instanceof Refused || e instanceof MessageError || e instanceof RangeError) {
    process.stderr.write(`vhost-user-blk: ${(e as Error).message.split('\n')[0]}\n`);
    process.exitCode = 1;
  } else throw e;
}
