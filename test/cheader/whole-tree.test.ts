// Robustness over every header under usr/include/linux of the oldest and newest
// kernel: no diagnostics, and every #define line becomes a define item.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseHeader } from '../../src/cheader/index.ts';
import { allDefines, kernel } from './support.ts';

function headersUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.h')).sort().map((f) => join(dir, f));
}

describe.each(['5.10', '7.2'])('linux %s: all of usr/include/linux', (label) => {
  const root = join(kernel(label).include, 'linux');
  const files = headersUnder(root);

  it('has hundreds of headers, almost all with an include guard', () => {
    expect(files.length).toBeGreaterThan(700);
    const guarded = files.filter((f) => parseHeader(readFileSync(f, 'utf8')).guard !== undefined);
    expect(guarded.length / files.length).toBeGreaterThan(0.95);
  });

  it('parses every header without diagnostics, with a define item per #define line', () => {
    const problems: string[] = [];
    for (const f of files) {
      const text = readFileSync(f, 'utf8');
      const r = parseHeader(text, f);
      for (const d of r.diagnostics) problems.push(`${relative(root, f)}:${d.line}: ${d.message}`);
      const want = [...text.matchAll(/^[ \t]*#[ \t]*define[ \t]+(\w+)/gm)].map((m) => m[1]);
      const got = allDefines(r.items).map((d) => d.name);
      if (JSON.stringify(got) !== JSON.stringify(want)) problems.push(`${relative(root, f)}: defines differ`);
    }
    expect(problems).toEqual([]);
  });
});
