// C type spellings as the headers write them, parsed into a small tree.

export type CType =
  | { kind: 'prim'; name: string }
  | { kind: 'struct' | 'union' | 'enum'; tag: string }
  | { kind: 'pointer'; to: CType }
  /** An array type as an ioctl argument, e.g. char[VDUSE_NAME_MAX]. */
  | { kind: 'array'; of: CType; count: string };

/** Primitive spellings the model knows, with the ABI class that gives their size and alignment. */
export const PRIMITIVES: Record<string, PrimClass> = {
  char: 'char', 'signed char': 'char', 'unsigned char': 'char',
  short: 'short', 'unsigned short': 'short', 'short int': 'short', 'unsigned short int': 'short',
  int: 'int', 'unsigned int': 'int', unsigned: 'int', 'signed int': 'int',
  long: 'long', 'unsigned long': 'long', 'long int': 'long', 'unsigned long int': 'long',
  'long long': 'llong', 'unsigned long long': 'llong',
  __u8: 'char', __s8: 'char', __u16: 'short', __s16: 'short', __u32: 'int', __s32: 'int', __u64: 'llong', __s64: 'llong',
  __le16: 'short', __be16: 'short', __le32: 'int', __be32: 'int', __le64: 'llong', __be64: 'llong',
  __virtio16: 'short', __virtio32: 'int', __virtio64: 'llong',
  __aligned_u64: 'aligned64', __aligned_le64: 'aligned64', __aligned_be64: 'aligned64',
  __kernel_size_t: 'long', __kernel_long_t: 'klong', __kernel_ulong_t: 'klong',
};

export type PrimClass = 'char' | 'short' | 'int' | 'long' | 'llong' | 'aligned64' | 'pointer' | 'klong';

/** Spellings whose width depends on the ABI (the 'long or pointer-sized type' lint). */
export const ABI_DEPENDENT = new Set(['long', 'unsigned long', 'long int', 'unsigned long int', '__kernel_size_t', '__kernel_long_t', '__kernel_ulong_t']);


export function parseCType(text: string): CType | undefined {
  const t = text.trim().replace(/\s+/g, ' ');
  const arr = /^(.*?)\s*\[\s*([^\]]+?)\s*\]$/.exec(t);
  if (arr) {
    const of = parseCType(arr[1] as string);
    return of ? { kind: 'array', of, count: arr[2] as string } : undefined;
  }
  if (t.endsWith('*')) {
    const inner = parseCType(t.slice(0, -1));
    return inner ? { kind: 'pointer', to: inner } : undefined;
  }
  const agg = /^(struct|union|enum) ([A-Za-z_]\w*)$/.exec(t);
  if (agg) return { kind: agg[1] as 'struct' | 'union' | 'enum', tag: agg[2] as string };
  return t in PRIMITIVES ? { kind: 'prim', name: t } : undefined;
}

export function formatCType(t: CType): string {
  if (t.kind === 'prim') return t.name;
  if (t.kind === 'pointer') return `${formatCType(t.to)} *`;
  if (t.kind === 'array') return `${formatCType(t.of)}[${t.count}]`;
  return `${t.kind} ${t.tag}`;
}
