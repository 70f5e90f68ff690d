// One boot of the 6.12 lab for vhost_mdev (kernel/). A VDUSE net device is created once, probed
// on upstream vhost_vdpa, stormed there, rebound to vhost_mdev (profile vhost-vdpa-net), probed
// again with the same cells and stormed. Then the module is reloaded with profile
// vhost-mdev-v2 and a second VDUSE device, one that also offers VIRTIO_NET_F_MQ (the feature
// v2's review filters), is probed with the v2 requests of the model and stormed. Every step's
// output comes back as a file; each step's guest time is printed to stderr and returned.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbeMatrix } from './matrix.ts';
import { buildMdev, buildTool } from './mdev.ts';
import { type V2Matrix, v2Table } from './mdev-v2.ts';
import { buildProbe } from './probe.ts';
import { type RunResult, runInLab } from './lab.ts';

/** What ioctl_storm writes. */
export interface StormResult {
  device: string;
  seed: string;
  calls: number;
  ioctls: number;
  writes: number;
  status_walks: number;
  reopens: number;
  ok: number;
  ms: number;
  errnos: Record<string, number>;
}

export interface MdevSession {
  upstream: ProbeMatrix;
  mdev: ProbeMatrix;
  v2: V2Matrix;
  storms: { upstream: StormResult; mdev: StormResult; v2: StormResult };
  run: RunResult;
  /** Guest ms of each timed step. */
  ms: Record<string, number>;
}

/** VIRTIO_NET_F_MQ (bit 22): the v2 device offers it so that the filter has something to hide. */
export const V2_EXTRA_FEATURES = 1n << 22n;
export const STORM_SEED = 13;
export const STORM_CALLS = 20_000;

const step = (name: string, cmd: string): string[] => [
  's=$(date +%s%N)', cmd, `echo "ms_${name}=$(( ($(date +%s%N) - s) / 1000000 ))" >&2`,
];

/** Rebinds $VDPA_DEV from vhost_vdpa to vhost_mdev and names its char device $M. */
const rebind = (ko: string, profile: string): string[] => [
  ...step(`bind_${profile.replace(/-/g, '_')}`, [
    `insmod ${ko} profile=${profile}`,
    'echo vhost_mdev > $D/driver_override',
    'echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_vdpa/unbind',
    'echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_mdev/bind',
  ].join('\n')),
  'M=/dev/$(ls $D/misc)',
];

const unbind = ['echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_mdev/unbind', 'rmmod vhost_mdev'];

/** Inside `vdpa_probe mdev0 hold`: upstream, then vhost_mdev with profile vhost-vdpa-net. */
function netScript(t: { probe: string; storm: string; ko: string }): string {
  // no address randomisation: the argument bytes hold the probe's own addresses (rings, memfd)
  const matrix = (dev: string, out: string) => `setarch x86_64 -R ${t.probe} ${dev} matrix "$LAB_OUT/${out}"`;
  const storm = (dev: string, out: string) => `${t.storm} ${dev} ${STORM_SEED} ${STORM_CALLS} "$LAB_OUT/${out}"`;
  return [
    'set -e',
    'D=/sys/bus/vdpa/devices/$VDPA_DEV',
    'V=/dev/$(ls $D | grep ^vhost-vdpa-)',
    ...step('upstream', matrix('$V', 'upstream.json')),
    ...step('storm_upstream', storm('$V', 'storm-upstream.json')),
    ...rebind(t.ko, 'vhost-vdpa-net'),
    ...step('mdev', matrix('$M', 'mdev.json')),
    ...step('storm_mdev', storm('$M', 'storm-mdev.json')),
    ...unbind,
    '',
  ].join('\n');
}

/** Inside `vdpa_probe mdev1 hold` (a device that also offers MQ): vhost_mdev with profile vhost-mdev-v2. */
function v2Script(t: { v2probe: string; storm: string; ko: string; table: string }): string {
  return [
    'set -e',
    'D=/sys/bus/vdpa/devices/$VDPA_DEV',
    ...rebind(t.ko, 'vhost-mdev-v2'),
    ...step('v2', `${t.v2probe} $M ${t.table} "$LAB_OUT/v2.json"`),
    ...step('storm_v2', `${t.storm} $M ${STORM_SEED} ${STORM_CALLS} "$LAB_OUT/storm-v2.json"`),
    ...unbind,
    '',
  ].join('\n');
}

export async function mdevSession(opts: { timeoutMs?: number } = {}): Promise<MdevSession> {
  const tools = { probe: buildProbe(), storm: buildTool('ioctl_storm'), v2probe: buildTool('mdev_v2_probe'), ko: buildMdev().ko };
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-mdev-'));
  try {
    const table = join(dir, 'v2-requests.txt');
    writeFileSync(table, v2Table());
    writeFileSync(join(dir, 'net.sh'), netScript(tools));
    writeFileSync(join(dir, 'v2.sh'), v2Script({ ...tools, table }));
    const run = await runInLab([
      'set -e',
      `${tools.probe} mdev0 hold 'sh ${dir}/net.sh'`,
      `VDPA_PROBE_FEATURES=0x${V2_EXTRA_FEATURES.toString(16)} ${tools.probe} mdev1 hold 'sh ${dir}/v2.sh'`,
    ].join('\n'), { timeoutMs: opts.timeoutMs ?? 600_000 });
    const json = <T>(name: string): T => {
      const f = run.files.get(name);
      if (run.exitCode !== 0 || !f) throw new Error(`vhost_mdev session failed (exit ${run.exitCode}, no ${name}):\n${run.stdout}${run.stderr}`);
      return JSON.parse(f.toString('utf8')) as T;
    };
    const ms = Object.fromEntries([...run.stderr.matchAll(/^ms_(\w+)=(\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
    return {
      upstream: json('upstream.json'), mdev: json('mdev.json'), v2: json('v2.json'),
      storms: { upstream: json('storm-upstream.json'), mdev: json('storm-mdev.json'), v2: json('storm-v2.json') },
      run, ms,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
