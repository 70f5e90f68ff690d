// The same two structs declared with the `restructure` package (npm), the usual declarative
// alternative. It has no 64-bit integers: a __u64 is declared the way its users do, as a custom
// type reading two little-endian 32-bit halves into a bigint.
import { createRequire } from 'node:module';

interface Stream {
  readUInt32LE(): number;
  writeUInt32LE(v: number): void;
}
interface StructT<T> {
  fromBuffer(b: Uint8Array): T;
  toBuffer(v: T): Uint8Array;
}
/** What the benchmark passes: plain objects of numbers, bigints and nested objects. */
type Fields = object;
interface Restructure {
  Struct: new <T>(fields: Record<string, unknown>) => StructT<T>;
  Reserved: new (type: unknown, count: number) => unknown;
  uint8: unknown;
  uint32le: unknown;
}

// restructure ships no type declarations; its CommonJS build is loaded and typed here.
const r = createRequire(import.meta.url)('restructure') as Restructure;

const u64le = {
  size: (): number => 8,
  decode(stream: Stream): bigint {
    const lo = stream.readUInt32LE();
    const hi = stream.readUInt32LE();
    return (BigInt(hi) << 32n) | BigInt(lo);
  },
  encode(stream: Stream, v: bigint): void {
    stream.writeUInt32LE(Number(v & 0xffffffffn));
    stream.writeUInt32LE(Number(v >> 32n));
  },
};

export const vringAddr = new r.Struct<Fields>({
  index: r.uint32le,
  flags: r.uint32le,
  descUserAddr: u64le,
  usedUserAddr: u64le,
  availUserAddr: u64le,
  logGuestAddr: u64le,
});

const iotlb = new r.Struct<Fields>({
  iova: u64le,
  size: u64le,
  uaddr: u64le,
  perm: r.uint8,
  type: r.uint8,
  pad: new r.Reserved(r.uint8, 6),
});

export const msgV2 = new r.Struct<Fields>({
  type: r.uint32le,
  asid: r.uint32le,
  iotlb,
  padding: new r.Reserved(r.uint8, 32),
});
