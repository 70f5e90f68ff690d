// Argument bytes for a request, field by field on x86_64: values near what the checks compare
// with (the device's facts, the eventfds, bit boundaries) or random, from a seeded generator so
// every test run makes the same calls.
import type { AbiView, Fact } from '../../src/model/index.ts';
import { X86_64 } from './build.ts';
import type { World } from './calls.ts';

/** mulberry32: small, seeded, good enough to spread test inputs. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const randomBig = (r: () => number, bits: number): bigint => {
  let v = 0n;
  for (let i = 0; i < bits; i += 16) v = (v << 16n) | BigInt(Math.floor(r() * 65536));
  return BigInt.asUintN(bits, v);
};

/** Values worth trying in a field of the world: facts and their neighbours, fds, boundaries. */
export function valuePool(w: World): bigint[] {
  const near = [...w.facts.values(), ...w.eventfds, ...w.files].flatMap((v) => [v - 1n, v, v + 1n]);
  const bits = Array.from({ length: 64 }, (_, k) => 1n << BigInt(k));
  const edges = [0n, 1n, 2n, 3n, 4n, 7n, 8n, 0x7fn, 0xffn, 0x100n, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n, 0xffffffffn, -1n, 1000n];
  return [...edges, ...near, ...bits];
}

interface Slot {
  offset: number;
  size: number;
}

/** The scalar slots of a request's argument (one slot for a scalar argument); undefined when it takes none. */
export function argSlots(view: AbiView, request: string): { size: number; slots: Slot[] } | undefined {
  const r = view.request(request);
  if (!r || r.item.pass !== 'pointer' || !r.item.argType) return undefined;
  const l = view.layout(X86_64, r.item.argType);
  if (!l.ok) throw new Error(l.error);
  const slots = l.layout.fields.length
    ? l.layout.fields.filter((f) => f.field.kind === 'field' && f.count === undefined).map((f) => ({ offset: f.offset, size: f.size }))
    : [{ offset: 0, size: l.layout.size }];
  return { size: l.layout.size, slots };
}

function put(b: Uint8Array, s: Slot, v: bigint): void {
  const u = BigInt.asUintN(s.size * 8, v);
  for (let i = 0; i < s.size; i++) b[s.offset + i] = Number((u >> BigInt(8 * i)) & 0xffn);
}

/**
 * Argument bytes: all random (1 in 8), else each slot from the pool (most often), a random
 * value, or a few OR-ed pool bits (for masks).
 */
export function argBytes(view: AbiView, request: string, w: World, r: () => number): Uint8Array | undefined {
  const shape = argSlots(view, request);
  if (!shape) return undefined;
  const b = new Uint8Array(shape.size);
  if (r() < 0.125) {
    for (let i = 0; i < b.length; i++) b[i] = Math.floor(r() * 256);
    return b;
  }
  const pool = valuePool(w);
  for (const s of shape.slots) {
    const roll = r();
    let v: bigint;
    if (roll < 0.6) v = pick(r, pool);
    else if (roll < 0.8) v = randomBig(r, s.size * 8);
    else v = pick(r, pool) | pick(r, pool) | pick(r, pool);
    put(b, s, v);
  }
  return b;
}

/** A device: every fact of the fd kind, varied by its kind; eventfds 3 and 7 and files 0-2 mostly open. */
export function randomWorld(r: () => number, facts: readonly Fact[]): World {
  const value = (f: Fact): bigint => {
    switch (f.kind) {
      case 'bool': return r() < 0.5 ? 1n : 0n;
      case 'count': return pick(r, [0n, 1n, 2n, 3n, 4n, 64n, 80n]);
      case 'size': return BigInt(Math.floor(r() * 40));
      default: return r() < 0.4 ? (1n << 64n) - 1n : r() < 0.5 ? randomBig(r, 8) : randomBig(r, 64);
    }
  };
  const status = pick(r, [0n, 1n, 3n, 0xbn, 0xfn, 0x4fn, 0x80n, BigInt(Math.floor(r() * 256))]);
  // 0-2 are open files of the caller that are not eventfds (stdin, stdout, stderr).
  return { facts: new Map(facts.map((f) => [f.name, value(f)])), eventfds: r() < 0.8 ? [3n, 7n] : [], files: r() < 0.8 ? [0n, 1n, 2n] : [], owner: r() < 0.6, status };
}
