// Why did the kernel refuse? The spec's behaviour model knows the checks a request passes on an
// fd kind and the errno each one answers; the checks that answer the errno the kernel gave are
// the rules that can have refused the call. Portable: the model is passed in (a view from
// `openSpec(...).spec.at(version)`); this module imports nothing of it, not even its types, so
// the runtime's declarations stand alone. The shapes below are what it reads of an AbiView.
import type { IoctlCall } from './transport.ts';

/** A check of a request's path, as the model's behaviour hands it out (PathCheck). */
export interface ExplainedCheck {
  readonly id: string;
  readonly kind: string;
  /** Where the check comes from: dispatch, a sequence, a profile. */
  readonly from: string;
  readonly error?: string;
  readonly source?: string;
  readonly owner?: string;
  readonly requires?: readonly string[];
  readonly forbids?: readonly string[];
  readonly expr?: string;
  readonly unbind?: bigint;
  readonly kindError?: string;
}

/** A status rule of an fd kind without an executable dispatch (StatusRule). */
export interface ExplainedRule {
  readonly error: string;
  readonly owner: boolean;
  readonly unowned: boolean;
  readonly requires: readonly string[];
  readonly forbids: readonly string[];
  readonly transition?: string;
  readonly doc?: string;
  readonly source?: string;
}

/** What the explainer reads of the model's view at one version (an AbiView fits). */
export interface ExplainView {
  readonly version: string;
  behaviour(fd: string, device?: string): {
    readonly executable: boolean;
    path(request: string): { readonly kind: string; readonly end: string; readonly checks: readonly ExplainedCheck[] };
    rulesFor(request: string): readonly ExplainedRule[];
  } | undefined;
}

export interface ExplainOptions {
  /** The device profile behind the fd ('vhost-vdpa-net'), which may add checks. */
  readonly device?: string;
  /** Names errnos the way the transport does (default: the errno's name is passed by the caller). */
  readonly errnoName: (errno: number) => string;
}

/** What a refusing check says, in words. */
function describeCheck(c: ExplainedCheck): string {
  switch (c.kind) {
    case 'owner':
      return c.owner === 'required' ? 'the caller must own the device (VHOST_SET_OWNER on this fd first)' : 'the device already has an owner';
    case 'status': {
      const requires = c.requires ?? [];
      const forbids = c.forbids ?? [];
      const parts = [...(requires.length ? [`status must have ${requires.join(' | ')}`] : []), ...(forbids.length ? [`status must not have ${forbids.join(' | ')}`] : [])];
      return parts.join(' and ');
    }
    case 'transition':
      return 'a new status must keep every bit already set (0 resets the device)';
    case 'read':
    case 'write':
      return 'the argument could not be copied (a bad pointer)';
    case 'refuse':
      return `refused when ${(c.expr ?? '').replace(/\s+/g, ' ')}`;
    case 'fd':
      return `${c.expr} must be an open eventfd${c.unbind !== undefined ? ` (or ${c.unbind} to unbind)` : ''}`;
    case 'always':
      return 'always refused';
    default:
      return c.kind;
  }
}

function describeRule(r: ExplainedRule): string {
  const parts = [
    ...(r.owner ? ['the caller must own the device'] : []),
    ...(r.unowned ? ['the device must not have an owner yet'] : []),
    ...(r.requires.length ? [`status must have ${r.requires.join(' | ')}`] : []),
    ...(r.forbids.length ? [`status must not have ${r.forbids.join(' | ')}`] : []),
    ...(r.transition === 'only-add-bits-or-reset' ? ['a new status must keep every bit already set (0 resets)'] : []),
  ];
  return parts.join(' and ') || (r.doc ?? 'status rule');
}

/** The errno a check answers when it refuses (the evaluator's default is EINVAL). */
const refusesWith = (c: ExplainedCheck): readonly string[] =>
  c.kind === 'accept' ? [] : [c.error ?? 'EINVAL', ...(c.kind === 'fd' && c.kindError ? [c.kindError] : [])];

/**
 * An explainer for a transport's `explain`: names the model's checks (or, for fd kinds without an
 * executable dispatch, status rules) that answer the errno the kernel gave for this request.
 */
export function modelExplainer(view: ExplainView, options: ExplainOptions): (call: IoctlCall, errno: number) => string | undefined {
  return (call, errno) => {
    const behaviour = view.behaviour(call.fdKind, options.device);
    if (!behaviour) return undefined;
    const name = options.errnoName(errno);
    const where = `spec ${view.version}, fd ${call.fdKind}${options.device ? `, device ${options.device}` : ''}`;
    if (behaviour.executable) {
      const path = behaviour.path(call.request);
      if (path.kind === 'unhandled' && name === path.end && !path.checks.some((c) => refusesWith(c).includes(name))) {
        return `the ${call.fdKind} fd does not handle ${call.request} (${where})`;
      }
      const found = path.checks.filter((c) => refusesWith(c).includes(name));
      if (found.length === 0) return undefined;
      const text = found.map((c) => `check '${c.id}' (${c.from}): ${describeCheck(c)}${c.source ? ` [${c.source}]` : ''}`);
      return `${found.length === 1 ? '' : 'one of: '}${text.join('; ')} (${where})`;
    }
    const rules = behaviour.rulesFor(call.request).filter((r) => r.error === name);
    if (rules.length === 0) return undefined;
    const text = rules.map((r) => `${describeRule(r)}${r.source ? ` [${r.source}]` : ''}`);
    return `${rules.length === 1 ? '' : 'one of: '}${text.join('; ')} (${where})`;
  };
}
