// A generator that throws leaves generated/ exactly as it was: nothing half-written.
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEmitters, type Emitter } from '../../generators/index.ts';
import { generate } from '../../src/cli/gen.ts';
import { runPipelineOn } from '../../src/pipeline.ts';
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
    const pipeline = runPipelineOn(join(ROOT, 'spec'));
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-atomic-'));
    const opts = { version: '6.12', out, specDir: 'spec', check: false };
    expect(await generate(pipeline, opts)).toBe(0);
    const before = treeHash(out);
    const good = await loadEmitters();
    const boom: Emitter = { name: 'boom', owns: 'boom', emit: () => { throw new Error('generator failed on purpose'); } };
    // A good emitter that would change every file, then one that throws.
    const changing: Emitter[] = good.map((e) => ({ ...e, emit: (ctx) => e.emit(ctx).map((f) => ({ ...f, content: `${f.content}/* changed */\n` })) }));
    await expect(generate(pipeline, { ...opts, version: '6.1' }, [...changing, boom])).rejects.toThrow('generator failed on purpose');
    expect(treeHash(out)).toBe(before);
    expect(readdirSync(out).filter((n) => n.startsWith('.'))).toEqual([]);
  });
});
