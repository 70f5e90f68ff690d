// Compile-only probes over any ABI and set of include dirs: nothing is linked
// or run, so one cross gcc per target is all that is needed.
//
// - assertAll: many `_Static_assert((unsigned long long)(expr) == X, "id")` in
//   one file, compiled with -fsyntax-only; failures are mapped back to their
//   check by line number (one check per line, -ftrack-macro-expansion=0 so
//   errors inside header macros are reported at the line that used the macro).
// - evaluate: the value of integer constant expressions on the target. Each
//   expression becomes initialised `char` arrays whose sizes are 1 + one 16-bit
//   chunk of the value (and one array for the sign); gcc -S emits
//   `.size NAME, N` for every initialised global on all 17 targets, which is
//   parsed back. Expressions gcc folds only in _Static_assert (e.g. (1 << 31))
//   are then evaluated bit by bit: 64 assertions on their line, one per bit.
// Lines that do not compile are blanked and the file recompiled, so one bad
// expression never costs the others their answer, and a check only counts as
// passed in a file whose only errors are other checks' failed assertions.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ABIS, compilerIncludeDir, requireCompiler, type AbiName } from './abis.ts';

export interface Check {
  id: string;
  /** C expression, evaluated as an integer constant expression on the target. */
  expr: string;
  /** Expected value; negative values are compared as their 64-bit two's complement. */
  expected: bigint;
}

export type CheckStatus = 'pass' | 'fail' | 'missing';

export interface CheckResult {
  id: string;
  status: CheckStatus;
  expected: bigint;
  /** For 'fail': the value the target computes (when it could be evaluated). */
  actual?: bigint;
  /** For 'missing': gcc's error messages for this check. */
  diagnostic?: string;
}

export type EvalResult = bigint | { error: string };

export interface ProbeOptions {
  /** Extra compiler flags (e.g. -D...). */
  flags?: string[];
  /**
   * Add the compiler's freestanding headers (stdint.h, stddef.h) after the
   * kernel dirs (default true): linux/virtio_ring.h up to 6.12 includes <stdint.h>.
   */
  compilerHeaders?: boolean;
  /** assertAll only: evaluate failing checks to report their actual value (default true). */
  withActual?: boolean;
}

const MAX_ROUNDS = 6;
const CHUNKS = 4; // 4 x 16 bits = 64-bit values

export interface Diagnostic {
  file: string;
  line: number;
  severity: string;
  message: string;
}

/** Parses gcc's `file:line:col: error: message` lines (LC_ALL=C, no caret). */
export function parseDiagnostics(stderr: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const line of stderr.split('\n')) {
    const m = /^(.+?):(\d+):(?:\d+:)? (error|fatal error|warning|note): (.*)$/.exec(line);
    if (m) out.push({ file: m[1]!, line: Number(m[2]), severity: m[3]!, message: m[4]! });
  }
  return out;
}

/**
 * Why an expression cannot be placed on one line of the probe file safely, if
 * so: it must not end the declaration early or swallow the next line (which
 * could hide another item's error), so comments, line continuations, unbalanced
 * brackets and a `;` outside braces are refused.
 */
function unsafeExpr(expr: string): string | undefined {
  if (/\/\*|\/\/|\\\s*$/.test(expr) || /\\\n/.test(expr)) return 'expression contains a comment or a line continuation';
  if (/^\s*$/.test(expr)) return 'empty expression';
  const stack: string[] = [];
  const pairs: Record<string, string> = { ')': '(', ']': '[', '}': '{' };
  let quote: string | undefined;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '(' || c === '[' || c === '{') stack.push(c);
    else if (c === ')' || c === ']' || c === '}') {
      if (stack.pop() !== pairs[c]) return 'unbalanced brackets';
    } else if (c === ';' && !stack.includes('{')) return 'expression contains ; outside braces';
  }
  if (quote || stack.length) return 'unbalanced brackets or quotes';
  return undefined;
}

function oneLine(expr: string): string {
  return expr.replace(/\s*\n\s*/g, ' ');
}

function cString(s: string): string {
  return '"' + s.replace(/[\\"]/g, (c) => '\\' + c).replace(/[^\x20-\x7e]/g, '?') + '"';
}

function ullLiteral(v: bigint): string {
  return `0x${BigInt.asUintN(64, v).toString(16)}ULL`;
}

interface GccRun {
  code: number;
  stderr: string;
}

function runGcc(gcc: string, args: string[], cwd: string): Promise<GccRun> {
  return new Promise((resolve, reject) => {
    execFile(gcc, args, { cwd, env: { ...process.env, LC_ALL: 'C', LANG: 'C' }, maxBuffer: 256 * 1024 * 1024, timeout: 600_000 },
      (err, _stdout, stderr) => {
        if (err && typeof (err as { code?: unknown }).code !== 'number') reject(new Error(`${gcc}: ${err.message}`));
        else resolve({ code: err ? Number((err as { code?: unknown }).code) : 0, stderr: String(stderr) });
      });
  });
}

function baseArgs(abi: AbiName, includeDirs: string[], opts: ProbeOptions): string[] {
  return [
    ...ABIS[abi].flags,
    '-std=gnu11', '-O0', '-w', '-fno-common', '-nostdinc', '-ffreestanding',
    '-fmax-errors=0', '-ftrack-macro-expansion=0', '-fno-diagnostics-color', '-fno-diagnostics-show-caret',
    ...includeDirs.map((d) => `-I${d}`),
    ...(opts.compilerHeaders === false ? [] : ['-isystem', compilerIncludeDir(abi)]),
    ...(opts.flags ?? []),
  ];
}

const FILE = 'probe.c';

const ASSERT_FAILED = 'static assertion failed';

interface CompileOutcome {
  /** Items whose line did not compile (other than failed static assertions): their messages. Those lines were blanked. */
  errors: Map<number, string[]>;
  /** Items whose line compiled but had failed _Static_asserts, in the final (clean) round: the assertion messages. */
  asserts: Map<number, string[]>;
  /** gcc -S output (asm mode, and only when nothing failed). */
  asm: string;
}

/**
 * Compiles `prelude` followed by one line per item, blanking lines with errors
 * until the only errors left (if any) are failed static assertions on item
 * lines. Any error outside the item lines (prelude, headers) throws.
 */
async function compileItems(
  abi: AbiName, includeDirs: string[], prelude: string, lines: Array<string | undefined>,
  mode: 'syntax' | 'asm', opts: ProbeOptions,
): Promise<CompileOutcome> {
  requireCompiler(abi);
  const gcc = ABIS[abi].gcc;
  const head = `${prelude}\n/* ---- oracle probe lines follow, one item per line ---- */\n`;
  const firstLine = head.split('\n').length; // 1-based line of item 0
  const errors = new Map<number, string[]>();
  const dir = mkdtempSync(join(tmpdir(), `oracle-${abi}-`));
  try {
    for (let round = 0; ; round++) {
      const body = lines.map((l, i) => (l !== undefined && !errors.has(i) ? l : '')).join('\n');
      writeFileSync(join(dir, FILE), head + body + '\n');
      const args = [...baseArgs(abi, includeDirs, opts), ...(mode === 'syntax' ? ['-fsyntax-only'] : ['-S', '-o', 'probe.s']), FILE];
      const run = await runGcc(gcc, args, dir);
      const diags = parseDiagnostics(run.stderr).filter((d) => d.severity === 'error' || d.severity === 'fatal error');
      if (run.code === 0 && diags.length === 0) {
        return { errors, asserts: new Map(), asm: mode === 'asm' ? readFileSync(join(dir, 'probe.s'), 'utf8') : '' };
      }
      const foreign = diags.filter((d) => d.file !== FILE || d.line < firstLine || d.line >= firstLine + lines.length);
      if (foreign.length || diags.length === 0) {
        throw new Error(`${abi}: probe prelude or headers do not compile (${gcc}):\n${run.stderr.split('\n').slice(0, 40).join('\n')}`);
      }
      const perLine = new Map<number, string[]>();
      for (const d of diags) {
        const i = d.line - firstLine;
        perLine.set(i, [...(perLine.get(i) ?? []), d.message]);
      }
      const broken = [...perLine].filter(([, msgs]) => msgs.some((m) => !m.startsWith(ASSERT_FAILED)));
      if (broken.length === 0) return { errors, asserts: perLine, asm: '' };
      if (round >= MAX_ROUNDS) throw new Error(`${abi}: probe still failing after ${MAX_ROUNDS} rounds:\n${run.stderr.slice(0, 4000)}`);
      for (const [i, msgs] of broken) errors.set(i, msgs);
    }
  } finally {
    if (!process.env.ORACLE_KEEP_PROBES) rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Checks every `expr == expected` on the target in one compile (more only if
 * some fail). Results come back in the order of `checks`.
 */
export async function assertAll(
  abi: AbiName, includeDirs: string[], prelude: string, checks: Check[], opts: ProbeOptions = {},
): Promise<CheckResult[]> {
  const lines = checks.map((c) => {
    if (unsafeExpr(c.expr)) return undefined;
    return `_Static_assert((unsigned long long)(${oneLine(c.expr)}) == ${ullLiteral(c.expected)}, ${cString(c.id)});`;
  });
  const { errors, asserts } = await compileItems(abi, includeDirs, prelude, lines, 'syntax', opts);
  const results: CheckResult[] = checks.map((c, i) => {
    const bad = unsafeExpr(c.expr);
    if (bad) return { id: c.id, status: 'missing', expected: c.expected, diagnostic: bad };
    const msgs = errors.get(i);
    if (msgs) return { id: c.id, status: 'missing', expected: c.expected, diagnostic: [...new Set(msgs.filter((m) => !m.startsWith(ASSERT_FAILED)))].join('; ') };
    if (asserts.has(i)) return { id: c.id, status: 'fail', expected: c.expected };
    return { id: c.id, status: 'pass', expected: c.expected };
  });
  const failed = results.map((r, i) => [r, i] as const).filter(([r]) => r.status === 'fail');
  if (failed.length && opts.withActual !== false) {
    const exprs: Record<string, string> = {};
    for (const [, i] of failed) exprs[String(i)] = checks[i]!.expr;
    const values = await evaluate(abi, includeDirs, prelude, exprs, opts);
    for (const [r, i] of failed) {
      const v = values[String(i)];
      if (typeof v === 'bigint') r.actual = v;
    }
  }
  return results;
}

function objName(i: number, part: string): string {
  return `__oracle_v${i}_${part}`;
}

/**
 * Values of integer constant expressions on the target, from one gcc -S
 * (more only if some do not compile). Negative values come back negative; a
 * value is otherwise the expression converted to unsigned long long.
 */
export async function evaluate(
  abi: AbiName, includeDirs: string[], prelude: string, exprs: Record<string, string>, opts: ProbeOptions = {},
): Promise<Record<string, EvalResult>> {
  const keys = Object.keys(exprs);
  const lines = keys.map((k, i) => {
    const e = exprs[k]!;
    if (unsafeExpr(e)) return undefined;
    const x = `(${oneLine(e)})`;
    const parts: string[] = [`__attribute__((used)) char ${objName(i, 's')}[((${x}) < 0) + 1] = {1};`];
    for (let c = 0; c < CHUNKS; c++) {
      parts.push(`__attribute__((used)) char ${objName(i, String(c))}[((((unsigned long long)${x}) >> ${16 * c}) & 0xffffULL) + 1] = {1};`);
    }
    return parts.join(' ');
  });
  const { errors, asm } = await compileItems(abi, includeDirs, prelude, lines, 'asm', opts);
  const sizes = parseObjectSizes(asm);
  const out: Record<string, EvalResult> = {};
  const retry: number[] = [];
  keys.forEach((k, i) => {
    const bad = unsafeExpr(exprs[k]!);
    if (bad) { out[k] = { error: bad }; return; }
    if (errors.has(i)) { retry.push(i); return; }
    let v = 0n;
    for (let c = 0; c < CHUNKS; c++) {
      const s = sizes.get(objName(i, String(c)));
      if (s === undefined || s < 1n || s > 0x10000n) { out[k] = { error: `no size for ${objName(i, String(c))} in the ${abi} assembly` }; return; }
      v |= (s - 1n) << BigInt(16 * c);
    }
    const sign = sizes.get(objName(i, 's'));
    if (sign !== 1n && sign !== 2n) { out[k] = { error: `no sign object for ${objName(i, 's')} in the ${abi} assembly` }; return; }
    out[k] = sign === 2n ? BigInt.asIntN(64, v) : v;
  });
  if (retry.length) {
    // Fallback for expressions gcc folds in _Static_assert but not as an array
    // size (e.g. (1 << 31), whose overflow flag sticks): one assertion per bit
    // on the expression's line; the failing ones name the set bits.
    const bitLines = retry.map((i) => {
      const x = `(${oneLine(exprs[keys[i]!]!)})`;
      const parts = [`_Static_assert(!((${x}) < 0), "s");`];
      for (let b = 0; b < 64; b++) parts.push(`_Static_assert(!((((unsigned long long)${x}) >> ${b}) & 1ULL), "${b}");`);
      return parts.join(' ');
    });
    const second = await compileItems(abi, includeDirs, prelude, bitLines, 'syntax', opts);
    retry.forEach((i, j) => {
      const k = keys[i]!;
      if (second.errors.has(j)) { out[k] = { error: [...new Set(errors.get(i))].join('; ') }; return; }
      let v = 0n;
      let negative = false;
      for (const m of second.asserts.get(j) ?? []) {
        const label = /^static assertion failed: "(s|\d+)"/.exec(m)?.[1];
        if (label === undefined) continue;
        if (label === 's') negative = true;
        else v |= 1n << BigInt(label);
      }
      out[k] = negative ? BigInt.asIntN(64, v) : v;
    });
  }
  return out;
}

/**
 * Object sizes from gcc assembly: `.size NAME, N` (all 17 targets for
 * initialised globals), and as a fallback `.comm/.lcomm/.common NAME,N[,align]`
 * (what uninitialised objects become on some targets, e.g. powerpc .lcomm).
 */
export function parseObjectSizes(asm: string): Map<string, bigint> {
  const sizes = new Map<string, bigint>();
  for (const line of asm.split('\n')) {
    const m = /^\s*\.(size|comm|lcomm|common)\s+([A-Za-z_.$][\w.$]*)\s*,\s*(\d+)\b/.exec(line);
    if (m && (m[1] === 'size' || !sizes.has(m[2]!))) sizes.set(m[2]!, BigInt(m[3]!));
  }
  return sizes;
}

/** Runs `fn` over `items` with at most `limit` in flight (default ORACLE_JOBS or 2). */
export async function mapLimit<T, R>(items: readonly T[], fn: (item: T, index: number) => Promise<R>, limit = defaultJobs()): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}

export function defaultJobs(): number {
  const n = Number(process.env.ORACLE_JOBS ?? 2);
  return Number.isInteger(n) && n > 0 ? n : 2;
}
