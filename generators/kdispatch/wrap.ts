// Kernel line wrapping for generated C: lines stay within 80 columns; a long line breaks after a
// binary operator or a comma, and the continuation aligns with the innermost open parenthesis
// (tabs, then spaces), as checkpatch --strict wants.
import { displayWidth } from '../../src/emit/c/index.ts';

export const WIDTH = 80;

const BINARY = new Set(['||', '&&', '|', '&', '^', '+', '-', '*', '/', '%', '<<', '>>', '==', '!=', '<', '>', '<=', '>=', '?', ':', '=']);

const pad = (col: number): string => '\t'.repeat(Math.floor(col / 8)) + ' '.repeat(col % 8);

// At one paren depth, a break after || reads best, then after &&, then after anything else.
const RANK: Record<string, number> = { '||': 0, '&&': 1 };

/** How deep a break after each chunk would fall: paren depth, then operator precedence. */
function depths(chunks: readonly string[]): number[] {
  let d = 0;
  return chunks.map((c) => {
    for (const ch of c) d += ch === '(' ? 1 : ch === ')' ? -1 : 0;
    const last = c.split(' ').pop() ?? '';
    return d * 3 + (RANK[last] ?? 2);
  });
}

/** Fills lines greedily, breaking only after chunks at depth <= `limit`. */
function fill(indent: string, chunks: readonly string[], limit: number, width: number): string[] {
  const depth = depths(chunks);
  const lines: string[] = [];
  let cur = indent;
  let col = displayWidth(indent);
  const open: number[] = [];
  const put = (s: string): void => {
    for (const ch of s) {
      col += 1;
      if (ch === '(') open.push(col);
      else if (ch === ')') open.pop();
    }
    cur += s;
  };
  chunks.forEach((c, i) => {
    const may = i > 0 && (depth[i - 1] ?? 0) <= limit;
    // Break before this chunk if it does not fit up to the next place the line could break.
    let run = c;
    for (let j = i + 1; j < chunks.length && (depth[j - 1] ?? 0) > limit; j++) run += ` ${chunks[j]}`;
    if (may && displayWidth(`${cur} ${run}`) > width) {
      lines.push(cur);
      const at = open[open.length - 1] ?? displayWidth(indent) + 8;
      cur = pad(at);
      col = at;
      put(c);
    } else put(i === 0 ? c : ` ${c}`);
  });
  lines.push(cur);
  return lines;
}

/**
 * `text` (one line of spaced C) after `indent`, wrapped: breaks go at the shallowest paren
 * depth that makes every line fit, so `(1ULL << X) |` lists break between their terms.
 */
export function wrap(indent: string, text: string, width = WIDTH): string[] {
  if (displayWidth(`${indent}${text}`) <= width) return [`${indent}${text}`];
  // Chunks end where a line may break: after a binary operator or a comma.
  const chunks: string[] = [];
  let chunk: string[] = [];
  for (const atom of text.split(' ')) {
    chunk.push(atom);
    if (BINARY.has(atom) || atom.endsWith(',')) {
      chunks.push(chunk.join(' '));
      chunk = [];
    }
  }
  if (chunk.length) chunks.push(chunk.join(' '));
  const levels = [...new Set(depths(chunks.slice(0, -1)))].sort((a, b) => a - b);
  let best: string[] = [`${indent}${text}`];
  for (const limit of levels) {
    best = fill(indent, chunks, limit, width);
    if (best.every((l) => displayWidth(l) <= width)) return best;
  }
  return best;
}
