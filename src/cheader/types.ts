// The declaration list a UAPI header parses into.
import type { Cond } from './preproc.ts';

export type { Cond };

export interface Enumerator {
  name: string;
  /** The value expression, tokens joined by single spaces; absent when implicit. */
  value?: string;
  line: number;
}

export type HeaderItem =
  /**
   * inRawText: this #define/#undef sits inside a typedef, function or 'other' item just before it,
   * whose raw text already contains it; it is repeated as an item so that every macro is one.
   */
  | { kind: 'define'; name: string; params?: string[]; body: string; line: number; conds: Cond[]; inRawText?: true }
  | { kind: 'undef'; name: string; line: number; conds: Cond[]; inRawText?: true }
  | { kind: 'include'; path: string; system: boolean; line: number; conds: Cond[] }
  | { kind: 'struct' | 'union'; name: string; members: Member[]; attributes: string[]; line: number; conds: Cond[] }
  | { kind: 'enum'; name?: string; enumerators: Enumerator[]; line: number; conds: Cond[] }
  | { kind: 'typedef'; name: string; text: string; line: number; conds: Cond[] }
  | { kind: 'function'; name: string; text: string; line: number; conds: Cond[] }
  | { kind: 'other'; text: string; line: number; conds: Cond[] };

export type Member =
  | {
      kind: 'field';
      /** Normalized: 'unsigned int', '__u64', 'struct vhost_iotlb_msg', '__u64 *', 'char **'. */
      type: string;
      name: string;
      /** Array dimensions in order, raw (tokens joined by single spaces); '' for []. */
      dims: string[];
      bits?: string;
      /** '__attribute__((aligned(8)))', '__counted_by(count)'; '__DECLARE_FLEX_ARRAY' marks that macro form. */
      attributes: string[];
      line: number;
    }
  | {
      kind: 'struct' | 'union';
      tag?: string;
      /** The member name; absent for an anonymous struct/union member. */
      name?: string;
      dims: string[];
      members: Member[];
      attributes: string[];
      line: number;
    }
  | { kind: 'define'; name: string; params?: string[]; body: string; line: number }
  /** Anything else inside a struct body: other directives ('#ifdef X', '#endif', ...) and unrecognised declarations. */
  | { kind: 'comment-free-other'; text: string; line: number };

export interface HeaderDiagnostic {
  file?: string;
  line: number;
  col: number;
  message: string;
}

export interface ParsedHeader {
  /** The include-guard macro when the file has the classic #ifndef X / #define X ... #endif shape. */
  guard?: string;
  items: HeaderItem[];
  diagnostics: HeaderDiagnostic[];
}
