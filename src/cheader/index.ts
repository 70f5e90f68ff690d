// Parser for Linux UAPI C headers: an ordered declaration list, comments aside.
// Not a C compiler: nothing is expanded or evaluated, and anything unrecognised
// becomes an 'other' item instead of an error.
//
// Modules: lexer.ts (splices, comments, pp-tokens), preproc.ts (directive lines,
// #if stack, include guard), decl.ts (declarations). Representation choices:
// - The include guard's #ifndef/#endif are left out of `conds`; its `#define` stays an item.
// - Cond.prior (an addition): for #elif/#else, the earlier branches of the group.
// - `__DECLARE_FLEX_ARRAY(T, name);` is a field {type: T, name, dims: [''],
//   attributes: ['__DECLARE_FLEX_ARRAY']}.
// - Directives inside a struct body stay in position: #define as a 'define' member,
//   anything else (#ifdef X, #endif, #undef) as 'comment-free-other' with the directive text.
// - #define/#undef inside an enum body become items right after the enum. Inside typedef,
//   function or 'other' items they stay in the raw text and are repeated as items right
//   after it, marked `inRawText: true` (a generator emitting the raw text skips those).
// - Declarators after a struct body (`struct s {...} v;`) become an extra 'other' item.
// - `extern "C" {` and its `}` are 'other' items; what lies between is parsed normally.
import { parseDeclarations } from './decl.ts';
import { lex } from './lexer.ts';
import { findGuard, toUnits, type PPDiagnostic } from './preproc.ts';
import type { HeaderDiagnostic, ParsedHeader } from './types.ts';

export type { Cond, Enumerator, HeaderDiagnostic, HeaderItem, Member, ParsedHeader } from './types.ts';
export type { Token, TokenKind } from './lexer.ts';
export { lex } from './lexer.ts';

/** Parses a header; malformed input is reported in `diagnostics`, never thrown. */
export function parseHeader(text: string, file?: string): ParsedHeader {
  const lexed = lex(text);
  const diags: PPDiagnostic[] = [...lexed.diagnostics];
  const units = toUnits(lexed.tokens, diags);
  const guard = findGuard(units);
  const items = parseDeclarations(units, guard, diags);
  const seen = new Set<string>();
  const diagnostics: HeaderDiagnostic[] = diags
    .filter((d) => {
      const key = `${d.line}:${d.col}:${d.message}`; // nested bodies may report the same problem twice
      return seen.has(key) ? false : (seen.add(key), true);
    })
    .map((d) => (file === undefined ? { ...d } : { file, ...d }))
    .sort((a, b) => a.line - b.line || a.col - b.col);
  return guard ? { guard: guard.name, items, diagnostics } : { items, diagnostics };
}

export interface TokenizeOptions {
  /** Emit '\n' after the last token of every preprocessor directive, so directive boundaries compare too. */
  directiveEnds?: boolean;
}

/** The C tokens of a header, comments removed and line continuations joined; for token-level comparison. */
export function tokenize(text: string, options: TokenizeOptions = {}): string[] {
  const { tokens } = lex(text);
  if (!options.directiveEnds) return tokens.map((t) => t.text);
  const out: string[] = [];
  let inDirective = false;
  for (const t of tokens) {
    if (t.bol) {
      if (inDirective) out.push('\n');
      inDirective = t.text === '#' && t.kind === 'punct';
    }
    out.push(t.text);
  }
  if (inDirective) out.push('\n');
  return out;
}
