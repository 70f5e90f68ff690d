// Every check of every path of the generated vhost-vdpa-net dispatch (and of the 2019
// vhost-mdev-v2 one, spec/history), compiled in userspace
// (gcc and clang, -Wall -Wextra -Werror) over the fake device: for each check, a call the model
// says it refuses (or accepts early) and a call it lets through, both run through the C code.
// The outcome must be the model's; a refused call must run no handler and change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { AbiView, PathCheck } from '../../src/model/index.ts';
import { argBytes, randomWorld, rng } from './args.ts';
import { mdevV2Target, newestView, parseResult, PROFILE, runner, runScript, type Target } from './build.ts';
import { callLine, cmdOf, expected, profileBehaviour, worldScript, type Call, type World } from './calls.ts';

interface Case {
  request: string;
  check: PathCheck;
  index: number;
  refuses: boolean;
  world: World;
  call: Call;
}

/** The suite for one profile: vhost-vdpa-net (no target) or another the shim builds. */
function suite(view: AbiView, profile: string, target?: Target): void {
const b = profileBehaviour(view, profile);

/** Searches seeded random calls for one the check decides and one it lets pass. */
function casesFor(request: string): { cases: Case[]; missing: string[] } {
  const path = b.path(request);
  const found = new Map<string, Case>();
  const r = rng(0x5eed ^ request.length ^ request.charCodeAt(6));
  // An eventfd check with a kind error refuses two ways: no such fd, and a file of another kind.
  const wanted = 2 * path.checks.length + path.checks.filter((c) => c.kind === 'fd' && c.kindError).length;
  for (let i = 0; i < 40_000 && found.size < wanted; i++) {
    const world = randomWorld(r, b.facts);
    if (r() < 0.5) world.owner = true;
    if (r() < 0.3) world.status = 0n;
    const bytes = argBytes(view, request, world, r);
    const call: Call = { request, cmd: cmdOf(view, request), arg: bytes === undefined ? undefined : r() < 0.08 ? null : bytes };
    const o = b.evaluate(request, { owner: world.owner, status: world.status, arg: call.arg, facts: world.facts, eventfds: new Set(world.eventfds), files: new Set(world.files) });
    if (o.kind !== 'decided') throw new Error(o.reason);
    path.checks.forEach((check, index) => {
      const decided = o.check === check;
      const passed = o.passed.length > index;
      const kindError = check.kind === 'fd' && check.kindError !== undefined && check.kindError !== (check.error ?? 'EINVAL');
      for (const [refuses, hit, tag] of [[true, decided && (!kindError || o.result !== check.kindError), 'true'], [false, passed, 'false'], [true, decided && kindError && o.result === check.kindError, 'kind']] as const) {
        const key = `${index}:${tag}`;
        if (hit && !found.has(key)) found.set(key, { request, check, index, refuses, world: structuredClone(world), call });
      }
    });
  }
  // Steps that cannot refuse by construction: a filter on the answer, and a copy after an
  // earlier copy of the same argument succeeded (the model knows only NULL and valid pointers).
  const copies = (c: PathCheck): boolean => c.kind === 'read' || c.kind === 'write';
  const cannotRefuse = (c: PathCheck, i: number): boolean => (c.kind === 'feature-filter' && c.filter === 'answer') || (copies(c) && path.checks.slice(0, i).some(copies));
  const missing = path.checks.flatMap((c, i) => [
    ...(found.has(`${i}:true`) || cannotRefuse(c, i) ? [] : [`${request} ${c.id}: no call it refuses`]),
    ...(c.kind === 'fd' && c.kindError && !found.has(`${i}:kind`) ? [`${request} ${c.id}: no call it refuses as the wrong kind of file`] : []),
    ...(found.has(`${i}:false`) || c.kind === 'always' ? [] : [`${request} ${c.id}: no call it lets pass`]),
  ]);
  return { cases: [...found.values()], missing };
}

const all = [...b.accepted].map(casesFor);
const cases = all.flatMap((x) => x.cases);

const script = (list: readonly Case[]): string[] => list.flatMap((c) => [...worldScript(c.world, target ? { view, profile } : undefined), callLine(c.call)]);
function run(cc: 'gcc' | 'clang'): string[] {
  return runScript(runner(cc, target), script(cases));
}

describe(`generated ${profile} dispatch at ${view.version}: every check of every path`, () => {
  // Compiling is a hook's work (its timeout is minutes), not a test's.
  beforeAll(() => {
    runner('gcc', target);
    runner('clang', target);
  });

  it('the model gives a refusing and a passing call for every check', () => {
    expect(all.flatMap((x) => x.missing)).toEqual([]);
    const checks = [...b.accepted].reduce((n, r) => n + b.path(r).checks.length, 0);
    console.log(`kdispatch: ${b.accepted.size} requests, ${checks} checks, ${cases.length} calls (refusing and passing)`);
  });

  it('gcc build: each call has the model outcome; a refused call runs no handler (a failed copy-out runs the getter first) and changes nothing', () => {
    const lines = run('gcc');
    expect(lines.length).toBe(cases.length);
    const problems: string[] = [];
    cases.forEach((c, i) => {
      const got = parseResult(lines[i] as string);
      const want = expected(view, b, c.world, c.call);
      const label = `${c.request} ${c.check.id} ${c.refuses ? 'refuses' : 'passes'}`;
      if (got.ret !== want.ret) problems.push(`${label}: ret ${got.ret}, model ${want.ret} (${want.check ?? 'end'})`);
      if ((got.handler !== '-') !== want.handler) problems.push(`${label}: handler ${got.handler}, model ${want.handler ? 'runs' : 'does not run'}`);
      if (got.refs !== got.held) problems.push(`${label}: ${got.refs} eventfd references, the device holds ${got.held}`);
      if (!want.handler && (got.owner !== c.world.owner || BigInt(got.status) !== c.world.status || got.held !== 0)) problems.push(`${label}: state changed without a handler`);
      if (c.refuses && c.check.kind !== 'accept' && got.ret === '0') problems.push(`${label}: not refused`);
    });
    expect(problems).toEqual([]);
  });

  it('clang build answers every call exactly as the gcc build', () => {
    expect(run('clang')).toEqual(run('gcc'));
  });

  it('an index bound that passes clamps the index with array_index_nospec before the handler sees it', () => {
    const isBound = (c: PathCheck): boolean => c.kind === 'refuse' && /^\s*(head|arg(\.\w+)?)\s*>=/.test(c.expr);
    const bounded = cases.filter((c) => !c.refuses && isBound(c.check));
    // At least one passing call per request with an index bound.
    expect(bounded.length).toBeGreaterThanOrEqual([...b.accepted].filter((r) => b.path(r).checks.some(isBound)).length);
    expect(bounded.length).toBeGreaterThan(5);
    const lines = runScript(runner('gcc', target), script(bounded));
    bounded.forEach((c, i) => expect(parseResult(lines[i] as string).nospec, `${c.request} ${c.check.id}`).toBeGreaterThanOrEqual(1));
  });
});
}

suite(newestView(), PROFILE);
const v2 = mdevV2Target();
suite(v2.view, v2.profile, v2);
