// Differential test: random walks of calls (request, argument bytes, owner, status walk, device
// facts, open eventfds, handler failures) run through the compiled dispatch and through the
// model's evaluate(); every outcome must be the same. The fake device carries the state from call
// to call (SET_OWNER takes ownership, SET_STATUS sets the status), and the test mirrors it from
// the model's answers, so the walk goes through the status states as a driver would.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { argBytes, rng } from './args.ts';
import { newestView, PROFILE, runner } from './build.ts';
import { cmdOf, profileBehaviour, type Call, type World } from './calls.ts';
import { newTally, outcomeSummary, runWalk, walkArb, type Step } from './walk.ts';

const view = newestView();
const b = profileBehaviour(view);
const accepted = [...b.accepted];
const acceptedNumbers = new Set(accepted.map((r) => cmdOf(view, r)));
/** Requests of the spec the profile does not take (other fds', and vhost-vdpa's own unhandled ones). */
const others = view.requests.map((r) => r.item.name).filter((n) => !b.accepted.has(n));

/** The call a step makes: mostly the profile's requests (SET_STATUS and SET_OWNER often, to walk the status), sometimes another number. */
function callOf(step: Step, w: World): Call {
  const r = rng(step.seed);
  const kind = step.pick % 20;
  let request: string | undefined;
  let cmd: number;
  if (kind < 3) request = 'VHOST_VDPA_SET_STATUS';
  else if (kind < 4) request = 'VHOST_SET_OWNER';
  else if (kind < 17) request = accepted[step.pick % accepted.length];
  else if (kind < 18) request = others[step.pick % others.length];
  if (request) cmd = cmdOf(view, request);
  else if (kind === 18) {
    // A profile request's number with its size changed: not the same request.
    const base = cmdOf(view, accepted[step.pick % accepted.length] as string);
    cmd = (base ^ ((1 + Math.floor(r() * 255)) << 16)) >>> 0;
  } else cmd = Math.floor(r() * 2 ** 32) >>> 0;
  if (!request && acceptedNumbers.has(cmd)) cmd = (cmd ^ 0x80000000) >>> 0;
  const bytes = request ? argBytes(view, request, w, r) : new Uint8Array(8).map(() => Math.floor(r() * 256));
  if (request === 'VHOST_VDPA_SET_STATUS' && bytes && r() < 0.7) {
    // Walk forward through the status states most of the time, sometimes reset.
    const next = [0n, w.status | 1n, w.status | 3n, w.status | 0xbn, w.status | 0xfn][Math.floor(r() * 5)] as bigint;
    bytes[0] = Number(next & 0xffn);
  }
  return { ...(request ? { request } : {}), cmd, arg: bytes === undefined ? undefined : step.nullArg ? null : bytes };
}

const tally = newTally();

describe(`differential: generated ${PROFILE} dispatch vs the model's evaluate()`, () => {
  beforeAll(() => void runner('gcc'));
  it('random walks give the model outcome on every call', () => {
    const exe = runner('gcc');
    fc.assert(
      fc.property(walkArb, ({ seed, steps }) => runWalk(exe, { view, b, statusRequest: 'VHOST_VDPA_SET_STATUS', callOf }, tally, seed, steps)),
      { numRuns: 500, seed: 20260613 },
    );
    console.log(`kdispatch differential: ${tally.walks} walks, ${tally.calls} calls, outcomes ${outcomeSummary(tally)}`);
    expect(tally.calls).toBeGreaterThan(5000);
    // Every errno the profile's checks can answer shows up, and so do success and ENOIOCTLCMD.
    const errors = new Set(accepted.flatMap((r) => b.path(r).checks.map((c) => c.error ?? (c.kind === 'read' || c.kind === 'write' ? 'EFAULT' : 'EINVAL')).filter((e) => e)));
    for (const e of [...errors, '0', 'ENOIOCTLCMD']) expect(tally.outcomes.get(e) ?? 0, e).toBeGreaterThan(0);
  }, 300_000);
});

