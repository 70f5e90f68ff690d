// Kernel-style spacing for the C token sequences the spec stores with one space between
// tokens (`( 1 << 0 )`, `- 1`, `typedef __u8 x ;`): `(1 << 0)`, `-1`, `typedef __u8 x;`.
// Only whitespace changes. Every result is lexed again and compared token by token with
// its input; if the two differ (two tokens that would fuse), the input is returned as is.
import { lex, type Token } from '../../cheader/index.ts';

const TIGHT_BEFORE = new Set([')', ']', ',', ';', '.', '->', '++', '--']);
const TIGHT_AFTER = new Set(['(', '[', '.', '->', '#', '~', '!']);
/** Operators that are unary when they start an operand. */
const MAYBE_UNARY = new Set(['-', '+', '*', '&', '~', '!']);
const KEYWORD_PREFIX = new Set(['sizeof', '__alignof__', '_Alignof', 'typeof', '__typeof__', 'defined']);
const TYPE_WORDS = new Set([
  'struct', 'union', 'enum', 'const', 'volatile', 'signed', 'unsigned', 'char', 'short', 'int', 'long', 'void', '_Bool',
]);

function isTypeWord(t: Token): boolean {
  return t.kind === 'ident' && (TYPE_WORDS.has(t.text) || /^__(?:[us](?:8|16|32|64)|(?:le|be)(?:16|32|64)|aligned_[us]?64|kernel_\w+|virtio(?:16|32|64))$/.test(t.text) || /_t$/.test(t.text));
}

/** Index of the `(` that opens the group closed by tokens[close], or -1. */
function openerOf(tokens: readonly Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const s = (tokens[i] as Token).text;
    if (s === ')') depth++;
    else if (s === '(' && --depth === 0) return i;
  }
  return -1;
}

/** Whether tokens[close] (a `)`) ends a cast: `(type-name)` followed by an operand. */
function endsCast(tokens: readonly Token[], close: number): boolean {
  const next = tokens[close + 1];
  if (!next || !(next.kind !== 'punct' || next.text === '(' || MAYBE_UNARY.has(next.text))) return false;
  const open = openerOf(tokens, close);
  if (open < 0 || close - open < 2) return false;
  const before = tokens[open - 1];
  if (before && (before.kind === 'ident' || before.text === ')' || before.text === ']')) return false; // a call's argument list
  const inner = tokens.slice(open + 1, close);
  return isTypeWord(inner[0] as Token) && inner.every((t) => t.kind === 'ident' || t.text === '*');
}

/** Whether tokens[i] starts an operand (so a `-`, `*`, `&` there is unary). */
function operandStart(tokens: readonly Token[], i: number, casts: ReadonlySet<number>): boolean {
  const prev = tokens[i - 1];
  if (!prev) return true;
  if (prev.kind !== 'punct') return prev.kind === 'ident' && (prev.text === 'return' || KEYWORD_PREFIX.has(prev.text));
  if (prev.text === ')') return casts.has(i - 1);
  return prev.text !== ']' && prev.text !== '++' && prev.text !== '--';
}

function spaced(tokens: readonly Token[]): string {
  const casts = new Set<number>();
  tokens.forEach((t, i) => {
    if (t.text === ')' && endsCast(tokens, i)) casts.add(i);
  });
  const unary = new Set<number>();
  tokens.forEach((t, i) => {
    if (t.kind === 'punct' && MAYBE_UNARY.has(t.text) && operandStart(tokens, i, casts)) unary.add(i);
  });
  let out = '';
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev) {
      const tight =
        TIGHT_BEFORE.has(t.text) ||
        TIGHT_AFTER.has(prev.text) ||
        unary.has(i - 1) ||
        casts.has(i - 1) ||
        prev.text === '##' || t.text === '##' ||
        // a call or function-like macro: NAME(...), sizeof(...)
        (t.text === '(' && prev.kind === 'ident' && !TYPE_WORDS.has(prev.text)) ||
        (t.text === '[' && (prev.kind === 'ident' || prev.text === ']' || prev.text === ')'));
      if (!tight || fuses(prev, t)) out += ' ';
    }
    out += t.text;
  });
  return out;
}

/** Whether two tokens written without a space would lex as something else (`- -1`, `a b`). */
function fuses(a: Token, b: Token): boolean {
  const { tokens } = lex(`${a.text}${b.text}`);
  return tokens.length !== 2 || tokens[0]?.text !== a.text || tokens[1]?.text !== b.text;
}

function sameTokens(a: readonly Token[], b: readonly Token[]): boolean {
  return a.length === b.length && a.every((t, i) => t.text === (b[i] as Token).text);
}

/** `text` (one line of C tokens) with kernel-style spacing; the same tokens. */
export function cSpacing(text: string): string {
  // Lines with comments are left alone: lexing drops comments.
  if (text.includes('\n') || !text.trim() || text.includes('/*') || text.includes('//')) return text;
  const { tokens, diagnostics } = lex(text);
  if (diagnostics.length || tokens.length === 0) return text;
  const out = spaced(tokens);
  const again = lex(out);
  return !again.diagnostics.length && sameTokens(tokens, again.tokens) ? out : text;
}

/** Display width of a line, tabs to the next multiple of 8 (as checkpatch counts). */
export function displayWidth(line: string): number {
  let w = 0;
  for (const c of line) w = c === '\t' ? w + 8 - (w % 8) : w + 1;
  return w;
}

/**
 * `head body` as one line, or, when that is wider than `max`, continued with backslashes:
 * the body starts on the next line indented by a tab and breaks between tokens where a
 * line would overflow. Tokens are never split; string tokens keep their spaces.
 */
export function continued(head: string, body: string, max = 100): string[] {
  const one = body ? `${head} ${body}` : head;
  if (displayWidth(one) <= max) return [one];
  const { tokens, diagnostics } = lex(body);
  if (diagnostics.length || body.includes('\n')) return [one];
  // Break opportunities: the spaces between tokens of `body` (outside string and char tokens).
  const words: string[] = [];
  let from = 0;
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const at = t.col - 1; // body is one line
    if (at > 0 && body[at - 1] === ' ') {
      words.push(body.slice(from, at - 1));
      from = at;
    }
  }
  words.push(body.slice(from));
  const lines = [`${head} \\`];
  let cur = '';
  for (const w of words) {
    const next = cur ? `${cur} ${w}` : w;
    if (cur && displayWidth(`\t${next} \\`) > max) {
      lines.push(`\t${cur} \\`);
      cur = w;
    } else cur = next;
  }
  lines.push(`\t${cur}`);
  return lines;
}
