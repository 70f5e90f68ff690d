// The resolved, immutable model of the spec. Emitters and the checker read this, never YAML.
import type { Position } from '../diagnostics.ts';
import type { CType } from './ctype.ts';
import type { Encoding } from './ioc.ts';
import type { Version } from './version.ts';

export interface Guard {
  directive: 'ifdef' | 'ifndef' | 'if';
  expr: string;
}

/** Position of each key's value in an item's mapping. */
export interface KeyPositions {
  readonly [key: string]: Position;
}

/** Anything written in the spec: where it is, and where each of its keys is. */
export interface Located {
  readonly pos: Position;
  readonly keys: KeyPositions;
}

/** What every spec item carries: where it is, when it lived, its doc. */
export interface Common extends Located {
  readonly since?: Version;
  readonly until?: Version;
  readonly deprecated?: string;
  readonly doc?: string;
  readonly guard?: Guard;
}

/** A number as written in the spec: its C spelling (the value is computed per version). */
export interface Expr {
  readonly text: string;
}

export interface IncludeItem extends Common { readonly kind: 'include'; readonly path: string; readonly local: boolean }

export interface DefineItem extends Common {
  readonly kind: 'define';
  readonly name: string;
  readonly expr?: Expr;
  readonly string?: string;
  readonly aliasOf?: string;
  readonly ioctlType: boolean;
  readonly sentinel: boolean;
}

export interface MacroItem extends Common { readonly kind: 'macro'; readonly name: string; readonly params?: readonly string[]; readonly body: string }

export type SetKind = 'flags' | 'features' | 'status' | 'values';

export interface SetValue extends Common {
  readonly name: string;
  readonly expr?: Expr;
  readonly bit?: Expr;
  readonly aliasOf?: string;
  readonly sentinel: boolean;
}

export interface SetItem extends Common {
  readonly kind: 'set';
  readonly set: SetKind;
  readonly id: string;
  readonly values: readonly SetValue[];
  readonly reserved?: 'reject' | 'ignore' | 'must-be-zero-out';
}

export interface EnumItem extends Common { readonly kind: 'enum'; readonly tag: string | null; readonly values: readonly SetValue[]; readonly trailingComma: boolean }

/** Array dimensions: an expression each; 'flex' is [], 'zero' is the old [0] spelling. */
export type Dim = Expr | 'flex' | 'zero';

export interface FieldMember extends Common {
  readonly kind: 'field';
  readonly name: string;
  readonly type: string;
  readonly ctype: CType;
  readonly dims: readonly Dim[];
  readonly flexMacro: boolean;
  readonly countedBy?: string;
  readonly aligned?: number;
  readonly flags?: string;
  readonly values?: string;
  readonly userPointer: boolean;
  readonly argsz: boolean;
  readonly min: boolean;
  readonly flagGate?: string;
}

export interface AggregateItem extends Common {
  readonly kind: 'struct' | 'union';
  readonly tag: string | null;
  /** Member name when nested; undefined for an anonymous member or a top-level type. */
  readonly name?: string;
  readonly dims: readonly Dim[];
  readonly packed: boolean;
  readonly aligned?: number;
  readonly attributeFirst: boolean;
  readonly argsz: boolean;
  readonly members: readonly Member[];
}

export type Member = FieldMember | AggregateItem | DefineItem | MacroItem | SetItem;

export type DataDirection = 'in' | 'out' | 'inout' | 'none';

export interface RequestItem extends Common {
  readonly kind: 'request';
  readonly name: string;
  readonly typeName: string;
  readonly nr: Expr;
  readonly encoding: Encoding;
  readonly arg?: string;
  readonly argType?: CType;
  readonly pass: 'pointer' | 'value' | 'none';
  readonly data: DataDirection;
  readonly dataExplicit: boolean;
  readonly returns?: string;
  readonly scope: readonly string[];
  readonly quirk?: string;
}

export interface RawItem extends Common { readonly kind: 'raw'; readonly text: string; readonly reason: string }

export type Item = IncludeItem | DefineItem | MacroItem | SetItem | EnumItem | AggregateItem | RequestItem | RawItem;

export interface StatusRule extends Located {
  readonly requests: readonly string[];
  readonly requires: readonly string[];
  readonly forbids: readonly string[];
  readonly transition?: 'only-add-bits-or-reset' | 'any';
  readonly owner: boolean;
  readonly unowned: boolean;
  readonly error: string;
  readonly doc?: string;
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
}

export interface Quirk extends Located { readonly name: string; readonly requests: readonly string[]; readonly unknownRequests: boolean; readonly errno: readonly string[]; readonly doc: string; readonly source?: string; readonly since?: Version; readonly until?: Version }

export interface FdKind extends Located {
  readonly name: string;
  readonly doc: string;
  readonly path?: string;
  readonly status?: string;
  readonly rules: readonly StatusRule[];
  readonly unknownRequest?: string;
  readonly quirks: readonly Quirk[];
  readonly since?: Version;
  readonly until?: Version;
}

export interface RequestSet extends Located { readonly name: string; readonly doc?: string; readonly requests: readonly string[]; readonly since?: Version; readonly until?: Version }

export interface DeviceProfile extends Located {
  readonly name: string;
  readonly doc: string;
  readonly fd: string;
  readonly deviceId?: string;
  readonly requestSets: readonly string[];
  readonly requests: readonly string[];
  readonly features: readonly string[];
  readonly featureBlacklist?: readonly string[];
  readonly featureAllowlist?: readonly string[];
  readonly unsupportedRequest?: string;
  readonly maxQueues?: number;
  readonly rules: readonly StatusRule[];
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
}

export interface ChannelRecord { readonly type: string; readonly ctype: CType; readonly direction: 'write' | 'read'; readonly when?: string; readonly doc?: string }

export interface Channel extends Located {
  readonly name: string;
  readonly doc: string;
  readonly fds: readonly string[];
  readonly records: readonly ChannelRecord[];
  readonly since?: Version;
  readonly until?: Version;
}

export interface Suppression extends Located {
  readonly rule: string;
  readonly item: string;
  readonly abis?: readonly string[];
  readonly reason: string;
  readonly since?: Version;
  readonly until?: Version;
}

/** A constant the spec's headers use but another header defines (e.g. ETH_ALEN from linux/if_ether.h). */
export interface External extends Located {
  readonly name: string;
  readonly expr: Expr;
  readonly header: string;
  readonly doc?: string;
}

export interface Family extends Located {
  readonly name: string;
  readonly file: string;
  readonly doc: string;
  readonly header?: string;
  readonly guard?: string;
  readonly license?: string;
  readonly source?: string;
  readonly imports: readonly string[];
  readonly since?: Version;
  readonly until?: Version;
  readonly externals: readonly External[];
  readonly items: readonly Item[];
  readonly fds: readonly FdKind[];
  readonly requestSets: readonly RequestSet[];
  readonly devices: readonly DeviceProfile[];
  readonly channels: readonly Channel[];
  readonly suppressions: readonly Suppression[];
}

export interface SpecModel {
  readonly versions: readonly Version[];
  readonly families: readonly Family[];
}
