// Reading the fields of a raw ioctl number under one _IOC encoding. The field widths and
// direction codes are the model's (IOC_LAYOUTS, carried in the explain index so that a cached
// answer needs no model at run time); this only takes a number apart.
import type { Encoding, IocEncoding, IocLayout } from '../model/index.ts';

export interface Decoded {
  readonly encoding: IocEncoding;
  /** The direction the bits name, or undefined when they name none (powerpc has 3 bits, 4 codes). */
  readonly direction?: Encoding;
  /** The macro that makes such a number (_IO, _IOR, _IOW, _IOWR). */
  readonly macro?: string;
  readonly dirBits: number;
  readonly type: number;
  readonly nr: number;
  readonly size: number;
}

export function decodeIoc(encoding: IocEncoding, layout: IocLayout, macros: Readonly<Record<Encoding, string>>, n: number): Decoded {
  const dirBits = n >>> layout.dirShift;
  const size = (n >>> 16) & ((1 << layout.sizeBits) - 1);
  const codes: [Encoding, number][] = [['none', layout.none], ['read', layout.read], ['write', layout.write], ['readwrite', layout.read | layout.write]];
  const direction = codes.find(([, c]) => c === dirBits)?.[0];
  return { encoding, ...(direction ? { direction, macro: macros[direction] } : {}), dirBits, type: (n >>> 8) & 0xff, nr: n & 0xff, size };
}

/** The ioctl type byte sits at bits 8..15 in every encoding. */
export const typeByte = (n: number): number => (n >>> 8) & 0xff;
