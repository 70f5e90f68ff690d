// The two examples against the real 6.12 kernel in the lab, in one boot: examples/vduse-net.ts
// creates a VDUSE virtio-net device and serves it from Node (in the background), `vdpa dev add`
// binds it to upstream vhost_vdpa, examples/vdpa-info.ts reads it back through /dev/vhost-vdpa-N.
// What vdpa-info printed must equal what vduse-net offered, and both must equal what this test
// asked for. Then a refused call (the kernel's errno, named with the model's rule) and an IOTLB
// update that vduse-net must see.
// Never skipped: without qemu or the lab's downloads this fails with the reason.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runInLab, type RunResult } from '../lab.ts';

const ROOT = join(import.meta.dirname, '../../..');
const NAME = 'abinet0';
// Not the probe's values, so an example that ignored its arguments would fail.
const MAC = '52:54:00:ab:cd:ef';
const MTU = 1400;
const QUEUE_SIZE = 128;

const tsx = (file: string, args: string): string => `node --import tsx ${file} ${args}`;

// Under TCG a node start with tsx takes seconds; the device answers SET_STATUS while vdpa-info runs.
const SCRIPT = `
cd '${ROOT}'
out="$LAB_OUT"
${tsx('examples/vduse-net.ts', `${NAME} --mac ${MAC} --mtu ${MTU} --queue-size ${QUEUE_SIZE}`)} > "$out/net.out" 2> "$out/net.err" &
pid=$!
i=0
until grep -q '"ready"' "$out/net.out" 2>/dev/null; do
  i=$((i + 1)); if [ $i -gt 1200 ] || ! kill -0 $pid 2>/dev/null; then echo "vduse-net did not get ready" >&2; exit 10; fi
  sleep 0.1
done
vdpa dev add name ${NAME} mgmtdev vduse || exit 11
${tsx('examples/vdpa-info.ts', `${NAME} --json`)} > "$out/info.json" 2> "$out/info.err"; echo $? > "$out/info.rc"
${tsx('examples/vdpa-info.ts', NAME)} > "$out/info.txt" 2>&1; echo $? > "$out/info-text.rc"
${tsx('test/lab/examples/refusal.ts', NAME)} > "$out/refusal.json" 2> "$out/refusal.err"; echo $? > "$out/refusal.rc"
${tsx('test/lab/examples/iotlb.ts', NAME)} > "$out/iotlb.json" 2> "$out/iotlb.err"; echo $? > "$out/iotlb.rc"
${tsx('examples/vdpa-info.ts', 'no-such-device')} > "$out/bad.out" 2> "$out/bad.err"; echo $? > "$out/bad.rc"
vdpa dev del ${NAME} || exit 12
kill -TERM $pid
wait $pid
echo $? > "$out/net.rc"
test -e /dev/vduse/${NAME} && echo "still there" > "$out/leftover"
exit 0
`;

let r: RunResult;
const file = (name: string): string => {
  const f = r.files.get(name);
  if (f === undefined) throw new Error(`the lab run wrote no ${name}; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return f.toString();
};
const json = <T>(name: string): T => JSON.parse(file(name)) as T;
/** The JSON lines vduse-net printed, by their one key. */
const netLines = (): Map<string, unknown> => new Map(file('net.out').trim().split('\n').map((l) => Object.entries(JSON.parse(l) as object)[0] as [string, unknown]));

interface Offer { name: string; deviceId: number; features: string; featureNames: string[]; mac: string; mtu: number; queues: number; queueSize: number; configSize: number }
interface Info { path: string; deviceId: number; deviceType: string; features: string; featureNames: string[]; negotiated: string[]; statusWalk: string[]; mac: string; mtu: number; linkUp: boolean; queues: number; queueSize: number; configSize: number; vringBases: number[] }

beforeAll(async () => {
  r = await runInLab(SCRIPT, { kernel: '6.12', timeoutMs: 420_000 });
  console.log(`lab: examples ran in ${r.wallMs} ms (boot ${r.bootMs} ms)\n${r.files.get('net.out')?.toString() ?? ''}${r.files.get('info.txt')?.toString() ?? ''}`);
}, 480_000);

describe('examples/vduse-net.ts + examples/vdpa-info.ts on 6.12 (vhost_vdpa over VDUSE)', () => {
  it('the script ran to its end; vduse-net served, was stopped and destroyed its device', () => {
    expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
    expect(file('net.rc').trim(), file('net.err')).toBe('0');
    expect(r.files.has('leftover')).toBe(false);
    const lines = netLines();
    expect(lines.get('destroyed')).toBe(NAME);
  });

  it('vduse-net offered what it was asked for', () => {
    const offer = netLines().get('offer') as Offer;
    expect(offer).toMatchObject({ name: NAME, deviceId: 1, mac: MAC, mtu: MTU, queues: 2, queueSize: QUEUE_SIZE });
    expect([...offer.featureNames].sort()).toEqual(['VIRTIO_F_ACCESS_PLATFORM', 'VIRTIO_F_VERSION_1', 'VIRTIO_NET_F_MAC', 'VIRTIO_NET_F_MTU', 'VIRTIO_NET_F_STATUS']);
  });

  it('vdpa-info printed what vduse-net offered: device id, features by name, MAC, MTU, queue count and size', () => {
    expect(file('info.rc').trim(), file('info.err')).toBe('0');
    const offer = netLines().get('offer') as Offer;
    const info = json<Info>('info.json');
    expect(info.path).toMatch(/^\/dev\/vhost-vdpa-\d+$/);
    expect(info.deviceId).toBe(offer.deviceId);
    expect(info.deviceType).toBe('net');
    expect(info.features).toBe(offer.features);
    expect([...info.featureNames].sort()).toEqual([...offer.featureNames].sort());
    expect(info.mac).toBe(offer.mac);
    expect(info.mtu).toBe(offer.mtu);
    expect(info.linkUp).toBe(true);
    expect(info.queues).toBe(offer.queues);
    expect(info.queueSize).toBe(offer.queueSize);
    expect(info.configSize).toBe(offer.configSize);
  });

  it('vdpa-info walked the status up to FEATURES_OK with the features it understood, and reset', () => {
    const info = json<Info>('info.json');
    expect(info.statusWalk).toEqual(['ACKNOWLEDGE', 'ACKNOWLEDGE|DRIVER', 'ACKNOWLEDGE|DRIVER|FEATURES_OK', 'reset']);
    expect([...info.negotiated].sort()).toEqual(['VIRTIO_F_ACCESS_PLATFORM', 'VIRTIO_F_VERSION_1', 'VIRTIO_NET_F_MAC', 'VIRTIO_NET_F_MTU', 'VIRTIO_NET_F_STATUS']);
  });

  it('the queue state vdpa-info read (VHOST_GET_VRING_BASE) is what vduse-net answered to VDUSE_GET_VQ_STATE', () => {
    const info = json<Info>('info.json');
    const served = netLines().get('served') as { requests: Record<string, number>; vqStates: Record<string, number> };
    expect(info.vringBases).toHaveLength(2);
    expect(info.vringBases).toEqual([0, 1].map((i) => served.vqStates[String(i)]));
    // each VHOST_GET_VRING_BASE waits for the device's answer: two vdpa-info runs x two queues
    expect(served.requests.VDUSE_GET_VQ_STATE).toBe(4);
    // every status write of both vdpa-info runs reached the device: 3 up + 1 reset each, plus the
    // resets of open and release
    expect(served.requests.VDUSE_SET_STATUS).toBeGreaterThanOrEqual(8);
  });

  it('an IOTLB update written to vhost-vdpa reaches vduse-net as VDUSE_UPDATE_IOTLB, and the mapping it reads back is the one written', () => {
    expect(file('iotlb.rc').trim(), file('iotlb.err')).toBe('0');
    const mapped = json<{ iova: string; last: string }>('iotlb.json');
    const served = netLines().get('served') as { requests: Record<string, number>; iotlbSeen: Array<{ start: string; last: string; bounce: boolean }> };
    expect(served.iotlbSeen).toEqual([{ start: mapped.iova, last: mapped.last, bounce: false }]);
    // one update message, one set_map: releasing the fd resets the device without another (measured)
    expect(served.requests.VDUSE_UPDATE_IOTLB).toBe(1);
  });

  it('the human-readable form says the same', () => {
    expect(file('info-text.rc').trim()).toBe('0');
    const text = file('info.txt');
    expect(text).toMatch(new RegExp(`^device id\\s+1 \\(net\\)$`, 'm'));
    expect(text).toMatch(new RegExp(`^MAC\\s+${MAC}$`, 'm'));
    expect(text).toMatch(new RegExp(`^MTU\\s+${MTU}$`, 'm'));
    expect(text).toMatch(new RegExp(`^queues\\s+2 x ${QUEUE_SIZE}$`, 'm'));
    expect(text).toMatch(/VIRTIO_NET_F_MAC/);
  });

  it('a device that does not exist: one clear line, exit 2, no stack trace', () => {
    expect(file('bad.rc').trim()).toBe('2');
    const err = file('bad.err');
    expect(err).toMatch(/no-such-device/);
    expect(err).not.toMatch(/\n\s+at /);
    expect(err.trim().split('\n')).toHaveLength(1);
  });

  it('a refused call names the kernel errno and the model rule that refused it', () => {
    expect(file('refusal.rc').trim(), file('refusal.err')).toBe('0');
    const got = json<Array<{ request: string; errnoName: string; message: string }>>('refusal.json');
    const by = new Map(got.map((g) => [g.request, g]));
    // the ring index one past the last ring: the kernel's ENOBUFS, the model's vring-index bound
    expect(by.get('VHOST_SET_VRING_NUM')?.errnoName).toBe('ENOBUFS');
    expect(by.get('VHOST_SET_VRING_NUM')?.message).toMatch(/VHOST_SET_VRING_NUM \(0x4008af10\) on vhost-vdpa fd \d+: ENOBUFS\n {2}why: check 'index-range' \(sequence vring-index\): refused when head >= dev\.nvqs/);
    // features after FEATURES_OK: EBUSY, the status gate
    expect(by.get('VHOST_SET_FEATURES')?.errnoName).toBe('EBUSY');
    expect(by.get('VHOST_SET_FEATURES')?.message).toMatch(/why: check 'features-locked' \(dispatch\): status must not have VIRTIO_CONFIG_S_FEATURES_OK/);
  });
});
