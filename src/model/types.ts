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
  /** The typedef the header spells the type with (its aligned attribute is in aligned). */
  readonly typedef?: string;
  readonly flags?: string;
  readonly values?: string;
  readonly userPointer: boolean;
  readonly argsz: boolean;
  readonly min: boolean;
  readonly flagGate?: string;
  /** Bytes kept for later fields: no meaning today, zero from callers; a later version may carve fields out of it. */
  readonly reserved?: boolean;
}

/**
 * How a struct that crosses the ABI boundary can grow (docs/spec-format.md): `fixed` (the kernel
 * copies exactly sizeof), `argsz` (the caller says how much it passed; VFIO), `size-in-number`
 * (the _IOC size field tells the kernel which version it got), `copy-struct-from-user` (the
 * kernel zero-extends a shorter struct and refuses a longer one with non-zero tail bytes).
 */
export type Extension = 'fixed' | 'argsz' | 'size-in-number' | 'copy-struct-from-user';

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
  /** The declared extension protocol (absent: not declared; the ABI diff treats it as fixed). */
  readonly extension?: Extension;
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

export interface Quirk extends Located {
  readonly name: string;
  readonly requests: readonly string[];
  readonly unknownRequests: boolean;
  readonly errno: readonly string[];
  readonly doc: string;
  readonly source?: string;
  /** The dispatch checks that model the quirk: its condition, executable. */
  readonly checks: readonly string[];
  /** Its condition as an expression, where the fd has no dispatch. */
  readonly when?: string;
  readonly since?: Version;
  readonly until?: Version;
}

/** What one step of a request's path does. */
export type CheckKind =
  | { readonly kind: 'owner'; readonly owner: 'required' | 'forbidden' }
  | { readonly kind: 'status'; readonly requires: readonly string[]; readonly forbids: readonly string[] }
  | { readonly kind: 'transition'; readonly transition: 'only-add-bits-or-reset' }
  /**
   * copy_from_user of the whole argument (arg), get_user of its leading __u32 (head), or the
   * mandatory part of an argsz struct (argsz: up to the end of its `min` member; VFIO's minsz).
   */
  | { readonly kind: 'read'; readonly read: 'arg' | 'head' | 'argsz' }
  | { readonly kind: 'write'; readonly write: 'arg' }
  | { readonly kind: 'refuse'; readonly expr: string }
  | { readonly kind: 'accept'; readonly expr: string }
  | { readonly kind: 'fd'; readonly expr: string; readonly fdKind: 'eventfd'; readonly unbind?: bigint; readonly kindError?: string }
  | { readonly kind: 'always' }
  /**
   * The profile's feature filter (blacklist or allow-list) on a request that carries device
   * features: `answer` masks what the handler returns (GET_FEATURES), `arg` refuses filtered bits
   * in the argument already read (SET_FEATURES). A profile without a filter passes both.
   */
  | { readonly kind: 'feature-filter'; readonly filter: 'answer' | 'arg' }
  | { readonly kind: 'use'; readonly sequence: string };

/** One step of a request's path through the driver; the first that refuses decides. */
export type Check = Located & CheckKind & {
  /** Its name (absent only for `use`). */
  readonly id: string;
  readonly error?: string;
  readonly doc?: string;
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
};

/** A fact of the device under test or the kernel build, read by checks as dev.NAME. */
export interface Fact extends Located {
  readonly name: string;
  readonly doc: string;
  readonly kind?: 'count' | 'size' | 'bool' | 'mask';
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
}

export interface Sequence extends Located {
  readonly name: string;
  readonly doc?: string;
  readonly checks: readonly Check[];
  readonly since?: Version;
  readonly until?: Version;
}

export interface DispatchEntry extends Located {
  readonly requests: readonly string[];
  readonly doc?: string;
  readonly checks: readonly Check[];
  readonly since?: Version;
  readonly until?: Version;
}

/** Checks a device profile adds to its fd kind's paths, and where. */
export interface ProfileDispatch extends DispatchEntry {
  readonly at: { readonly where: 'start' | 'end' } | { readonly where: 'before' | 'after'; readonly check: string };
}

export interface FdKind extends Located {
  readonly name: string;
  readonly doc: string;
  readonly path?: string;
  readonly status?: string;
  readonly rules: readonly StatusRule[];
  readonly unknownRequest?: string;
  readonly quirks: readonly Quirk[];
  readonly facts: readonly Fact[];
  readonly sequences: readonly Sequence[];
  /** The executable behaviour: each request's ordered checks (empty when the fd has none). */
  readonly dispatch: readonly DispatchEntry[];
  /** The path of a request the fd does not handle, before unknownRequest answers. */
  readonly unhandled: readonly Check[];
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
  readonly dispatch: readonly ProfileDispatch[];
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
}

export interface ChannelRecord {
  readonly type: string;
  readonly ctype: CType;
  readonly direction: 'write' | 'read';
  readonly when?: string;
  /** The value of the record's leading field that selects this form (VHOST_IOTLB_MSG_V2). */
  readonly form?: string;
  readonly doc?: string;
}

/** A change a write makes to the fd's IOTLB state (address spaces, their mappings, the batch). */
export type WriteEffect = 'alloc-as' | 'map' | 'unmap' | 'batch-begin' | 'batch-end';

/** What one step of a write() on a channel does: a gate or predicate as in dispatch, or an effect. */
export type ChannelCheckKind =
  | { readonly kind: 'owner'; readonly owner: 'required' | 'forbidden' }
  | { readonly kind: 'status'; readonly requires: readonly string[]; readonly forbids: readonly string[] }
  | { readonly kind: 'refuse'; readonly expr: string }
  | { readonly kind: 'accept'; readonly expr: string }
  | { readonly kind: 'always' }
  | { readonly kind: 'effect'; readonly effect: WriteEffect; readonly when?: string };

export type ChannelCheck = Located & ChannelCheckKind & {
  readonly id: string;
  readonly error?: string;
  readonly doc?: string;
  readonly source?: string;
  readonly since?: Version;
  readonly until?: Version;
};

/** A name the write's checks read, computed once from the record and the fd's state. */
export interface ChannelLet extends Located {
  readonly name: string;
  readonly value: string;
  /** Only when this holds; otherwise `otherwise` (the kernel reads the field only then). */
  readonly when?: string;
  readonly otherwise?: string;
  readonly doc?: string;
}

/** The executable behaviour of write() on a channel: ordered checks, then the handler's. */
export interface ChannelWrite extends Located {
  readonly doc?: string;
  /** What a successful write returns (a C expression, e.g. record_size). */
  readonly returns: string;
  readonly lets: readonly ChannelLet[];
  readonly checks: readonly ChannelCheck[];
  /** The message handler: its checks carry its own errno; write() returns `surfacesAs` instead. */
  readonly handler?: { readonly surfacesAs: string; readonly doc?: string; readonly checks: readonly ChannelCheck[] };
  readonly since?: Version;
  readonly until?: Version;
}

export interface Channel extends Located {
  readonly name: string;
  readonly doc: string;
  readonly fds: readonly string[];
  readonly records: readonly ChannelRecord[];
  /** The executable write() behaviour, where it is modelled. */
  readonly write?: ChannelWrite;
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

/** File descriptors a message carries in its ancillary data (SCM_RIGHTS). */
export interface MessageFds {
  readonly min: number;
  readonly max: number;
  readonly doc?: string;
}

/**
 * When the receiver of a message answers: `always` (with replyPayload), `ack` (a u64 status,
 * only when the sender set need-reply and the ack feature is negotiated), `with-feature` (a reply
 * only once `replyFeature` is negotiated; otherwise as ack).
 */
export type ReplyRule = 'always' | 'ack' | 'with-feature';

/** The operation a protocol message shares with a vhost ioctl or a VDUSE request, and how they differ. */
export interface OperationLink extends Located {
  readonly ioctl?: string;
  readonly vduse?: { readonly request: string; readonly payload: string };
  readonly differences: string;
  /** Why the payload layouts differ (lint transport-payload-drift asks for it where they do). */
  readonly payloadDiffers?: string;
}

/** One message of a socket protocol (vhost-user): its code, sender, payloads, reply and fds. */
export interface Message extends Located {
  readonly name: string;
  readonly code: number;
  readonly sender: 'front-end' | 'back-end';
  readonly doc: string;
  /** The request payload's type, a key or C spelling for view.layout (absent: none). */
  readonly payload?: string;
  /** Why a payload the spec does not lay out has no type (its format is another document's). */
  readonly payloadOpaque?: string;
  readonly reply: ReplyRule;
  readonly replyFeature?: string;
  readonly replyPayload?: string;
  readonly fds: MessageFds;
  readonly replyFds: MessageFds;
  readonly protocolFeature?: string;
  /** First QEMU release with the message (the protocol has no kernel versions). */
  readonly qemu?: string;
  readonly deprecated?: string;
  readonly operation?: OperationLink;
  readonly source?: string;
}

/** A socket protocol described by a wire family: its header, flags and feature bits. */
export interface Protocol extends Located {
  readonly name: string;
  readonly doc: string;
  /** The header struct in front of every payload ('struct vhost_user_header'). */
  readonly header: string;
  readonly flags: string;
  readonly features: string;
  readonly ackFeature?: string;
  readonly needReply?: string;
  readonly maxFds?: number;
  readonly source?: string;
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
  /** Its structs are a protocol's wire formats (packed, the same on every ABI), not kernel UAPI. */
  readonly wire: boolean;
  readonly protocol?: Protocol;
  readonly messages: readonly Message[];
}

export interface SpecModel {
  readonly versions: readonly Version[];
  readonly families: readonly Family[];
}
