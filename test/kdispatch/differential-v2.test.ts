// Differential test of the 2019 vhost-mdev v2 dispatch (spec/history/vhost-mdev-v2, profile
// vhost-mdev-v2: the posted design with the review's MQ blacklist), as differential.test.ts does
// for vhost-vdpa-net: random walks through the compiled dispatch and the fake device, each call
// compared with the model's evaluate(), the feature filter's steps included (SET_FEATURES refuses
// MQ; GET_FEATURES answers the fake parent's all-ones mask with MQ cleared).
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { openOk, viewAt } from '../support/spec.ts';
import { argBytes, rng } from './args.ts';
import { hex, mdevV2Target, parseResult, ROOT, runner, runScript, X86_64 } from './build.ts';
import { callLine, cmdOf, expected, profileBehaviour, worldScript, type Call, type World } from './calls.ts';
import { passing } from './search.ts';
import { newTally, outcomeSummary, runWalk, walkArb, type Step } from './walk.ts';

const target = mdevV2Target();
const { view } = target;
const b = profileBehaviour(view, target.profile);
const accepted = [...b.accepted];
const acceptedNumbers = new Set(accepted.map((r) => cmdOf(view, r)));
/** v2 requests the profile does not take (VHOST_RESET_OWNER), and v1's and v3's numbers (v3's are vhost-vdpa's today). */
const neighbours = ['vhost-mdev-v1', 'vhost-mdev-v3'].map((d) => {
  const spec = openOk(join(ROOT, 'spec/history', d));
  return viewAt(spec, spec.newest);
});
const others: number[] = [
  ...view.requests.map((r) => r.item.name).filter((n) => !b.accepted.has(n)).map((n) => cmdOf(view, n)),
  ...neighbours.flatMap((v) => v.requests.map((r) => v.number(r, X86_64))),
].filter((n) => !acceptedNumbers.has(n));
const FAKE_FEATURES = (1n << 64n) - 1n;
const U64LE = (v: bigint): string => Buffer.from(Array.from({ length: 8 }, (_, i) => Number((v >> BigInt(8 * i)) & 0xffn))).toString('hex');

function callOf(step: Step, w: World): Call {
  const r = rng(step.seed);
  const kind = step.pick % 20;
  let request: string | undefined;
  let cmd: number;
  if (kind < 4) request = 'VHOST_MDEV_SET_STATUS';
  else if (kind < 5) request = 'VHOST_SET_OWNER';
  else if (kind < 17) request = accepted[step.pick % accepted.length];
  if (request) cmd = cmdOf(view, request);
  else if (kind < 18) cmd = others[step.pick % others.length] as number;
  else if (kind === 18) {
    const base = cmdOf(view, accepted[step.pick % accepted.length] as string);
    cmd = (base ^ ((1 + Math.floor(r() * 255)) << 16)) >>> 0;
  } else cmd = Math.floor(r() * 2 ** 32) >>> 0;
  if (!request && acceptedNumbers.has(cmd)) cmd = (cmd ^ 0x80000000) >>> 0;
  const bytes = request ? argBytes(view, request, w, r) : new Uint8Array(8).map(() => Math.floor(r() * 256));
  if (request === 'VHOST_MDEV_SET_STATUS' && bytes && r() < 0.7) {
    // Walk towards FEATURES_OK (rings programmable) and DRIVER_OK, sometimes reset.
    const next = [0n, w.status | 1n, w.status | 3n, w.status | 0xbn, w.status | 0xbn, w.status | 0xfn][Math.floor(r() * 6)] as bigint;
    bytes[0] = Number(next & 0xffn);
  }
  if (request === 'VHOST_SET_FEATURES' && bytes && r() < 0.5) {
    // Often a subset of what the parent offers, half of those with MQ (bit 22).
    const offered = w.facts.get('features') ?? 0n;
    const v = (offered & BigInt.asUintN(64, BigInt(Math.floor(r() * 2 ** 32)) * 0x100000001n)) | (r() < 0.5 ? 1n << 22n : 0n);
    for (let i = 0; i < 8; i++) bytes[i] = Number((v >> BigInt(8 * i)) & 0xffn);
  }
  return { ...(request ? { request } : {}), cmd, arg: bytes === undefined ? undefined : step.nullArg ? null : bytes };
}

const tally = newTally();

/** GET_FEATURES answers the fake parent's all-ones mask through the profile's filter. */
function answer(call: Call, w: World): string | undefined {
  if (call.request !== 'VHOST_GET_FEATURES') return undefined;
  const o = b.evaluate(call.request, { owner: w.owner, status: w.status, arg: call.arg, facts: w.facts, eventfds: new Set(w.eventfds), files: new Set(w.files) });
  return U64LE(FAKE_FEATURES & (o.kind === 'decided' && o.answerMask !== undefined ? o.answerMask : FAKE_FEATURES));
}

describe(`differential: generated ${target.profile} dispatch (2019 proposal) vs the model's evaluate()`, () => {
  beforeAll(() => void runner('gcc', target));
  it('random walks give the model outcome on every call, the masked GET_FEATURES answer included', () => {
    const exe = runner('gcc', target);
    fc.assert(
      fc.property(walkArb, ({ seed, steps }) => runWalk(exe, { view, b, target, statusRequest: 'VHOST_MDEV_SET_STATUS', callOf, answer }, tally, seed, steps)),
      { numRuns: 400, seed: 20191022 },
    );
    console.log(`kdispatch differential v2: ${tally.walks} walks, ${tally.calls} calls, ${tally.answers} masked answers, outcomes ${outcomeSummary(tally)}`);
    expect(tally.calls).toBeGreaterThan(4000);
    expect(tally.answers).toBeGreaterThan(20);
    const errors = new Set(accepted.flatMap((r) => b.path(r).checks.flatMap((c) => (c.kind === 'feature-filter' && c.filter === 'answer' ? [] : [c.error ?? (c.kind === 'read' || c.kind === 'write' ? 'EFAULT' : 'EINVAL')]))));
    for (const e of [...errors, '0', 'ENOIOCTLCMD']) expect(tally.outcomes.get(e) ?? 0, e).toBeGreaterThan(0);
    // The steps v2 adds over vhost-vdpa each decided some calls.
    for (const c of ['refuse-filtered', 'features-outside-device', 'features-locked', 'rings-programmable', 'ring-busy', 'no-clear-without-reset', 'parent-refuses-features']) expect(tally.decidedBy, c).toContain(c);
  }, 300_000);

  it('the filter step decides: MQ refused on SET_FEATURES by refuse-filtered, with no handler run', () => {
    const exe = runner('gcc', target);
    const mq = new Uint8Array(8);
    mq[2] = 0x40; // 1 << 22, little-endian
    const world: World = { facts: new Map([['nvqs', 2n], ['features', (1n << 64n) - 1n], ['ring_ready', 0n], ['parent_refuses', 0n]]), eventfds: [], files: [], owner: false, status: 3n };
    const call: Call = { request: 'VHOST_SET_FEATURES', cmd: cmdOf(view, 'VHOST_SET_FEATURES'), arg: mq };
    const want = expected(view, b, world, call);
    expect([want.ret, want.check]).toEqual(['EINVAL', 'refuse-filtered']);
    const got = parseResult(runScript(exe, [...worldScript(world, target), callLine(call)])[0] as string);
    expect([got.ret, got.handler]).toEqual(['EINVAL', '-']);
  });

  it('no byte of the (poisoned) stack reaches the caller: every getter, a masked answer included; compat answers as native', () => {
    const exe = runner('gcc', target);
    const [leak] = runScript(exe, ['poison 1', 'leaky']).map(parseResult);
    expect(leak?.out.subarray(0, 16).includes(0xa5), 'negative control').toBe(true);
    const returning = accepted.filter((r) => ['out', 'inout'].includes(view.request(r)?.item.data ?? ''));
    expect(returning.sort()).toEqual(['VHOST_GET_FEATURES', 'VHOST_GET_VRING_BASE', 'VHOST_MDEV_GET_QUEUE_NUM', 'VHOST_MDEV_GET_STATUS', 'VHOST_MDEV_GET_VRING_NUM']);
    for (const r of returning) {
      const f = passing(b, r, undefined, view);
      const size = view.argSize(view.request(r)!, X86_64);
      const [got] = runScript(exe, [...worldScript(f.world, target), 'poison 1', callLine(f.call)]).map(parseResult);
      expect(got?.ret, r).toBe('0');
      expect(got?.out.includes(0xa5), `${r}: ${hex(got?.out ?? new Uint8Array())}`).toBe(false);
      expect(got?.out.subarray(size).every((x) => x === 0), `${r}: written past byte ${size}`).toBe(true);
    }
    const found = accepted.map((r) => passing(b, r, undefined, view));
    const native = runScript(exe, found.flatMap((f) => [...worldScript(f.world, target), callLine(f.call)]));
    const compat = runScript(exe, found.flatMap((f) => [...worldScript(f.world, target), callLine(f.call, 'compat')]));
    expect(compat).toEqual(native);
    expect(native.map((l) => parseResult(l).ret)).toEqual(accepted.map(() => '0'));
  });
});
