// Run in the lab by vduse.test.ts while vduse-net serves NAME: maps one IOVA range through
// vhost-vdpa's IOTLB write() channel (struct vhost_msg_v2, VHOST_IOTLB_UPDATE) so the VDUSE
// device gets VDUSE_UPDATE_IOTLB, then closes (the release resets the device; on 6.12 it sends
// no second update). VDUSE
// devices map by virtual address and keep only file-backed shared memory, so the range is a
// MAP_SHARED mapping of a tmpfs file. Prints { iova, last } as JSON.
//   node --import tsx test/lab/examples/iotlb.ts NAME
import { closeSync, mkdtempSync, openSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { VHOST_ACCESS_RW, VHOST_BACKEND_F_IOTLB_MSG_V2, VHOST_IOTLB_MSG_V2, VHOST_IOTLB_UPDATE, VhostVdpaFd } from '../../../generated/ts/api/vhost.ts';
import { koffiTransport } from '../../../src/runtime/node/index.ts';

const IOVA = 0x1_0000_0000n; // above VDUSE's bounce buffer, which sits at IOVA 0
const SIZE = 0x2000;
const PROT_READ_WRITE = 3;
const MAP_SHARED = 1;

const name = process.argv[2] ?? '';
const node = readdirSync(`/sys/bus/vdpa/devices/${name}`).find((e) => e.startsWith('vhost-vdpa-'));
if (!node) throw new Error(`${name} is not bound to vhost_vdpa`);

const file = join(mkdtempSync(join(tmpdir(), 'iotlb-')), 'ring-memory');
writeFileSync(file, Buffer.alloc(SIZE));
const memFd = openSync(file, 'r+');
const mmap = koffi.load(null).func('void *mmap(void *addr, unsigned long len, int prot, int flags, int fd, long off)');
const uaddr = BigInt(koffi.address(mmap(null, SIZE, PROT_READ_WRITE, MAP_SHARED, memFd, 0)));
if (uaddr === 0xffff_ffff_ffff_ffffn) throw new Error('mmap failed');

const fd = openSync(`/dev/${node}`, 'r+');
const dev = new VhostVdpaFd(koffiTransport(), fd);
try {
  dev.setOwner(); // IOTLB messages need the owner
  dev.setBackendFeatures(dev.getBackendFeatures() & (1n << BigInt(VHOST_BACKEND_F_IOTLB_MSG_V2)));
  dev.writeVhostMsgV2({ type: VHOST_IOTLB_MSG_V2, asid: 0, iotlb: { iova: IOVA, size: BigInt(SIZE), uaddr, perm: VHOST_ACCESS_RW, type: VHOST_IOTLB_UPDATE } });
} finally {
  closeSync(fd);
  closeSync(memFd);
}
process.stdout.write(`${JSON.stringify({ iova: `0x${IOVA.toString(16)}`, last: `0x${(IOVA + BigInt(SIZE) - 1n).toString(16)}` })}\n`);
