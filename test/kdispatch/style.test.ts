// The generated kernel files pass the kernel's own style checkers with nothing to justify:
// scripts/checkpatch.pl --strict (0 errors, 0 warnings, 0 checks) and scripts/kernel-doc -Wall
// (no warning), both from Debian's linux-source-6.12 (test/support/checkpatch.ts).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kdispatchEmitter } from '../../generators/kdispatch/index.ts';
import { renderFile } from '../../src/emit/index.ts';
import { checkpatchTool } from '../support/checkpatch.ts';
import { openOk } from '../support/spec.ts';
import { argszTarget, newestView, ROOT } from './build.ts';

const view = newestView();
// The proposals of spec/history too, as gen prints them (the 2019 vhost-mdev v2 profiles).
const history = [{ name: 'vhost-mdev-v2', spec: openOk(join(ROOT, 'spec/history/vhost-mdev-v2')) }];
const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}`, history };
// And the argsz fixture (test/kdispatch/fixtures/vfio-argsz), which gen does not print.
const fixture = argszTarget().view;
const files = [...kdispatchEmitter.emit(view, options), ...kdispatchEmitter.emit(fixture, { ...options, history: [] })].map((f) => ({ name: f.path.replace(/^kernel\//, ''), content: renderFile(f, options) }));
const work = mkdtempSync(join(tmpdir(), 'kdispatch-style-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function perl(args: string[]): { stdout: string; stderr: string; code: number } {
  try {
    const stdout = execFileSync('perl', args, { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 }).toString();
    return { stdout, stderr: '', code: 0 };
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer; status?: number };
    return { stdout: err.stdout?.toString() ?? '', stderr: err.stderr?.toString() ?? '', code: err.status ?? -1 };
  }
}

describe(`generated/kernel at ${view.version}: kernel style`, () => {
  it('writes a .c and a .h per executable profile', () => {
    expect(files.map((f) => f.name).sort()).toEqual(['vfio-argsz.c', 'vfio-argsz.h', 'vhost-mdev-v2-net.c', 'vhost-mdev-v2-net.h', 'vhost-mdev-v2.c', 'vhost-mdev-v2.h', 'vhost-vdpa-net.c', 'vhost-vdpa-net.h']);
  });

  for (const f of files) {
    it(`${f.name}: checkpatch --strict finds nothing`, () => {
      const tool = checkpatchTool();
      writeFileSync(join(work, f.name), f.content);
      const r = perl([tool.checkpatch, '--strict', '--no-tree', '--show-types', '-f', f.name]);
      expect(r.stdout, r.stderr).toMatch(/^total: 0 errors, 0 warnings, 0 checks, \d+ lines checked$/m);
      expect(r.code).toBe(0);
    }, 600_000);

    it(`${f.name}: kernel-doc -Wall has no warning, and documents every function`, () => {
      const tool = checkpatchTool();
      writeFileSync(join(work, f.name), f.content);
      const check = perl([tool.kernelDoc, '-none', '-Wall', f.name]);
      expect(check.stderr.trim()).toBe('');
      expect(check.code).toBe(0);
      // Every function the file defines or declares has a kernel-doc block (the rst output lists them).
      const rst = perl([tool.kernelDoc, '-rst', f.name]).stdout;
      const documented = new Set([...rst.matchAll(/^\.\. c:function:: .*?\b(\w+)\s*\(/gm)].map((m) => m[1]));
      const declared = [...f.content.matchAll(/^(?:static )?(?:long|bool|u8|const struct \w+ \*)\s*\n?(\w+)\(/gm)].map((m) => m[1]);
      expect(declared.length).toBeGreaterThan(3);
      expect(declared.filter((d) => !documented.has(d))).toEqual([]);
    }, 600_000);
  }
});
