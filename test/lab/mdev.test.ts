// vhost_mdev (kernel/) in one boot of the 6.12 lab: cell for cell against upstream vhost_vdpa on
// the same VDUSE device (profile vhost-vdpa-net), the v2 profile against its own spec, and the
// seeded ioctl storms (the lab fails the boot on any Oops/WARNING/KASAN/UBSAN/BUG line).
// The deliberate differences are the table in docs/lab.md, read here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openOk, viewAt } from '../support/spec.ts';
import { KERNEL_RELEASE } from './config.ts';
import { cellKey, type ProbeCell, writeKey } from './matrix.ts';
import { buildMdev } from './mdev.ts';
import { type MdevSession, mdevSession, STORM_CALLS, V2_EXTRA_FEATURES } from './mdev-run.ts';
import { predictV2, u64At, v2Behaviour, v2Mismatches } from './mdev-v2.ts';

const ROOT = join(import.meta.dirname, '../..');

interface Difference {
  requests: string[];
  upstream: string[];
  mdev: string;
}

/** The deliberate differences: the table under "Cell for cell against upstream" in docs/lab.md. */
function listedDifferences(): Difference[] {
  const lines = readFileSync(join(ROOT, 'docs/lab.md'), 'utf8').split('\n');
  const head = lines.findIndex((l) => l.startsWith('| requests (outside the profile) |'));
  if (head < 0) throw new Error('docs/lab.md has no table of deliberate differences');
  const rows: Difference[] = [];
  for (const l of lines.slice(head + 2)) {
    if (!l.startsWith('|')) break;
    const [requests, upstream, mdev] = l.split('|').slice(1, 4).map((c) => c.trim());
    rows.push({ requests: requests!.split(/,\s*/), upstream: upstream!.split(/,\s*/), mdev: mdev! });
  }
  return rows;
}

/** Everything a cell measured: result, argument bytes after the call, the fds it used. */
const measured = (c: ProbeCell): string =>
  JSON.stringify([c.setup_errno, c.ret, c.errno, c.bytes, c.value, c.head, c.efd, c.nfd]);

let s: MdevSession;

describe('vhost_mdev on the 6.12 lab kernel (one boot)', () => {
  beforeAll(async () => {
    const t0 = Date.now();
    s = await mdevSession();
    console.log(`vhost_mdev session: boot ${s.run.bootMs} ms, qemu ${s.run.wallMs} ms, test ${Date.now() - t0} ms; guest ms ${JSON.stringify(s.ms)}`);
  }, 900_000);

  it('builds with -Werror for the guest and takes the profile parameter', () => {
    const { ko } = buildMdev();
    expect(execFileSync('modinfo', ['-F', 'vermagic', ko], { encoding: 'utf8' }).trim())
      .toBe(`${KERNEL_RELEASE} SMP preempt mod_unload modversions`);
    expect(execFileSync('modinfo', ['-F', 'parm', ko], { encoding: 'utf8' })).toMatch(/^profile:.*vhost-vdpa-net.*vhost-mdev-v2.*\(charp\)$/m);
  }, 300_000);

  it('binds each device with the profile it was loaded with, and unbinds', () => {
    expect(s.run.dmesg).toMatch(/vhost_mdev mdev0: bound: device_id=1 features=0x300000028 nvqs=2 profile=vhost-vdpa-net char=vhost-mdev-0\n/);
    expect(s.run.dmesg).toMatch(/vhost_mdev mdev1: bound: device_id=1 features=0x300400028 nvqs=2 profile=vhost-mdev-v2 char=vhost-mdev-0\n/);
    expect(s.run.dmesg.match(/vhost_mdev mdev[01]: unbound\n/g)).toHaveLength(2);
    expect(s.mdev.device.vhost).toBe('/dev/vhost-mdev-0');
    expect(s.upstream.device.vhost).toBe('/dev/vhost-vdpa-0');
  });

  it('vhost-vdpa-net: every ioctl cell equals upstream vhost_vdpa except the listed requests', () => {
    const listed = new Set(listedDifferences().flatMap((d) => d.requests));
    const mdev = new Map(s.mdev.cells.map((c) => [cellKey(c), c]));
    expect(s.mdev.cells).toHaveLength(s.upstream.cells.length);
    const unexpected = s.upstream.cells.filter((u) => !listed.has(u.request) && measured(u) !== measured(mdev.get(cellKey(u))!))
      .map((u) => `${cellKey(u)}: upstream ${measured(u)}, vhost_mdev ${measured(mdev.get(cellKey(u))!)}`);
    expect(unexpected).toEqual([]);
    expect(s.mdev.device).toEqual({ ...s.upstream.device, vhost: '/dev/vhost-mdev-0' });
  });

  it('vhost-vdpa-net: every IOTLB write() cell equals upstream (steps and write)', () => {
    expect(s.upstream.writes.length).toBeGreaterThan(0);
    const mdev = new Map(s.mdev.writes.map((w) => [writeKey(w), w]));
    const differ = s.upstream.writes.filter((w) => JSON.stringify(w) !== JSON.stringify(mdev.get(writeKey(w)))).map(writeKey);
    expect(differ).toEqual([]);
    expect(mdev.size).toBe(s.upstream.writes.length);
  });

  it('every listed difference occurs as listed, for a request outside the profile (no stale entries)', () => {
    const spec = openOk(join(ROOT, 'spec'));
    const accepted = viewAt(spec, spec.newest).behaviour('vhost-vdpa', 'vhost-vdpa-net')!.accepted;
    const mdev = new Map(s.mdev.cells.map((c) => [cellKey(c), c]));
    for (const d of listedDifferences()) {
      const upstreamAnswers = new Set<string>();
      for (const r of d.requests) {
        expect(accepted.has(r), `${r} is in the profile`).toBe(false);
        const cells = s.upstream.cells.filter((c) => c.request === r);
        expect(cells.length, r).toBeGreaterThan(0);
        expect(cells.some((u) => measured(u) !== measured(mdev.get(cellKey(u))!)), `${r} never differs`).toBe(true);
        expect(cells.map((u) => mdev.get(cellKey(u))!.errno).filter((e) => e !== d.mdev), r).toEqual([]);
        for (const u of cells) if (u.errno !== 'ENOTTY') upstreamAnswers.add(u.errno!);
      }
      expect([...upstreamAnswers].sort(), d.requests.join(', ')).toEqual([...d.upstream].sort());
    }
  });

  it('vhost-mdev-v2: every cell is the model\'s one prediction; MQ is never offered and refused when set', () => {
    const deviceFeatures = 0x300000028n | V2_EXTRA_FEATURES;
    expect(BigInt(s.v2.features)).toBe(deviceFeatures & ~V2_EXTRA_FEATURES);
    const rows = predictV2(s.v2, deviceFeatures);
    expect(rows.length).toBeGreaterThan(700);
    expect(v2Mismatches(rows)).toEqual([]);
    // the profile's requests and those outside it (ENOTTY) were both walked
    const accepted = v2Behaviour().accepted;
    expect(new Set(rows.map((r) => r.cell.request))).toEqual(new Set([...accepted, 'VHOST_RESET_OWNER']));
    const got = rows.filter((r) => r.cell.request === 'VHOST_GET_FEATURES' && r.measured === '0');
    expect(got.length).toBeGreaterThan(0);
    for (const r of got) expect(u64At(r.cell.bytes!) & V2_EXTRA_FEATURES).toBe(0n);
    const mq = rows.filter((r) => r.cell.request === 'VHOST_SET_FEATURES' && r.cell.arg === 'mq_bit');
    expect(new Set(mq.map((r) => r.measured))).toEqual(new Set(['EINVAL', 'EPERM']));
    const early = rows.filter((r) => r.cell.request === 'VHOST_SET_VRING_NUM' && r.cell.owner && r.cell.arg === 'valid');
    expect(Object.fromEntries(early.map((r) => [r.cell.state, r.measured]))).toEqual({
      '0': 'EPERM', ACK: 'EPERM', 'ACK|DRIVER': 'EPERM', 'ACK|DRIVER|FEATURES_OK': '0', 'ACK|DRIVER|FEATURES_OK|DRIVER_OK': 'EPERM', reset: 'EPERM',
    });
  });

  it('storms: 20,000 seeded random calls on each device, and dmesg stays clean', () => {
    for (const [name, storm] of Object.entries(s.storms)) {
      expect(storm.calls, name).toBe(STORM_CALLS);
      expect(storm.ioctls + storm.writes + storm.status_walks, name).toBeGreaterThan(STORM_CALLS * 0.9);
      // it reached handlers, and refusals of several kinds
      expect(storm.ok, name).toBeGreaterThan(1000);
      expect(Object.keys(storm.errnos).length, name).toBeGreaterThanOrEqual(5);
    }
    expect(s.run.problems).toEqual([]);
  });
});
