// The executable write() of a message channel (vhost-vdpa's IOTLB): the record's leading field
// picks its form, ordered checks read the record, the fd's IOTLB state and the caller's memory
// map, and one write has exactly one outcome: the byte count or one errno, with the check that
// decided it. Effects change the state (address spaces, their mappings, the batch), so the
// writes before the one asked about (on the same fd) are run first.
import { evaluate, EvalError, type CValue } from './cexpr.ts';
import { parseCType, type CType } from './ctype.ts';
import type { DispatchContext } from './dispatch.ts';
import { statusGateFails } from './dispatch.ts';
import type { AggregateLayout } from './layout.ts';
import type * as M from './types.ts';

/** A mapping of the caller, as /proc/self/maps lists it: what find_vma sees. */
export interface CallerMapping {
  readonly start: bigint;
  readonly end: bigint;
  readonly shared: boolean;
  /** Backed by a file (memfd included), not anonymous memory. */
  readonly file: boolean;
}

/** One step on the fd before the write asked about: a write, or a device reset (SET_STATUS 0). */
export type WriteStep = { readonly kind: 'write'; readonly bytes: Uint8Array; readonly len: number } | { readonly kind: 'reset' };

/** One write() on a freshly opened fd, after the given steps. */
export interface WriteCall {
  readonly owner: boolean;
  readonly status: bigint;
  /** Backend features acked with VHOST_SET_BACKEND_FEATURES (0 when never called). */
  readonly acked: bigint;
  /** Facts of the device under test (dev.NAME). */
  readonly facts: ReadonlyMap<string, bigint>;
  readonly maps: readonly CallerMapping[];
  readonly before?: readonly WriteStep[];
  /** The buffer (at least len bytes; what lies past len is never read). */
  readonly bytes: Uint8Array;
  readonly len: number;
}

export type WriteCheck = M.ChannelCheck & { readonly from: 'write' | 'handler' };

export type WriteOutcome =
  | {
      readonly kind: 'decided';
      /** The byte count written ('72') or one errno. */
      readonly result: string;
      readonly check?: WriteCheck;
      /** A handler check's own errno, when write() returns another (EFAULT) instead. */
      readonly handlerError?: string;
      readonly passed: readonly string[];
      /** The outcomes of the write steps before this one, in order (resets have none). */
      readonly before: readonly WriteOutcome[];
    }
  | { readonly kind: 'unmodelled'; readonly reason: string; readonly before: readonly WriteOutcome[] };

/** The IOTLB state of one open fd: address spaces with their mapped ranges, and the batch. */
interface IotlbState {
  readonly spaces: Map<bigint, Array<{ first: bigint; last: bigint }>>;
  batch?: bigint;
}

const U64 = (1n << 64n) - 1n;

function readUint(bytes: Uint8Array, offset: number, size: number, bigEndian: boolean): bigint {
  let v = 0n;
  for (let i = 0; i < size; i++) v = (v << 8n) | BigInt(bytes[bigEndian ? offset + i : offset + size - 1 - i] ?? 0);
  return v;
}

const SIGNED = /^(?:__s(?:8|16|32|64)|char|signed char|short|int|signed int|long|long long)$/;

/** The record forms a write may use, each with the value of the leading field that selects it. */
function writeForms(channel: M.Channel): { form: string; ctype: CType }[] {
  return channel.records.filter((r) => r.direction === 'write' && r.form !== undefined).map((r) => ({ form: r.form as string, ctype: r.ctype }));
}

type StepOutcome = Omit<WriteOutcome & { kind: 'decided' }, 'before'> | { kind: 'unmodelled'; reason: string };

/** Runs one write on a state; what the model cannot read (a byte past len, a name) is not modelled. */
function runWrite(w: M.ChannelWrite, channel: M.Channel, call: WriteCall, step: { bytes: Uint8Array; len: number }, state: IotlbState, ctx: DispatchContext): StepOutcome {
  try {
    return decideWrite(w, channel, call, step, state, ctx);
  } catch (e) {
    if (e instanceof EvalError) return { kind: 'unmodelled', reason: `${channel.name} write: ${e.message}` };
    throw e;
  }
}

/** The checks in order; changes the state only through the effects of checks reached. */
function decideWrite(w: M.ChannelWrite, channel: M.Channel, call: WriteCall, step: { bytes: Uint8Array; len: number }, state: IotlbState, ctx: DispatchContext): StepOutcome {
  const layoutOf = (t: CType): AggregateLayout => {
    const l = ctx.layout(t);
    if (!l) throw new EvalError(`no layout for a record type`);
    return l;
  };
  const forms = writeForms(channel);
  const first = forms[0];
  if (!first) return { kind: 'unmodelled', reason: `channel ${channel.name} names no write record with a form` };
  const readAt = (offset: number, size: number, signed: boolean): CValue => {
    if (offset + size > step.len) throw new EvalError(`reads bytes ${offset}..${offset + size - 1} of a write of ${step.len}`);
    const raw = readUint(step.bytes, offset, size, ctx.abi.bigEndian);
    return { value: signed ? BigInt.asIntN(size * 8, raw) : raw, unsigned: !signed && size >= 4, wide: size > 4 };
  };
  // The leading field of the first form (int type): every form starts with it.
  const lead = layoutOf(first.ctype).fields[0];
  if (!lead || lead.field.kind !== 'field') return { kind: 'unmodelled', reason: 'the first write record has no leading field' };
  const leadSigned = lead.field.ctype.kind === 'prim' && SIGNED.test(lead.field.ctype.name);
  const formValue = (): bigint => readAt(lead.offset, lead.size, leadSigned).value;
  const selected = (): AggregateLayout => {
    const v = formValue();
    const f = forms.find((x) => ctx.constant(x.form)?.value === v);
    if (!f) throw new EvalError(`no record form has leading value ${v}`);
    return layoutOf(f.ctype);
  };
  /** A field by dotted path through nested structs: its offset, size and type. */
  const field = (path: string): { offset: number; size: number; ctype: CType } | undefined => {
    let layout = selected();
    let base = 0;
    const parts = path.split('.');
    for (let i = 0; i < parts.length; i++) {
      const f = layout.fields.find((x) => x.path === parts[i]);
      if (!f || f.field.kind !== 'field' || f.count !== undefined) return undefined;
      if (i === parts.length - 1) return { offset: base + f.offset, size: f.size, ctype: f.field.ctype };
      base += f.offset;
      layout = layoutOf(f.field.ctype);
    }
    return undefined;
  };
  const lets = new Map(w.lets.map((l) => [l.name, l]));
  const letValues = new Map<string, CValue>();
  const space = (): Array<{ first: bigint; last: bigint }> | undefined => state.spaces.get(num('asid'));
  // The message's range and user address: the spec's let names iova, size, uaddr.
  const range = (): { first: bigint; last: bigint } => {
    const iova = num('iova');
    return { first: iova, last: (iova + num('size') - 1n) & U64 };
  };
  const vma = (): CallerMapping | undefined => {
    const uaddr = num('uaddr');
    return [...call.maps].sort((a, b) => (a.start < b.start ? -1 : 1)).find((m) => m.end > uaddr);
  };
  const bool = (b: boolean): CValue => ({ value: b ? 1n : 0n, unsigned: false });
  const lookup = (name: string): CValue | undefined => {
    switch (name) {
      case 'owner': return bool(call.owner);
      case 'status': return { value: call.status, unsigned: false };
      case 'acked': return { value: call.acked, unsigned: true, wide: true };
      case 'len': return { value: BigInt(step.len), unsigned: true, wide: true };
      case 'form': return readAt(lead.offset, lead.size, leadSigned);
      case 'record_size': return { value: BigInt(selected().size), unsigned: true, wide: true };
      case 'as.exists': return bool(space() !== undefined);
      case 'as.overlap': {
        const r = range();
        return bool((space() ?? []).some((m) => m.first <= r.last && m.last >= r.first));
      }
      case 'batch.active': return bool(state.batch !== undefined);
      case 'batch.asid': return { value: state.batch ?? 0n, unsigned: true };
      case 'vma.found': return bool(vma() !== undefined);
      case 'vma.shared_file': {
        const m = vma();
        return bool(m !== undefined && m.shared && m.file);
      }
    }
    if (name.startsWith('dev.')) {
      const v = call.facts.get(name.slice(4));
      return v === undefined ? undefined : { value: v, unsigned: true, wide: true };
    }
    if (name.startsWith('rec.')) {
      const f = field(name.slice(4));
      if (!f) return undefined;
      return readAt(f.offset, f.size, f.ctype.kind === 'prim' && SIGNED.test(f.ctype.name));
    }
    if (name.startsWith('offsetof.')) {
      const f = field(name.slice(9));
      return f ? { value: BigInt(f.offset), unsigned: true, wide: true } : undefined;
    }
    const l = lets.get(name);
    if (l) {
      let v = letValues.get(name);
      if (!v) {
        v = l.when === undefined || truth(l.when) ? ev(l.value) : ev(l.otherwise ?? '0');
        letValues.set(name, v);
      }
      return v;
    }
    const c = ctx.constant(name);
    return c?.value === undefined ? undefined : { value: c.value, unsigned: c.unsigned ?? false, wide: c.wide ?? false };
  };
  const sizeOf = (type: string): number | undefined => {
    const t = parseCType(type);
    return t ? ctx.layout(t)?.size : undefined;
  };
  const ev = (expr: string): CValue => evaluate(expr, { lookup, sizeOf });
  const truth = (expr: string): boolean => ev(expr).value !== 0n;
  const num = (name: string): bigint => {
    const v = lookup(name);
    if (!v) throw new EvalError(`unknown name '${name}'`);
    return v.value;
  };
  const effect = (e: M.WriteEffect): void => {
    const asid = num('asid');
    switch (e) {
      case 'alloc-as':
        if (!state.spaces.has(asid)) state.spaces.set(asid, []);
        break;
      case 'map':
        space()?.push(range());
        break;
      case 'unmap': {
        const r = range();
        const maps = space();
        if (maps) state.spaces.set(asid, maps.filter((m) => !(m.first <= r.last && m.last >= r.first)));
        break;
      }
      case 'batch-begin':
        state.batch = asid;
        break;
      case 'batch-end':
        state.batch = undefined;
        break;
    }
  };
  const passed: string[] = [];
  const stages: { from: 'write' | 'handler'; checks: readonly M.ChannelCheck[] }[] = [{ from: 'write', checks: w.checks }, ...(w.handler ? [{ from: 'handler' as const, checks: w.handler.checks }] : [])];
  for (const stage of stages) {
    for (const c of stage.checks) {
      const check: WriteCheck = { ...c, from: stage.from };
      const own = c.error ?? 'EINVAL';
      const refuse = () => ({
        kind: 'decided' as const, result: stage.from === 'handler' && w.handler ? w.handler.surfacesAs : own, check, passed,
        ...(stage.from === 'handler' && w.handler ? { handlerError: own } : {}),
      });
      switch (c.kind) {
        case 'owner':
          if (call.owner !== (c.owner === 'required')) return refuse();
          break;
        case 'status':
          if (statusGateFails(call.status, c.requires, c.forbids, ctx.statusBits)) return refuse();
          break;
        case 'refuse':
          if (truth(c.expr)) return refuse();
          break;
        case 'accept':
          if (truth(c.expr)) return { kind: 'decided', result: ev(w.returns).value.toString(), check, passed };
          break;
        case 'always':
          return refuse();
        case 'effect':
          if (c.when === undefined || truth(c.when)) effect(c.effect);
          break;
      }
      passed.push(c.id);
    }
  }
  return { kind: 'decided', result: ev(w.returns).value.toString(), passed };
}

/** The one outcome of a write on a fresh fd after `call.before`; unmodelled without a write behaviour. */
export function evaluateWrite(channel: M.Channel | undefined, call: WriteCall, ctx: DispatchContext): WriteOutcome {
  const w = channel?.write;
  if (!channel || !w) return { kind: 'unmodelled', reason: 'the fd kind has no channel with an executable write() at this version', before: [] };
  const state: IotlbState = { spaces: new Map() };
  const before: WriteOutcome[] = [];
  for (const s of call.before ?? []) {
    // A device reset leaves vhost-vdpa's address spaces and their mappings in place (measured).
    if (s.kind === 'reset') continue;
    const o = runWrite(w, channel, call, s, state, ctx);
    before.push({ ...o, before: [] });
  }
  return { ...runWrite(w, channel, call, { bytes: call.bytes, len: call.len }, state, ctx), before };
}
