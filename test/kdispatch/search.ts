// Finds calls by what the model says of them: seeded random devices and arguments until the
// model's outcome for the request matches. The tests then run the found calls through the C code.
import type { AbiView, Behaviour, Outcome } from '../../src/model/index.ts';
import { argBytes, randomWorld, rng } from './args.ts';
import { newestView } from './build.ts';
import { cmdOf, type Call, type World } from './calls.ts';

export interface Found {
  world: World;
  call: Call;
  outcome: Extract<Outcome, { kind: 'decided' }>;
}

/** Calls of `request` whose model outcome satisfies `want`, up to `limit` of them. */
export function search(b: Behaviour, request: string, want: (o: Found['outcome'], c: Call) => boolean, opts: { limit?: number; tries?: number; seed?: number; nulls?: boolean; view?: AbiView } = {}): Found[] {
  const view = opts.view ?? newestView();
  const r = rng((opts.seed ?? 0x5eed) ^ [...request].reduce((h, c) => Math.imul(h, 31) + c.charCodeAt(0), 7));
  const out: Found[] = [];
  for (let i = 0; i < (opts.tries ?? 40_000) && out.length < (opts.limit ?? 1); i++) {
    const world = randomWorld(r, b.facts);
    if (r() < 0.5) world.owner = true;
    if (r() < 0.3) world.status = 0n;
    const bytes = argBytes(view, request, world, r);
    const call: Call = { request, cmd: cmdOf(view, request), arg: bytes === undefined ? undefined : opts.nulls !== false && r() < 0.08 ? null : bytes };
    const outcome = b.evaluate(request, { owner: world.owner, status: world.status, arg: call.arg, facts: world.facts, eventfds: new Set(world.eventfds), files: new Set(world.files) });
    if (outcome.kind !== 'decided') throw new Error(outcome.reason);
    if (want(outcome, call)) out.push({ world: structuredClone(world), call, outcome });
  }
  return out;
}

/** A call every check of `request` lets through (the handler runs and succeeds). */
export function passing(b: Behaviour, request: string, seed?: number, view?: AbiView): Found {
  const f = search(b, request, (o, c) => o.result === '0' && o.check === undefined && c.arg !== null, { ...(seed !== undefined ? { seed } : {}), ...(view ? { view } : {}), nulls: false })[0];
  if (!f) throw new Error(`no passing call of ${request}`);
  return f;
}
