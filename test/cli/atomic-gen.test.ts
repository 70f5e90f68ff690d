// A generator that throws leaves generated/ exactly as it was: nothing half-written.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmitters } from '../../generators/index.ts';
import type { Emitter } from '../../src/emit/index.ts';
import { generate } from '../../src/cli/gen.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { ROOT } from './run.ts';

function treeHash(dir: string): string {
  const h = createHash('sha256');
  const walk = (d: string): void => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      h.update(p.slice(dir.length));
      if (statSync(p).isDirectory()) walk(p);
      else h.update(readFileSync(p));
    }
  };
  walk(dir);
  return h.digest('hex');
}

describe('gen is all or nothing', () => {
  it('a throwing emitter after a good one writes nothing', async () => {
    const spec = openOk(join(ROOT, 'spec'));
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-atomic-'));
    const opts = { out, outArg: out, specDir: 'spec', check: false };
    expect(await generate(viewAt(spec, '6.12'), opts)).toBe(0);
    const before = treeHash(out);
    const good = await loadEmitters();
    const boom: Emitter = { name: 'boom', owns: 'boom', emit: () => { throw new Error('generator failed on purpose'); } };
    // A good emitter that would change every file, then one that throws.
    const changing: Emitter[] = good.map((e) => ({ ...e, emit: (view, o) => e.emit(view, o).map((f) => ({ ...f, body: `${f.body}/* changed */\n` })) }));
    await expect(generate(viewAt(spec, '6.1'), opts, [...changing, boom])).rejects.toThrow('generator failed on purpose');
    expect(treeHash(out)).toBe(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
