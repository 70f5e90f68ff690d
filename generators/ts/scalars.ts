// What a C scalar is in TypeScript: number or bigint, signed or not, and its byte order. The
// width comes from the view's layout of the ABI at hand; only the spelling's meaning is here.
import type { CType } from '../../src/model/index.ts';

export interface Scalar {
  /** Width in bytes on the ABI at hand (from the view's layout). */
  readonly size: number;
  readonly signed: boolean;
  /** Fixed byte order of __le / __be / __virtio types; undefined: the ABI's own. */
  readonly order?: 'le' | 'be';
  /** Plain char: text when in an array. */
  readonly char: boolean;
}

const UNSIGNED = /^(unsigned|__u\d|__le|__be|__virtio|__aligned_|__kernel_size_t|__kernel_ulong_t)/;

/** Signedness and fixed byte order of a primitive, enum or pointer type. */
export function scalarOf(t: CType, size: number): Scalar {
  if (t.kind === 'pointer') return { size, signed: false, char: false };
  if (t.kind === 'enum') return { size, signed: true, char: false };
  if (t.kind !== 'prim') throw new Error(`not a scalar: ${t.kind}`);
  const name = t.name;
  // Modern (VIRTIO_F_VERSION_1) virtio is little-endian; legacy cross-endian rings are not modelled.
  const order = /^__(aligned_)?le|^__virtio/.test(name) ? 'le' : /^__(aligned_)?be/.test(name) ? 'be' : undefined;
  const char = name === 'char';
  return { size, signed: !char && !UNSIGNED.test(name), char, ...(order ? { order } : {}) };
}

/** Values past 32 bits do not fit a number exactly or its bit operators: they are bigint. */
export const isBig = (s: Scalar): boolean => s.size > 4;

export const tsType = (s: Scalar): string => (isBig(s) ? 'bigint' : 'number');

/** DataView accessor stem ('Uint32', 'BigInt64'). */
export function accessor(s: Scalar): string {
  const base = `${s.signed ? 'Int' : 'Uint'}${s.size * 8}`;
  return isBig(s) ? `Big${base}` : base;
}

/** A C-ish name for messages ('__u32', '__s64'). */
export const cName = (s: Scalar): string => `__${s.signed ? 's' : 'u'}${s.size * 8}`;

/**
 * An expression that is true when `v` is not a value of this scalar. Integer checks by bit
 * operators reject fractions, NaN and strings as well as out-of-range numbers.
 */
export function outOfRange(s: Scalar, v: string): string {
  switch (`${s.signed ? 's' : 'u'}${s.size}`) {
    case 'u1': return `(${v} & 0xff) !== ${v}`;
    case 's1': return `(${v} << 24 >> 24) !== ${v}`;
    case 'u2': return `(${v} & 0xffff) !== ${v}`;
    case 's2': return `(${v} << 16 >> 16) !== ${v}`;
    case 'u4': return `${v} >>> 0 !== ${v}`;
    case 's4': return `(${v} | 0) !== ${v}`;
    // BigInt.asUintN is faster than two comparisons, and a number is a TypeError there.
    case 'u8': return `BigInt.asUintN(64, ${v}) !== ${v}`;
    case 's8': return `BigInt.asIntN(64, ${v}) !== ${v}`;
    default: throw new Error(`no ${s.size}-byte integers`);
  }
}
