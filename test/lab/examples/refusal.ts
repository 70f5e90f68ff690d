// Run in the lab by vduse.test.ts while vduse-net serves NAME: two calls the kernel refuses,
// made through the generated vhost client and the koffi transport with the model's explainer.
// Prints [{ request, errnoName, message }] as JSON; the test checks the kernel's errno and the rule.
//   node --import tsx test/lab/examples/refusal.ts NAME
import { closeSync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VhostVdpaFd, VirtioDeviceStatus } from '../../../generated/ts/api/vhost.ts';
import { openSpec } from '../../../src/model/index.ts';
import { genericErrnoName, IoctlError, modelExplainer } from '../../../src/runtime/index.ts';
import { koffiTransport, specVersionFor, withExplainer } from '../../../src/runtime/node/index.ts';

const name = process.argv[2] ?? '';
const node = readdirSync(`/sys/bus/vdpa/devices/${name}`).find((e) => e.startsWith('vhost-vdpa-'));
if (!node) throw new Error(`${name} is not bound to vhost_vdpa`);
const opened = openSpec(join(import.meta.dirname, '../../../spec'));
if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('\n'));
const version = specVersionFor(opened.spec.versions);
const found = version === undefined ? undefined : opened.spec.version(version);
if (!found?.ok) throw new Error(`no spec version for this kernel (${version ?? 'none'})`);
const view = opened.spec.at(found.version);
const kernel = koffiTransport();
const transport = withExplainer(kernel, modelExplainer(view, { device: 'vhost-vdpa-net', errnoName: (n) => kernel.errnoName(n) ?? genericErrnoName(n) }));

const fd = openSync(`/dev/${node}`, 'r+');
const dev = new VhostVdpaFd(transport, fd);
const refused: Array<{ request: string; errnoName: string; message: string }> = [];
const expectRefusal = (f: () => unknown): void => {
  try {
    f();
    throw new Error('the kernel accepted a call it should refuse');
  } catch (e) {
    if (!(e instanceof IoctlError)) throw e;
    refused.push({ request: e.request, errnoName: e.errnoName, message: e.message });
  }
};
try {
  dev.setOwner();
  const queues = dev.vdpaGetVqsCount();
  // one past the last ring
  expectRefusal(() => dev.setVringNum({ index: queues, num: 64 }));
  const { VIRTIO_CONFIG_S_ACKNOWLEDGE: ACK, VIRTIO_CONFIG_S_DRIVER: DRIVER, VIRTIO_CONFIG_S_FEATURES_OK: FEATURES_OK } = VirtioDeviceStatus;
  const features = dev.getFeatures();
  dev.vdpaSetStatus(Number(ACK));
  dev.vdpaSetStatus(Number(ACK | DRIVER));
  dev.setFeatures(features);
  dev.vdpaSetStatus(Number(ACK | DRIVER | FEATURES_OK));
  // features again, after FEATURES_OK
  expectRefusal(() => dev.setFeatures(features));
  dev.vdpaSetStatus(0);
} finally {
  closeSync(fd);
}
process.stdout.write(`${JSON.stringify(refused, null, 2)}\n`);
