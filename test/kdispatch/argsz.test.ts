// The argsz protocol as generated C (fixture test/kdispatch/fixtures/vfio-argsz, two VFIO getters
// as vfio-pci runs them), compiled with the userspace shim and driven against the model: the
// outcome of every call is evaluate()'s; only the mandatory part is copied in (into a zeroed
// buffer: the handler sees zeros after minsz); exactly min(argsz, sizeof) bytes go back, and only
// on success. The fake handlers fill every field (argsz raised to 0x1000, as VFIO does for a
// capability chain), so any byte copied back past min(argsz, sizeof) would show.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { kdispatchEmitter, KdispatchError } from '../../generators/kdispatch/index.ts';
import { openOk, viewAt } from '../support/spec.ts';
import { argszTarget, hex, parseResult, runner, runScript, X86_64 } from './build.ts';
import { expected, type World } from './calls.ts';

const target = argszTarget();
const { view } = target;
const b = view.behaviour('vfio-device', target.profile);
if (!b?.executable) throw new Error('fixture not executable');
const FAILURES: Record<number, string> = { 5: 'EIO', 16: 'EBUSY', 22: 'EINVAL' };

interface Shape { name: string; cmd: number; size: number; minsz: number; answer: (args: number[], irqs: number) => number[] }
const written: Shape[] = [
  // Sizes and minsz from the layouts, worked out by hand: six and four __u32 fields.
  { name: 'VFIO_DEVICE_GET_INFO', cmd: 0, size: 24, minsz: 16, answer: (_, irqs) => [0x1000, 0x3, 9, irqs, 0x5a5a5a5a, 0x6b6b6b6b] },
  { name: 'VFIO_DEVICE_GET_IRQ_INFO', cmd: 0, size: 16, minsz: 16, answer: (a) => [0x1000, 0x7, a[2] ?? 0, 0x11] },
];
const shapes: Shape[] = written.map((s) => {
  const r = view.request(s.name);
  if (!r) throw new Error(s.name);
  return { ...s, cmd: view.number(r, X86_64) };
});

const le = (v: number[]): Uint8Array => {
  const out = new Uint8Array(v.length * 4);
  v.forEach((x, i) => new DataView(out.buffer).setUint32(i * 4, x >>> 0, true));
  return out;
};

const callArb = fc.record({
  shape: fc.nat(1),
  argsz: fc.oneof(fc.constantFrom(0, 1, 15, 16, 17, 19, 20, 23, 24, 25, 0x1000, 0xffffffff), fc.nat()),
  fields: fc.array(fc.oneof(fc.constantFrom(0, 1, 4, 5, 6), fc.nat()), { minLength: 5, maxLength: 5 }),
  irqs: fc.constantFrom(0, 1, 5, 9),
  nullArg: fc.nat(11).map((x) => x === 0),
  tight: fc.boolean(),
  fail: fc.nat(15).map((x) => (x < 3 ? ([5, 16, 22][x] as number) : null)),
});

let calls = 0;
const outcomes = new Map<string, number>();

describe('argsz protocol: generated dispatch of the fixture vs the model', () => {
  beforeAll(() => void runner('gcc', target));

  it('outcomes, what the handler saw and the bytes copied back follow the protocol', () => {
    const exe = runner('gcc', target);
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 4, maxLength: 24 }), (list) => {
        const script: string[] = [];
        const wants: Array<() => void> = [];
        const results: string[][] = [];
        for (const c of list) {
          const s = shapes[c.shape] as Shape;
          const args = [c.argsz, ...c.fields].slice(0, s.size / 4);
          const bytes = le(args);
          // `tight`: the caller passes only min(argsz, sizeof) bytes (at least minsz), at the end
          // of its mapped memory: a copy of one byte more would fault.
          const passed = c.tight ? bytes.subarray(0, Math.max(s.minsz, Math.min(c.argsz, s.size))) : bytes;
          const world: World = { facts: new Map([['num_irqs', BigInt(c.irqs)]]), eventfds: [], files: [], owner: false, status: 0n };
          script.push('reset', `fact num_irqs ${c.irqs}`, ...(c.fail !== null ? [`fail ${c.fail}`] : []));
          script.push(c.nullArg ? `call ${s.cmd.toString(16)} null` : `call ${s.cmd.toString(16)} ${c.tight ? 'tight' : 'arg'} ${hex(passed)}`);
          const want = expected(view, b, world, { request: s.name, cmd: s.cmd, arg: c.nullArg ? null : bytes });
          const ok = want.handler && c.fail === null && want.ret === '0';
          const ret = want.handler && c.fail !== null ? (FAILURES[c.fail] as string) : want.ret;
          const i = results.length;
          results.push([]);
          wants.push(() => {
            const got = parseResult(results[i]?.[0] ?? '');
            const what = `${s.name} argsz=${c.argsz} ${c.nullArg ? 'NULL' : c.tight ? 'tight' : ''}`;
            expect(got.ret, what).toBe(ret);
            expect(got.handler !== '-', `${what}: handler`).toBe(want.handler);
            if (want.handler) {
              // The handler saw the mandatory part and zeros after it.
              const seen = new Uint8Array(s.size);
              seen.set(bytes.subarray(0, s.minsz));
              expect(hex(got.seen), `${what}: seen`).toBe(hex(seen));
            }
            if (c.nullArg) return;
            // Back in user memory: min(argsz, sizeof) bytes of the answer on success, the caller's own bytes elsewhere.
            const out = new Uint8Array(passed);
            if (ok) out.set(le(s.answer(args, c.irqs)).subarray(0, Math.min(c.argsz, s.size)));
            expect(hex(got.out.subarray(0, passed.length)), `${what}: user memory after the call`).toBe(hex(out));
          });
          outcomes.set(ret, (outcomes.get(ret) ?? 0) + 1);
        }
        const lines = runScript(exe, script);
        expect(lines.length).toBe(list.length);
        lines.forEach((l, i) => results[i]?.push(l));
        for (const w of wants) w();
        calls += list.length;
      }),
      { numRuns: 300, seed: 20260613 },
    );
    console.log(`kdispatch argsz: ${calls} calls, outcomes ${[...outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}`);
    for (const e of ['0', 'EFAULT', 'EINVAL']) expect(outcomes.get(e) ?? 0, e).toBeGreaterThan(20);
  }, 300_000);

  it('a caller that passes exactly minsz bytes with argsz = minsz gets an answer of minsz bytes, nothing read or written past them', () => {
    const exe = runner('gcc', target);
    const s = shapes[0] as Shape;
    const got = parseResult(runScript(exe, ['reset', 'fact num_irqs 5', `call ${s.cmd.toString(16)} tight ${hex(le([16, 0, 0, 0]))}`])[0] as string);
    expect([got.ret, got.faults]).toEqual(['0', 0]);
    expect(hex(got.out)).toBe(hex(le([0x1000, 0x3, 9, 5])));
  });

  describe('stops gen where the C could not follow the protocol as the model does', () => {
    const dir = join(import.meta.dirname, 'fixtures/vfio-argsz');
    const emit = (from: string, to: string): (() => unknown) => {
      const text = readFileSync(join(dir, 'vfio-argsz.yaml'), 'utf8');
      if (!text.includes(from)) throw new Error(`fixture has no '${from}'`);
      const spec = openOk([{ path: 'project.yaml', text: readFileSync(join(dir, 'project.yaml'), 'utf8') }, { path: 'vfio-argsz.yaml', text: text.replace(from, to) }]);
      return () => kdispatchEmitter.emit(viewAt(spec, '7.3'), { specDir: 'spec', command: 'ioctl-abi gen' });
    };
    it('a whole read of an argsz struct (its size is what argsz says, not sizeof)', () => {
      const f = emit('read: argsz, source', 'read: arg, source');
      expect(f).toThrow(KdispatchError);
      expect(f).toThrow(/struct vfio_device_info is an argsz struct; only one read of its mandatory part \(read: argsz\)/);
    });
    it('the rest copied after the argsz check (min(argsz, sizeof) in): not printed yet', () => {
      expect(emit('          - { check: copy-out, write: arg, doc: "min(argsz, sizeof) bytes." }\n      - requests: [VFIO_DEVICE_GET_IRQ_INFO]', '          - { check: copy-rest, read: arg }\n          - { check: copy-out, write: arg }\n      - requests: [VFIO_DEVICE_GET_IRQ_INFO]')).toThrow(/only one read of its mandatory part/);
    });
  });
});
