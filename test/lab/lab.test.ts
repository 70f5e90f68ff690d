// The kernel lab end to end: boots Debian trixie's 6.12 kernel under qemu TCG.
// Never skipped: without qemu or the downloads these tests fail with the reason.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KERNEL_RELEASE } from './config.ts';
import { runInLab } from './lab.ts';
import { compare, table, targetOf } from './matrix.ts';
import { compareWithSpec, specView } from './spec-predict.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { buildModule } from './module.ts';
import { buildProbe, uapiInclude } from './probe.ts';
import { runProbe } from './probe-run.ts';

const BOOT_BUDGET_MS = 15_000; // target 10 s warm (docs/lab.md); slack for a loaded 2-core CI machine

describe('lab harness', () => {
  it('runs one command in the 6.12 guest and returns exit code, output, files and dmesg', async () => {
    const r = await runInLab('uname -r; echo to-stderr >&2; echo payload > "$LAB_OUT/out.txt"; test ! -w /usr; exit 7');
    expect(r.exitCode).toBe(7);
    expect(r.stdout.trim()).toBe(KERNEL_RELEASE);
    expect(r.stderr.trim()).toBe('to-stderr');
    expect(r.files.get('out.txt')?.toString()).toBe('payload\n');
    expect(r.dmesg).toMatch(/Linux version 6\.12\.117\+deb13-amd64/);
    expect(r.dmesg).toMatch(/9p|9pnet/);
    expect(r.problems).toEqual([]);
    console.log(`lab: command started ${r.bootMs} ms after qemu start, qemu ran ${r.wallMs} ms`);
    expect(r.bootMs).toBeLessThan(BOOT_BUDGET_MS);
  }, 120_000);

  it('fails the run when dmesg has a WARNING line', async () => {
    const run = runInLab('echo "<4>WARNING: CPU: 0 PID: 1 at lab/selftest.c:1 injected" > /dev/kmsg');
    await expect(run).rejects.toThrow(/dmesg reports problems:\n.*WARNING: CPU: 0 PID: 1 at lab\/selftest/);
  }, 120_000);

  it('kills qemu when the command outlives the timeout', async () => {
    let pid = 0;
    const t0 = Date.now();
    const run = runInLab('sleep 600', { timeoutMs: 4_000, onStart: (p) => { pid = p; } });
    await expect(run).rejects.toThrow(/timed out after 4 s \(qemu killed\)/);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(pid).toBeGreaterThan(0);
    expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
  }, 60_000);
});

describe('out-of-tree module for the lab kernel', () => {
  it('builds kernel/ with -Werror into a .ko whose vermagic matches the guest', () => {
    const { ko } = buildModule('kernel');
    expect(existsSync(ko)).toBe(true);
    const vermagic = execFileSync('modinfo', ['-F', 'vermagic', ko], { encoding: 'utf8' }).trim();
    expect(vermagic).toBe(`${KERNEL_RELEASE} SMP preempt mod_unload modversions`);
    expect(execFileSync('modinfo', ['-F', 'license', ko], { encoding: 'utf8' }).trim()).toBe('GPL');
  }, 300_000);

  it('fails the build on a compiler warning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-warn-'));
    try {
      writeFileSync(join(dir, 'Kbuild'), 'obj-m += warnmod.o\n');
      writeFileSync(join(dir, 'warnmod.c'), [
        '// SPDX-License-Identifier: GPL-2.0', '#include <linux/module.h>',
        'static int __init w_init(void) { int unused; return 0; }', 'module_init(w_init);', 'MODULE_LICENSE("GPL");', '',
      ].join('\n'));
      expect(() => buildModule(dir)).toThrow(/unused variable .unused.*\[-Werror=unused-variable\]/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  it('binds a VDUSE net device to vhost_mdev_vdpa and logs what vdpa_config_ops report', async () => {
    const { ko } = buildModule('kernel');
    const probe = buildProbe();
    const script = [
      'set -e',
      'D=/sys/bus/vdpa/devices/$VDPA_DEV',
      'basename "$(readlink $D/driver)"',
      'echo vhost_mdev_vdpa > $D/driver_override',
      'echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_vdpa/unbind',
      'echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_mdev_vdpa/bind',
      'basename "$(readlink $D/driver)"',
      'echo $VDPA_DEV > /sys/bus/vdpa/drivers/vhost_mdev_vdpa/unbind',
    ].join('\n');
    const r = await runInLab(`set -e\ninsmod ${ko}\n${probe} mdev0 hold '${script}'\nrmmod vhost_mdev_vdpa`);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter(Boolean)).toEqual(['vhost_vdpa', 'vhost_mdev_vdpa']);
    // device id 1 = net; VERSION_1 | ACCESS_PLATFORM | MAC | MTU as created by the probe; 2 vqs
    expect(r.dmesg).toMatch(/vhost_mdev_vdpa mdev0: bound: device_id=1 features=0x300000028 nvqs=2\n/);
    expect(r.dmesg).toMatch(/vhost_mdev_vdpa mdev0: unbound\n/);
  }, 300_000);
});

describe('vhost-vdpa behaviour matrix (6.12.117, VDUSE parent)', () => {
  it('matches every cell with a rule read from the kernel sources or a recorded quirk', async () => {
    const m = await runProbe();
    expect(m.kernel).toBe(KERNEL_RELEASE);
    expect(m.device).toMatchObject({ device_id: 1, vqs: 2, config_size: 24 });

    // every request the 6.12 vhost.h defines, in every state, with and without owner
    const header = readFileSync(join(uapiInclude(), 'linux', 'vhost.h'), 'utf8');
    const defined = [...header.matchAll(/^#define\s+(VHOST_\w+)\s+_IO/gm)].map((x) => x[1]!).sort();
    expect(defined).toHaveLength(53);
    expect([...new Set(m.cells.map((c) => c.request))].sort()).toEqual(defined);
    for (const req of defined) {
      const combos = new Set(m.cells.filter((c) => c.request === req).map((c) => `${c.state}/${c.owner}`));
      expect(combos.size, req).toBe(12);
    }

    const rows = compare(m, targetOf(m));
    console.log(table(rows));
    const count = (v: string) => rows.filter((r) => r.verdict === v).length;
    console.log(`${rows.length} cells: ${count('rule')} by rule, ${count('quirk')} quirks, ${count('mismatch')} mismatches`);
    const bad = rows.filter((r) => r.verdict === 'mismatch')
      .map((r) => `${r.cell.request} ${r.cell.state} ${r.cell.arg} owner=${r.cell.owner}: ${r.measured}, predicted ${r.expectation.errnos.join('|')} (${r.expectation.rule})`);
    expect(bad).toEqual([]);
    expect(count('rule')).toBeGreaterThan(1000);

    // The same cells against the spec itself: fd vhost-vdpa's status rules and quirks and the
    // vhost-vdpa-net profile at 6.12 (spec/vhost-backends.yaml).
    const view = specView(viewAt(openOk(join(import.meta.dirname, '../../spec')), '6.12'), 'vhost-vdpa', 'vhost-vdpa-net');
    const bySpec = compareWithSpec(m.cells, view);
    const tally = new Map<string, number>();
    for (const r of bySpec) tally.set(r.verdict, (tally.get(r.verdict) ?? 0) + 1);
    console.log(`against the spec: ${[...tally].map(([k, n]) => `${n} ${k}`).join(', ')}`);
    const specBad = bySpec.filter((r) => r.verdict === 'mismatch').map((r) => `${r.cell.request} ${r.cell.state} ${r.cell.arg} owner=${r.cell.owner}: ${r.measured} (${r.why})`);
    expect(specBad).toEqual([]);
    // Every status rule of the fd is seen to fire, with its errno.
    for (const rule of view.fd.rules) {
      expect(bySpec.some((r) => r.verdict === 'rule' && rule.requests.includes(r.cell.request) && r.measured === rule.error), `${rule.requests[0]} ${rule.error}`).toBe(true);
    }
  }, 300_000);
});

