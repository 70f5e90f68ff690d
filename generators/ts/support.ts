// generated/ts/abi.ts: what every family module shares. The ABI names and which one this process
// runs as (from the model's ABI list), the Codec interface, and the helpers the straight-line
// codecs call on their slow paths (text, bytes, range errors) and for sets (describe, masks).
// No imports: it must load in Node, Deno, bundlers and browsers alike.
import { ABIS } from '../../src/model/index.ts';

const abiList = (): string => ABIS.map((a) => `'${a.name}'`).join(' | ');

const nativeTable = (): string =>
  ABIS.filter((a) => a.nodeArch !== undefined)
    .map((a) => `  { arch: '${a.nodeArch as string}', bigEndian: ${String(a.bigEndian)}, abi: '${a.name}' },`)
    .join('\n');

export function supportStatements(): string[] {
  return [
    `/** The ABIs whose layouts and request numbers these bindings carry. */
export type AbiName = ${abiList()};`,
    `export const ABI_NAMES: readonly AbiName[] = [${ABIS.map((a) => `'${a.name}'`).join(', ')}];`,
    `/** Big-endian ABIs; the others are little-endian. */
const BIG_ENDIAN: ReadonlySet<AbiName> = new Set<AbiName>([${ABIS.filter((a) => a.bigEndian).map((a) => `'${a.name}'`).join(', ')}]);`,
    `export const isLittleEndian = (abi: AbiName): boolean => !BIG_ENDIAN.has(abi);`,
    `/** One value per ABI. */
export type PerAbi<T> = Readonly<Record<AbiName, T>>;`,
    `/** Node's process.arch and the byte order that run each ABI natively (ppc64 is both ppc64le and ppc64). */
const NATIVE: readonly { arch: string; bigEndian: boolean; abi: AbiName }[] = [
${nativeTable()}
];`,
    `/** Thrown where no modelled ABI matches the running platform. */
export class UnsupportedPlatformError extends Error {
  override readonly name = 'UnsupportedPlatformError';
}`,
    `let host: AbiName | undefined;`,
    `/**
 * The ABI this process runs as, from process.arch and the byte order. Throws
 * UnsupportedPlatformError naming the platform when none is modelled.
 */
export function hostAbi(): AbiName {
  if (host !== undefined) return host;
  const arch = (globalThis as { process?: { arch?: string } }).process?.arch;
  const bigEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
  const found = NATIVE.find((n) => n.arch === arch && n.bigEndian === bigEndian);
  if (!found) {
    const known = NATIVE.map((n) => \`\${n.arch} (\${n.bigEndian ? 'big' : 'little'}-endian)\`).join(', ');
    throw new UnsupportedPlatformError(\`no ioctl ABI for \${arch ?? 'a platform without process.arch'} (\${bigEndian ? 'big' : 'little'}-endian); known: \${known}. Pass an AbiName explicitly.\`);
  }
  host = found.abi;
  return host;
}`,
    `/** Encodes and decodes one C struct or union in one ABI's layout. */
export interface Codec<T> {
  /** sizeof in this layout (the fixed part, for a struct ending in a flexible array). */
  readonly size: number;
  /** Bytes the encoding of v takes (size plus the flexible array's elements). */
  sizeOf(v: T): number;
  /** A fresh buffer holding v; padding and reserved fields are zero. */
  encode(v: T): Uint8Array;
  /** Writes v at bytes[at...], zeroing padding and reserved fields; returns the bytes written. */
  encodeInto(v: T, bytes: Uint8Array, at?: number): number;
  /** Reads a value from bytes[at...] (a flexible array takes the rest, or its counted length). */
  decode(bytes: Uint8Array, at?: number): T;
}`,
    `type Writer<T> = (view: DataView, at: number, v: T) => void;`,
    `const viewOf = (bytes: Uint8Array): DataView => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);`,
    `function room(bytes: Uint8Array, at: number, size: number, what: string): void {
  if (!Number.isInteger(at) || at < 0 || bytes.byteLength - at < size) throw new RangeError(\`\${what}: \${size} bytes do not fit at offset \${at} of \${bytes.byteLength}\`);
}`,
    `// One scratch buffer for every codec: a DataView on a small new Uint8Array costs more than the
// whole encoding (it forces the array's ArrayBuffer into existence), a copy out of here does not.
// Codecs are synchronous and never re-entered, so one buffer serves them all.
const SCRATCH_SIZE = 4096;`,
    `const scratchBytes = new Uint8Array(SCRATCH_SIZE);`,
    `const scratch = new DataView(scratchBytes.buffer);`,
    `/** A codec for a type of one fixed size. */
export function fixedCodec<T>(name: string, size: number, write: Writer<T>, read: (view: DataView, at: number) => T): Codec<T> {
  const small = size <= SCRATCH_SIZE;
  return {
    size,
    sizeOf: () => size,
    encode(v) {
      if (!small) {
        const bytes = new Uint8Array(size);
        write(viewOf(bytes), 0, v);
        return bytes;
      }
      scratchBytes.fill(0, 0, size);
      write(scratch, 0, v);
      return scratchBytes.slice(0, size);
    },
    encodeInto(v, bytes, at = 0) {
      room(bytes, at, size, name);
      bytes.fill(0, at, at + size);
      write(viewOf(bytes), at, v);
      return size;
    },
    decode(bytes, at = 0) {
      room(bytes, at, size, name);
      if (small && at === 0 && bytes.length === size) {
        scratchBytes.set(bytes);
        return read(scratch, 0);
      }
      return read(viewOf(bytes), at);
    },
  };
}`,
    `/** A codec for a struct that ends in a flexible array of elements of elementSize bytes. */
export function flexCodec<T>(name: string, size: number, elementSize: number, count: (v: T) => number, write: Writer<T>, read: (view: DataView, at: number, end: number) => T): Codec<T> {
  const sizeOf = (v: T): number => size + elementSize * count(v);
  return {
    size,
    sizeOf,
    encode(v) {
      const bytes = new Uint8Array(sizeOf(v));
      write(new DataView(bytes.buffer), 0, v);
      return bytes;
    },
    encodeInto(v, bytes, at = 0) {
      const n = sizeOf(v);
      room(bytes, at, n, name);
      bytes.fill(0, at, at + n);
      write(viewOf(bytes), at, v);
      return n;
    },
    decode(bytes, at = 0) {
      room(bytes, at, size, name);
      return read(viewOf(bytes), at, bytes.byteLength);
    },
  };
}`,
    `/** The error of a value that does not fit its C type (DataView would wrap it silently). */
export const badValue = (field: string, value: unknown, type: string): RangeError =>
  new RangeError(\`\${field}: \${typeof value === 'bigint' ? \`\${value}n\` : String(value)} is not a \${type}\`);`,
    `// Globals of every JavaScript runtime, typed only by lib.dom or @types/node: declared here so the
// bindings type-check with neither.
declare const TextEncoder: new () => { encode(text: string): Uint8Array };`,
    `declare const TextDecoder: new () => { decode(bytes: Uint8Array): string };`,
    `const utf8 = new TextEncoder();`,
    `const utf8Decoder = new TextDecoder();`,
    `/** A C string in a char[length]: UTF-8, at most length - 1 bytes and no NUL inside, NUL-padded. */
export function putText(view: DataView, at: number, length: number, text: string, field: string): void {
  if (typeof text !== 'string') throw new TypeError(\`\${field}: a string is required\`);
  const bytes = utf8.encode(text);
  if (bytes.length > length - 1) throw new RangeError(\`\${field}: \${bytes.length} bytes do not fit char[\${length}] with its NUL\`);
  if (bytes.includes(0)) throw new RangeError(\`\${field}: a C string cannot hold NUL\`);
  new Uint8Array(view.buffer, view.byteOffset + at, length).set(bytes);
}`,
    `/** The C string in a char[length]: up to the first NUL, or all of it when there is none. */
export function getText(view: DataView, at: number, length: number): string {
  const bytes = new Uint8Array(view.buffer, view.byteOffset + at, length);
  const end = bytes.indexOf(0);
  return utf8Decoder.decode(end < 0 ? bytes : bytes.subarray(0, end));
}`,
    `/** Raw bytes of a __u8[length]; a negative length -n: a flexible array of n-byte elements. */
export function putBytes(view: DataView, at: number, length: number, value: Uint8Array, field: string): void {
  if (!(value instanceof Uint8Array)) throw new TypeError(\`\${field}: a Uint8Array is required\`);
  if (length >= 0 && value.length !== length) throw new RangeError(\`\${field}: \${value.length} bytes, not \${length}\`);
  if (length < 0 && value.length % -length !== 0) throw new RangeError(\`\${field}: \${value.length} bytes, not a multiple of \${-length}\`);
  new Uint8Array(view.buffer, view.byteOffset + at, value.length).set(value);
}`,
    `/** A copy of length bytes (the caller may reuse the buffer). */
export const getBytes = (view: DataView, at: number, length: number): Uint8Array => new Uint8Array(view.buffer, view.byteOffset + at, length).slice();`,
    `/** A C string as a NUL-terminated buffer (for a char * argument). */
export function cString(text: string, field: string): Uint8Array {
  const bytes = utf8.encode(text);
  if (bytes.includes(0)) throw new RangeError(\`\${field}: a C string cannot hold NUL\`);
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes);
  return out;
}`,
    `/** A set of masks (flags, status) or of bit numbers (features), as the generated \\\`as const\\\` objects. */
export type BitSet = Readonly<Record<string, bigint | number>>;`,
    `/** The names of the masks in mask, then any bits no name covers (as hex). */
export function describeMask(set: Readonly<Record<string, bigint>>, mask: bigint): string[] {
  const names: string[] = [];
  let rest = mask;
  for (const [name, bits] of Object.entries(set)) {
    if (bits !== 0n && (mask & bits) === bits) {
      names.push(name);
      rest &= ~bits;
    }
  }
  if (rest !== 0n) names.push(\`0x\${rest.toString(16)}\`);
  return names;
}`,
    `/** A feature mask as 64-bit words, word i holding bits 64*i to 64*i+63 (masks past 64 bits). */
export type FeatureWords = readonly bigint[];`,
    `const featureBit = (mask: bigint | FeatureWords, bit: number): boolean =>
  typeof mask === 'bigint' ? ((mask >> BigInt(bit)) & 1n) === 1n : (((mask[bit >> 6] ?? 0n) >> BigInt(bit & 63)) & 1n) === 1n;`,
    `/** The names of the feature bits set in mask, then bit numbers no name covers ('bit 70'). */
export function describeFeatures(set: Readonly<Record<string, number>>, mask: bigint | FeatureWords): string[] {
  const names = Object.entries(set).filter(([, bit]) => featureBit(mask, bit)).map(([name]) => name);
  const known = new Set(Object.values(set));
  const width = typeof mask === 'bigint' ? mask.toString(2).length : mask.length * 64;
  for (let bit = 0; bit < width; bit++) if (!known.has(bit) && featureBit(mask, bit)) names.push(\`bit \${bit}\`);
  return names;
}`,
    `/** A mask with these feature bits (each below 64). */
export function featureMask(...bits: readonly number[]): bigint {
  let mask = 0n;
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0 || bit > 63) throw new RangeError(\`feature bit \${bit} does not fit a 64-bit mask; use featureWords\`);
    mask |= 1n << BigInt(bit);
  }
  return mask;
}`,
    `/** Feature bits of any number as 64-bit words (VHOST_SET_FEATURES_ARRAY). */
export function featureWords(...bits: readonly number[]): bigint[] {
  const words: bigint[] = [];
  for (const bit of bits) {
    if (!Number.isInteger(bit) || bit < 0) throw new RangeError(\`feature bit \${bit} is not a bit number\`);
    while (words.length <= bit >> 6) words.push(0n);
    words[bit >> 6] = (words[bit >> 6] as bigint) | (1n << BigInt(bit & 63));
  }
  return words;
}`,
    `/** The name of a value of an enumeration set, or undefined. */
export function nameOf(set: Readonly<Record<string, number | bigint>>, value: number | bigint): string | undefined {
  for (const [name, v] of Object.entries(set)) if (v === value || BigInt(v) === BigInt(value)) return name;
  return undefined;
}`,
  ];
}
