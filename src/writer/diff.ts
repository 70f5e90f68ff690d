// Line-based unified diff.
//
// Lines keep their terminator ('\n'), so a final line without a newline is a
// different token from the same text with one; that is what makes the
// "\ No newline at end of file" markers come out right.
//
// The edit script is a minimal one (shortest sequence of line insertions and
// deletions), computed with Myers' O((N+M)D) algorithm in its linear-space
// "middle snake" form, after two exact reductions: the common prefix/suffix is
// trimmed, and lines that occur in only one of the two texts are marked as
// changed up front (they can never be part of a common subsequence).
// For big, very different inputs a cost cut-off (bestEffort) keeps the time
// bounded at the price of a slightly longer, still correct, edit script.

/** Splits text into lines, each keeping its '\n'; the last may lack one. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  while (start < text.length) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) {
      lines.push(text.slice(start));
      break;
    }
    lines.push(text.slice(start, nl + 1));
    start = nl + 1;
  }
  return lines;
}

/** Below this many edits per search step the diff is always minimal. */
const MIN_MAX_COST = 128;

/**
 * Marks the lines that differ: `deleted[i]` for lines of `a` not kept,
 * `inserted[j]` for lines of `b` not kept. The kept lines of both, in order,
 * form a common subsequence: a longest one unless the texts are both big and
 * very different (see bestEffort), then close to it. `maxCost` overrides the
 * cut-off (Infinity: always minimal).
 */
export function diffMarks(a: readonly string[], b: readonly string[], maxCost?: number): { deleted: Uint8Array; inserted: Uint8Array } {
  const n = a.length;
  const m = b.length;
  const deleted = new Uint8Array(n);
  const inserted = new Uint8Array(m);

  // Intern lines as small integers; count occurrences on each side.
  const ids = new Map<string, number>();
  const intern = (line: string): number => {
    let id = ids.get(line);
    if (id === undefined) {
      id = ids.size;
      ids.set(line, id);
    }
    return id;
  };
  const aIds = new Int32Array(n);
  const bIds = new Int32Array(m);
  for (let i = 0; i < n; i++) aIds[i] = intern(a[i] as string);
  for (let j = 0; j < m; j++) bIds[j] = intern(b[j] as string);
  const inA = new Uint8Array(ids.size);
  const inB = new Uint8Array(ids.size);
  for (let i = 0; i < n; i++) inA[aIds[i] as number] = 1;
  for (let j = 0; j < m; j++) inB[bIds[j] as number] = 1;

  // Drop lines without a partner on the other side; remember where the rest came from.
  const aMap: number[] = [];
  const bMap: number[] = [];
  for (let i = 0; i < n; i++) {
    if (inB[aIds[i] as number]) aMap.push(i);
    else deleted[i] = 1;
  }
  for (let j = 0; j < m; j++) {
    if (inA[bIds[j] as number]) bMap.push(j);
    else inserted[j] = 1;
  }
  const A = Int32Array.from(aMap, (i) => aIds[i] as number);
  const B = Int32Array.from(bMap, (j) => bIds[j] as number);

  const size = 2 * (A.length + B.length) + 4;
  const search: Search = {
    A,
    B,
    vf: new Int32Array(size),
    vb: new Int32Array(size),
    markA: (i) => (deleted[aMap[i] as number] = 1),
    markB: (j) => (inserted[bMap[j] as number] = 1),
    maxCost: maxCost ?? Math.max(MIN_MAX_COST, Math.ceil(Math.sqrt(A.length + B.length))),
  };
  compare(search, 0, A.length, 0, B.length);
  return { deleted, inserted };
}

interface Search {
  A: Int32Array;
  B: Int32Array;
  vf: Int32Array; // forward furthest x per diagonal (scratch, reused by every level)
  vb: Int32Array; // backward furthest (smallest) x per diagonal
  markA: (i: number) => void;
  markB: (j: number) => void;
  maxCost: number; // steps of one middle-snake search before settling for a good split
}

/** Diffs A[aLo,aHi) against B[bLo,bHi), marking changed lines. */
function compare(s: Search, aLo: number, aHi: number, bLo: number, bHi: number): void {
  const { A, B } = s;
  while (aLo < aHi && bLo < bHi && A[aLo] === B[bLo]) {
    aLo++;
    bLo++;
  }
  while (aLo < aHi && bLo < bHi && A[aHi - 1] === B[bHi - 1]) {
    aHi--;
    bHi--;
  }
  if (aLo === aHi) {
    for (let j = bLo; j < bHi; j++) s.markB(j);
    return;
  }
  if (bLo === bHi) {
    for (let i = aLo; i < aHi; i++) s.markA(i);
    return;
  }
  const [x, y] = middle(s, aLo, aHi, bLo, bHi);
  compare(s, aLo, aLo + x, bLo, bLo + y);
  compare(s, aLo + x, aHi, bLo + y, bHi);
}

/**
 * Finds a point (x, y), relative to (aLo, bLo), that lies on a minimal edit
 * path and splits its cost into two non-zero halves. Requires both ranges
 * non-empty with differing first lines and differing last lines (so D >= 2).
 *
 * Furthest-reaching values are computed on the grid extended past its edges
 * (the textbook recurrence, no clamping). An overlap is only accepted on a
 * diagonal k with -M <= k <= N, and the split point is the forward point
 * pulled back onto the real grid along its diagonal; reach cost is
 * non-decreasing and remaining cost non-increasing along a diagonal, so that
 * point has exactly the forward cost before it and the backward cost after it.
 */
function middle(s: Search, aLo: number, aHi: number, bLo: number, bHi: number): [number, number] {
  const { A, B, vf, vb } = s;
  const N = aHi - aLo;
  const M = bHi - bLo;
  const delta = N - M;
  const odd = (delta & 1) !== 0;
  const maxD = Math.ceil((N + M) / 2);
  const off = maxD + 1; // vf[off + k] for diagonal k = x - y; vb[off + j] for diagonal delta + j
  vf[off + 1] = 0;
  vb[off + 1] = N + 1;

  const split = (k: number, xf: number): [number, number] => {
    const x = Math.min(xf, N, M + k);
    return [x, x - k];
  };

  for (let d = 0; d <= maxD; d++) {
    // Forward step.
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && (vf[off + k - 1] as number) < (vf[off + k + 1] as number))) {
        x = vf[off + k + 1] as number; // down from diagonal k+1
      } else {
        x = (vf[off + k - 1] as number) + 1; // right from diagonal k-1
      }
      let y = x - k;
      while (x < N && y < M && A[aLo + x] === B[bLo + y]) {
        x++;
        y++;
      }
      vf[off + k] = x;
      const j = k - delta;
      if (odd && j >= -(d - 1) && j <= d - 1 && k >= -M && k <= N && x >= (vb[off + j] as number)) {
        return split(k, x);
      }
    }
    // Backward step.
    for (let j = -d; j <= d; j += 2) {
      const k = j + delta;
      let x: number;
      if (j === -d || (j !== d && (vb[off + j + 1] as number) <= (vb[off + j - 1] as number))) {
        x = (vb[off + j + 1] as number) - 1; // left from diagonal k+1
      } else {
        x = vb[off + j - 1] as number; // up from diagonal k-1
      }
      let y = x - k;
      while (x > 0 && y > 0 && A[aLo + x - 1] === B[bLo + y - 1]) {
        x--;
        y--;
      }
      vb[off + j] = x;
      if (!odd && k >= -d && k <= d && k >= -M && k <= N && (vf[off + k] as number) >= x) {
        return split(k, vf[off + k] as number);
      }
    }
    if (d >= s.maxCost) {
      const p = bestEffort(s, N, M, d, off);
      if (p !== null) return p;
    }
  }
  throw new Error('diff: middle snake not found (internal error)');
}

/**
 * Cost cut-off for big, very different inputs: after `maxCost` steps without
 * meeting, split at the point (forward or backward) that got furthest. The
 * result stays a correct edit script, just not always a minimal one. Returns
 * null if no usable point exists yet.
 */
function bestEffort(s: Search, N: number, M: number, d: number, off: number): [number, number] | null {
  const { vf, vb } = s;
  const delta = N - M;
  let best: [number, number] | null = null;
  let bestScore = -1;
  const consider = (x: number, k: number, score: number): void => {
    const y = x - k;
    if (score > bestScore && !(x === 0 && y === 0) && !(x === N && y === M)) {
      best = [x, y];
      bestScore = score;
    }
  };
  for (let k = -d; k <= d; k += 2) {
    if (k < -M || k > N) continue;
    const x = Math.min(vf[off + k] as number, N, M + k);
    if (x >= Math.max(0, k)) consider(x, k, 2 * x - k); // progress x + y from the start
  }
  for (let j = -d; j <= d; j += 2) {
    const k = j + delta;
    if (k < -M || k > N) continue;
    const x = Math.max(vb[off + j] as number, 0, k);
    if (x <= Math.min(N, M + k)) consider(x, k, N + M - 2 * x + k); // progress to the end
  }
  return best;
}

interface Change {
  i0: number; // deleted old lines [i0, i1)
  i1: number;
  j0: number; // inserted new lines [j0, j1)
  j1: number;
}

function changesOf(n: number, m: number, deleted: Uint8Array, inserted: Uint8Array): Change[] {
  const changes: Change[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && !deleted[i] && !inserted[j]) {
      i++;
      j++;
      continue;
    }
    const i0 = i;
    const j0 = j;
    while (i < n && deleted[i]) i++;
    while (j < m && inserted[j]) j++;
    if (i === i0 && j === j0) throw new Error('diff: inconsistent edit script (internal error)');
    changes.push({ i0, i1: i, j0, j1: j });
  }
  return changes;
}

function range(start: number, length: number): string {
  // A zero-length range names the line before it (0 at the top of the file).
  return length === 0 ? `${start},0` : `${start + 1},${length}`;
}

/**
 * Unified diff of two texts, `context` lines around each change (default 3).
 * Returns '' when the texts are equal.
 */
export function unifiedDiff(oldText: string, newText: string, oldName: string, newName: string, context = 3): string {
  if (!Number.isInteger(context) || context < 0) throw new RangeError(`unifiedDiff: context must be a non-negative integer, got ${context}`);
  if (oldText === newText) return '';
  const a = splitLines(oldText);
  const b = splitLines(newText);
  const { deleted, inserted } = diffMarks(a, b);
  const changes = changesOf(a.length, b.length, deleted, inserted);

  const out: string[] = [`--- ${oldName}\n`, `+++ ${newName}\n`];
  const emit = (prefix: string, line: string): void => {
    out.push(prefix, line);
    if (!line.endsWith('\n')) out.push('\n\\ No newline at end of file\n');
  };

  let h = 0;
  while (h < changes.length) {
    // Group changes whose gap is small enough to share context.
    let last = h;
    while (last + 1 < changes.length && (changes[last + 1] as Change).i0 - (changes[last] as Change).i1 <= 2 * context) last++;
    const first = changes[h] as Change;
    const end = changes[last] as Change;
    const oldStart = Math.max(0, first.i0 - context);
    const oldEnd = Math.min(a.length, end.i1 + context);
    const newStart = first.j0 - (first.i0 - oldStart);
    const newEnd = end.j1 + (oldEnd - end.i1);
    out.push(`@@ -${range(oldStart, oldEnd - oldStart)} +${range(newStart, newEnd - newStart)} @@\n`);
    let i = oldStart;
    for (let c = h; c <= last; c++) {
      const ch = changes[c] as Change;
      for (; i < ch.i0; i++) emit(' ', a[i] as string);
      for (let k = ch.i0; k < ch.i1; k++) emit('-', a[k] as string);
      for (let k = ch.j0; k < ch.j1; k++) emit('+', b[k] as string);
      i = ch.i1;
    }
    for (; i < oldEnd; i++) emit(' ', a[i] as string);
    h = last + 1;
  }
  return out.join('');
}
