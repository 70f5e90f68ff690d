// What the kernel dispatch of one device profile does, read from the model's executable
// behaviour: per accepted request, its checks in the model's order turned into steps, the
// argument it copies in and out, and the handler it calls. Anything the generated C could not
// do exactly as the model evaluates it is refused here (KdispatchError), never approximated.
import { findAbi, type Abi, type AbiView, type Behaviour, type CType, type PathCheck, type Request } from '../../src/model/index.ts';
import { cIdent, shortName } from './cnames.ts';
import { KdispatchError } from './error.ts';
import { indexBound, translate, type ExprScope, type FactType } from './expr.ts';
import { RESERVED } from './names.ts';
import { ownAbi, spelling, type OwnAbi, type Spelling } from './own.ts';

/** Layouts are compared on these two ABIs to decide compat_ioctl; x86_64 also gives field offsets. */
const HOST = findAbi('x86_64') as Abi;
const COMPAT = findAbi('i386') as Abi;

export type Use = 'owner' | 'status' | 'facts' | 'arg';

export type Step = { readonly check: PathCheck; readonly uses: ReadonlySet<Use> } & (
  | { readonly kind: 'owner'; readonly required: boolean; readonly error: string }
  /** A refusal: `cond` is C over the locals; `clamp` bounds a user index once the check passed. */
  | { readonly kind: 'refuse'; readonly cond: string; readonly error: string; readonly clamp?: { index: string; bound: string } }
  | { readonly kind: 'accept'; readonly cond: string }
  /** copy_from_user into the zeroed buffer: all of it, or (`minsz`, an argsz struct) its mandatory part. */
  | { readonly kind: 'copy-in'; readonly minsz?: string }
  /** An eventfd lookup: `error` when the number is no open fd, `kindError` (if given) when it is some other file. */
  | { readonly kind: 'eventfd'; readonly fd: string; readonly unbind?: bigint; readonly error: string; readonly kindError?: string }
  | { readonly kind: 'always'; readonly error: string }
  /** The profile's feature filter on the answer: `arg &= mask` once the handler succeeded, before the copy-out. */
  | { readonly kind: 'mask-answer'; readonly mask: string }
  /** A read or write the generated code has already done, or does at the end (copy_to_user on success). */
  | { readonly kind: 'noop'; readonly why: string }
);

/** A flexible array after the fixed part of the argument, handed to the handler as a user pointer. */
export interface Tail {
  readonly field: string;
  /** Kernel spelling of its element type. */
  readonly element: string;
  readonly writable: boolean;
}

export interface ArgPlan {
  readonly ctype: CType;
  /** Kernel spelling (u64, struct vhost_vring_state). */
  readonly type: string;
  readonly scalar: boolean;
  readonly copyIn: boolean;
  readonly copyOut: boolean;
  /** An argsz struct (VFIO): its argsz field, and its mandatory size as C (offsetofend(...)). */
  readonly argsz?: { readonly field: string; readonly minsz: string };
  readonly tail?: Tail;
}

export interface RequestPlan {
  readonly request: string;
  /** The C spelling of its number (the request's name, or the profile's own macro for a historic ABI). */
  readonly macro: string;
  /** Handler name part (set_vring_num). */
  readonly short: string;
  readonly doc: string;
  readonly arg?: ArgPlan;
  readonly steps: readonly Step[];
  /** False when an `always` check ends every call before the handler. */
  readonly handler: boolean;
  readonly eventfd: boolean;
  readonly uses: ReadonlySet<Use>;
  /** Same number and layout on i386 as on x86_64: served by compat_ioctl. */
  readonly compat: boolean;
}

export interface FactPlan {
  readonly name: string;
  readonly type: FactType;
  readonly doc: string;
}

export interface ProfilePlan {
  readonly profile: string;
  readonly fd: string;
  readonly doc: string;
  readonly prefix: string;
  readonly version: string;
  readonly statusType: string;
  readonly facts: readonly FactPlan[];
  readonly requests: readonly RequestPlan[];
  /** UAPI headers the header needs (argument types) and the source needs besides (numbers, constants). */
  readonly typeHeaders: readonly string[];
  readonly codeHeaders: readonly string[];
  /** Spec files the plan reads, the profile's own first. */
  readonly sources: readonly string[];
  /** Numbers, structs and constants of an ABI no kernel header has, defined in the profile's header. */
  readonly own?: OwnAbi;
}

/** Profiles with an executable dispatch at this version: the ones the generator prints. */
export function executableProfiles(view: AbiView): string[] {
  return [...view.devices.values()].filter((d) => view.behaviour(d.fd, d.name)?.executable).map((d) => d.name);
}

function layoutOf(view: AbiView, abi: Abi, t: CType) {
  const r = view.layout(abi, t);
  if (!r.ok) throw new KdispatchError(r.error);
  return r.layout;
}

/** Whether a type has the same size and field offsets on i386 as on x86_64 (so compat_ptr is enough). */
function sameOnCompat(view: AbiView, t: CType): boolean {
  const a = layoutOf(view, HOST, t);
  const b = layoutOf(view, COMPAT, t);
  if (a.size !== b.size || a.fields.length !== b.fields.length) return false;
  return a.fields.every((f, i) => {
    const g = b.fields[i];
    if (!g || g.path !== f.path || g.offset !== f.offset || g.size !== f.size) return false;
    // A flexible array's elements must agree too.
    return f.count !== 0 || f.field.kind !== 'field' || sameOnCompat(view, f.field.ctype);
  });
}

interface ArgShape {
  plan: Omit<ArgPlan, 'copyIn' | 'copyOut'>;
  head?: string;
  fields: Set<string>;
}

function argShape(view: AbiView, req: Request, spell: Spelling): ArgShape | undefined {
  const item = req.item;
  if (item.pass === 'none' || !item.argType) return undefined;
  const name = item.name;
  if (item.pass !== 'pointer') throw new KdispatchError(`${name}: an argument passed by value is not printed yet`);
  const t = item.argType;
  if (t.kind === 'prim') {
    const l = layoutOf(view, HOST, t);
    const head = l.size === 4 && !/^(?:__s32|int|signed int)$/.test(t.name) ? 'arg' : undefined;
    return { plan: { ctype: t, type: spell.type(t), scalar: true }, ...(head ? { head } : {}), fields: new Set() };
  }
  if (t.kind !== 'struct') throw new KdispatchError(`${name}: argument type ${spell.type(t)} is not printed yet`);
  const l = layoutOf(view, HOST, t);
  const top = l.fields.filter((f) => f.field.kind === 'field' && !f.path.includes('.'));
  const sizeField = top.find((f) => f.field.kind === 'field' && f.field.argsz);
  const minField = top.find((f) => f.field.kind === 'field' && f.field.min);
  const argsz = sizeField && minField ? { field: sizeField.path, minsz: `offsetofend(${spell.type(t)}, ${minField.path})` } : undefined;
  const fields = new Set(l.fields.filter((f) => f.field.kind === 'field' && f.count === undefined).map((f) => f.path));
  const first = l.fields[0];
  const firstType = first?.field.kind === 'field' ? first.field.ctype : undefined;
  const head = first && first.offset === 0 && first.size === 4 && first.count === undefined && firstType?.kind === 'prim' && /^(?:__u32|unsigned int)$/.test(firstType.name) ? `arg.${first.path}` : undefined;
  const flex = l.flexible ? l.fields[l.fields.length - 1] : undefined;
  let tail: Tail | undefined;
  if (flex) {
    if (flex.field.kind !== 'field') throw new KdispatchError(`${name}: a flexible array of aggregates is not printed yet`);
    tail = { field: flex.path, element: spell.type(flex.field.ctype), writable: item.data === 'out' };
    if (item.data === 'inout') throw new KdispatchError(`${name}: a flexible array both read and written is not printed yet`);
  }
  return { plan: { ctype: t, type: spell.type(t), scalar: false, ...(tail ? { tail } : {}), ...(argsz ? { argsz } : {}) }, ...(head ? { head } : {}), fields };
}

const mask = (names: readonly string[]): string => (names.length === 1 ? (names[0] as string) : `(${names.join(' | ')})`);

/** The C condition under which a status gate refuses. */
function statusCond(requires: readonly string[], forbids: readonly string[]): string {
  const parts: string[] = [];
  if (requires.length === 1) parts.push(`!(status & ${requires[0]})`);
  else if (requires.length) parts.push(`(status & ${mask(requires)}) != ${mask(requires)}`);
  if (forbids.length) parts.push(`status & ${mask(forbids)}`);
  return parts.join(' || ');
}

/** The profile's feature filter as C: the bits it lets through, and the test for bits it hides. */
interface FilterC {
  readonly through: string;
  readonly hidden: (x: string) => string;
}

function filterC(view: AbiView, profile: string, spell: Spelling, constants: Set<string>): FilterC | undefined {
  const f = view.featureFilter(profile);
  if (!f || f.kind === 'none') return undefined;
  const wide = f.bits.find((b) => b.bit >= 64);
  if (wide) throw new KdispatchError(`${profile}: feature ${wide.name} is bit ${wide.bit}; a u64 feature mask cannot hold it`);
  for (const b of f.bits) constants.add(b.name);
  const terms = f.bits.map((b) => `(1ULL << ${spell.constant(b.name)})`);
  const set = terms.length === 1 ? (terms[0] as string) : `(${terms.join(' | ')})`;
  return f.kind === 'blacklist'
    ? { through: `~${set}`, hidden: (x) => `${x} & ${set}` }
    : { through: set, hidden: (x) => `${x} & ~${set}` };
}

function planRequest(view: AbiView, b: Behaviour, req: Request, facts: ReadonlyMap<string, FactType>, constants: Set<string>, spell: Spelling, filter: FilterC | undefined): RequestPlan {
  const name = req.item.name;
  const path = b.path(name);
  if (path.kind !== 'handled') throw new KdispatchError(`${name}: the profile accepts it but fd ${b.fd.name} has no dispatch for it`);
  const shape = argShape(view, req, spell);
  const isConstant = (n: string): boolean => view.constant(n)?.value !== undefined;
  const steps: Step[] = [];
  const uses = new Set<Use>();
  let argRead = false;
  let argszRead = false;
  let eventfd = false;
  let handler = true;
  let written = false;
  const scope = (): ExprScope => ({
    ...(argRead && shape?.head ? { head: shape.head } : {}),
    argScalar: shape?.plan.scalar ?? false,
    argFields: shape?.fields ?? new Set(),
    argRead,
    facts,
    isConstant,
    spell: (n) => spell.constant(n),
    ...(shape?.plan.argsz ? { minsz: shape.plan.argsz.minsz } : {}),
  });
  const push = (step: Step): void => {
    for (const u of step.uses) uses.add(u);
    steps.push(step);
  };
  const none = new Set<Use>();
  for (const [i, c] of path.checks.entries()) {
    const error = c.error ?? (c.kind === 'read' || c.kind === 'write' ? 'EFAULT' : 'EINVAL');
    if (eventfd) throw new KdispatchError(`${name}: check ${c.id} follows an eventfd lookup; only the handler may follow one`);
    if (written) throw new KdispatchError(`${name}: check ${c.id} follows ${path.checks[i - 1]?.id}, a write; the dispatch copies out only on success, so a write must be last`);
    switch (c.kind) {
      case 'owner':
        push({ check: c, uses: none, kind: 'owner', required: c.owner === 'required', error });
        break;
      case 'status':
        for (const n of [...c.requires, ...c.forbids]) constants.add(n);
        push({ check: c, uses: new Set(['status']), kind: 'refuse', cond: statusCond(c.requires.map(spell.constant), c.forbids.map(spell.constant)), error });
        break;
      case 'transition':
        if (!argRead || !shape?.plan.scalar) throw new KdispatchError(`${name}: check ${c.id} needs a scalar argument already read`);
        push({ check: c, uses: new Set(['status', 'arg']), kind: 'refuse', cond: 'arg && (status & ~arg)', error });
        break;
      case 'read':
        if (!shape) throw new KdispatchError(`${name}: check ${c.id} reads an argument the request does not pass`);
        if (c.read === 'head' && !shape.head) throw new KdispatchError(`${name}: check ${c.id} reads a leading __u32 the argument type does not start with`);
        if (c.error && c.error !== 'EFAULT') throw new KdispatchError(`${name}: check ${c.id}: a failed copy_from_user is EFAULT, not ${c.error}`);
        if (shape.plan.argsz) {
          // The argsz protocol: the mandatory part first, checked against argsz by a later check.
          if (c.read !== 'argsz' || argRead) throw new KdispatchError(`${name}: check ${c.id}: ${shape.plan.type} is an argsz struct; only one read of its mandatory part (read: argsz) is printed yet, not read: ${c.read}`);
          push({ check: c, uses: new Set(['arg']), kind: 'copy-in', minsz: shape.plan.argsz.minsz });
          argszRead = true;
        } else if (c.read === 'argsz') {
          throw new KdispatchError(`${name}: check ${c.id} reads the mandatory part of ${shape.plan.type}, which is no argsz struct`);
        } else if (argRead) push({ check: c, uses: none, kind: 'noop', why: 'copied in above' });
        else push({ check: c, uses: new Set(['arg']), kind: 'copy-in' });
        argRead = true;
        break;
      case 'write':
        if (!shape || shape.plan.tail || (req.item.data !== 'out' && req.item.data !== 'inout')) throw new KdispatchError(`${name}: check ${c.id} writes an argument the request does not return`);
        if (c.error && c.error !== 'EFAULT') throw new KdispatchError(`${name}: check ${c.id}: a failed copy_to_user is EFAULT, not ${c.error}`);
        if (shape.plan.argsz && !argszRead) throw new KdispatchError(`${name}: check ${c.id} copies out min(argsz, size) of ${shape.plan.type}, but its path never read argsz`);
        written = true;
        push({ check: c, uses: none, kind: 'noop', why: 'copy_to_user once the handler succeeded' });
        break;
      case 'refuse': {
        const s = scope();
        const t = translate(c.expr, s);
        for (const k of t.constants) constants.add(k);
        const clamp = indexBound(c.expr, s);
        push({ check: c, uses: t.uses, kind: 'refuse', cond: t.text, error, ...(clamp ? { clamp } : {}) });
        break;
      }
      case 'accept': {
        const t = translate(c.expr, scope());
        for (const k of t.constants) constants.add(k);
        push({ check: c, uses: t.uses, kind: 'accept', cond: t.text });
        break;
      }
      case 'fd': {
        const t = translate(c.expr, scope());
        // The unbind value compares as the model compares it only for a signed int field.
        const field = c.expr === 'arg' ? shape?.plan.ctype : undefined;
        const fieldType = field ?? (c.expr.startsWith('arg.') ? fieldCType(view, shape, c.expr.slice(4)) : undefined);
        if (!fieldType || fieldType.kind !== 'prim' || !/^(?:int|__s32|signed int)$/.test(fieldType.name)) {
          throw new KdispatchError(`${name}: check ${c.id}: an fd must be an int argument or field, not '${c.expr}'`);
        }
        eventfd = true;
        push({ check: c, uses: t.uses, kind: 'eventfd', fd: t.text, ...(c.unbind !== undefined ? { unbind: c.unbind } : {}), ...(c.kindError ? { kindError: c.kindError } : {}), error });
        break;
      }
      case 'always':
        push({ check: c, uses: none, kind: 'always', error });
        handler = false;
        break;
      case 'feature-filter':
        if (!filter) {
          push({ check: c, uses: none, kind: 'noop', why: 'the profile has no feature filter' });
          break;
        }
        if (!shape?.plan.scalar || shape.plan.type !== 'u64') throw new KdispatchError(`${name}: check ${c.id} filters a feature mask, which must be a u64 argument`);
        if (c.filter === 'arg') {
          if (!argRead) throw new KdispatchError(`${name}: check ${c.id} filters an argument not read yet`);
          push({ check: c, uses: new Set(['arg']), kind: 'refuse', cond: filter.hidden('arg'), error });
        } else {
          if (req.item.data !== 'out' && req.item.data !== 'inout') throw new KdispatchError(`${name}: check ${c.id} masks the answer of a request that returns none`);
          push({ check: c, uses: none, kind: 'mask-answer', mask: filter.through });
        }
        break;
    }
    if (!handler) break;
  }
  let arg: ArgPlan | undefined;
  if (shape) {
    const data = req.item.data;
    const copyIn = argRead;
    const copyOut = !shape.plan.tail && (data === 'out' || data === 'inout');
    if (handler && (data === 'in' || data === 'inout') && !copyIn) throw new KdispatchError(`${name}: the request passes data in but its path never reads it (a NULL argument would not fault as the model says)`);
    if (handler && copyOut && !copyIn && !written) throw new KdispatchError(`${name}: the request returns data but its path neither reads nor writes it (a NULL argument would not fault as the model says)`);
    if (handler && shape.plan.tail && !copyIn) throw new KdispatchError(`${name}: a flexible argument is passed on only after its fixed part was read`);
    arg = { ...shape.plan, copyIn, copyOut };
  }
  const shortDoc = req.item.doc ?? name;
  return {
    request: name,
    macro: spell.request(name),
    short: shortName(name),
    doc: shortDoc,
    ...(arg ? { arg } : {}),
    steps,
    handler,
    eventfd,
    uses,
    compat: view.number(req, HOST) === view.number(req, COMPAT) && (!arg || sameOnCompat(view, arg.ctype)),
  };
}

function fieldCType(view: AbiView, shape: ArgShape | undefined, path: string): CType | undefined {
  if (!shape) return undefined;
  const f = layoutOf(view, HOST, shape.plan.ctype).fields.find((x) => x.path === path);
  return f?.field.kind === 'field' ? f.field.ctype : undefined;
}

/** The header a constant's C spelling comes from. */
function constantHeader(view: AbiView, n: string): string | undefined {
  const c = view.constant(n);
  if (!c) return undefined;
  if ('header' in c.item && typeof c.item.header === 'string') return c.item.header;
  return view.families.find((f) => f.name === c.family)?.header;
}

export function planProfile(view: AbiView, profile: string): ProfilePlan {
  const device = view.devices.get(profile);
  const b = device ? view.behaviour(device.fd, profile) : undefined;
  if (!device || !b?.executable) throw new KdispatchError(`profile ${profile} has no executable dispatch at ${view.version}`);
  // Counts and sizes are u32 (as the kernel keeps them, and array_index_nospec takes at most a
  // long); masks are u64; the model's 64-bit arithmetic is kept by casts (expr.ts).
  const factTypes = new Map(b.facts.map((f): [string, FactType] => [f.name, f.kind === 'bool' ? 'bool' : f.kind === 'count' || f.kind === 'size' ? 'u32' : 'u64']));
  const constants = new Set<string>();
  const prefix = cIdent(profile);
  const spell = spelling(view, prefix);
  const filter = filterC(view, profile, spell, constants);
  const requests = [...b.accepted].map((n) => {
    const req = view.request(n);
    if (!req) throw new KdispatchError(`${profile}: accepts unknown request ${n}`);
    return planRequest(view, b, req, factTypes, constants, spell, filter);
  });
  // A filter the paths never apply would be silently dropped: the model must say where it acts.
  const applied = new Set(requests.flatMap((r) => r.steps.flatMap((s) => (s.check.kind === 'feature-filter' ? [s.check.filter] : []))));
  const kind = view.featureFilter(profile)?.kind;
  if (filter && (!applied.has('answer') || !applied.has('arg'))) {
    throw new KdispatchError(`${profile}: a feature ${kind ?? 'filter'} needs a feature-filter check on the answer (GET_FEATURES) and on the argument (SET_FEATURES) of fd ${b.fd.name}'s paths`);
  }
  const short = new Map<string, string>();
  for (const r of requests) {
    const other = short.get(r.short);
    if (other || RESERVED.includes(r.short)) throw new KdispatchError(`${profile}: handler name ${r.short} of ${r.request} is taken${other ? ` by ${other}` : ''}`);
    short.set(r.short, r.request);
  }
  // Facts the paths read, in the fd's order.
  const used = new Set<string>();
  for (const r of requests) for (const s of r.steps) for (const m of ('cond' in s ? s.cond : '').matchAll(/facts->(\w+)/g)) used.add(m[1] as string);
  for (const r of requests) for (const s of r.steps) if (s.kind === 'refuse' && s.clamp) for (const m of s.clamp.bound.matchAll(/facts->(\w+)/g)) used.add(m[1] as string);
  const facts = b.facts.filter((f) => used.has(f.name)).map((f): FactPlan => ({ name: f.name, type: factTypes.get(f.name) as FactType, doc: f.doc }));
  const statusBits = [...b.statusBits.values()];
  const top = statusBits.reduce((m, v) => (v > m ? v : m), 0n);
  const statusType = top < 0x100n ? 'u8' : top < 0x100000000n ? 'u32' : 'u64';
  const familyOf = (name: string): string | undefined => view.families.find((f) => f.name === name)?.header;
  const typeHeaders = new Set<string>();
  for (const r of requests) {
    const t = r.arg?.ctype;
    if (t?.kind === 'struct') {
      const h = familyOf(view.types.get(`struct ${t.tag}`)?.family ?? '');
      if (h) typeHeaders.add(h);
    }
  }
  const codeHeaders = new Set<string>();
  for (const r of requests) {
    const h = familyOf(view.request(r.request)?.family ?? '');
    if (h) codeHeaders.add(h);
  }
  for (const k of constants) {
    const h = constantHeader(view, k);
    if (h) codeHeaders.add(h);
  }
  for (const h of typeHeaders) codeHeaders.delete(h);
  const home = view.families.find((f) => f.devices.some((d) => d.name === profile));
  const sourceFamilies = new Set<string>([
    ...view.families.filter((f) => f.fds.some((x) => x.name === device.fd)).map((f) => f.name),
    ...requests.map((r) => view.request(r.request)?.family ?? ''),
    ...requests.flatMap((r) => (r.arg?.ctype.kind === 'struct' ? [view.types.get(`struct ${r.arg.ctype.tag}`)?.family ?? ''] : [])),
    ...[...constants].map((k) => view.constant(k)?.family ?? ''),
  ]);
  const own = ownAbi(view, spell, requests.map((r) => r.request), constants);
  return {
    profile,
    fd: device.fd,
    doc: device.doc,
    prefix,
    version: view.version,
    statusType,
    facts,
    requests,
    typeHeaders: [...typeHeaders].sort(),
    codeHeaders: [...codeHeaders].sort(),
    sources: [...(home ? [home.file] : []), ...view.families.filter((f) => f !== home && sourceFamilies.has(f.name)).map((f) => f.file)],
    ...(own ? { own } : {}),
  };
}
