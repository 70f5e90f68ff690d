// The hand-written module kernel/ (vhost_mdev) passes the kernel's own style checkers with
// nothing to justify: scripts/checkpatch.pl --strict and scripts/kernel-doc -Wall of Debian's
// linux-source-6.12 (test/support/checkpatch.ts). Its build and behaviour: test/lab/mdev.test.ts.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkpatchTool } from '../support/checkpatch.ts';

const KERNEL = join(import.meta.dirname, '../../kernel');
const files = readdirSync(KERNEL).filter((f) => f === 'Kbuild' || /\.[ch]$/.test(f)).sort();

function perl(args: string[]): { stdout: string; stderr: string; code: number } {
  try {
    const stdout = execFileSync('perl', args, { cwd: KERNEL, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).toString();
    return { stdout, stderr: '', code: 0 };
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; status?: number };
    return { stdout: err.stdout?.toString() ?? '', stderr: err.stderr?.toString() ?? '', code: err.status ?? -1 };
  }
}

describe('kernel/ (vhost_mdev): kernel style', () => {
  it('has the module\'s sources', () => {
    expect(files).toEqual(expect.arrayContaining(['Kbuild', 'vhost_mdev.h', 'vhost_mdev_main.c', 'vhost_mdev_net.c', 'vhost_mdev_v2.c']));
  });

  for (const f of files) {
    it(`${f}: checkpatch --strict finds nothing`, () => {
      const r = perl([checkpatchTool().checkpatch, '--strict', '--no-tree', '--show-types', '-f', f]);
      expect(r.stdout, r.stderr).toMatch(/^total: 0 errors, 0 warnings, 0 checks, \d+ lines checked$/m);
      expect(r.code).toBe(0);
    }, 600_000);

    if (f === 'Kbuild') continue;
    it(`${f}: kernel-doc -Wall has no warning`, () => {
      const r = perl([checkpatchTool().kernelDoc, '-none', '-Wall', f]);
      expect(r.stderr.trim()).toBe('');
      expect(r.code).toBe(0);
    }, 600_000);
  }
});
