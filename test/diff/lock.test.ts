// The ABI lock files (generated/abi/<family>.json) catch the two silent changes: a field
// inserted in the middle of vhost_vring_addr, and a released __u64 turned into __aligned_u64.
// `gen --check` fails on them, and `diff` names the field and the number change per ABI.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.ts';
import { diff, only, ROOT } from './support.ts';

/** A copy of spec/ (history included) in a temp folder, and an output folder generated from it. */
function workspace(): { dir: string; spec: string; out: string } {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-lock-'));
  cpSync(join(ROOT, 'spec'), join(dir, 'spec'), { recursive: true });
  const r = cli(['gen', 'spec', '--out', 'out'], { cwd: dir });
  if (r.status !== 0) throw new Error(`gen failed: ${r.stderr}`);
  return { dir, spec: join(dir, 'spec'), out: join(dir, 'out') };
}

function edit(file: string, from: string, to: string): void {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`edit: ${from}`);
  writeFileSync(file, text.replace(from, to));
}

describe('the lock files', () => {
  const ws = workspace();
  it('hold one family each, every checked version, one item per line', () => {
    const text = readFileSync(join(ws.out, 'abi/vhost.json'), 'utf8');
    const lock = JSON.parse(text);
    expect(lock.format).toBe('ioctl-abi-lock/1');
    expect(lock.snapshot).toBe('ioctl-abi-snapshot/3');
    expect(lock.family).toBe('vhost');
    expect(lock.generatedBy).toMatch(/^ioctl-abi gen --at 7\.3 --out out/);
    expect(lock.versions).toBe('5.7 5.10 6.1 6.12 7.2 7.3');
    // An item that never changed is one segment; numbers fold equal ABIs together.
    expect(lock.requests.VHOST_SET_VRING_ADDR).toEqual({ '5.7': expect.objectContaining({ macro: '_IOW', number: { 'x86_64 i386 arm64 armhf s390x riscv64 m68k sh4 x32': '0x4028af11', 'ppc64le ppc64 powerpc mips64el mipsel parisc sparc64 alpha': '0x8028af11' } }) });
    expect(lock.requests.VHOST_VDPA_RESUME).toEqual({ '6.12': expect.any(Object) });
    const line = text.split('\n').find((l) => l.includes('"VHOST_SET_VRING_ADDR":'));
    expect(line).toMatch(/^ {4}"VHOST_SET_VRING_ADDR": \{.*\},?$/);
  });

  it('a field inserted mid-struct: gen --check fails, diff names the field and the numbers', async () => {
    const types = join(ws.spec, 'vhost-types.yaml');
    const original = readFileSync(types, 'utf8');
    const before = mkdtempSync(join(tmpdir(), 'ioctl-abi-lock-base-'));
    cpSync(ws.spec, before, { recursive: true });
    edit(types, '      - { field: desc_user_addr, type: __u64', '      - { field: cookie, type: __u64 }\n      - { field: desc_user_addr, type: __u64');
    try {
      const check = cli(['gen', 'spec', '--out', 'out', '--check'], { cwd: ws.dir });
      expect(check.status).toBe(1);
      expect(check.stdout).toContain('+++ b/abi/vhost.json');
      expect(check.stdout).toMatch(/^\+ {4}"VHOST_SET_VRING_ADDR": .*0x4030af11/m);
      const r = await diff(before, ws.spec);
      const moved = only(r, 'member-moved', 'struct vhost_vring_addr');
      expect(moved.message).toContain('cookie inserted');
      expect(moved.message).toContain('desc_user_addr 8 -> 16');
      const num = only(r, 'request-number-changed', 'VHOST_SET_VRING_ADDR');
      expect(num.severity).toBe('wire-break');
      expect(num.abis).toHaveLength(17);
      expect(num.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '0x4028af11', new: '0x4030af11' });
      expect(num.witnesses.find((w) => w.abi === 'powerpc')).toEqual({ abi: 'powerpc', old: '0x8028af11', new: '0x8030af11' });
      expect(num.versions.map((v) => v.head)).toEqual(['5.10', '6.1', '6.12', '7.2', '7.3']);
      expect(num.message).toContain('struct vhost_vring_addr is 40 -> 48 bytes on x86_64');
    } finally {
      writeFileSync(types, original);
    }
  });

  it('a released __u64 made __aligned_u64: gen --check fails, diff says i386, m68k and sh4 only', async () => {
    const types = join(ws.spec, 'vhost-types.yaml');
    const original = readFileSync(types, 'utf8');
    const before = mkdtempSync(join(tmpdir(), 'ioctl-abi-lock-base-'));
    cpSync(ws.spec, before, { recursive: true });
    edit(types, '{ field: iova, type: __u64,', '{ field: iova, type: __aligned_u64,');
    try {
      const check = cli(['gen', 'spec', '--out', 'out', '--check'], { cwd: ws.dir });
      expect(check.status).toBe(1);
      expect(check.stdout).toContain('+++ b/abi/vhost-types.json');
      const r = await diff(before, ws.spec);
      const msg = only(r, 'struct-size-changed', 'struct vhost_msg');
      expect(msg.severity).toBe('wire-break');
      expect(msg.abis).toEqual(['i386', 'm68k', 'sh4']);
      expect(msg.witnesses.find((w) => w.abi === 'i386')).toEqual({ abi: 'i386', old: '68', new: '72' });
      expect(msg.message).toContain('record of channel vhost-iotlb');
      // The union's padding is reserved (it only sizes the union): the move is reported for iotlb.
      expect(only(r, 'member-moved', 'struct vhost_msg').message).toContain('iotlb 4 -> 8 on i386');
      expect(only(r, 'struct-size-changed', 'struct vhost_iotlb_msg').message).toContain('iova __u64 -> __aligned_u64');
      expect(only(r, 'member-retyped', 'struct vhost_iotlb_msg.iova').severity).toBe('compatible');
    } finally {
      writeFileSync(types, original);
    }
  });
});
