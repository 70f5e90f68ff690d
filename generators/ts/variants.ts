// Which ABIs share a codec: those whose shapes of a type agree byte for byte. Each group gets one
// writer and one reader, named by byte order ('LE', 'BE') and, where one order has several
// layouts, by its first ABI ('LE_i386').
import { ABIS, type AbiView } from '../../src/model/index.ts';
import { shapeOf, shapeSignature, type Shape } from './shape.ts';

export interface Variant {
  /** Suffix of its writer, reader and codec names. */
  readonly suffix: string;
  readonly shape: Shape;
  readonly abis: readonly string[];
}

export class Variants {
  private readonly byType = new Map<string, Variant[]>();

  constructor(private readonly view: AbiView) {}

  of(key: string): Variant[] {
    let list = this.byType.get(key);
    if (!list) {
      list = group(ABIS.map((abi) => ({ abi: abi.name, shape: shapeOf(this.view, abi, key) })));
      this.byType.set(key, list);
    }
    return list;
  }

  /** The variant of a type on one ABI. */
  on(key: string, abi: string): Variant {
    const v = this.of(key).find((x) => x.abis.includes(abi));
    if (!v) throw new Error(`ts: no variant of ${key} on ${abi}`);
    return v;
  }
}

function group(shapes: readonly { abi: string; shape: Shape }[]): Variant[] {
  const groups = new Map<string, { shape: Shape; abis: string[] }>();
  for (const { abi, shape } of shapes) {
    const sig = shapeSignature(shape);
    const g = groups.get(sig);
    if (g) g.abis.push(abi);
    else groups.set(sig, { shape, abis: [abi] });
  }
  const list = [...groups.values()];
  const order = (g: { shape: Shape }): string => (g.shape.bigEndian ? 'BE' : 'LE');
  return list.map((g) => {
    const shared = list.filter((o) => order(o) === order(g)).length > 1;
    return { suffix: shared ? `${order(g)}_${g.abis[0] as string}` : order(g), shape: g.shape, abis: g.abis };
  });
}
