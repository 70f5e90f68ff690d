// Pure parts of the lab: predictions, comparison and the dmesg filter (no VM).
import { describe, expect, it } from 'vitest';
import { dmesgProblems } from './dmesg.ts';
import { type Cell, expected, QUIRKS, type Target } from './expectations.ts';
import { compare, type ProbeMatrix } from './matrix.ts';

const target: Target = {
  vqs: 2, asNum: 1, configSize: 24, backendFeatures: 0xen,
  ops: { suspend: false, resume: false, getVqGroup: false, getVqDescGroup: false, setGroupAsid: false, getVqSize: true },
  config: { crossEndianLegacy: false, forkOwnerControl: true },
};
const cell = (c: Partial<Cell>): Cell => ({ request: 'VHOST_GET_FEATURES', state: '0', arg: 'valid', owner: false, head: 0, ...c });

describe('expectations (rules read from drivers/vhost/vdpa.c)', () => {
  it('status bits cannot be cleared without a reset (§5.2)', () => {
    expect(expected(cell({ request: 'VHOST_VDPA_SET_STATUS', state: 'ACK|DRIVER', value: '0x2' }), target))
      .toEqual({ errnos: ['EINVAL'], rule: '5.2.status.no-clear-without-reset' });
    expect(expected(cell({ request: 'VHOST_VDPA_SET_STATUS', state: 'ACK|DRIVER', value: '0x0' }), target).errnos).toEqual(['0']);
  });

  it('SET_FEATURES is EBUSY after FEATURES_OK even with a NULL argument (§5.3)', () => {
    expect(expected(cell({ request: 'VHOST_SET_FEATURES', state: 'ACK|DRIVER|FEATURES_OK', head: undefined }), target).errnos).toEqual(['EBUSY']);
  });

  it('vring requests need the owner, then a valid index (§5.1)', () => {
    const r = 'VHOST_SET_VRING_NUM';
    expect(expected(cell({ request: r, value: 'index=0,num=256' }), target).errnos).toEqual(['EPERM']);
    expect(expected(cell({ request: r, owner: true, head: 2, value: 'index=2,num=256' }), target).errnos).toEqual(['ENOBUFS']);
    expect(expected(cell({ request: r, owner: true, value: 'index=0,num=100' }), target).errnos).toEqual(['EINVAL']);
  });

  it('unknown requests are ENOTTY by rule, EPERM/EFAULT/ENOBUFS by named quirk', () => {
    const r = 'VHOST_NET_SET_BACKEND';
    expect(expected(cell({ request: r, owner: true, head: 0 }), target)).toEqual({ errnos: ['ENOTTY'], rule: '5.1.fs.enoioctlcmd-enotty' });
    expect(expected(cell({ request: r, owner: false }), target)).toMatchObject({ errnos: ['EPERM'], quirk: true });
    expect(expected(cell({ request: r, owner: true, head: undefined }), target)).toMatchObject({ errnos: ['EFAULT'], rule: 'vdpa.unknown.reads-index' });
    expect(expected(cell({ request: r, owner: true, head: 3 }), target)).toMatchObject({ errnos: ['ENOBUFS'], quirk: true });
    for (const q of Object.values(QUIRKS)) expect(q.measured).toMatch(/^E[A-Z0-9]+$/);
  });

  it('compare flags a measured errno that no rule or quirk predicts', () => {
    const m = {
      cells: [
        { ...cell({ request: 'VHOST_VDPA_GET_STATUS' }), nr: '0x8001af71', ret: 0, errno: '0' },
        { ...cell({ request: 'VHOST_VDPA_GET_STATUS' }), nr: '0x8001af71', ret: -1, errno: 'EIO' },
        { ...cell({ request: 'VHOST_RESET_OWNER', arg: 'noarg', owner: true, head: undefined }), nr: '0xaf02', ret: -1, errno: 'EFAULT' },
      ],
    } as unknown as ProbeMatrix;
    expect(compare(m, target).map((r) => r.verdict)).toEqual(['rule', 'mismatch', 'quirk']);
  });
});

describe('dmesg filter', () => {
  it('keeps oops/BUG/WARNING/KASAN lines and ignores a clean boot', () => {
    const log = [
      '[    0.000000] Linux version 6.12.117+deb13-amd64',
      '[    1.2] PCI: Using host bridge windows from ACPI; if necessary, use "pci=nocrs" and report a bug',
      '[    5.1] WARNING: CPU: 0 PID: 42 at drivers/vhost/vdpa.c:100 f+0x1/0x2',
      '[    5.2] BUG: kernel NULL pointer dereference, address: 0000000000000000',
      '[    5.3] Oops: 0000 [#1] PREEMPT SMP NOPTI',
      '[    5.4] BUG: KASAN: slab-out-of-bounds in f+0x1/0x2',
    ].join('\n');
    expect(dmesgProblems(log)).toHaveLength(4);
    expect(dmesgProblems(log.split('\n').slice(0, 2).join('\n'))).toEqual([]);
  });
});
