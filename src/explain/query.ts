// What the user asked `explain` about: a request number as strace, an oops or a program prints it
// (hex, decimal, a negative int, a sign-extended 64-bit value), or a name.

export type Query = { kind: 'number'; value: number; text: string } | { kind: 'name'; name: string };

export class QueryError extends Error {}

const U32 = 2n ** 32n;

/** Parses the argument; a malformed number is a QueryError (a usage error), never a guess. */
export function parseQuery(arg: string): Query {
  const s = arg.trim();
  if (s === '') throw new QueryError('nothing to explain: give a request number (0x4008af70, 1074311024) or a name');
  let v: bigint | undefined;
  if (/^-?0x[0-9a-f]+$/i.test(s)) v = s.startsWith('-') ? -BigInt(s.slice(1)) : BigInt(s);
  else if (/^-?\d+$/.test(s)) v = BigInt(s);
  else if (/^(0x|-?\d)/i.test(s)) throw new QueryError(`'${arg}' is not a number (hex needs 0x and the digits 0-9a-f; decimal only 0-9)`);
  if (v === undefined) {
    if (!/^[A-Za-z_][\w ]*$/.test(s)) throw new QueryError(`'${arg}' is neither a request number nor a name`);
    return { kind: 'name', name: s.replace(/\s+/g, ' ') };
  }
  // The ioctl cmd is 32 bits; a signed print or a sign-extended 64-bit long says the same number.
  if (v < 0n && v >= -(U32 / 2n)) v += U32;
  else if (v >= 2n ** 64n - U32 / 2n && v < 2n ** 64n) v -= 2n ** 64n - U32;
  if (v < 0n || v >= U32) throw new QueryError(`'${arg}' does not fit an ioctl request number (32 bits)`);
  return { kind: 'number', value: Number(v), text: s };
}
