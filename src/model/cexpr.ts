// Evaluates the C integer constant expressions that UAPI headers use in #defines:
// literals with U/L suffixes, names of other constants, casts to integer types,
// unary and binary operators, the conditional operator and sizeof(type). Dotted names
// (arg.num, dev.nvqs) are looked up whole: behaviour checks read request fields and facts.

export interface CValue {
  value: bigint;
  unsigned: boolean;
  /** 64-bit (long long / LP64 long) rather than 32-bit int; C arithmetic wraps at this width. */
  wide?: boolean;
}

export interface EvalEnv {
  /** Value of a named constant, or undefined if unknown. May throw EvalError for cycles. */
  lookup(name: string): CValue | undefined;
  /** sizeof a C type spelling on the ABI being evaluated; undefined if unknown. */
  sizeOf?(type: string): number | undefined;
}

export class EvalError extends Error {}


const TYPE_WORDS = new Set(['unsigned', 'signed', 'int', 'long', 'short', 'char', '__u8', '__u16', '__u32', '__u64', '__s8', '__s16', '__s32', '__s64', '__le16', '__le32', '__le64', '__be16', '__be32', '__be64', 'struct', 'union', 'enum']);

function tokenize(text: string): string[] {
  const re = /\s*(0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|'(?:\\.|[^'\\])'|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*|<<|>>|<=|>=|==|!=|&&|\|\||[-+*/%&|^~!()<>?:,])/y;
  const out: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) throw new EvalError(`unexpected '${text.slice(pos).trim()[0]}' in '${text}'`);
    out.push(m[1] as string);
    pos = re.lastIndex;
  }
  return out;
}

/** The C type of an integer literal: int, unsigned int or a 64-bit type, by value and suffix. */
function literal(tok: string): CValue {
  const m = /^(0[xX][0-9a-fA-F]+|\d+)([uUlL]*)$/.exec(tok) as RegExpExecArray;
  const digits = m[1] as string;
  const suffix = m[2] ?? '';
  if (/^0\d*[89]/.test(digits)) throw new EvalError(`invalid octal literal '${tok}'`);
  const value = /^0\d/.test(digits) ? BigInt(`0o${digits.slice(1)}`) : BigInt(digits);
  if (value > 0xffffffffffffffffn) throw new EvalError(`integer constant '${tok}' is too large`);
  const decimal = !/^0/.test(digits) || digits === '0';
  let unsigned = /u/i.test(suffix);
  let wide = /l/i.test(suffix);
  if (!wide && !unsigned && value > 0x7fffffffn) {
    if (!decimal && value <= 0xffffffffn) unsigned = true; // hex and octal literals may be unsigned int
    else wide = true;
  }
  if (!wide && unsigned && value > 0xffffffffn) wide = true;
  if (wide && value > 0x7fffffffffffffffn) unsigned = true;
  return { value, unsigned, wide };
}

const ESCAPES: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39, '"': 34 };

/** A character constant such as ';' or '\n'. */
function charCode(tok: string): number {
  const body = tok.slice(1, -1);
  if (body.startsWith('\\')) {
    const code = ESCAPES[body.slice(1)];
    if (code === undefined) throw new EvalError(`unsupported escape ${tok}`);
    return code;
  }
  return body.charCodeAt(0);
}

/** Wraps a value to the width and signedness of its C type (int, or 64 bits when wide). */
const norm = (v: CValue): CValue => {
  const bits = v.wide ? 64 : 32;
  return { value: v.unsigned ? BigInt.asUintN(bits, v.value) : BigInt.asIntN(bits, v.value), unsigned: v.unsigned, wide: v.wide ?? false };
};

export function evaluate(text: string, env: EvalEnv): CValue {
  const toks = tokenize(text);
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (expect?: string): string => {
    const t = toks[i++];
    if (t === undefined || (expect !== undefined && t !== expect)) throw new EvalError(`expected '${expect ?? 'a token'}' in '${text}'`);
    return t;
  };
  const isTypeStart = (): boolean => peek() === '(' && TYPE_WORDS.has(toks[i + 1] ?? '');
  // C does not evaluate the right of && and || once the left decides, nor the other arm of ?:.
  // Such code is still parsed, but what it would fail on (a shift past the width, a division by
  // zero, a name not readable yet) does not count while `dead` is above 0.
  let dead = 0;
  const ZERO: CValue = { value: 0n, unsigned: false };
  const live = (f: () => CValue): CValue => {
    if (dead === 0) return f();
    try {
      return f();
    } catch (e) {
      if (e instanceof EvalError) return ZERO;
      throw e;
    }
  };
  const unless = (skip: boolean, f: () => CValue): CValue => {
    if (skip) dead++;
    try {
      return f();
    } finally {
      if (skip) dead--;
    }
  };

  const primary = (): CValue => {
    const t = take();
    if (t === '(') {
      const v = conditional();
      take(')');
      return v;
    }
    if (/^\d/.test(t)) return literal(t);
    if (t.startsWith("'")) return { value: BigInt(charCode(t)), unsigned: false };
    if (t === 'sizeof') {
      take('(');
      const words: string[] = [];
      while (peek() !== ')') words.push(take());
      take(')');
      const size = env.sizeOf?.(words.join(' '));
      if (size === undefined) throw new EvalError(`sizeof(${words.join(' ')}) is not known`);
      return { value: BigInt(size), unsigned: true };
    }
    if (/^[A-Za-z_]/.test(t)) {
      return live(() => {
        const v = env.lookup(t);
        if (!v) throw new EvalError(`unknown name '${t}'`);
        return v;
      });
    }
    throw new EvalError(`unexpected '${t}' in '${text}'`);
  };
  const unary = (): CValue => {
    if (isTypeStart()) {
      take('(');
      const words: string[] = [];
      while (peek() !== ')') words.push(take());
      take(')');
      const v = unary();
      const unsigned = words.includes('unsigned') || /^__u\d+$/.test(words[0] ?? '');
      const wide = words.filter((w) => w === 'long').length > 0 || /64$/.test(words[0] ?? '');
      const narrow = /^(char|short|__[us](8|16))$/.test(words.filter((w) => w !== 'unsigned' && w !== 'signed')[0] ?? '');
      if (narrow) {
        const bits = /8$|char/.test(words.join(' ')) ? 8 : 16;
        return { value: unsigned ? BigInt.asUintN(bits, v.value) : BigInt.asIntN(bits, v.value), unsigned: false, wide: false };
      }
      return norm({ value: v.value, unsigned, wide });
    }
    const t = peek();
    if (t === '-' || t === '+' || t === '~' || t === '!') {
      take();
      const v = unary();
      if (t === '-') return norm({ ...v, value: -v.value });
      if (t === '+') return v;
      if (t === '!') return { value: v.value === 0n ? 1n : 0n, unsigned: false };
      return norm({ ...v, value: ~v.value });
    }
    return primary();
  };
  const LEVELS: string[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];
  const binary = (level: number): CValue => {
    if (level === LEVELS.length) return unary();
    let left = binary(level + 1);
    while (LEVELS[level]?.includes(peek() ?? '')) {
      const op = take();
      const decided = (op === '&&' && left.value === 0n) || (op === '||' && left.value !== 0n);
      const right = unless(decided, () => binary(level + 1));
      const l = left;
      left = decided ? { value: op === '||' ? 1n : 0n, unsigned: false } : live(() => apply(op, l, right));
    }
    return left;
  };
  const conditional = (): CValue => {
    const c = binary(0);
    if (peek() !== '?') return c;
    take('?');
    const a = unless(c.value === 0n, conditional);
    take(':');
    const b = unless(c.value !== 0n, conditional);
    return c.value !== 0n ? a : b;
  };
  const v = conditional();
  if (i !== toks.length) throw new EvalError(`unexpected '${toks[i]}' in '${text}'`);
  return v;
}

function apply(op: string, a: CValue, b: CValue): CValue {
  // The usual arithmetic conversions: the wider type wins; at equal width unsigned wins.
  const wide = Boolean(a.wide || b.wide);
  const unsigned = wide ? Boolean((a.wide && a.unsigned) || (b.wide && b.unsigned) || (a.unsigned && b.unsigned)) : a.unsigned || b.unsigned;
  const x = a.value;
  const y = b.value;
  const bool = (c: boolean): CValue => ({ value: c ? 1n : 0n, unsigned: false });
  switch (op) {
    case '+': return norm({ value: x + y, unsigned, wide });
    case '-': return norm({ value: x - y, unsigned, wide });
    case '*': return norm({ value: x * y, unsigned, wide });
    case '/': if (y === 0n) throw new EvalError('division by zero'); return norm({ value: x / y, unsigned, wide });
    case '%': if (y === 0n) throw new EvalError('division by zero'); return norm({ value: x % y, unsigned, wide });
    // Shifts take the (promoted) type of the left operand; a count outside its width is undefined in C.
    case '<<':
    case '>>':
      if (y < 0n || y >= (a.wide ? 64n : 32n)) throw new EvalError(`shift by ${y} is outside the width of the left operand`);
      return op === '<<' ? norm({ value: x << y, unsigned: a.unsigned, wide: a.wide ?? false }) : norm({ value: x >> y, unsigned: a.unsigned, wide: a.wide ?? false });
    case '&': return norm({ value: x & y, unsigned, wide });
    case '|': return norm({ value: x | y, unsigned, wide });
    case '^': return norm({ value: x ^ y, unsigned, wide });
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '>': return bool(x > y);
    case '<=': return bool(x <= y);
    case '>=': return bool(x >= y);
    case '&&': return bool(x !== 0n && y !== 0n);
    case '||': return bool(x !== 0n || y !== 0n);
    default: throw new EvalError(`operator ${op}`);
  }
}
