// One call as both sides see it: a line of the runner's script and the model's CallInput, and
// what the model says the generated dispatch must answer.
import type { AbiView, Behaviour, CallInput } from '../../src/model/index.ts';
import { planProfile } from '../../generators/kdispatch/index.ts';
import { hex, newestView, PROFILE, X86_64 } from './build.ts';

/** The device under test: its facts (dev.NAME), open eventfds and the hooks' state. */
export interface World {
  facts: Map<string, bigint>;
  eventfds: bigint[];
  /** Open files that are not eventfds. */
  files: bigint[];
  owner: boolean;
  status: bigint;
}

export interface Call {
  /** The request name, or undefined for a number outside the spec's requests. */
  request?: string;
  cmd: number;
  /** Argument bytes (x86_64), null for a NULL pointer, undefined for a request without one. */
  arg: Uint8Array | null | undefined;
}

/** What the dispatch must answer, from the model. */
export interface Expected {
  ret: string;
  /** Whether the handler runs (every check passed and none accepted early, or only the copy-out failed). */
  handler: boolean;
  /** The check that decided, for messages. */
  check?: string;
}

/** The behaviour of the profile at the view's version. */
export function profileBehaviour(view: AbiView, profile = PROFILE): Behaviour {
  const b = view.behaviour(view.devices.get(profile)?.fd ?? '', profile);
  if (!b?.executable) throw new Error(`${profile} is not executable at ${view.version}`);
  return b;
}

/** Facts the generated facts struct has (those the profile's checks read), per profile. */
const inStruct = new Map<string, ReadonlySet<string>>();

/** The runner's lines that set up a world; `target` names another profile than vhost-vdpa-net. */
export function worldScript(w: World, target?: { view: AbiView; profile: string }): string[] {
  const profile = target?.profile ?? PROFILE;
  let known = inStruct.get(profile);
  if (!known) {
    known = new Set(planProfile(target?.view ?? newestView(), profile).facts.map((f) => f.name));
    inStruct.set(profile, known);
  }
  return [
    'reset',
    ...[...w.facts].filter(([k]) => known.has(k)).map(([k, v]) => `fact ${k} ${v}`),
    ...w.eventfds.map((fd) => `eventfd ${fd}`),
    ...w.files.map((fd) => `file ${fd}`),
    `owner ${w.owner ? 1 : 0}`,
    `status ${w.status}`,
  ];
}

export function callLine(c: Call, via: 'call' | 'compat' = 'call'): string {
  const cmd = (c.cmd >>> 0).toString(16);
  return c.arg ? `${via} ${cmd} arg ${hex(c.arg)}` : `${via} ${cmd} null`;
}

/**
 * The model's answer. A request the profile does not accept is -ENOIOCTLCMD (the generated switch
 * has no case for it; the VFS turns it into ENOTTY) whatever the fd's unhandled path would do.
 */
export function expected(view: AbiView, b: Behaviour, w: World, c: Call): Expected {
  if (!c.request || !b.accepted.has(c.request)) return { ret: 'ENOIOCTLCMD', handler: false };
  const req = view.request(c.request);
  if (!req || view.number(req, X86_64) !== c.cmd >>> 0) return { ret: 'ENOIOCTLCMD', handler: false };
  const input: CallInput = { owner: w.owner, status: w.status, arg: c.arg, facts: w.facts, eventfds: new Set(w.eventfds), files: new Set(w.files) };
  const o = b.evaluate(c.request, input);
  if (o.kind !== 'decided') throw new Error(`model: ${o.reason}`);
  const accepted = o.result === '0' && o.check?.kind === 'accept';
  // A write check's fault shows only when the answer is copied out, after the handler (as
  // upstream's getters compute, then copy_to_user): the handler ran, the call fails with EFAULT.
  const copyOut = o.check?.kind === 'write';
  return { ret: o.result, handler: (o.result === '0' && !accepted) || copyOut, ...(o.check ? { check: o.check.id } : {}) };
}

/** The x86_64 number of a request. */
export function cmdOf(view: AbiView, request: string): number {
  const r = view.request(request);
  if (!r) throw new Error(request);
  return view.number(r, X86_64);
}
