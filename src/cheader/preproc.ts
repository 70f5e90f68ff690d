// Preprocessor lines: groups the token stream into directives and code tokens,
// parses each directive, tracks the #if condition stack and finds the include guard.
// Nothing is expanded or evaluated.
import { joinTokens, type Token } from './lexer.ts';

export interface Cond {
  directive: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else';
  /** 'if'/'elif': expression tokens joined by single spaces; 'ifdef'/'ifndef': the macro name; 'else': ''. */
  expr: string;
  /** For 'elif' and 'else': the earlier branches of the same group, all false when this one is taken. */
  prior?: Cond[];
}

interface DirectiveBase {
  line: number;
  col: number;
  /** The directive's tokens joined by single spaces, e.g. '# ifdef __KERNEL__' -> '#ifdef __KERNEL__'. */
  text: string;
}
export type Directive = DirectiveBase &
  (
    | { dir: 'define'; name: string; params?: string[]; body: string }
    | { dir: 'undef'; name: string }
    | { dir: 'include'; path: string; system: boolean }
    | { dir: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'else' | 'endif'; expr: string }
    | { dir: 'other' }
  );

/** A code token or a whole preprocessor directive, in source order. */
export type Unit = Token | Directive;

export function isDirective(u: Unit): u is Directive {
  return 'dir' in u;
}

export interface PPDiagnostic {
  line: number;
  col: number;
  message: string;
}

const KNOWN_OTHER = new Set(['pragma', 'error', 'warning', 'line', 'ident', 'sccs', 'include_next', 'assert', 'unassert']);

/** Splits tokens into units: each directive (from a '#' at the beginning of a line to the end of that logical line) becomes one unit. */
export function toUnits(tokens: readonly Token[], diags: PPDiagnostic[]): Unit[] {
  const units: Unit[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i] as Token;
    if (!(t.bol && t.text === '#' && t.kind === 'punct')) {
      units.push(t);
      i++;
      continue;
    }
    let j = i + 1;
    while (j < tokens.length && !(tokens[j] as Token).bol) j++;
    units.push(parseDirective(tokens.slice(i, j), diags));
    i = j;
  }
  return units;
}

function parseDirective(toks: Token[], diags: PPDiagnostic[]): Directive {
  const hash = toks[0] as Token;
  const base: DirectiveBase = { line: hash.line, col: hash.col, text: directiveText(toks) };
  const nameTok = toks[1];
  if (!nameTok) return { ...base, dir: 'other' }; // the null directive
  const rest = toks.slice(2);
  const diag = (message: string): void => void diags.push({ line: hash.line, col: hash.col, message });
  switch (nameTok.text) {
    case 'define': {
      const name = rest[0];
      if (!name || name.kind !== 'ident') {
        diag('#define without a macro name');
        return { ...base, dir: 'other' };
      }
      const open = rest[1];
      if (open && open.text === '(' && !open.space) {
        const close = rest.findIndex((t, k) => k > 1 && t.text === ')');
        if (close < 0) {
          diag(`#define ${name.text}: unterminated parameter list`);
          return { ...base, dir: 'other' };
        }
        const params = rest.slice(2, close).filter((t) => t.text !== ',').map((t) => t.text);
        return { ...base, dir: 'define', name: name.text, params, body: joinTokens(rest.slice(close + 1)) };
      }
      return { ...base, dir: 'define', name: name.text, body: joinTokens(rest.slice(1)) };
    }
    case 'undef': {
      const name = rest[0];
      if (!name || name.kind !== 'ident') {
        diag('#undef without a macro name');
        return { ...base, dir: 'other' };
      }
      return { ...base, dir: 'undef', name: name.text };
    }
    case 'include': {
      const first = rest[0];
      if (!first) {
        diag('#include without a file');
        return { ...base, dir: 'other' };
      }
      if (first.kind === 'header') return { ...base, dir: 'include', path: first.text.slice(1, -1), system: true };
      if (first.kind === 'string') return { ...base, dir: 'include', path: first.text.slice(1, -1), system: false };
      return { ...base, dir: 'include', path: joinTokens(rest), system: false };
    }
    case 'if':
    case 'elif':
      if (rest.length === 0) diag(`#${nameTok.text} without an expression`);
      return { ...base, dir: nameTok.text, expr: joinTokens(rest) };
    case 'ifdef':
    case 'ifndef':
      if (rest[0]?.kind !== 'ident') diag(`#${nameTok.text} without a macro name`);
      return { ...base, dir: nameTok.text, expr: rest[0]?.text ?? '' };
    case 'else':
    case 'endif':
      return { ...base, dir: nameTok.text, expr: '' };
    default:
      if (!KNOWN_OTHER.has(nameTok.text)) diag(`unknown preprocessor directive #${nameTok.text}`);
      return { ...base, dir: 'other' };
  }
}

function directiveText(toks: Token[]): string {
  const [hash, name, ...rest] = toks;
  if (!name) return '#';
  return rest.length ? `#${name.text} ${joinTokens(rest)}` : `#${name.text}`;
}

export interface Guard {
  name: string;
  /** Unit indexes of the guard's #ifndef and its matching #endif. */
  open: number;
  close: number;
}

/** The classic include guard: the first unit is #ifndef X, the next #define X, and the matching #endif is the last unit. */
export function findGuard(units: readonly Unit[]): Guard | undefined {
  const first = units[0];
  const second = units[1];
  if (!first || !isDirective(first) || first.dir !== 'ifndef' || !first.expr) return undefined;
  if (!second || !isDirective(second) || second.dir !== 'define' || second.name !== first.expr) return undefined;
  let depth = 0;
  for (let i = 0; i < units.length; i++) {
    const u = units[i] as Unit;
    if (!isDirective(u)) continue;
    if (u.dir === 'if' || u.dir === 'ifdef' || u.dir === 'ifndef') depth++;
    else if (u.dir === 'endif') {
      depth--;
      if (depth === 0) return i === units.length - 1 ? { name: first.expr, open: 0, close: i } : undefined;
    }
  }
  return undefined;
}

/** The stack of #if groups enclosing the current position. */
export class CondStack {
  private groups: Cond[][] = [];

  /** Applies a conditional directive; other directives are ignored. */
  apply(d: Directive, diags: PPDiagnostic[]): void {
    const diag = (message: string): void => void diags.push({ line: d.line, col: d.col, message });
    switch (d.dir) {
      case 'if':
      case 'ifdef':
      case 'ifndef':
        this.groups.push([{ directive: d.dir, expr: d.expr }]);
        return;
      case 'elif':
      case 'else': {
        const group = this.groups[this.groups.length - 1];
        if (!group) return diag(`#${d.dir} without #if`);
        const last = group[group.length - 1] as Cond;
        if (last.directive === 'else') return diag(`#${d.dir} after #else`);
        const prior = group.map(({ directive, expr }) => ({ directive, expr }));
        group.push({ directive: d.dir, expr: d.dir === 'else' ? '' : d.expr, prior });
        return;
      }
      case 'endif':
        if (!this.groups.pop()) diag('#endif without #if');
        return;
      default:
        return;
    }
  }

  /** The active branch of every open group, outermost first. */
  current(): Cond[] {
    return this.groups.map((g) => g[g.length - 1] as Cond);
  }

  get depth(): number {
    return this.groups.length;
  }
}
