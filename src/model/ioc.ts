// ioctl request numbers: _IOC(dir, type, nr, size) for each encoding.
import { IOC_LAYOUTS, type IocEncoding } from './abi.ts';

export type Encoding = 'none' | 'read' | 'write' | 'readwrite';

export const MACRO_OF: Record<Encoding, string> = { none: '_IO', read: '_IOR', write: '_IOW', readwrite: '_IOWR' };

export function iocDir(encoding: Encoding, family: IocEncoding): number {
  const l = IOC_LAYOUTS[family];
  if (encoding === 'none') return l.none;
  if (encoding === 'read') return l.read;
  if (encoding === 'write') return l.write;
  return l.read | l.write;
}

/** The largest argument size the encoding can carry. */
export const maxIocSize = (family: IocEncoding): number => (1 << IOC_LAYOUTS[family].sizeBits) - 1;

export function iocNumber(family: IocEncoding, encoding: Encoding, type: number, nr: number, size: number): number {
  const l = IOC_LAYOUTS[family];
  const dir = iocDir(encoding, family);
  const sz = encoding === 'none' ? 0 : size;
  return ((dir << l.dirShift) >>> 0) + (sz << 16) + (type << 8) + nr;
}
