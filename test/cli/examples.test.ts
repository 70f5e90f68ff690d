// The runnable examples run and print what the model knows.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS } from '../../src/model/index.ts';
import { ROOT } from './run.ts';

function example(args: string[]): { status: number; stdout: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples/request-numbers.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout };
}

describe('examples/request-numbers.ts', () => {
  it('prints a request on every ABI, with the ABI-dependent size where there is one', () => {
    const r = example(['VDUSE_VQ_GET_INFO', '7.3']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^VDUSE_VQ_GET_INFO = _IOWR\(VDUSE_BASE, 0x15, struct vduse_vq_info\) at 7\.3/);
    // vduse_vq_info ends in a __u8 after __u64 fields: 48 bytes where u64 aligns to 8, 44 on i386
    expect(r.stdout).toMatch(/x86_64 +0xc0308115 +size 48/);
    expect(r.stdout).toMatch(/i386 +0xc02c8115 +size 44/);
    expect(r.stdout.trim().split('\n')).toHaveLength(1 + ABIS.length);
  });
  it('says so when the request does not exist at that version', () => {
    const r = example(['VHOST_VDPA_RESUME', '6.1']);
    expect(r.status).toBe(1);
  });
  it('refuses a version the spec does not know, naming the known ones', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples/request-numbers.ts'), 'VHOST_GET_VRING_BASE', '5.4'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/does not know kernel 5\.4 \(known versions: 5\.10, 6\.1/);
  });
});
