// The VDUSE examples on bad input, on the host (the lab test runs them against the kernel):
// one line naming what is wrong and what to give instead, exit 2, no stack trace.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');

function run(example: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'examples', example), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const oneLine = (stderr: string): void => {
  expect(stderr).not.toMatch(/\n\s+at /);
  expect(stderr.trim().split('\n')).toHaveLength(1);
};

describe('examples/vduse-net.ts', () => {
  it.each([
    [['net0', '--mac', '52:54:00:zz:00:01'], /--mac 52:54:00:zz:00:01: expected six hex bytes like 52:54:00:12:34:56/],
    [['net0', '--mtu', '20'], /--mtu 20: expected an integer from 68 to 65535/],
    [['net0', '--queue-size', '100'], /--queue-size 100: must be a power of two/],
    [['net0', '--speed', '1'], /unknown option --speed/],
    [[], /usage: vduse-net\.ts NAME/],
    [['a/b'], /device name a\/b: at most 255 bytes, no '\/'/],
  ])('%j', (args, message) => {
    const r = run('vduse-net.ts', args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    oneLine(r.stderr);
  });
});

describe('examples/vdpa-info.ts', () => {
  it.each([
    [[], /usage: vdpa-info\.ts NAME\|\/dev\/vhost-vdpa-N \[--json\]/],
    [['dev0', '--yaml'], /unknown option --yaml/],
    [['no-such-vdpa-device'], /no vDPA device named no-such-vdpa-device \(vdpa dev show lists them\)/],
  ])('%j', (args, message) => {
    const r = run('vdpa-info.ts', args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    oneLine(r.stderr);
  });
});
