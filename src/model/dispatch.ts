// The executable behaviour model: for an fd kind, a device profile and a version, each request
// resolves to an ordered path of checks (gates, argument reads and predicates, device
// capabilities), and a call (owner, status, argument bytes, device facts) has exactly one
// outcome: 0 or one errno, with the check that decided it. The lab compares this with the real
// kernel cell for cell; the kernel dispatch generator prints the same path as C.
import type { Abi } from './abi.ts';
import { evaluate, EvalError, type CValue } from './cexpr.ts';
import type { CType } from './ctype.ts';
import type { FeatureFilter } from './features.ts';
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
  | {
      readonly kind: 'decided';
      readonly result: string;
      readonly check?: PathCheck;
      readonly passed: readonly string[];
      /**
       * On success, when a feature-filter check of the path masks the answer: the caller gets
       * what the handler answered AND this mask (the profile's filter as a 64-bit mask).
       */
      readonly answerMask?: bigint;
    }
  | { readonly kind: 'unmodelled'; readonly reason: string };

/** What the evaluator needs from the view. */
export interface DispatchContext {
  readonly abi: Abi;
  constant(name: string): { value?: bigint; unsigned?: boolean; wide?: boolean } | undefined;
  argType(request: string): CType | undefined;
  layout(type: CType): AggregateLayout | undefined;
  statusBits: ReadonlyMap<string, bigint>;
  /** The device profile's feature filter (kind none without a profile or a filter). */
  readonly featureFilter?: FeatureFilter;
}

const U64 = (1n << 64n) - 1n;

/** The feature bits a filter lets through, as a 64-bit mask (all of them without a filter). */
export function passedFeatures(filter: FeatureFilter | undefined): bigint {
  if (!filter || filter.kind === 'none') return U64;
  return filter.kind === 'blacklist' ? U64 & ~filter.mask : filter.mask & U64;
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

/** An argsz struct's argsz field offset and mandatory size (offsetofend of its `min` member). */
function argszOf(layout: AggregateLayout | undefined): { offset: number; minsz: number } | undefined {
  const top = layout?.fields.filter((f) => !f.path.includes('.') && f.field.kind === 'field') ?? [];
  const size = top.find((f) => f.field.kind === 'field' && f.field.argsz);
  const min = top.find((f) => f.field.kind === 'field' && f.field.min);
  return size && min && size.size === 4 ? { offset: size.offset, minsz: min.offset + min.size } : undefined;
}

/** The first n bytes of an argument, the rest zero (what a zeroed buffer holds after a short copy). */
function prefix(bytes: Uint8Array, n: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  out.set(bytes.subarray(0, Math.min(n, bytes.length)));
  return out;
}

/** Runs a path for one call: the first check that refuses (or accepts early) decides. */
export function runPath(path: RequestPath, input: CallInput, ctx: DispatchContext): Outcome {
  if (path.kind === 'unmodelled') return { kind: 'unmodelled', reason: `the fd kind has no dispatch for ${path.request}` };
  const argType = ctx.argType(path.request);
  const layout = argType ? ctx.layout(argType) : undefined;
  let read = false;
  // What the dispatch's zeroed copy of the argument holds: every byte after a whole read; only
  // the mandatory part after an argsz read (VFIO copies minsz bytes, the rest stays zero).
  let copy: Uint8Array | undefined;
  const argsz = argszOf(layout);
  const lookup = (name: string): CValue | undefined => {
    if (name === 'owner') return { value: input.owner ? 1n : 0n, unsigned: false };
    if (name === 'status') return { value: input.status, unsigned: false };
    if (name.startsWith('dev.')) {
      const v = input.facts.get(name.slice(4));
      return v === undefined ? undefined : { value: v, unsigned: true, wide: true };
    }
    if (name === 'minsz') {
      if (!argsz) throw new EvalError(`'minsz' names the mandatory size of an argsz struct; ${path.request}'s argument is none`);
      return { value: BigInt(argsz.minsz), unsigned: true, wide: true };
    }
    if (name === 'head' || name === 'arg' || name.startsWith('arg.')) {
      const bytes = copy ?? input.arg;
      if (!read || !bytes) throw new EvalError(`'${name}' is read before the argument is`);
      if (name === 'head') return scalar(bytes, 0, 4, { kind: 'prim', name: '__u32' }, ctx.abi);
      if (name === 'arg') {
        if (!argType || !layout) return undefined;
        return scalar(bytes, 0, layout.size, argType, ctx.abi);
      }
      const f = layout?.fields.find((x) => x.path === name.slice(4));
      if (!f || f.field.kind !== 'field' || f.count !== undefined) return undefined;
      return scalar(bytes, f.offset, f.size, f.field.ctype, ctx.abi);
    }
    const c = ctx.constant(name);
    return c?.value === undefined ? undefined : { value: c.value, unsigned: c.unsigned ?? false, wide: c.wide ?? false };
  };
  // The argsz protocol: `read: argsz` copies the mandatory part; a later `read: arg` the rest,
  // up to what argsz says the caller passed (after argsz < minsz was refused).
  const argszCopy = (c: PathCheck & { kind: 'read' }, now: Uint8Array | undefined): Uint8Array | undefined => {
    if (c.read === 'head' || (c.read === 'arg' && !now)) return now;
    if (!input.arg) throw new EvalError(`check ${c.id}: ${path.request} passes no argument`);
    if (!argsz) throw new EvalError(`check ${c.id}: ${path.request}'s argument is no argsz struct with a min member`);
    if (c.read === 'argsz') return prefix(input.arg, argsz.minsz);
    const told = Number(scalar(now as Uint8Array, argsz.offset, 4, { kind: 'prim', name: '__u32' }, ctx.abi).value);
    if (told < argsz.minsz) throw new EvalError(`check ${c.id} copies min(argsz, size) before argsz < minsz was refused`);
    return prefix(input.arg, Math.min(told, layout?.size ?? 0));
  };
  const truth = (expr: string): boolean => evaluate(expr, { lookup }).value !== 0n;
  const passed: string[] = [];
  let answerMask: bigint | undefined;
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
          if (c.kind === 'read') copy = argszCopy(c, copy);
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
        case 'feature-filter': {
          const through = passedFeatures(ctx.featureFilter);
          if (c.filter === 'answer') {
            if (ctx.featureFilter && ctx.featureFilter.kind !== 'none') answerMask = through;
            break;
          }
          const v = lookup('arg');
          if (!v) throw new EvalError(`check ${c.id}: the argument is not a scalar`);
          if ((v.value & U64 & ~through) !== 0n) return refuse();
          break;
        }
      }
      passed.push(c.id);
    }
  } catch (e) {
    if (e instanceof EvalError) return { kind: 'unmodelled', reason: `${path.request}: ${e.message}` };
    throw e;
  }
  return { kind: 'decided', result: path.end, passed, ...(answerMask !== undefined && path.end === '0' ? { answerMask } : {}) };
}
