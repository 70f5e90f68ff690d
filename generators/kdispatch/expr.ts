// The model's check expressions (C over owner, status, head, arg, arg.FIELD, dev.FACT and the
// spec's constants) printed as kernel C over the dispatch function's locals. Only names change:
// the operators, literals and their C types are the model's, so C evaluates what the model does.
import { cSpacing } from '../../src/emit/c/index.ts';
import { KdispatchError } from './error.ts';

export type FactType = 'u32' | 'u64' | 'bool';

// The model reads every fact as a 64-bit unsigned value. A u32 fact keeps that arithmetic by a
// cast where it is an operand of an operator that can wrap; comparisons and bit tests of values
// that fit in 32 bits give the same answer at either width.
const WRAPS = new Set(['+', '-', '*', '/', '%', '<<', '>>', '~']);

/** What an expression may name in one request's dispatch function. */
export interface ExprScope {
  /** The C spelling of `head` (the leading __u32 of the argument), when the path reads it. */
  readonly head?: string;
  /** Whether `arg` alone is a scalar local. */
  readonly argScalar: boolean;
  /** Fields of the argument struct readable as scalars (`arg.FIELD`). */
  readonly argFields: ReadonlySet<string>;
  /** Whether the argument has been copied in at this point of the path. */
  readonly argRead: boolean;
  /** Facts by name, with the C type of their field in the facts struct. */
  readonly facts: ReadonlyMap<string, FactType>;
  isConstant(name: string): boolean;
  /** The C spelling of a spec constant (its own name, or the profile's name for a historic one). */
  spell(name: string): string;
  /** `minsz` of an argsz argument as C (offsetofend(struct T, field)). */
  readonly minsz?: string;
}

export interface CExpr {
  readonly text: string;
  /** Locals and hooks the expression needs. */
  readonly uses: ReadonlySet<'owner' | 'status' | 'facts' | 'arg'>;
  readonly constants: ReadonlySet<string>;
}

const TOKEN = /\s*(0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>?:,])/y;

export function tokens(text: string): string[] {
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length && !/^\s*$/.test(text.slice(pos))) {
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(text);
    if (!m) throw new KdispatchError(`cannot read '${text.slice(pos).trim()}' in the check expression '${text}'`);
    out.push(m[1] as string);
    pos = TOKEN.lastIndex;
  }
  return out;
}

function name(tok: string, scope: ExprScope, uses: Set<'owner' | 'status' | 'facts' | 'arg'>, constants: Set<string>, expr: string, near: readonly string[]): string {
  const fail = (why: string): never => {
    throw new KdispatchError(`'${tok}' in '${expr}': ${why}`);
  };
  if (tok === 'owner' || tok === 'status') {
    uses.add(tok);
    return tok;
  }
  if (tok.startsWith('dev.')) {
    const fact = tok.slice(4);
    const type = scope.facts.get(fact);
    if (!type) fail('not a fact of the fd kind');
    uses.add('facts');
    return type === 'u32' && near.some((t) => WRAPS.has(t)) ? `(u64)facts->${fact}` : `facts->${fact}`;
  }
  if (tok === 'minsz') {
    if (!scope.minsz) fail('the argument is no argsz struct');
    return scope.minsz as string;
  }
  if (tok === 'head') {
    if (!scope.head) fail('the path has not read the argument head here');
    uses.add('arg');
    return scope.head as string;
  }
  if (tok === 'arg' || tok.startsWith('arg.')) {
    if (!scope.argRead) fail('the path has not read the argument here');
    if (tok === 'arg' && !scope.argScalar) fail('the argument is not a scalar');
    if (tok !== 'arg' && !scope.argFields.has(tok.slice(4))) fail('not a scalar field of the argument');
    uses.add('arg');
    return tok;
  }
  if (!scope.isConstant(tok)) fail('not a constant of the spec at this version');
  constants.add(tok);
  return scope.spell(tok);
}

/** The expression as kernel C over the dispatch locals (kernel spacing). */
export function translate(expr: string, scope: ExprScope): CExpr {
  const uses = new Set<'owner' | 'status' | 'facts' | 'arg'>();
  const constants = new Set<string>();
  const toks = tokens(expr);
  const out = toks.map((t, i) => (/^[A-Za-z_]/.test(t) ? name(t, scope, uses, constants, expr, [toks[i - 1] ?? '', toks[i + 1] ?? '']) : t));
  // cSpacing does not know u64 as a type name: a cast is written tight, as checkpatch wants.
  return { text: cSpacing(out.join(' ')).replace(/\(u64\) /g, '(u64)'), uses, constants };
}

/**
 * A bound check on a user-controlled index (`INDEX >= BOUND`): after it refuses, the index is
 * clamped with array_index_nospec so no later speculative use runs past the bound.
 */
export function indexBound(expr: string, scope: ExprScope): { index: string; bound: string } | undefined {
  const t = tokens(expr);
  if (t.length !== 3 || t[1] !== '>=') return undefined;
  const [index, , bound] = t as [string, string, string];
  if (index !== 'head' && index !== 'arg' && !index.startsWith('arg.')) return undefined;
  if (!bound.startsWith('dev.') && !scope.isConstant(bound)) return undefined;
  return { index: translate(index, scope).text, bound: translate(bound, scope).text };
}
