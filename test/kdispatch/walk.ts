// One random walk of a differential test: calls (with NULL arguments and injected handler
// failures) run through the compiled dispatch and through the model's evaluate(), the fake
// device's state mirrored from the model's answers, every outcome compared. The profile supplies
// how a step picks its call and, where it checks one, the answer bytes a call must copy out.
import fc from 'fast-check';
import { expect } from 'vitest';
import type { AbiView, Behaviour } from '../../src/model/index.ts';
import { randomWorld, rng } from './args.ts';
import { parseResult, runScript, type Target } from './build.ts';
import { callLine, expected, worldScript, type Call, type World } from './calls.ts';

export interface Step {
  pick: number;
  seed: number;
  nullArg: boolean;
  fail: number | null;
}

/** The errno a handler failure injected with `fail N` comes back as. */
const FAILURES: Record<number, string> = { 5: 'EIO', 16: 'EBUSY', 22: 'EINVAL' };

const stepArb = fc.record({
  pick: fc.nat(),
  seed: fc.integer(),
  // A NULL argument in 1 call of 12, a handler failure injected before 1 in 16.
  nullArg: fc.nat(11).map((x) => x === 0),
  fail: fc.nat(47).map((x) => (x < 3 ? ([5, 16, 22][x] as number) : null)),
});
export const walkArb = fc.record({ seed: fc.integer(), steps: fc.array(stepArb, { minLength: 8, maxLength: 48 }) });

export interface WalkProfile {
  readonly view: AbiView;
  readonly b: Behaviour;
  /** The compiled dispatch's fake device when it is not vhost-vdpa-net's. */
  readonly target?: Target;
  /** The request whose success sets the status byte (the fake keeps what it wrote). */
  readonly statusRequest: string;
  callOf(step: Step, mirror: World): Call;
  /** Hex of the answer a successful call must copy out, where the test checks it. */
  answer?(call: Call, mirror: World): string | undefined;
}

/** What the walks saw, for the test's closing assertions. */
export interface WalkTally {
  calls: number;
  walks: number;
  answers: number;
  readonly outcomes: Map<string, number>;
  /** Checks that refused a call before any handler ran. */
  readonly decidedBy: Set<string>;
}

export const newTally = (): WalkTally => ({ calls: 0, walks: 0, answers: 0, outcomes: new Map(), decidedBy: new Set() });

/** Runs one walk through the compiled runner `exe` and asserts every call's outcome. */
export function runWalk(exe: string, p: WalkProfile, tally: WalkTally, seed: number, steps: readonly Step[]): void {
  const world = randomWorld(rng(seed), p.b.facts);
  const mirror: World = { ...world, facts: new Map(world.facts) };
  const script = worldScript(world, p.target);
  const wants: Array<{ call: Call; ret: string; handler: boolean; owner: boolean; status: bigint; out?: string }> = [];
  let pending: number | null = null;
  for (const step of steps) {
    const call = p.callOf(step, mirror);
    if (step.fail !== null) {
      script.push(`fail ${step.fail}`);
      pending = step.fail;
    }
    script.push(callLine(call));
    const want = expected(p.view, p.b, mirror, call);
    let ret = want.ret;
    let out: string | undefined;
    if (want.handler && pending !== null) {
      ret = FAILURES[pending] as string;
      pending = null;
    } else if (want.handler && ret === '0') {
      if (call.request === 'VHOST_SET_OWNER') mirror.owner = true;
      if (call.request === p.statusRequest && call.arg) mirror.status = BigInt(call.arg[0] ?? 0);
      out = p.answer?.(call, mirror);
    }
    if (want.check && !want.handler) tally.decidedBy.add(want.check);
    wants.push({ call, ret, handler: want.handler, owner: mirror.owner, status: mirror.status, ...(out ? { out } : {}) });
  }
  const lines = runScript(exe, script);
  expect(lines.length).toBe(wants.length);
  wants.forEach((w, i) => {
    const got = parseResult(lines[i] as string);
    const what = `call ${i} ${w.call.request ?? `0x${w.call.cmd.toString(16)}`}`;
    expect(got.ret, what).toBe(w.ret);
    expect(got.handler !== '-', `${what}: handler`).toBe(w.handler);
    expect([got.owner, BigInt(got.status)], `${what}: device state`).toEqual([w.owner, w.status]);
    expect(got.refs, `${what}: eventfd references not held by the device`).toBe(got.held);
    if (w.out) {
      expect(Buffer.from(got.out.subarray(0, w.out.length / 2)).toString('hex'), `${what}: the answer`).toBe(w.out);
      tally.answers++;
    }
    tally.outcomes.set(w.ret, (tally.outcomes.get(w.ret) ?? 0) + 1);
  });
  tally.calls += wants.length;
  tally.walks++;
}

/** "0 1234, EINVAL 56, ...": the outcomes, most frequent first. */
export const outcomeSummary = (t: WalkTally): string => [...t.outcomes].sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ');
