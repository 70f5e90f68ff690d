// The Node side of the vhost-user bench, through the generated client and the runtime's unix
// socket (run with node --import tsx: the loader costs start-up time only, not time per call).
//   loop.ts features SOCKET N ROUNDS   VHOST_USER_GET_FEATURES round trips (VhostUserFrontEnd.getFeatures)
//   loop.ts reads SOCKET N ROUNDS      4 KiB virtio-blk reads through the example's queue, one in flight
// Prints one line per round, like loop.c: "<wall ns per operation> <CPU ns per operation>".
import { VhostUserFrontEnd, VIRTIO_BLK_T_IN } from '../../generated/ts/api/vhost-user.ts';
import { UnixSocket } from '../../src/runtime/node/index.ts';
import { BlkDevice } from '../../examples/vhost-user/blk-device.ts';

const [mode, socketPath, n, rounds] = process.argv.slice(2);
if ((mode !== 'features' && mode !== 'reads') || !socketPath || !Number(n) || !Number(rounds)) {
  process.stderr.write('usage: loop.ts features|reads SOCKET N ROUNDS\n');
  process.exit(2);
}
const N = Number(n);
const READ_BYTES = 4096;

let op: () => void;
let close: () => void;
if (mode === 'features') {
  const socket = UnixSocket.connect(socketPath);
  const client = new VhostUserFrontEnd(socket);
  const expected = client.getFeatures();
  op = () => {
    if (client.getFeatures() !== expected) throw new Error('GET_FEATURES changed its answer');
  };
  close = () => socket.close();
} else {
  const device = BlkDevice.open(socketPath);
  const sectors = device.config.capacity - BigInt(READ_BYTES / 512);
  let sector = 0n;
  op = () => {
    device.transfer(VIRTIO_BLK_T_IN, sector, READ_BYTES);
    sector = (sector + 8n) % sectors;
  };
  close = () => device.close();
}

for (let r = -1; r < Number(rounds); r++) {
  // round -1 warms up (the JIT compiles the loop)
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = 0; i < N; i++) op();
  const wall = Number(process.hrtime.bigint() - t0) / N;
  const cpu = process.cpuUsage(c0);
  if (r >= 0) process.stdout.write(`${wall.toFixed(1)} ${(((cpu.user + cpu.system) * 1000) / N).toFixed(1)}\n`);
}
close();
