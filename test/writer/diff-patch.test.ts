// Property: the output of unifiedDiff, applied by GNU patch and by git apply
// to the old text, gives exactly the new text.

import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/writer/diff.ts';
import { tempDir } from './helpers.ts';

const work = tempDir('patch');
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

// Lines that look like diff syntax on purpose, plus blanks, tabs, CR-free unicode.
const line = fc.oneof(
  fc.constantFrom('', ' ', 'a', 'b', 'c', '\t}', '-', '+', '--- a/f', '+++ b/f', '@@ -1,2 +1,2 @@', '\\ No newline at end of file', 'ünïcödé ✓'),
  fc.stringMatching(/^[a-d ]{0,6}$/),
);
const lines = fc.array(line, { maxLength: 60 });
const text = fc.record({ lines, finalNewline: fc.boolean() }).map(({ lines: ls, finalNewline }) => {
  const t = ls.join('\n');
  return finalNewline && ls.length > 0 ? t + '\n' : t;
});
/** A new text derived from the old one by random edits, so most pairs share long runs. */
const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 4 }), ins: fc.array(line, { maxLength: 4 }) });
const pair = fc.oneof(
  fc.tuple(text, text),
  fc
    .tuple(lines, fc.array(edit, { maxLength: 6 }), fc.boolean(), fc.boolean())
    .map(([ls, edits, nlOld, nlNew]) => {
      const after = ls.slice();
      for (const e of edits) after.splice(e.at % (after.length + 1), e.del, ...e.ins);
      const join = (xs: string[], nl: boolean): string => (nl && xs.length > 0 ? xs.join('\n') + '\n' : xs.join('\n'));
      return [join(ls, nlOld), join(after, nlNew)] as [string, string];
    }),
);

function run(cmd: string, args: string[], cwd: string): void {
  execFileSync(cmd, args, { cwd, stdio: 'pipe', timeout: 60_000 });
}

/** Applies one patch to old files f<i>.txt with both tools; returns the resulting texts per tool. */
function applyBoth(olds: string[], patch: string): Record<'patch' | 'git', string[]> {
  const out: Record<'patch' | 'git', string[]> = { patch: [], git: [] };
  for (const tool of ['patch', 'git'] as const) {
    const dir = fs.mkdtempSync(path.join(work, `${tool}-`));
    olds.forEach((t, i) => fs.writeFileSync(path.join(dir, `f${i}.txt`), t));
    fs.writeFileSync(path.join(dir, 'change.diff'), patch);
    if (tool === 'patch') run('patch', ['-s', '-p1', '--fuzz=0', '--no-backup-if-mismatch', '-i', 'change.diff'], dir);
    else run('git', ['apply', '-p1', 'change.diff'], dir);
    out[tool] = olds.map((_, i) => fs.readFileSync(path.join(dir, `f${i}.txt`), 'utf8'));
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

describe('unifiedDiff output applies with patch and git apply', () => {
  it('one case per invocation (shrinks on failure)', () => {
    let cases = 0;
    let nonEmpty = 0;
    fc.assert(
      fc.property(pair, ([oldText, newText]) => {
        cases++;
        const d = unifiedDiff(oldText, newText, 'a/f0.txt', 'b/f0.txt');
        if (oldText === newText) {
          expect(d).toBe('');
          return;
        }
        nonEmpty++;
        const got = applyBoth([oldText], d);
        expect(got.patch[0]).toBe(newText);
        expect(got.git[0]).toBe(newText);
      }),
      { numRuns: 150 },
    );
    console.log(`diff/patch property: ${cases} cases (${nonEmpty} non-empty diffs), each applied with GNU patch and git apply`);
    expect(cases).toBe(150);
  });

  it('many cases in one multi-file patch', () => {
    const samples = fc.sample(pair, { numRuns: 2000, seed: 20240601 });
    const olds: string[] = [];
    const news: string[] = [];
    const parts: string[] = [];
    for (const [oldText, newText] of samples) {
      if (oldText === newText) continue;
      const i = olds.length;
      olds.push(oldText);
      news.push(newText);
      parts.push(unifiedDiff(oldText, newText, `a/f${i}.txt`, `b/f${i}.txt`));
    }
    const got = applyBoth(olds, parts.join(''));
    const wrong = news.flatMap((t, i) => (got.patch[i] !== t || got.git[i] !== t ? [i] : []));
    expect(wrong).toEqual([]);
    console.log(`diff/patch batch: ${samples.length} generated cases, ${olds.length} non-empty diffs applied in one patch by GNU patch and git apply`);
    expect(olds.length).toBeGreaterThan(1500);
  });
});
