// The Node side of the ioctl bench, run by plain node on the built package (no tsx): the same
// ioctl as loop.c through a client and the koffi transport, ns per call.
//   node loop.mjs fionread N ROUNDS        FIONREAD on a pipe holding 5 bytes (a client shaped
//                                           like the generated ones: preallocated buffer, -errno
//                                           check, decode)
//   node loop.mjs vdpa /dev/vhost-vdpa-X N ROUNDS   VHOST_VDPA_GET_DEVICE_ID through the generated vhost client
//   node loop.mjs vdpa-transport DEV N ROUNDS        the same through the transport alone (a preallocated buffer)
// Prints one line per round, like loop.c: "<wall ns per call> <CPU ns per call>" (CPU: the
// whole process, its helper threads included).
import { closeSync, openSync, writeSync } from 'node:fs';
import koffi from 'koffi';
import { ioctlError } from 'ioctl-abi/runtime';
import { koffiTransport } from 'ioctl-abi/runtime/node';

const FIONREAD = 0x541b;
const transport = koffiTransport();

/** FIONREAD is no vhost request, so nothing generates its client: this one has the generated shape. */
class PipeClient {
  constructor(fd) {
    this.fd = fd;
    this.buf = new Uint8Array(4);
    this.view = new DataView(this.buf.buffer);
  }
  fionread() {
    const r = transport.ioctl(this.fd, FIONREAD, this.buf);
    if (r < 0) throw ioctlError(transport, { fd: this.fd, fdKind: 'pipe', request: 'FIONREAD', number: FIONREAD, arg: this.buf }, r);
    return this.view.getInt32(0, true);
  }
}

async function loopOf(args) {
  if (args[0] === 'fionread' && args.length === 3) {
    const fds = new Int32Array(2);
    if (koffi.load(null).func('int pipe(_Out_ int *fds)')(fds) !== 0) throw new Error('pipe failed');
    writeSync(fds[1], 'hello');
    const client = new PipeClient(fds[0]);
    return { n: Number(args[1]), rounds: Number(args[2]), call: () => client.fionread(), expect: 5, close: () => fds.forEach((fd) => closeSync(fd)) };
  }
  if ((args[0] === 'vdpa' || args[0] === 'vdpa-transport') && args.length === 4) {
    const { vdpaGetterLoop, vdpaTransportLoop } = await import('./vdpa-getter.mjs');
    const fd = openSync(args[1], 'r+');
    const call = (args[0] === 'vdpa' ? vdpaGetterLoop : vdpaTransportLoop)(transport, fd);
    return { n: Number(args[2]), rounds: Number(args[3]), call, expect: undefined, close: () => closeSync(fd) };
  }
  process.stderr.write('usage: node loop.mjs fionread N ROUNDS | node loop.mjs vdpa|vdpa-transport DEV N ROUNDS\n');
  process.exit(2);
}

const { n, rounds, call, expect, close } = await loopOf(process.argv.slice(2));
let last;
for (let r = -1; r < rounds; r++) {
  // round -1 warms up (the JIT compiles the loop)
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < n; i++) {
    last = call();
    if (expect !== undefined && last !== expect) throw new Error(`got ${last}, expected ${expect}`);
  }
  const ns = Number(process.hrtime.bigint() - t0) / n;
  const cpu = process.cpuUsage(c0);
  if (r >= 0) process.stdout.write(`${ns.toFixed(1)} ${(((cpu.user + cpu.system) * 1000) / n).toFixed(1)}\n`);
}
if (expect === undefined) process.stderr.write(`device id ${last}\n`);
close();
