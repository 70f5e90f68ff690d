// Declaration parser: turns the unit stream (code tokens and directives) into the
// ordered item list. It recognises the shapes UAPI headers use and keeps anything
// else as raw 'other' text.
import { joinCompact, joinTokens, type Token } from './lexer.ts';
import { CondStack, isDirective, type Cond, type Directive, type Guard, type PPDiagnostic, type Unit } from './preproc.ts';
import type { Enumerator, HeaderItem, Member } from './types.ts';

type Diags = PPDiagnostic[];

const CLOSER: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
const BUILTIN_TYPES = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', 'unsigned', '_Bool', '__int128', '_Complex',
]);
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__', '__const', '__volatile__']);
const ATTRIBUTE_KEYWORDS = new Set(['__attribute__', '__attribute', '__declspec', '__extension__']);
const AGGREGATES = new Set(['struct', 'union', 'enum']);

function tokAt(units: readonly Unit[], i: number): Token | undefined {
  const u = units[i];
  return u && !isDirective(u) ? u : undefined;
}

/** Raw text of a run of units: tokens joined by single spaces, directives on their own lines. */
function unitsText(units: readonly Unit[]): string {
  let out = '';
  let sep = '';
  for (const u of units) {
    if (isDirective(u)) {
      out += (out ? '\n' : '') + u.text;
      sep = '\n';
    } else {
      out += sep + u.text;
      sep = ' ';
    }
  }
  return out;
}

/**
 * Index just past the end of the declaration starting at `start`: its ';' at bracket depth 0,
 * or the '}' closing a function body. At top level a directive at depth 0 also ends it (recovery
 * from a missing ';'); inside struct bodies directives may sit within a member declaration.
 * A missing ';' is reported unless the declaration looks like a macro invocation (`__ITEMS`,
 * `FOO(a, b)`), which expands to complete declarations.
 */
function declEnd(units: readonly Unit[], start: number, end: number, topLevel: boolean, diags: Diags): number {
  const stack: string[] = [];
  const first = tokAt(units, start);
  const mayBeFunction = topLevel && !!first && first.text !== 'typedef' && !AGGREGATES.has(first.text);
  const macroLike = !!first && first.kind === 'ident' && /^[A-Z_][A-Z0-9_]*$/.test(first.text);
  let fnBody = false;
  let prev: Token | undefined;
  for (let i = start; i < end; i++) {
    const u = units[i] as Unit;
    if (isDirective(u)) {
      if (topLevel && stack.length === 0 && i > start) {
        if (!macroLike) diags.push({ line: u.line, col: u.col, message: "expected ';' before preprocessor directive" });
        return i;
      }
      continue;
    }
    const t = u.text;
    if (u.kind === 'punct' && CLOSER[t]) {
      if (t === '{' && stack.length === 0 && mayBeFunction && prev?.text === ')') fnBody = true;
      stack.push(CLOSER[t] as string);
    } else if (u.kind === 'punct' && (t === ')' || t === ']' || t === '}')) {
      const want = stack.pop();
      if (want !== t) {
        diags.push({ line: u.line, col: u.col, message: want ? `expected '${want}' but found '${t}'` : `unbalanced '${t}'` });
        if (!want) return i + 1;
      }
      if (stack.length === 0 && t === '}' && fnBody) return i + 1;
    } else if (t === ';' && stack.length === 0) {
      return i + 1;
    }
    prev = u;
  }
  const last = units[end - 1] ?? units[start];
  if (last && (stack.length > 0 || !macroLike)) {
    const opener: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
    const message = stack.length ? `unclosed '${opener[stack[0] as string]}'` : "expected ';' at end of declaration";
    diags.push({ line: last.line, col: last.col, message });
  }
  return end;
}

/** Index of the token closing the bracket at `open` (within `end`), or -1. */
function matching(units: readonly Unit[], open: number, end: number): number {
  let depth = 0;
  for (let i = open; i < end; i++) {
    const t = tokAt(units, i);
    if (!t || t.kind !== 'punct') continue;
    if (CLOSER[t.text]) depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/** Reads `__attribute__((...))`-like groups and bare attribute macros starting at i; returns them and the next index. */
function readAttributes(toks: readonly Token[], i: number, bareIdents: boolean): { attrs: string[]; next: number } {
  const attrs: string[] = [];
  for (;;) {
    const t = toks[i];
    if (!t || t.kind !== 'ident') break;
    const isKeyword = ATTRIBUTE_KEYWORDS.has(t.text);
    if (!isKeyword && !bareIdents) break;
    if (t.text === '__extension__') {
      i++;
      continue;
    }
    if (toks[i + 1]?.text === '(') {
      const close = matchTok(toks, i + 1);
      if (close < 0) break;
      attrs.push(joinCompact(toks.slice(i, close + 1)));
      i = close + 1;
    } else if (bareIdents && !isKeyword) {
      attrs.push(t.text);
      i++;
    } else {
      break;
    }
  }
  return { attrs, next: i };
}

function matchTok(toks: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.kind !== 'punct') continue;
    if (CLOSER[t.text]) depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function codeTokens(units: readonly Unit[]): Token[] {
  return units.filter((u): u is Token => !isDirective(u));
}

// ---------------------------------------------------------------------------
// Top level

export function parseDeclarations(units: readonly Unit[], guard: Guard | undefined, diags: Diags): HeaderItem[] {
  const items: HeaderItem[] = [];
  const conds = new CondStack();
  const applyCond = (d: Directive, i: number): void => {
    if (guard && (i === guard.open || i === guard.close)) return;
    conds.apply(d, diags);
  };
  let linkageDepth = 0;
  let i = 0;
  while (i < units.length) {
    const u = units[i] as Unit;
    if (isDirective(u)) {
      const c = conds.current();
      switch (u.dir) {
        case 'define':
          items.push(withParams({ kind: 'define', name: u.name, body: u.body, line: u.line, conds: c }, u.params));
          break;
        case 'undef':
          items.push({ kind: 'undef', name: u.name, line: u.line, conds: c });
          break;
        case 'include':
          items.push({ kind: 'include', path: u.path, system: u.system, line: u.line, conds: c });
          break;
        case 'other':
          items.push({ kind: 'other', text: u.text, line: u.line, conds: c });
          break;
        default:
          applyCond(u, i);
      }
      i++;
      continue;
    }
    const c = conds.current();
    // `extern "C" {` ... `}` (C++ linkage blocks): kept as two raw items, the contents parsed normally.
    const next = tokAt(units, i + 1);
    if (u.text === 'extern' && next?.kind === 'string' && tokAt(units, i + 2)?.text === '{') {
      items.push({ kind: 'other', text: unitsText(units.slice(i, i + 3)), line: u.line, conds: c });
      linkageDepth++;
      i += 3;
      continue;
    }
    if (u.text === '}' && linkageDepth > 0) {
      items.push({ kind: 'other', text: '}', line: u.line, conds: c });
      linkageDepth--;
      i++;
      continue;
    }
    const end = declEnd(units, i, units.length, true, diags);
    const decl = units.slice(i, end);
    items.push(...classify(decl, c, diags));
    // Conditional directives inside the declaration still open and close groups.
    for (let k = i; k < end; k++) {
      const d = units[k] as Unit;
      if (isDirective(d)) applyCond(d, k);
    }
    i = end;
  }
  if (conds.depth > 0) {
    const last = units[units.length - 1];
    diags.push({ line: last?.line ?? 0, col: 0, message: `${conds.depth} unterminated #if group(s) at end of file` });
  }
  return items;
}

function withParams<T extends object>(item: T, params: string[] | undefined): T & { params?: string[] } {
  return params ? { ...item, params } : item;
}

/** One top-level declaration (with any directives inside it) -> items. */
function classify(decl: Unit[], conds: Cond[], diags: Diags): HeaderItem[] {
  const toks = codeTokens(decl);
  const first = toks[0] as Token;
  const line = first.line;
  const other = (): HeaderItem => ({ kind: 'other', text: unitsText(decl), line, conds });
  const last = toks[toks.length - 1];

  if (first.text === 'typedef') {
    return [{ kind: 'typedef', name: typedefName(toks) ?? '', text: unitsText(decl), line, conds }, ...hoist(decl, conds)];
  }
  if (last?.text === '}' && !AGGREGATES.has(first.text)) {
    const name = functionName(toks);
    if (name) return [{ kind: 'function', name, text: unitsText(decl), line, conds }, ...hoist(decl, conds)];
    return [other(), ...hoist(decl, conds)];
  }
  if (first.text === 'struct' || first.text === 'union' || first.text === 'enum') {
    const head = aggregateHead(decl, 0, decl.length);
    if (!head) return [other(), ...hoist(decl, conds)];
    const close = head.close;
    const tail = codeTokens(decl.slice(close + 1));
    const after = readAttributes(tail, 0, false);
    const rest = tail.slice(after.next);
    const items: HeaderItem[] = [];
    const hoisted: HeaderItem[] = [];
    if (first.text === 'enum') {
      const enumerators = parseEnumBody(decl.slice(head.open + 1, close), diags, (d) =>
        hoisted.push(directiveItem(d, conds)),
      );
      items.push(head.tag !== undefined
        ? { kind: 'enum', name: head.tag, enumerators, line, conds }
        : { kind: 'enum', enumerators, line, conds });
    } else {
      if (head.tag === undefined) return [other(), ...hoist(decl, conds)];
      const members = parseBody(decl.slice(head.open + 1, close), diags);
      items.push({ kind: first.text, name: head.tag, members, attributes: [...head.attrs, ...after.attrs], line, conds });
    }
    items.push(...hoisted);
    if (rest.length > 1 || rest[0]?.text !== ';') {
      const r = rest[0] ?? (tail[tail.length - 1] as Token | undefined) ?? first;
      if (!rest.every((t) => t.kind === 'ident' || ['*', ',', ';', '[', ']', '='].includes(t.text) || t.kind === 'number')) {
        diags.push({ line: r.line, col: r.col, message: `expected ';' after ${first.text} definition` });
      }
      if (rest.length) items.push({ kind: 'other', text: joinTokens(rest), line: r.line, conds });
    }
    return items;
  }
  return [other(), ...hoist(decl, conds)];
}

/**
 * #define/#undef lines inside a declaration kept only as raw text (typedef, function, other),
 * repeated as items after it so that every macro of the header is an item.
 */
function hoist(decl: Unit[], conds: Cond[]): HeaderItem[] {
  const out: HeaderItem[] = [];
  for (const u of decl) {
    if (isDirective(u) && (u.dir === 'define' || u.dir === 'undef')) out.push({ ...directiveItem(u, conds), inRawText: true } as HeaderItem);
  }
  return out;
}

function directiveItem(d: Directive, conds: Cond[]): HeaderItem {
  if (d.dir === 'define') return withParams({ kind: 'define', name: d.name, body: d.body, line: d.line, conds }, d.params);
  if (d.dir === 'undef') return { kind: 'undef', name: d.name, line: d.line, conds };
  return { kind: 'other', text: d.text, line: d.line, conds };
}

/** `typedef ... NAME;` or `typedef R (*NAME)(...);` */
function typedefName(toks: Token[]): string | undefined {
  for (let i = 0; i + 2 < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.text === '(' && toks[i + 1]?.text === '*' && toks[i + 2]?.kind === 'ident' && toks[i - 1]?.text !== '__attribute__') {
      return (toks[i + 2] as Token).text;
    }
  }
  let name: string | undefined;
  let depth = 0;
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (CLOSER[t.text]) depth++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
    else if (depth === 0 && t.kind === 'ident' && toks[i + 1]?.text !== '(' && !ATTRIBUTE_KEYWORDS.has(t.text)) name = t.text;
  }
  return name;
}

/** The identifier before the first '(' at depth 0 that is not an attribute. */
function functionName(toks: Token[]): string | undefined {
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (t.text === '{') return undefined;
    if (t.text !== '(') continue;
    const prev = toks[i - 1] as Token;
    if (prev.kind === 'ident' && !ATTRIBUTE_KEYWORDS.has(prev.text)) return prev.text;
    const close = matchTok(toks, i);
    if (close < 0) return undefined;
    i = close;
  }
  return undefined;
}

interface AggregateHead {
  tag?: string;
  attrs: string[];
  /** Unit indexes of the body's braces. */
  open: number;
  close: number;
}

/** Parses `struct|union|enum attrs* TAG? attrs* { ... }` at units[start]; undefined if there is no body. */
function aggregateHead(units: readonly Unit[], start: number, end: number): AggregateHead | undefined {
  // Collect the head tokens (no directives expected between keyword and '{').
  const head: Token[] = [];
  let open = -1;
  for (let i = start + 1; i < end; i++) {
    const t = tokAt(units, i);
    if (!t) return undefined;
    if (t.text === '{') {
      open = i;
      break;
    }
    if (t.text === ';' || t.text === '}' || t.text === ',' || t.text === '[' || t.text === '*') return undefined;
    head.push(t);
  }
  if (open < 0) return undefined;
  let k = 0;
  const before = readAttributes(head, k, false);
  k = before.next;
  let tag: string | undefined;
  if (head[k]?.kind === 'ident') tag = (head[k++] as Token).text;
  const after = readAttributes(head, k, false);
  if (after.next !== head.length) return undefined;
  const close = matching(units, open, end);
  if (close < 0) return undefined;
  return { ...(tag !== undefined ? { tag } : {}), attrs: [...before.attrs, ...after.attrs], open, close };
}

// ---------------------------------------------------------------------------
// Enum bodies

function parseEnumBody(units: Unit[], diags: Diags, onDirective: (d: Directive) => void): Enumerator[] {
  const out: Enumerator[] = [];
  let part: Token[] = [];
  let depth = 0;
  const flush = (sep: Token | undefined): void => {
    if (part.length === 0) {
      if (sep) diags.push({ line: sep.line, col: sep.col, message: 'empty enumerator' });
      return;
    }
    const name = part[0] as Token;
    if (name.kind !== 'ident') {
      diags.push({ line: name.line, col: name.col, message: `bad enumerator '${joinTokens(part)}'` });
    } else {
      const eq = part.findIndex((t) => t.text === '=');
      if (eq >= 0) out.push({ name: name.text, value: joinTokens(part.slice(eq + 1)), line: name.line });
      else out.push({ name: name.text, line: name.line });
    }
    part = [];
  };
  for (const u of units) {
    if (isDirective(u)) {
      onDirective(u);
      continue;
    }
    if (CLOSER[u.text]) depth++;
    else if (u.text === ')' || u.text === ']' || u.text === '}') depth--;
    if (u.text === ',' && depth === 0) flush(u);
    else part.push(u);
  }
  flush(undefined);
  return out;
}

// ---------------------------------------------------------------------------
// Struct and union bodies

function parseBody(units: Unit[], diags: Diags): Member[] {
  const members: Member[] = [];
  let i = 0;
  while (i < units.length) {
    const u = units[i] as Unit;
    if (isDirective(u)) {
      if (u.dir === 'define') members.push(withParams({ kind: 'define', name: u.name, body: u.body, line: u.line }, u.params));
      else members.push({ kind: 'comment-free-other', text: u.text, line: u.line });
      i++;
      continue;
    }
    const end = declEnd(units, i, units.length, false, diags);
    members.push(...parseMember(units.slice(i, end), diags));
    i = end;
  }
  return members;
}

function parseMember(decl: Unit[], diags: Diags): Member[] {
  const first = tokAt(decl, 0) as Token;
  const other = (): Member => ({ kind: 'comment-free-other', text: unitsText(decl), line: first.line });

  if (first.text === 'struct' || first.text === 'union') {
    const head = aggregateHead(decl, 0, decl.length);
    if (head) {
      const members = parseBody(decl.slice(head.open + 1, head.close), diags);
      const tail = codeTokens(decl.slice(head.close + 1));
      const shared = { kind: first.text as 'struct' | 'union', ...(head.tag !== undefined ? { tag: head.tag } : {}), members };
      const post = readAttributes(tail, 0, false);
      const attrs = [...head.attrs, ...post.attrs];
      if (tail[post.next]?.text === ';' && post.next === tail.length - 1) {
        return [{ ...shared, dims: [], attributes: attrs, line: first.line }];
      }
      const decls = parseDeclarators(tail, post.next);
      if (!decls || decls.some((d) => d.stars || d.funcParams !== undefined || d.bits !== undefined)) return [other()];
      return decls.map((d) => ({ ...shared, name: d.name, dims: d.dims, attributes: [...attrs, ...d.attrs], line: first.line }));
    }
  }
  if (decl.some(isDirective)) {
    // Directives inside a member declaration (`unsigned char gap,\n#define X 1\n rate;`):
    // parse the declaration without them and interleave them by line.
    const directives: Member[] = parseBody(decl.filter(isDirective), diags);
    const code = codeTokens(decl);
    const parsed = code.length ? parseMember(code, diags) : [];
    return [...parsed, ...directives].sort((a, b) => a.line - b.line);
  }
  const toks = decl as Token[];

  if (first.text === '__DECLARE_FLEX_ARRAY' && toks[1]?.text === '(') {
    const close = matchTok(toks, 1);
    let comma = -1;
    for (let k = 2; k < close; k++) if (toks[k]?.text === ',') comma = k;
    const name = toks[close - 1];
    if (close > 0 && comma > 2 && name?.kind === 'ident' && comma === close - 2) {
      return [{
        kind: 'field', type: typeText(toks.slice(2, comma)), name: name.text, dims: [''],
        attributes: ['__DECLARE_FLEX_ARRAY'], line: first.line,
      }];
    }
    return [other()];
  }

  const spec = parseSpecifiers(toks);
  if (!spec) return [other()];
  const decls = parseDeclarators(toks, spec.next);
  if (!decls) return [other()];
  return decls.map((d) => {
    let type = d.stars ? `${spec.type} ${d.stars}` : spec.type;
    if (d.funcParams !== undefined) type = `${type} (*)(${d.funcParams})`;
    const attributes = [...spec.attrs, ...d.attrs];
    const field: Member & { kind: 'field' } = { kind: 'field', type, name: d.name, dims: d.dims, attributes, line: d.line };
    if (d.bits !== undefined) field.bits = d.bits;
    return field;
  });
}

/** Type text of a token run: single spaces, pointer stars grouped ('__u64 *', 'char **'). */
function typeText(toks: Token[]): string {
  let out = '';
  let prev: Token | undefined;
  for (const t of toks) {
    if (prev) out += t.text === '*' && prev.text === '*' ? '' : ' ';
    out += t.text;
    prev = t;
  }
  return out;
}

/** Declaration specifiers of a member: qualifiers, builtin types, struct/union/enum tags or one typedef name, attributes. */
function parseSpecifiers(toks: Token[]): { type: string; attrs: string[]; next: number } | undefined {
  const type: Token[] = [];
  const attrs: string[] = [];
  let sawType = false;
  let i = 0;
  while (i < toks.length) {
    const t = toks[i] as Token;
    if (t.kind !== 'ident') break;
    if (ATTRIBUTE_KEYWORDS.has(t.text)) {
      const a = readAttributes(toks, i, false);
      if (a.next === i) return undefined;
      attrs.push(...a.attrs);
      i = a.next;
    } else if (QUALIFIERS.has(t.text)) {
      type.push(t);
      i++;
    } else if (AGGREGATES.has(t.text)) {
      const tag = toks[i + 1];
      if (sawType || tag?.kind !== 'ident') return undefined;
      type.push(t, tag);
      sawType = true;
      i += 2;
    } else if (BUILTIN_TYPES.has(t.text)) {
      type.push(t);
      sawType = true;
      i++;
    } else if (!sawType) {
      type.push(t);
      sawType = true;
      i++;
    } else {
      break;
    }
  }
  if (!sawType) return undefined;
  return { type: typeText(type), attrs, next: i };
}

interface Declarator {
  name: string;
  stars: string;
  dims: string[];
  bits?: string;
  attrs: string[];
  /** Set for a function-pointer declarator `(*name)(params)`. */
  funcParams?: string;
  line: number;
}

/** `declarator (, declarator)* ;` from toks[i]; undefined if anything does not fit. */
function parseDeclarators(toks: Token[], i: number): Declarator[] | undefined {
  const out: Declarator[] = [];
  for (;;) {
    const d = parseDeclarator(toks, i);
    if (!d) return undefined;
    out.push(d.decl);
    i = d.next;
    const t = toks[i];
    if (t?.text === ',') {
      i++;
      continue;
    }
    if (t?.text === ';' && i === toks.length - 1) return out;
    return undefined;
  }
}

function parseDeclarator(toks: Token[], i: number): { decl: Declarator; next: number } | undefined {
  let stars = '';
  while (toks[i]?.text === '*' || (stars && QUALIFIERS.has(toks[i]?.text ?? ''))) {
    const t = toks[i] as Token;
    stars += t.text === '*' ? (stars.endsWith('*') || !stars ? '*' : ' *') : ` ${t.text}`;
    i++;
  }
  const pre = readAttributes(toks, i, false);
  i = pre.next;
  let name: Token | undefined;
  let funcParams: string | undefined;
  const t = toks[i];
  if (t?.kind === 'ident') {
    name = t;
    i++;
  } else if (t?.text === '(' && toks[i + 1]?.text === '*' && toks[i + 2]?.kind === 'ident' && toks[i + 3]?.text === ')' && toks[i + 4]?.text === '(') {
    name = toks[i + 2] as Token;
    const close = matchTok(toks, i + 4);
    if (close < 0) return undefined;
    funcParams = joinTokens(toks.slice(i + 5, close));
    i = close + 1;
  } else if (t?.text !== ':') {
    return undefined; // an unnamed bit-field is the only declarator without a name
  }
  const dims: string[] = [];
  while (toks[i]?.text === '[') {
    const close = matchTok(toks, i);
    if (close < 0) return undefined;
    dims.push(joinTokens(toks.slice(i + 1, close)));
    i = close + 1;
  }
  const attrs = [...pre.attrs];
  const a1 = readAttributes(toks, i, true);
  attrs.push(...a1.attrs);
  i = a1.next;
  let bits: string | undefined;
  if (toks[i]?.text === ':') {
    const start = ++i;
    let depth = 0;
    while (i < toks.length) {
      const b = toks[i] as Token;
      if (CLOSER[b.text]) depth++;
      else if (b.text === ')' || b.text === ']' || b.text === '}') depth--;
      else if (depth === 0 && (b.text === ',' || b.text === ';' || ATTRIBUTE_KEYWORDS.has(b.text))) break;
      i++;
    }
    if (i === start) return undefined;
    bits = joinTokens(toks.slice(start, i));
    const a2 = readAttributes(toks, i, false);
    attrs.push(...a2.attrs);
    i = a2.next;
  }
  if (!name && bits === undefined) return undefined;
  const decl: Declarator = { name: name?.text ?? '', stars, dims, attrs, line: (name ?? toks[i - 1] ?? toks[0] as Token).line };
  if (bits !== undefined) decl.bits = bits;
  if (funcParams !== undefined) decl.funcParams = funcParams;
  return { decl, next: i };
}
