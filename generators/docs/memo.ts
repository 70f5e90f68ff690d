// The pages ask the same questions of the model many times (every entry at every version, the
// matrix again): answers are kept per view, so `gen` stays within its time budget.
import { ABIS, type AbiView, type AggregateLayout, type Behaviour, type Request } from '../../src/model/index.ts';

const behaviours = new WeakMap<AbiView, Map<string, Behaviour | undefined>>();

/** view.behaviour(), once per view, fd kind and profile. */
export function behaviourOf(view: AbiView, fd: string, device?: string): Behaviour | undefined {
  let m = behaviours.get(view);
  if (!m) behaviours.set(view, (m = new Map()));
  const key = `${fd}\0${device ?? ''}`;
  if (!m.has(key)) m.set(key, view.behaviour(fd, device));
  return m.get(key);
}

const prints = new WeakMap<AggregateLayout, string>();

/**
 * The numbers of a layout: size, alignment, each field's offset and size, the holes. Within one
 * version every ABI lays out the same fields, so these tell its layouts apart (layouts are
 * memoised by the model, so each is printed once).
 */
export function layoutPrint(l: AggregateLayout): string {
  let p = prints.get(l);
  if (p === undefined) {
    let s = `${l.size}/${l.align}:`;
    for (const f of l.fields) s += `${f.offset}+${f.size},`;
    for (const h of l.holes) s += `|${h.offset}+${h.size}`;
    prints.set(l, (p = s));
  }
  return p;
}

const numbers = new WeakMap<AbiView, Map<Request, readonly number[]>>();

/** The request's number on every ABI, in ABIS order. */
export function numbersOf(view: AbiView, r: Request): readonly number[] {
  let m = numbers.get(view);
  if (!m) numbers.set(view, (m = new Map()));
  let n = m.get(r);
  if (!n) m.set(r, (n = ABIS.map((a) => view.number(r, a))));
  return n;
}

const ids = new WeakMap<object, number>();
let nextId = 0;

/**
 * A short key for a spec item: the same object is the same spec text, so it renders the same.
 * (Projections keep the written objects of requests, fields, rules, quirks and checks.)
 */
export function at(x: object): string {
  let id = ids.get(x);
  if (id === undefined) ids.set(x, (id = nextId++));
  return String(id);
}

export interface AbiGroup {
  /** ABIs, in ABIS order, whose layout of the type is the same. */
  readonly abis: readonly string[];
  readonly layout?: AggregateLayout;
  readonly error?: string;
  /** layoutPrint of the layout (or the error). */
  readonly print: string;
}

const groups = new WeakMap<AbiView, Map<string, readonly AbiGroup[]>>();

/** A type's layout on every ABI, ABIs with the same layout grouped (x86_64's group first). */
export function abiGroups(view: AbiView, key: string): readonly AbiGroup[] {
  let m = groups.get(view);
  if (!m) groups.set(view, (m = new Map()));
  let g = m.get(key);
  if (!g) {
    const byPrint = new Map<string, { abis: string[]; layout?: AggregateLayout; error?: string; print: string }>();
    for (const abi of ABIS) {
      const r = view.layout(abi, key);
      const print = r.ok ? layoutPrint(r.layout) : `error:${r.error}`;
      const found = byPrint.get(print);
      if (found) found.abis.push(abi.name);
      else byPrint.set(print, r.ok ? { abis: [abi.name], layout: r.layout, print } : { abis: [abi.name], error: r.error, print });
    }
    m.set(key, (g = [...byPrint.values()]));
  }
  return g;
}
