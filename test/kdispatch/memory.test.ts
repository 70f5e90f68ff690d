// What reaches user memory. The stack under the dispatch is filled with 0xa5 before each call
// (the runner's `poison 1`); no byte of it may reach the caller's buffer, nothing may be written
// past the argument, nothing at all when a check refuses or the handler fails, and eventfd
// references are never leaked. A deliberately leaking copy-out shows the poison check can fail.
import { beforeAll, describe, expect, it } from 'vitest';
import { hex, newestView, parseResult, PROFILE, runner, runScript, X86_64 } from './build.ts';
import { callLine, profileBehaviour, worldScript, type Call } from './calls.ts';
import { passing, search, type Found } from './search.ts';

const view = newestView();
const b = profileBehaviour(view);
const POISON = 0xa5;
let exe = '';
beforeAll(() => {
  exe = runner('gcc');
});

/** Requests whose data goes out to the caller, by the spec's direction. */
const returning = [...b.accepted].filter((r) => ['out', 'inout'].includes(view.request(r)?.item.data ?? ''));
const argSize = (r: string): number => view.argSize(view.request(r)!, X86_64);
const clean = (c: Call): boolean => !c.arg || !c.arg.includes(POISON);

function run(lines: readonly string[]): ReturnType<typeof parseResult>[] {
  return runScript(exe, lines).map(parseResult);
}

describe(`${PROFILE}: no kernel byte the dispatch did not mean to write reaches userspace`, () => {
  it('the poison check catches a copy-out of an uninitialised struct (negative control)', () => {
    const [got] = run(['poison 1', 'leaky']);
    expect(got?.out.subarray(0, 16).includes(POISON)).toBe(true);
  });

  it('every request that returns data: no poison in the answer, nothing written past it', () => {
    expect(returning.length).toBeGreaterThan(10);
    const found = returning.map((r) => search(b, r, (o, c) => o.result === '0' && o.check === undefined && c.arg !== null && clean(c), { nulls: false })[0]);
    expect(found.every(Boolean)).toBe(true);
    const results = run(found.flatMap((f) => [...worldScript(f!.world), 'poison 1', callLine(f!.call)]));
    results.forEach((got, i) => {
      const f = found[i] as Found;
      const request = f.call.request as string;
      expect(got.ret, request).toBe('0');
      expect(got.out.includes(POISON), `${request}: ${hex(got.out)}`).toBe(false);
      // A flexible answer (GET_CONFIG) is the window after the header; anything else is the argument.
      const size = argSize(request);
      const flex = view.request(request)?.item.argType?.kind === 'struct' && view.layout(X86_64, view.request(request)!.item.argType!).ok && (view.layout(X86_64, view.request(request)!.item.argType!) as { layout: { flexible: boolean } }).layout.flexible;
      const end = flex ? size + new DataView(f.call.arg!.buffer).getUint32(4, true) : size;
      expect(got.out.subarray(end).every((x) => x === 0), `${request}: written past byte ${end}`).toBe(true);
      // A getter that reads nothing gets a zeroed buffer, never what the stack held.
      if (!b.path(request).checks.some((c) => c.kind === 'read')) expect(got.seen.every((x) => x === 0), `${request}: handler saw ${hex(got.seen)}`).toBe(true);
    });
  });

  it('a refused call leaves the argument as the caller wrote it', () => {
    // Requests that read their argument can refuse a readable one.
    const reading = [...b.accepted].filter((r) => b.path(r).checks.some((c) => c.kind === 'read'));
    const refused = reading.flatMap((r) => search(b, r, (o, c) => o.result !== '0' && c.arg !== null && c.arg !== undefined && clean(c), { limit: 3, tries: 5000, nulls: false }));
    expect(refused.length).toBeGreaterThan(40);
    const results = run(refused.flatMap((f) => [...worldScript(f.world), 'poison 1', callLine(f.call)]));
    results.forEach((got, i) => {
      const f = refused[i] as Found;
      expect(got.ret, f.call.request).toBe(f.outcome.result);
      expect(hex(got.out.subarray(0, f.call.arg!.length)), f.call.request).toBe(hex(f.call.arg!));
      expect(got.out.subarray(f.call.arg!.length).every((x) => x === 0)).toBe(true);
    });
  });

  it('a failing handler: its errno, and nothing copied to the caller', () => {
    const found = returning.map((r) => passing(b, r));
    const results = run(found.flatMap((f) => [...worldScript(f.world), 'fail 5', callLine(f.call)]));
    results.forEach((got, i) => {
      const f = found[i] as Found;
      expect(got.ret, f.call.request).toBe('EIO');
      expect(hex(got.out.subarray(0, f.call.arg!.length)), f.call.request).toBe(hex(f.call.arg!));
    });
  });

  it('eventfd arguments: the handler keeps the reference on success, the dispatch puts it on failure', () => {
    const eventfdRequests = [...b.accepted].filter((r) => b.path(r).checks.some((c) => c.kind === 'fd'));
    expect(eventfdRequests.length).toBe(4);
    for (const r of eventfdRequests) {
      const bound = search(b, r, (o, c) => o.result === '0' && !!c.arg && c.arg.length >= 4 && [3, 7].includes(new DataView(c.arg.buffer).getInt32(c.arg.length - 4, true)), { nulls: false })[0];
      expect(bound, r).toBeDefined();
      const [ok, failed] = run([...worldScript(bound!.world), callLine(bound!.call), 'fail 22', callLine(bound!.call)]);
      expect([ok?.ret, ok?.refs, ok?.held], r).toEqual(['0', 1, 1]);
      expect([failed?.ret, failed?.refs, failed?.held], r).toEqual(['EINVAL', 1, 1]);
    }
  });

  it('one copy_from_user of the whole argument: a pointer whose tail is unmapped faults at the first read', () => {
    const f = passing(b, 'VHOST_SET_VRING_NUM');
    const arg = f.call.arg as Uint8Array;
    const cmd = f.call.cmd.toString(16);
    const [whole, head] = run([...worldScript(f.world), `call ${cmd} tight ${hex(arg)}`, `call ${cmd} tight ${hex(arg.subarray(0, 4))}`]);
    expect(whole?.ret).toBe('0');
    // Upstream reads the index with get_user first; the generated code copies the argument once.
    expect([head?.ret, head?.handler, head?.faults]).toEqual(['EFAULT', '-', 1]);
  });

  it('a getter whose buffer is one byte short: EFAULT after the handler ran, nothing written', () => {
    const f = passing(b, 'VHOST_VDPA_GET_IOVA_RANGE');
    const cmd = f.call.cmd.toString(16);
    const [got] = run([...worldScript(f.world), `call ${cmd} tight ${hex(new Uint8Array(15))}`]);
    expect([got?.ret, got?.handler]).toEqual(['EFAULT', 'get_iova_range']);
    expect(got?.out.every((x) => x === 0)).toBe(true);
  });

  it('compat_ioctl answers a 32-bit caller exactly as ioctl answers a 64-bit one', () => {
    const found = [...b.accepted].map((r) => passing(b, r));
    const native = run(found.flatMap((f) => [...worldScript(f.world), callLine(f.call)]));
    const compat = run(found.flatMap((f) => [...worldScript(f.world), callLine(f.call, 'compat')]));
    expect(compat).toEqual(native);
    const [unknown] = run(['compat 1234 null']);
    expect(unknown?.ret).toBe('ENOIOCTLCMD');
  });
});
