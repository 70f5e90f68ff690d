// A profile whose ABI never shipped in a kernel header (the 2019 vhost-mdev proposals of
// spec/history) cannot take its request numbers, structs or constants from <linux/...>: the
// kernel it builds against has other numbers under the same names (v2's VHOST_MDEV_GET_STATUS
// is _IOW(0xAF, 0x70, __u8); no kernel has it). Its dispatch defines them in its own header,
// under the profile's prefix, so it links into one module with any other generated dispatch.
import { ABIS, MACRO_OF, type AbiView, type CType, type Request } from '../../src/model/index.ts';
import { kernelType, shortName } from './cnames.ts';
import { KdispatchError } from './error.ts';

export interface OwnConstant {
  readonly name: string;
  readonly value: string;
}

export interface OwnStruct {
  readonly tag: string;
  /** The spec's tag, for docs. */
  readonly from: string;
  readonly doc?: string;
  readonly fields: ReadonlyArray<{ readonly decl: string; readonly name: string }>;
  /** sizeof on every ABI the model knows, when they all agree (asserted at build time). */
  readonly size?: number;
}

export interface OwnRequest {
  readonly macro: string;
  readonly from: string;
  /** What the spec says is odd about it (a direction posted wrong). */
  readonly quirk?: string;
  /** `_IOW(VHOST_MDEV_V2_VIRTIO, 0x70, u8)` */
  readonly value: string;
}

/** What the header defines for a historic ABI, and how the dispatch spells its names. */
export interface OwnAbi {
  readonly constants: readonly OwnConstant[];
  readonly structs: readonly OwnStruct[];
  readonly requests: readonly OwnRequest[];
}

/** How the generated C spells spec names: its own for shipped ones, the profile's for historic ones. */
export interface Spelling {
  request(name: string): string;
  constant(name: string): string;
  type(t: CType): string;
}

const headerOf = (view: AbiView, family: string | undefined): string | undefined => view.families.find((f) => f.name === family)?.header;

export function spelling(view: AbiView, prefix: string): Spelling {
  const upper = prefix.toUpperCase();
  const historic = {
    request: (name: string): boolean => { const r = view.request(name); return r !== undefined && !headerOf(view, r.family); },
    constant: (name: string): boolean => { const c = view.constant(name); return c !== undefined && !headerOf(view, c.family); },
    tag: (tag: string): boolean => { const t = view.types.get(`struct ${tag}`); return t !== undefined && !headerOf(view, t.family); },
  };
  const type = (t: CType): string => {
    if (t.kind === 'struct' && historic.tag(t.tag)) return `struct ${prefix}_${t.tag.replace(/^vhost_/, '')}`;
    return kernelType(t);
  };
  return {
    request: (name) => (historic.request(name) ? `${upper}_${shortName(name).toUpperCase()}` : name),
    constant: (name) => (historic.constant(name) ? `${upper}_${name.replace(/^VHOST_/, '')}` : name),
    type,
  };
}

/** The spec's own spelling when it is a plain number, else the value. */
const literal = (spelling: string, v: bigint): string => (/^(?:0[xX][0-9a-fA-F]+|\d+)$/.test(spelling) ? spelling : v < 0n ? `(${v})` : String(v));

/** The definitions a historic profile's header carries; undefined when everything comes from kernel headers. */
export function ownAbi(view: AbiView, spell: Spelling, requests: readonly string[], constants: ReadonlySet<string>): OwnAbi | undefined {
  const reqs = requests.map((n) => view.request(n)).filter((r): r is Request => r !== undefined && spell.request(r.item.name) !== r.item.name);
  const consts = new Set([...constants].filter((n) => spell.constant(n) !== n));
  for (const r of reqs) if (spell.constant(r.item.typeName) !== r.item.typeName) consts.add(r.item.typeName);
  const structs = new Map<string, OwnStruct>();
  for (const r of reqs) {
    const t = r.item.argType;
    if (t?.kind !== 'struct' || structs.has(t.tag)) continue;
    const sizes = new Set<number>();
    let fields: OwnStruct['fields'] = [];
    for (const abi of ABIS) {
      const l = view.layout(abi, t);
      if (!l.ok) throw new KdispatchError(l.error);
      sizes.add(l.layout.size);
      if (abi !== ABIS[0]) continue;
      fields = l.layout.fields.map((f) => {
        if (f.field.kind !== 'field' || f.path.includes('.') || f.count !== undefined) throw new KdispatchError(`struct ${t.tag}: only flat structs of scalars are printed under a profile's own name`);
        return { decl: kernelType(f.field.ctype), name: f.path };
      });
    }
    const item = view.types.get(`struct ${t.tag}`)?.item;
    structs.set(t.tag, { tag: spell.type(t).replace(/^struct /, ''), from: `struct ${t.tag}`, ...(item?.doc ? { doc: item.doc } : {}), fields, ...(sizes.size === 1 ? { size: [...sizes][0] as number } : {}) });
  }
  if (!reqs.length && !consts.size) return undefined;
  return {
    constants: [...consts].sort().map((n) => {
      const c = view.constant(n);
      if (c?.value === undefined) throw new KdispatchError(`${n} has no value to define`);
      return { name: spell.constant(n), value: literal(c.spelling, c.value) };
    }),
    structs: [...structs.values()],
    requests: reqs.map(({ item }) => {
      // An nr written as an expression would name constants the header does not define.
      if (!/^(?:0[xX][0-9a-fA-F]+|\d+)$/.test(item.nr.text)) throw new KdispatchError(`${item.name}: nr '${item.nr.text}' is an expression; a historic ABI's request is printed only with a literal nr`);
      const args = [spell.constant(item.typeName), item.nr.text, ...(item.encoding !== 'none' && item.argType ? [spell.type(item.argType)] : [])];
      return { macro: spell.request(item.name), from: item.name, ...(item.quirk ? { quirk: item.quirk } : {}), value: `${MACRO_OF[item.encoding]}(${args.join(', ')})` };
    }),
  };
}
