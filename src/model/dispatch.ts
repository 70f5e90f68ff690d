// The executable behaviour model: for an fd kind, a device profile and a version, each request
// resolves to an ordered path of checks (gates, argument reads and predicates, device
// capabilities), and a call (owner, status, argument bytes, device facts) has exactly one
// outcome: 0 or one errno, with the check that decided it. The lab compares this with the real
// kernel cell for cell; the kernel dispatch generator prints the same path as C.
import type { Abi } from './abi.ts';
import { evaluate, EvalError, type CValue } from './cexpr.ts';
import type { CType } from './ctype.ts';
import type { AggregateLayout } from './layout.ts';
import type * as M from './types.ts';

/** A check as it runs: sequences inlined, profile checks placed; `from` says where it came from. */
export type PathCheck = Exclude<M.Check, { kind: 'use' }> & { readonly from: string };

export type PathKind = 'handled' | 'unhandled' | 'unmodelled';

export interface RequestPath {
  readonly request: string;
  /** handled: the fd's dispatch names it; unhandled: the fd (or profile) does not take it. */
  readonly kind: PathKind;
  readonly checks: readonly PathCheck[];
  /** The answer when every check passes: '0', or the unknown-request errno on the unhandled path. */
  readonly end: string;
}

/** One call of a request, as the lab's probe makes it. */
export interface CallInput {
  readonly owner: boolean;
  readonly status: bigint;
  /** The argument's bytes on the ABI, null for a bad (NULL) pointer, undefined for none. */
  readonly arg: Uint8Array | null | undefined;
  /** Facts of the device under test (dev.NAME). */
  readonly facts: ReadonlyMap<string, bigint>;
  /** File descriptors that are open eventfds in the caller. */
  readonly eventfds: ReadonlySet<bigint>;
  /** Other open file descriptors of the caller (not eventfds). */
  readonly files?: ReadonlySet<bigint>;
}

export type Outcome =
  | { readonly kind: 'decided'; readonly result: string; readonly check?: PathCheck; readonly passed: readonly string[] }
  | { readonly kind: 'unmodelled'; readonly reason: string };

/** What the evaluator needs from the view. */
export interface DispatchContext {
  readonly abi: Abi;
  constant(name: string): { value?: bigint; unsigned?: boolean; wide?: boolean } | undefined;
  argType(request: string): CType | undefined;
  layout(type: CType): AggregateLayout | undefined;
  statusBits: ReadonlyMap<string, bigint>;
}

const SIGNED = /^(?:__s(?:8|16|32|64)|char|signed char|short|short int|int|signed int|long|long int|long long)$/;

function readInt(bytes: Uint8Array, offset: number, size: number, signed: boolean, bigEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) {
    const b = bytes[bigEndian ? offset + i : offset + size - 1 - i] ?? 0;
    v = (v << 8n) | BigInt(b);
  }
  return signed ? BigInt.asIntN(size * 8, v) : v;
}

/** The C value of a scalar of `type` at `offset`. */
function scalar(bytes: Uint8Array, offset: number, size: number, type: CType, abi: Abi): CValue {
  const name = type.kind === 'prim' ? type.name : 'unsigned long';
  const signed = SIGNED.test(name);
  // C promotes narrower types to int; 64-bit ones stay 64-bit.
  return { value: readInt(bytes, offset, size, signed, abi.bigEndian), unsigned: !signed && size >= 4, wide: size > 4 };
}

/** A status gate: a required bit is clear or a forbidden one is set. One meaning for rules and checks. */
export function statusGateFails(status: bigint, requires: readonly string[], forbids: readonly string[], bits: ReadonlyMap<string, bigint>): boolean {
  const mask = (names: readonly string[]): bigint => names.reduce((m, n) => m | (bits.get(n) ?? 0n), 0n);
  const need = mask(requires);
  return (status & need) !== need || (status & mask(forbids)) !== 0n;
}

/** The status transition: a new status other than 0 (a reset) may only add bits. */
export const dropsBits = (status: bigint, next: bigint): boolean => next !== 0n && (status & ~next) !== 0n;

/** Inlines sequences and places profile checks; lifetimes are already projected. */
export function requestPath(fd: M.FdKind, device: M.DeviceProfile | undefined, request: string): RequestPath {
  const sequences = new Map(fd.sequences.map((s) => [s.name, s]));
  const inline = (checks: readonly M.Check[], from: string, depth = 0): PathCheck[] =>
    checks.flatMap((c): PathCheck[] => {
      if (c.kind !== 'use') return [{ ...c, from }];
      const seq = sequences.get(c.sequence);
      return seq && depth < 8 ? inline(seq.checks, `sequence ${seq.name}`, depth + 1) : [];
    });
  // The fd's code decides the path, not the profile's list: upstream answers a request outside
  // vhost-vdpa-net's list the way its ioctl handler does (the generated dispatch refuses it).
  const entries = fd.dispatch.filter((e) => e.requests.includes(request));
  if (entries.length === 0) return { request, kind: fd.dispatch.length ? 'unhandled' : 'unmodelled', checks: inline(fd.unhandled, 'unhandled'), end: fd.unknownRequest ?? 'ENOTTY' };
  // Several entries may name a request (a shared path, then its own checks): in spec order.
  let checks = entries.flatMap((e) => inline(e.checks, 'dispatch'));
  for (const extra of device?.dispatch.filter((d) => d.requests.includes(request)) ?? []) {
    const added = inline(extra.checks, `profile ${device?.name ?? ''}`);
    const at = extra.at;
    if (!('check' in at)) checks = at.where === 'start' ? [...added, ...checks] : [...checks, ...added];
    else {
      const anchor = at.check;
      const i = checks.findIndex((c) => c.id === anchor);
      const j = i < 0 ? checks.length : at.where === 'before' ? i : i + 1;
      checks = [...checks.slice(0, j), ...added, ...checks.slice(j)];
    }
  }
  return { request, kind: 'handled', checks, end: '0' };
}

/** Runs a path for one call: the first check that refuses (or accepts early) decides. */
export function runPath(path: RequestPath, input: CallInput, ctx: DispatchContext): Outcome {
  if (path.kind === 'unmodelled') return { kind: 'unmodelled', reason: `the fd kind has no dispatch for ${path.request}` };
  const argType = ctx.argType(path.request);
  const layout = argType ? ctx.layout(argType) : undefined;
  let read = false;
  const lookup = (name: string): CValue | undefined => {
    if (name === 'owner') return { value: input.owner ? 1n : 0n, unsigned: false };
    if (name === 'status') return { value: input.status, unsigned: false };
    if (name.startsWith('dev.')) {
      const v = input.facts.get(name.slice(4));
      return v === undefined ? undefined : { value: v, unsigned: true, wide: true };
    }
    if (name === 'head' || name === 'arg' || name.startsWith('arg.')) {
      if (!read || !input.arg) throw new EvalError(`'${name}' is read before the argument is`);
      if (name === 'head') return scalar(input.arg, 0, 4, { kind: 'prim', name: '__u32' }, ctx.abi);
      if (name === 'arg') {
        if (!argType || !layout) return undefined;
        return scalar(input.arg, 0, layout.size, argType, ctx.abi);
      }
      const f = layout?.fields.find((x) => x.path === name.slice(4));
      if (!f || f.field.kind !== 'field' || f.count !== undefined) return undefined;
      return scalar(input.arg, f.offset, f.size, f.field.ctype, ctx.abi);
    }
    const c = ctx.constant(name);
    return c?.value === undefined ? undefined : { value: c.value, unsigned: c.unsigned ?? false, wide: c.wide ?? false };
  };
  const truth = (expr: string): boolean => evaluate(expr, { lookup }).value !== 0n;
  const passed: string[] = [];
  try {
    for (const c of path.checks) {
      const refuse = (): Outcome => ({ kind: 'decided', result: c.error ?? 'EINVAL', check: c, passed });
      switch (c.kind) {
        case 'owner':
          if (input.owner !== (c.owner === 'required')) return refuse();
          break;
        case 'status':
          if (statusGateFails(input.status, c.requires, c.forbids, ctx.statusBits)) return refuse();
          break;
        case 'transition':
          if (dropsBits(input.status, lookup('arg')?.value ?? 0n)) return refuse();
          break;
        case 'read':
        case 'write':
          if (input.arg === null) return refuse();
          read = true;
          break;
        case 'refuse':
          if (truth(c.expr)) return refuse();
          break;
        case 'accept':
          if (truth(c.expr)) return { kind: 'decided', result: '0', check: c, passed };
          break;
        case 'fd': {
          const fdValue = evaluate(c.expr, { lookup }).value;
          if (c.unbind !== undefined && fdValue === c.unbind) break;
          if (input.eventfds.has(fdValue)) break;
          // An open file of the wrong kind may get another errno than a number that is no fd.
          if (c.kindError !== undefined && input.files?.has(fdValue)) return { kind: 'decided', result: c.kindError, check: c, passed };
          return refuse();
          break;
        }
        case 'always':
          return refuse();
      }
      passed.push(c.id);
    }
  } catch (e) {
    if (e instanceof EvalError) return { kind: 'unmodelled', reason: `${path.request}: ${e.message}` };
    throw e;
  }
  return { kind: 'decided', result: path.end, passed };
}
