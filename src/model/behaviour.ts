// What the spec says an fd kind does with a request: which status rules apply, which one a
// given state violates, and which quirks the spec records. The lab compares measurements with
// this; the kernel dispatch generator will turn the same rules into code.
import type { DeviceProfile, FdKind, Quirk, StatusRule } from './types.ts';

/** The caller's side of a request: does it own the device, the device status, the value it passes. */
export interface RequestState {
  readonly owner: boolean;
  readonly status: bigint;
  /** The integer a SET_STATUS-like request passes, when it passes one. */
  readonly value?: bigint;
}

export interface Violation {
  readonly rule: StatusRule;
  readonly errno: string;
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
}

/** Whether the state violates the rule. */
export function violates(rule: StatusRule, state: RequestState, bits: ReadonlyMap<string, bigint>): boolean {
  const mask = (names: readonly string[]): bigint => names.reduce((a, n) => a | (bits.get(n) ?? 0n), 0n);
  if (rule.owner && !state.owner) return true;
  if (rule.unowned && state.owner) return true;
  if (rule.forbids.length && (state.status & mask(rule.forbids)) !== 0n) return true;
  const required = mask(rule.requires);
  if (rule.requires.length && (state.status & required) !== required) return true;
  // A status may only gain bits, or go back to 0 (a reset).
  if (rule.transition === 'only-add-bits-or-reset' && state.value !== undefined && state.value !== 0n && (state.status & ~state.value) !== 0n) return true;
  return false;
}

export function behaviourOf(fd: FdKind, device: DeviceProfile | undefined, accepted: ReadonlySet<string>, statusBits: ReadonlyMap<string, bigint>): Behaviour {
  const rules = [...fd.rules, ...(device?.rules ?? [])];
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
    violations: (request, state) => rulesFor(request).filter((r) => violates(r, state, statusBits)).map((rule) => ({ rule, errno: rule.error })),
    quirksFor: (request) => fd.quirks.filter((q) => q.requests.includes(request)),
    unknownRequestQuirks: fd.quirks.filter((q) => q.unknownRequests),
  };
}
