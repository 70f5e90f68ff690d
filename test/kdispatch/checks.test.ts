// Every check of every path of the generated vhost-vdpa-net dispatch, compiled in userspace
// (gcc and clang, -Wall -Wextra -Werror) over the fake device: for each check, a call the model
// says it refuses (or accepts early) and a call it lets through, both run through the C code.
// The outcome must be the model's; a refused call must run no handler and change nothing.
import { beforeAll, describe, expect, it } from 'vitest';
import type { PathCheck } from '../../src/model/index.ts';
import { argBytes, randomWorld, rng } from './args.ts';
import { newestView, parseResult, PROFILE, runner, runScript } from './build.ts';
import { callLine, cmdOf, expected, profileBehaviour, worldScript, type Call, type World } from './calls.ts';

const view = newestView();
const b = profileBehaviour(view);

interface Case {
  request: string;
  check: PathCheck;
  index: number;
  refuses: boolean;
  world: World;
  call: Call;
}

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
  const missing = path.checks.flatMap((c, i) => [
    ...(found.has(`${i}:true`) ? [] : [`${request} ${c.id}: no call it refuses`]),
    ...(c.kind === 'fd' && c.kindError && !found.has(`${i}:kind`) ? [`${request} ${c.id}: no call it refuses as the wrong kind of file`] : []),
    ...(found.has(`${i}:false`) || c.kind === 'always' ? [] : [`${request} ${c.id}: no call it lets pass`]),
  ]);
  return { cases: [...found.values()], missing };
}

const all = [...b.accepted].map(casesFor);
const cases = all.flatMap((x) => x.cases);

function run(cc: 'gcc' | 'clang'): string[] {
  return runScript(runner(cc), cases.flatMap((c) => [...worldScript(c.world), callLine(c.call)]));
}

describe(`generated ${PROFILE} dispatch at ${view.version}: every check of every path`, () => {
  // Compiling is a hook's work (its timeout is minutes), not a test's.
  beforeAll(() => {
    runner('gcc');
    runner('clang');
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
    const bounded = cases.filter((c) => !c.refuses && c.check.kind === 'refuse' && /^\s*(head|arg(\.\w+)?)\s*>=/.test(c.check.expr));
    expect(bounded.length).toBeGreaterThan(10);
    const lines = runScript(runner('gcc'), bounded.flatMap((c) => [...worldScript(c.world), callLine(c.call)]));
    bounded.forEach((c, i) => expect(parseResult(lines[i] as string).nospec, `${c.request} ${c.check.id}`).toBeGreaterThanOrEqual(1));
  });
});
