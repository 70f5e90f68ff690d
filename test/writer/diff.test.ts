import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diffMarks, splitLines, unifiedDiff } from '../../src/writer/diff.ts';

const nums = (from: number, to: number): string => Array.from({ length: to - from + 1 }, (_, i) => `${from + i}\n`).join('');

/** Length of a longest common subsequence, by the textbook O(NM) table. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) {
      cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    }
    prev = cur;
  }
  return prev[b.length]!;
}

describe('splitLines', () => {
  it('keeps terminators and a final unterminated line', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a')).toEqual(['a']);
    expect(splitLines('a\n')).toEqual(['a\n']);
    expect(splitLines('a\r\n\nb')).toEqual(['a\r\n', '\n', 'b']);
  });
});

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('', '', 'a', 'b')).toBe('');
    expect(unifiedDiff('x\ny', 'x\ny', 'a', 'b')).toBe('');
  });

  it('produces standard hunks with 3 lines of context', () => {
    const oldText = nums(1, 20);
    const newText = oldText.replace('10\n', 'ten\n');
    expect(unifiedDiff(oldText, newText, 'a/f', 'b/f')).toBe('--- a/f\n+++ b/f\n@@ -7,7 +7,7 @@\n 7\n 8\n 9\n-10\n+ten\n 11\n 12\n 13\n');
  });

  it('joins changes whose context overlaps and splits those that do not', () => {
    const oldText = nums(1, 30);
    // 6 unchanged lines between the changes: one hunk.
    const joined = unifiedDiff(oldText, oldText.replace('5\n', 'five\n').replace('12\n', 'twelve\n'), 'a', 'b');
    expect(joined.match(/^@@/gm)).toHaveLength(1);
    expect(joined).toContain('@@ -2,14 +2,14 @@\n');
    // 7 unchanged lines between the changes: two hunks.
    const split = unifiedDiff(oldText, oldText.replace('5\n', 'five\n').replace('13\n', 'thirteen\n'), 'a', 'b');
    expect(split.match(/^@@ .*$/gm)).toEqual(['@@ -2,7 +2,7 @@', '@@ -10,7 +10,7 @@']);
  });

  it('honours the context argument, including 0', () => {
    const oldText = nums(1, 10);
    const newText = oldText.replace('4\n', '').replace('8\n', '8\neight-and-a-half\n');
    expect(unifiedDiff(oldText, newText, 'a', 'b', 0)).toBe('--- a\n+++ b\n@@ -4,1 +3,0 @@\n-4\n@@ -8,0 +8,1 @@\n+eight-and-a-half\n');
    expect(unifiedDiff(oldText, newText, 'a', 'b', 1)).toBe('--- a\n+++ b\n@@ -3,3 +3,2 @@\n 3\n-4\n 5\n@@ -8,2 +7,3 @@\n 8\n+eight-and-a-half\n 9\n');
    expect(() => unifiedDiff('a', 'b', 'a', 'b', -1)).toThrow(RangeError);
  });

  it('marks a missing newline at end of file on either side', () => {
    expect(unifiedDiff('a\nb', 'a\nb\n', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n');
    expect(unifiedDiff('a\nb\n', 'a\nc', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1,2 +1,2 @@\n a\n-b\n+c\n\\ No newline at end of file\n');
    // Unterminated last line as shared context.
    expect(unifiedDiff('a\nb\nc', 'z\nb\nc', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1,3 +1,3 @@\n-a\n+z\n b\n c\n\\ No newline at end of file\n');
  });

  it('handles empty sides', () => {
    expect(unifiedDiff('', 'a\nb\n', 'x', 'y')).toBe('--- x\n+++ y\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('a\nb\n', '', 'x', 'y')).toBe('--- x\n+++ y\n@@ -1,2 +0,0 @@\n-a\n-b\n');
  });

  it('finds a longest common subsequence (compared with an O(NM) table) on random inputs', () => {
    let runs = 0;
    const line = fc.constantFrom('a', 'b', 'c', 'd', '', 'a ');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), (a, b) => {
        runs++;
        const { deleted, inserted } = diffMarks(a, b);
        const keptA = a.filter((_, i) => deleted[i] === 0);
        const keptB = b.filter((_, j) => inserted[j] === 0);
        expect(keptA).toEqual(keptB);
        expect(keptA.length).toBe(lcsLength(a, b));
      }),
      { numRuns: 2000 },
    );
    console.log(`diff minimality: ${runs} random cases checked against the O(NM) LCS table`);
    expect(runs).toBe(2000);
  });

  it('stays a valid common subsequence, close to the longest, when the cost cut-off kicks in', () => {
    // Big and very different: 1,200 lines each over a 6-letter alphabet, with a fixed seed.
    let s = 12345;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 16;
    const a = Array.from({ length: 1200 }, () => `${next() % 6}\n`);
    const b = Array.from({ length: 1200 }, () => `${next() % 6}\n`);
    const fast = diffMarks(a, b);
    const exact = diffMarks(a, b, Infinity);
    const kept = (m: Uint8Array, xs: string[]): string[] => xs.filter((_, i) => m[i] === 0);
    expect(kept(fast.deleted, a)).toEqual(kept(fast.inserted, b));
    const best = lcsLength(a, b);
    expect(kept(exact.deleted, a).length).toBe(best);
    expect(kept(fast.deleted, a).length).toBeGreaterThanOrEqual(best * 0.97);
  });

  it('gives a valid common subsequence under any cost cut-off', () => {
    let runs = 0;
    const line = fc.constantFrom('a', 'b', 'c', 'd', 'e');
    fc.assert(
      fc.property(fc.array(line, { maxLength: 80 }), fc.array(line, { maxLength: 80 }), fc.integer({ min: 1, max: 8 }), (a, b, maxCost) => {
        runs++;
        const { deleted, inserted } = diffMarks(a, b, maxCost);
        expect(a.filter((_, i) => deleted[i] === 0)).toEqual(b.filter((_, j) => inserted[j] === 0));
      }),
      { numRuns: 1000 },
    );
    expect(runs).toBe(1000);
  });

  it('diffs 5,000-line files fast', () => {
    let s = 42;
    const next = (): number => (s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8;
    const base = Array.from({ length: 5000 }, (_, i) => `#define VHOST_IOCTL_${i} _IOWR(VHOST_VIRTIO, 0x${(next() % 256).toString(16)}, struct vhost_${i % 97})\n`);
    // Typical regeneration: 100 scattered edits, insertions and deletions.
    const edited = base.slice();
    for (let e = 0; e < 100; e++) {
      const at = next() % edited.length;
      const kind = next() % 3;
      if (kind === 0) edited[at] = `/* edited ${e} */\n`;
      else if (kind === 1) edited.splice(at, 0, `/* inserted ${e} */\n`);
      else edited.splice(at, 1);
    }
    // Worst cases: unrelated files with many repeated lines, and with no line in common.
    const randomA = Array.from({ length: 5000 }, () => `${next() % 40}\n`);
    const randomB = Array.from({ length: 5000 }, () => `${next() % 40}\n`);
    const other = base.map((l) => l.replace('VHOST', 'VDUSE'));
    const cases: [string, string, string][] = [
      ['100 scattered edits', base.join(''), edited.join('')],
      ['unrelated, 40 distinct lines', randomA.join(''), randomB.join('')],
      ['no line in common', base.join(''), other.join('')],
    ];
    const report: string[] = [];
    for (const [name, x, y] of cases) {
      let best = Infinity;
      let out = '';
      for (let r = 0; r < 3; r++) {
        const t0 = performance.now();
        out = unifiedDiff(x, y, 'a/f', 'b/f');
        best = Math.min(best, performance.now() - t0);
      }
      expect(out.startsWith('--- a/f\n+++ b/f\n@@ ')).toBe(true);
      report.push(`${name}: ${best.toFixed(1)} ms`);
      // Generous bound for a shared 2-core machine; typical numbers are printed.
      expect(best).toBeLessThan(name === '100 scattered edits' ? 100 : 250);
    }
    console.log(`unifiedDiff on 5,000-line files (best of 3): ${report.join('; ')}`);
  });
});
