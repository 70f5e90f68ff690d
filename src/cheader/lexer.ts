// C lexer for UAPI headers: translation phases 2-3 only (line splicing, comments,
// pp-tokens). It knows nothing about directives beyond lexing the header name of
// an #include as one token.

export type TokenKind = 'ident' | 'number' | 'string' | 'char' | 'punct' | 'header' | 'other';

export interface Token {
  text: string;
  kind: TokenKind;
  /** 1-based physical line and column of the token's first character. */
  line: number;
  col: number;
  /** A real (unspliced) newline lies between the previous token and this one, or this is the first token. */
  bol: boolean;
  /** Whitespace or a comment lies between the previous token and this one. */
  space: boolean;
}

export interface LexDiagnostic {
  line: number;
  col: number;
  message: string;
}

export interface LexResult {
  tokens: Token[];
  diagnostics: LexDiagnostic[];
}

// Longest first within each leading character is guaranteed by trying 3, then 2, then 1.
const PUNCT3 = new Set(['...', '<<=', '>>=']);
const PUNCT2 = new Set([
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||',
  '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##',
]);

const enum Ch {
  Tab = 9, Nl = 10, Vt = 11, Ff = 12, Cr = 13, Space = 32,
  Quote = 34, Hash = 35, Apos = 39, Star = 42, Plus = 43, Minus = 45, Dot = 46, Slash = 47,
  Lt = 60, Gt = 62, Backslash = 92, Underscore = 95, Dollar = 36,
}

function isIdentStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === Ch.Underscore || c === Ch.Dollar || c >= 128;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || isDigit(c);
}

/** Removes backslash-newline splices, keeping the physical line and column of every remaining character. */
function splice(text: string): { src: string; lines: Int32Array; cols: Int32Array } {
  const n = text.length;
  const lines = new Int32Array(n + 1);
  const cols = new Int32Array(n + 1);
  let out = '';
  let chunkStart = 0;
  let j = 0; // index in out
  let line = 1;
  let col = 1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.Backslash) {
      let k = i + 1;
      if (text.charCodeAt(k) === Ch.Cr) k++;
      if (text.charCodeAt(k) === Ch.Nl) {
        out += text.slice(chunkStart, i);
        chunkStart = k + 1;
        i = k;
        line++;
        col = 1;
        continue;
      }
    }
    lines[j] = line;
    cols[j] = col;
    j++;
    if (c === Ch.Nl) {
      line++;
      col = 1;
    } else {
      col++;
    }
  }
  out += text.slice(chunkStart);
  lines[j] = line;
  cols[j] = col;
  return { src: out, lines, cols };
}

/** Lexes C source into pp-tokens; comments vanish, malformed input yields diagnostics, never throws. */
export function lex(text: string): LexResult {
  const { src, lines, cols } = splice(text);
  const n = src.length;
  const tokens: Token[] = [];
  const diagnostics: LexDiagnostic[] = [];
  let i = 0;
  let bol = true;
  let space = false;
  // State for lexing `#include <...>` header names: 0 none, 1 saw '#' at bol, 2 saw 'include'.
  let includeState = 0;

  const push = (start: number, end: number, kind: TokenKind): void => {
    const tok: Token = { text: src.slice(start, end), kind, line: lines[start] ?? 0, col: cols[start] ?? 0, bol, space };
    tokens.push(tok);
    if (tok.kind === 'punct' && tok.text === '#' && bol) includeState = 1;
    else if (includeState === 1 && tok.kind === 'ident' && (tok.text === 'include' || tok.text === 'include_next')) includeState = 2;
    else includeState = 0;
    bol = false;
    space = false;
  };
  const diag = (at: number, message: string): void => {
    diagnostics.push({ line: lines[at] ?? 0, col: cols[at] ?? 0, message });
  };

  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === Ch.Nl) {
      bol = true;
      space = true;
      includeState = 0;
      i++;
      continue;
    }
    if (c === Ch.Space || c === Ch.Tab || c === Ch.Cr || c === Ch.Vt || c === Ch.Ff) {
      space = true;
      i++;
      continue;
    }
    if (c === Ch.Slash) {
      const d = src.charCodeAt(i + 1);
      if (d === Ch.Star) {
        const end = src.indexOf('*/', i + 2);
        if (end < 0) {
          diag(i, 'unterminated /* comment');
          i = n;
        } else {
          i = end + 2;
        }
        space = true;
        continue;
      }
      if (d === Ch.Slash) {
        const end = src.indexOf('\n', i + 2);
        i = end < 0 ? n : end;
        space = true;
        continue;
      }
    }
    const start = i;
    if (includeState === 2 && c === Ch.Lt) {
      const end = src.indexOf('>', i + 1);
      const nl = src.indexOf('\n', i + 1);
      if (end >= 0 && (nl < 0 || end < nl)) {
        i = end + 1;
        push(start, i, 'header');
        continue;
      }
    }
    if (isIdentStart(c)) {
      // Encoding prefixes of string and character literals: L, u, U, u8.
      let k = i + 1;
      while (k < n && isIdentPart(src.charCodeAt(k))) k++;
      const word = src.slice(i, k);
      const q = src.charCodeAt(k);
      if ((q === Ch.Quote || q === Ch.Apos) && (word === 'L' || word === 'u' || word === 'U' || word === 'u8')) {
        i = lexQuoted(src, k, q, diag);
        push(start, i, q === Ch.Quote ? 'string' : 'char');
        continue;
      }
      i = k;
      push(start, i, 'ident');
      continue;
    }
    if (isDigit(c) || (c === Ch.Dot && isDigit(src.charCodeAt(i + 1)))) {
      // pp-number: digit or .digit followed by [0-9a-zA-Z_.] and e+ e- p+ p- E+ E- P+ P-
      i++;
      while (i < n) {
        const d = src.charCodeAt(i);
        if ((d === Ch.Plus || d === Ch.Minus) && /[eEpP]/.test(src[i - 1] ?? '')) i++;
        else if (isIdentPart(d) || d === Ch.Dot || (d === Ch.Apos && isIdentPart(src.charCodeAt(i + 1)))) i++;
        else break;
      }
      push(start, i, 'number');
      continue;
    }
    if (c === Ch.Quote || c === Ch.Apos) {
      i = lexQuoted(src, i, c, diag);
      push(start, i, c === Ch.Quote ? 'string' : 'char');
      continue;
    }
    const three = src.slice(i, i + 3);
    if (PUNCT3.has(three)) {
      i += 3;
      push(start, i, 'punct');
      continue;
    }
    const two = src.slice(i, i + 2);
    if (PUNCT2.has(two)) {
      i += 2;
      push(start, i, 'punct');
      continue;
    }
    if ('{}[]()<>;:,.?!~+-*/%^&|=#'.includes(src[i] ?? '')) {
      i++;
      push(start, i, 'punct');
      continue;
    }
    // Stray character (backslash not followed by newline, '@', '`', control chars).
    i++;
    push(start, i, 'other');
  }
  return { tokens, diagnostics };
}

/** Returns the index just after the closing quote (or at the end of line if unterminated). */
function lexQuoted(src: string, i: number, quote: number, diag: (at: number, m: string) => void): number {
  const start = i;
  i++;
  while (i < src.length) {
    const c = src.charCodeAt(i);
    if (c === Ch.Backslash) {
      i += 2;
      continue;
    }
    if (c === quote) return i + 1;
    if (c === Ch.Nl) break;
    i++;
  }
  diag(start, quote === Ch.Quote ? 'unterminated string literal' : 'unterminated character constant');
  return Math.min(i, src.length);
}

/** Joins tokens with single spaces: the canonical text of macro bodies, #if expressions and raw items. */
export function joinTokens(tokens: readonly Token[]): string {
  let out = '';
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0) out += ' ';
    out += (tokens[i] as Token).text;
  }
  return out;
}

/**
 * Joins tokens compactly (as attributes are usually written): a space only where two
 * word-like tokens meet, and after commas. `__attribute__ ((aligned (8)))` -> `__attribute__((aligned(8)))`.
 */
export function joinCompact(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token | undefined;
  for (const t of tokens) {
    if (prev) {
      const wordy = (k: TokenKind): boolean => k === 'ident' || k === 'number' || k === 'string' || k === 'char';
      if ((wordy(prev.kind) && wordy(t.kind)) || prev.text === ',') out += ' ';
    }
    out += t.text;
    prev = t;
  }
  return out;
}
