// What the spec says an fd kind does with a request: which status rules apply, which one a
// given state violates, and which quirks the spec records. The lab compares measurements with
// this; the kernel dispatch generator will turn the same rules into code.
import { dropsBits, requestPath, runPath, statusGateFails, type CallInput, type DispatchContext, type Outcome, type PathCheck, type RequestPath } from './dispatch.ts';
import { featureFilterOf } from './features.ts';
import { evaluateWrite, type WriteCall, type WriteOutcome } from './channel-write.ts';
import type { Channel, DeviceProfile, Fact, FdKind, Quirk, StatusRule } from './types.ts';

/** The caller's side of a request: does it own the device, the device status, the value it passes. */
export interface RequestState {
  readonly owner: boolean;
  readonly status: bigint;
  /** The integer a SET_STATUS-like request passes, when it passes one. */
  readonly value?: bigint;
}

/** A gate the state fails: a status rule, or (where the fd is executable) an owner/status check of the path. */
export interface Violation {
  readonly errno: string;
  readonly rule?: StatusRule;
  readonly check?: PathCheck;
}

export interface Behaviour {
  readonly fd: FdKind;
  readonly device?: DeviceProfile;
  /** Requests answered by their handler; anything else gets unknownRequestErrno. */
  readonly accepted: ReadonlySet<string>;
  readonly statusBits: ReadonlyMap<string, bigint>;
  /** The fd's rules, then the device's, in spec order. */
  readonly rules: readonly StatusRule[];
  readonly quirks: readonly Quirk[];
  /** What a request outside the accepted set gets (ENOTTY unless the spec says otherwise). */
  readonly unknownRequestErrno: string;
  rulesFor(request: string): readonly StatusRule[];
  /** Every rule for the request that the state violates, in spec order. */
  violations(request: string, state: RequestState): readonly Violation[];
  quirksFor(request: string): readonly Quirk[];
  /** Quirks that apply to requests outside the accepted set. */
  readonly unknownRequestQuirks: readonly Quirk[];
  /** Whether the fd kind has an executable dispatch (ordered checks per request). */
  readonly executable: boolean;
  /** Facts of the device under test that the checks read (dev.NAME). */
  readonly facts: readonly Fact[];
  /** The ordered checks a request passes through (handled, unhandled, or unmodelled). */
  path(request: string): RequestPath;
  /** The one outcome of a call: 0 or an errno, and the check that decided it. */
  evaluate(request: string, input: CallInput): Outcome;
  /** The message channel written to this fd whose write() is executable at this version. */
  readonly writeChannel?: Channel;
  /** The one outcome of a write() on a fresh fd (after call.before): the byte count or an errno. */
  write(call: WriteCall): WriteOutcome;
}

/** Whether the state violates the rule. */
export function violates(rule: StatusRule, state: RequestState, bits: ReadonlyMap<string, bigint>): boolean {
  if (rule.owner && !state.owner) return true;
  if (rule.unowned && state.owner) return true;
  if (statusGateFails(state.status, rule.requires, rule.forbids, bits)) return true;
  return rule.transition === 'only-add-bits-or-reset' && state.value !== undefined && dropsBits(state.status, state.value);
}

/** Whether an owner, status or transition check of a path refuses the state (other checks need the argument). */
function gateFails(c: PathCheck, state: RequestState, bits: ReadonlyMap<string, bigint>): boolean {
  if (c.kind === 'owner') return state.owner !== (c.owner === 'required');
  if (c.kind === 'status') return statusGateFails(state.status, c.requires, c.forbids, bits);
  return c.kind === 'transition' && state.value !== undefined && dropsBits(state.status, state.value);
}

export function behaviourOf(fd: FdKind, device: DeviceProfile | undefined, accepted: ReadonlySet<string>, base: DispatchContext, writeChannel?: Channel): Behaviour {
  // feature-filter checks apply the profile's own filter.
  const ctx: DispatchContext = device ? { ...base, featureFilter: featureFilterOf(device, (n) => base.constant(n)?.value) } : base;
  const statusBits = ctx.statusBits;
  const rules = [...fd.rules, ...(device?.rules ?? [])];
  const paths = new Map<string, RequestPath>();
  const path = (request: string): RequestPath => {
    let p = paths.get(request);
    if (!p) {
      p = requestPath(fd, device, request);
      paths.set(request, p);
    }
    return p;
  };
  const rulesFor = (request: string): StatusRule[] => rules.filter((r) => r.requests.includes(request));
  return {
    fd,
    ...(device ? { device } : {}),
    accepted,
    statusBits,
    rules,
    quirks: fd.quirks,
    unknownRequestErrno: fd.unknownRequest ?? 'ENOTTY',
    rulesFor,
    violations: (request, state) => [
      ...rulesFor(request).filter((r) => violates(r, state, statusBits)).map((rule) => ({ rule, errno: rule.error })),
      ...path(request).checks.filter((c) => gateFails(c, state, statusBits)).map((check) => ({ check, errno: check.error ?? 'EINVAL' })),
    ],
    quirksFor: (request) => fd.quirks.filter((q) => q.requests.includes(request)),
    unknownRequestQuirks: fd.quirks.filter((q) => q.unknownRequests),
    executable: fd.dispatch.length > 0,
    facts: fd.facts,
    path,
    evaluate: (request, input) => runPath(path(request), input, ctx),
    ...(writeChannel ? { writeChannel } : {}),
    write: (call) => evaluateWrite(writeChannel, call, ctx),
  };
}
