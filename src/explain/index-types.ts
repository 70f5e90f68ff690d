// The explain index as data: what `explain` answers from, with no model at run time. Built by
// index-build.ts from the front door, kept between runs by cache.ts.
import type { Encoding, IocEncoding, IocLayout } from '../model/index.ts';

export const INDEX_FORMAT = 'ioctl-abi-explain/1';

export interface IndexSource {
  readonly id: string;
  readonly proposal: boolean;
  readonly versions: readonly string[];
  readonly doc?: string;
}

export interface LayoutGroup {
  readonly abis: readonly string[];
  readonly size: number;
  readonly align: number;
  readonly fields: readonly { readonly path: string; readonly offset: number; readonly size: number; readonly type: string }[];
}

export interface CheckList {
  readonly fd: string;
  /** True where the fd's dispatch gives the order; else status rules, then quirks. */
  readonly ordered: boolean;
  readonly steps: readonly { readonly text: string; readonly errno: string }[];
}

/** One request as it is at some versions of one source (versions where it is the same). */
export interface IndexRequest {
  readonly name: string;
  readonly source: string;
  readonly versions: readonly string[];
  readonly family: string;
  readonly macro: string;
  readonly encoding: Encoding;
  readonly typeName: string;
  readonly type: number;
  readonly nr: number;
  readonly nrText: string;
  readonly arg?: string;
  readonly pass: string;
  readonly data: string;
  readonly quirk?: string;
  readonly doc?: string;
  readonly scope: readonly string[];
  readonly devices: readonly string[];
  /** Per ABI, in the index's `abis` order. */
  readonly numbers: readonly number[];
  readonly argLayout?: readonly LayoutGroup[];
  readonly checks: readonly CheckList[];
}

export interface IndexType {
  readonly name: string;
  readonly source: string;
  readonly versions: readonly string[];
  readonly family: string;
  readonly doc?: string;
  readonly layout: readonly LayoutGroup[];
}

export interface IndexConstant {
  readonly name: string;
  readonly source: string;
  readonly versions: readonly string[];
  readonly family: string;
  readonly kind: string;
  readonly value?: string;
  readonly string?: string;
  readonly spelling: string;
  readonly set?: string;
  readonly doc?: string;
}

export interface ExplainIndex {
  readonly format: typeof INDEX_FORMAT;
  readonly abis: readonly { readonly name: string; readonly encoding: IocEncoding }[];
  /** The model's _IOC layouts and macro names, so decoding a number needs no model at run time. */
  readonly encodings: Readonly<Record<IocEncoding, IocLayout>>;
  readonly macros: Readonly<Record<Encoding, string>>;
  readonly sources: readonly IndexSource[];
  readonly requests: readonly IndexRequest[];
  readonly types: readonly IndexType[];
  readonly constants: readonly IndexConstant[];
}
