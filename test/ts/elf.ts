// The bytes of named sections of an ELF object file (32 or 64 bit, either byte order): how the
// codec tests read what gcc stored in a static struct without linking or running anything.
export function elfSections(file: Uint8Array): Map<string, Uint8Array> {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (dv.getUint32(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const is64 = file[4] === 2;
  const le = file[5] === 1;
  const word = (at: number): number => (is64 ? Number(dv.getBigUint64(at, le)) : dv.getUint32(at, le));
  const shoff = word(is64 ? 0x28 : 0x20);
  const shentsize = dv.getUint16(is64 ? 0x3a : 0x2e, le);
  const shnum = dv.getUint16(is64 ? 0x3c : 0x30, le);
  const shstrndx = dv.getUint16(is64 ? 0x3e : 0x32, le);
  const header = (i: number): { name: number; type: number; offset: number; size: number } => {
    const at = shoff + i * shentsize;
    return {
      name: dv.getUint32(at, le),
      type: dv.getUint32(at + 4, le),
      offset: word(at + (is64 ? 0x18 : 0x10)),
      size: word(at + (is64 ? 0x20 : 0x14)),
    };
  };
  const strtab = header(shstrndx);
  const nameAt = (off: number): string => {
    let end = strtab.offset + off;
    while (file[end] !== 0) end++;
    return new TextDecoder().decode(file.subarray(strtab.offset + off, end));
  };
  const out = new Map<string, Uint8Array>();
  for (let i = 0; i < shnum; i++) {
    const h = header(i);
    // SHT_NOBITS (8) holds zeros only; it has no bytes in the file.
    out.set(nameAt(h.name), h.type === 8 ? new Uint8Array(h.size) : file.slice(h.offset, h.offset + h.size));
  }
  return out;
}
