// The rule catalog of the ABI diff: one entry per rule id, with its severity, why it matters and
// how to fix it. docs/compat-rules.md lists the same rules (a test keeps the two equal), SARIF
// output carries them as its rule metadata.
import type { Severity } from './types.ts';

export interface Rule {
  readonly severity: Severity;
  /** What it finds, one line. */
  readonly title: string;
  readonly why: string;
  readonly fix: string;
}

const r = (severity: Severity, title: string, why: string, fix: string): Rule => ({ severity, title, why, fix });

export const RULES = {
  // Requests
  'request-removed': r('wire-break', 'a request no longer exists', 'binaries built against the old header still send its number and now get ENOTTY', 'keep the request (deprecate it), or ship the removal as a reviewed break with its tombstone (until:)'),
  'request-added': r('compatible', 'a new request', 'old binaries never send it', 'nothing to do'),
  'request-renamed': r('source-break', 'a request has a new name and the same number on every ABI', 'old binaries still work, but code using the old name no longer compiles', 'keep the old name as a second define, or acknowledge the break'),
  'request-number-changed': r('wire-break', "a request's number changed on some ABI (direction, type, nr or argument size)", 'binaries built against the old header send the old number: ENOTTY, or worse, another request', 'restore the old number; for a new argument layout add a new request and keep the old one'),
  'request-size-versioned': r('compatible', "only the size bits of a request's number changed, and its argument declares extension: size-in-number", 'the kernel matches type and nr and reads the size to learn which version of the struct it got', 'nothing to do, as long as the kernel keeps accepting every older size'),
  'request-number-reused': r('wire-break', 'a new request takes the number of a request that was retired', 'binaries built against the old header still send that number, and now reach a handler with another meaning', 'pick an unused nr; retired numbers stay retired'),
  'request-pass-changed': r('wire-break', 'the argument is now passed another way (pointer, value, none)', 'old binaries pass a pointer where the kernel reads an integer, or the reverse', 'restore how the argument is passed, or add a new request'),
  'request-data-changed': r('wire-break', 'what really travels changed (in, out, inout, none) with the number unchanged', 'the kernel now writes to memory the caller thought read-only, or no longer returns what the caller reads', 'restore the data direction, or add a new request'),
  'request-arg-renamed': r('source-break', 'the argument names another type with the same layout on every ABI', 'code that declares the old type for this request no longer matches the header', 'keep the old type name, or acknowledge the break'),
  'request-arg-replaced': r('wire-break', 'the argument names another type whose layout differs on some ABI, while the number does not show it', 'requests whose number carries no size (_IO with an argsz struct) hide the change: old binaries pass the old layout', 'keep the old argument type, or add a new request'),
  'request-scope-narrowed': r('behaviour-break', 'an fd kind no longer accepts the request', 'callers on that fd kind now get the unknown-request errno', 'keep accepting it, or acknowledge the break'),
  'request-scope-widened': r('compatible', 'one more fd kind accepts the request', 'nothing that worked stops working', 'nothing to do'),
  'request-deprecated': r('compatible', 'a request is now marked deprecated', 'it still works; the header now says what to use instead', 'nothing to do'),
  // Structs and unions
  'type-removed': r('source-break', 'a struct or union no longer exists', 'code naming it no longer compiles (requests using it are reported on their own)', 'keep it with until: only when nothing released uses it'),
  'type-added': r('compatible', 'a new struct or union', 'nothing used it before', 'nothing to do'),
  'member-moved': r('wire-break', 'members of a struct moved on some ABI', 'old binaries put those bytes at the old offsets; the kernel reads them at the new ones', 'add new members at the end (in an extensible struct) or into a reserved field, never in the middle'),
  'member-resized': r('wire-break', 'a member changed size on some ABI', 'the kernel reads more or fewer bytes than old binaries wrote', 'keep the member; add a new one of the new size'),
  'member-removed': r('source-break', 'a member no longer exists (its bytes did not move)', 'code naming it no longer compiles', 'keep the member, or rename it to reserved only if nothing ever gave it meaning'),
  'member-renamed': r('source-break', 'a member has a new name at the same offset, size and type', 'code naming it no longer compiles', 'keep the old name (an anonymous union can hold both), or acknowledge the break'),
  'member-type-changed': r('source-break', "a member's type changed kind (scalar, pointer, struct, union) or names another struct", 'code that assigns to it or takes its address may no longer compile', 'keep the type; add a new member'),
  'member-retyped': r('compatible', "a member's type spelling changed with the same size on every ABI (__u64 to __aligned_u64, int to __s32)", 'the bytes do not move; its alignment may, and that is reported on the struct', 'nothing to do'),
  'member-added': r('compatible', 'a member was added into padding or at the end of an extensible struct', 'old binaries leave those bytes zero (or do not pass them); give them meaning only behind a flag', 'gate the new member with a flag (flag-gate:) when zero is not a safe default'),
  'reserved-carved': r('compatible', 'new members were carved out of a member declared reserved: true', 'callers pass zero there today and the kernel refuses (or ignores) anything else, so zero must keep the old meaning', 'make zero mean the old behaviour; keep the rest of the reserved bytes'),
  'struct-size-changed': r('wire-break', 'the size of a fixed struct changed, or an extensible one shrank, on some ABI', 'a fixed struct is copied with its exact size: old binaries pass too few or too many bytes, and sized request numbers change', 'do not grow fixed structs: carve from a reserved member or add a new request with a new struct'),
  'struct-grew': r('compatible', 'an extensible struct (argsz, size-in-number, copy-struct-from-user) grew at the end', 'the caller says how much it passed; the kernel treats the missing tail as zero', 'make zero the old behaviour for the new tail (gate it with a flag)'),
  'extension-changed': r('behaviour-change', "the declared extension protocol of a struct changed", 'the rules for growing it changed: review how the kernel copies it', 'declare what the kernel really does (docs/spec-format.md)'),
  // Constants and sets
  'constant-removed': r('source-break', 'a constant no longer exists', 'code naming it no longer compiles', 'keep it (a retired value stays reserved under its name)'),
  'constant-added': r('compatible', 'a new constant', 'nothing used it before', 'nothing to do'),
  'constant-renamed': r('source-break', 'a constant has a new name and the same value', 'old binaries are unaffected; code using the old name no longer compiles', 'keep the old name as an alias, or acknowledge the break'),
  'constant-value-changed': r('wire-break', "a constant's value changed", 'old binaries carry the old value: the kernel now reads it as something else', 'never change a released value; add a new constant'),
  'constant-redefined': r('behaviour-change', 'a constant keeps its value but changed kind (define, enum value, set member) or set', 'the same number now belongs to another vocabulary: code that tests it with #ifdef, or sends it where the old set was read, may mean something else', 'review what the value means now; keep a constant per meaning'),
  'sentinel-moved': r('compatible', 'a constant declared sentinel: true (a count, a *_MAX) changed', 'sentinels count what exists and grow with it; nobody may send them', 'nothing to do'),
  'constant-moved-header': r('source-break', 'a constant moved to a header the old one does not include', 'code that includes only the old header no longer sees it', 'include the new header from the old one'),
  'reserved-policy-tightened': r('behaviour-break', 'a flag set now refuses unknown bits that it ignored', 'callers that left garbage in unused bits now fail', 'keep ignoring them, or gate the check behind a new flag'),
  'reserved-policy-loosened': r('behaviour-change', 'a flag set now ignores unknown bits that it refused', 'callers can no longer probe for a flag by trying it', 'prefer refusing unknown bits (reserved: reject)'),
  'flag-withdrawn': r('behaviour-break', 'a flag left a set that refuses unknown bits', 'old binaries that pass it now get an error', 'keep accepting the flag, even as a no-op'),
  // Behaviour
  'fd-removed': r('behaviour-break', 'an fd kind no longer exists', 'every request on it is gone for old binaries', 'keep it, or acknowledge the break'),
  'fd-added': r('compatible', 'a new fd kind', 'nothing used it before', 'nothing to do'),
  'unknown-request-errno-changed': r('behaviour-break', 'the errno for an unknown request changed', 'callers probe support by that errno (ENOTTY vs ENOIOCTLCMD fall-through)', 'keep the errno'),
  'gate-added': r('behaviour-break', 'a request that had no such check is now refused in some state (owner, status bits, transition)', 'calls that worked in that state now fail', 'do not add a gate to a released request; acknowledge it if the old behaviour was a bug'),
  'gate-tightened': r('behaviour-break', "a request's status gate requires or forbids more bits", 'calls that passed the old gate now fail', 'keep the gate as it was'),
  'gate-removed': r('behaviour-change', 'a check on a request is gone or asks for fewer bits', 'calls that failed now succeed: callers that relied on the refusal see a change', 'nothing to do if intended'),
  'gate-errno-changed': r('behaviour-break', 'the same check now fails with another errno', 'callers branch on the errno', 'keep the errno'),
  'check-added': r('behaviour-break', 'a request now passes a step that can refuse it (an argument or capability check) that it did not pass before', 'arguments or devices that worked now get an errno', 'do not add refusals to a released request; acknowledge it if the old behaviour was a bug'),
  'check-removed': r('behaviour-change', 'a step of a request\'s path is gone', 'something that was refused now gets through (or is no longer read)', 'nothing to do if intended'),
  'check-changed': r('behaviour-change', 'a step of a request\'s path tests something else, or a new step cannot refuse a call that worked (a read, an early accept, a refusal that reads only device facts new to the model)', 'the exact conditions of an errno moved, or a new device capability has its own failure', 'review it'),
  'quirk-added': r('behaviour-break', 'a recorded quirk with an errno now covers requests that existed before', 'calls that succeeded may now fail with that errno (a ring-ready check, a parent refusal)', 'do not add refusals to released requests; acknowledge it if the old behaviour was a bug'),
  'quirk-noted': r('behaviour-change', 'a recorded quirk without an errno appeared on requests that existed before', 'an odd behaviour (a cache refresh, a wider copy) is now recorded', 'review it'),
  'quirk-removed': r('behaviour-change', 'a recorded quirk is gone', 'the odd behaviour was fixed or no longer recorded', 'review it'),
  'quirk-changed': r('behaviour-change', 'a recorded quirk covers other requests', 'the odd behaviour now applies to more (or fewer) requests', 'review it'),
  'quirk-errno-changed': r('behaviour-break', "a quirk's errnos changed", 'callers that handle the old errno see another', 'keep the errno'),
  'device-removed': r('behaviour-break', 'a device profile no longer exists', 'devices of that profile are no longer served as before', 'keep the profile, or acknowledge the break'),
  'device-added': r('compatible', 'a new device profile', 'nothing used it before', 'nothing to do'),
  'device-id-changed': r('behaviour-break', 'a device profile serves another (or a narrower) device type', 'devices it served are no longer accepted', 'keep the device id'),
  'device-queues-limited': r('behaviour-break', 'a device profile drives fewer queues (or gained a limit)', 'drivers that set up more queues (multiqueue) fail', 'keep the queue count'),
  'device-queues-raised': r('behaviour-change', 'a device profile drives more queues (or lost its limit)', 'drivers may now set up queues that failed before', 'nothing to do'),
  'device-request-dropped': r('behaviour-break', 'a device profile no longer accepts a request', 'callers get the unsupported-request errno', 'keep accepting it'),
  'device-request-added': r('compatible', 'a device profile accepts one more request', 'nothing that worked stops working', 'nothing to do'),
  'feature-newly-offered': r('behaviour-change', "a feature bit passes a profile's filter that it did not pass (left its blacklist, joined its allow-list, or the filter is gone)", 'drivers that negotiate it now get it: the 2019 vhost-mdev review debated exactly this for VIRTIO_NET_F_MQ', 'offer a feature only once the backend implements it'),
  'feature-withheld': r('behaviour-break', "a feature bit no longer passes a profile's filter", 'drivers that negotiated it lose it, and SET_FEATURES with it fails', 'keep offering it'),
  'channel-removed': r('wire-break', 'a message channel no longer exists', 'old binaries read or write records the kernel no longer handles', 'keep it'),
  'channel-added': r('compatible', 'a new message channel', 'nothing used it before', 'nothing to do'),
  'channel-record-removed': r('wire-break', 'a channel no longer carries a record type in one direction', 'old binaries still read or write that record', 'keep the record type'),
  'channel-record-added': r('compatible', 'a channel carries a new record type', 'old binaries never see it unless they opt in (when:)', 'gate new records behind a negotiated feature'),
  'channel-record-gate-changed': r('behaviour-change', 'the condition under which a record type is used changed', 'old binaries may see the record without asking for it, or no longer see it', 'keep the gate'),
  'channel-fd-dropped': r('behaviour-break', 'an fd kind no longer carries a channel', 'callers reading or writing it on that fd fail', 'keep the channel on that fd'),
  'channel-write-check-added': r('behaviour-break', "a channel's executable write() now passes a check that can refuse it", 'records that were taken now get an errno', 'do not add refusals to a released message; acknowledge it if the old behaviour was a bug'),
  'channel-write-changed': r('behaviour-change', "a channel's executable write() changed: a check is gone, tests something else or moved, a new one cannot refuse, or what it returns changed", 'the exact conditions of an errno or the byte count moved', 'review it'),
  // Socket protocol messages (vhost-user)
  'message-removed': r('wire-break', 'a protocol message no longer exists', 'peers built against the old protocol still send its code and now get an error or a closed connection', 'keep the message (deprecate it)'),
  'message-added': r('compatible', 'a new protocol message', 'old peers never send it; a sender must gate it behind a negotiated protocol feature', 'give it protocol-feature: unless every peer has it'),
  'message-renamed': r('source-break', 'a message has a new name and the same sender and code', 'the wire is unchanged; code using the old name no longer compiles', 'keep the old name as an alias, or acknowledge the break'),
  'message-code-changed': r('wire-break', "a message's code or sending side changed", 'old peers send the old code: the receiver reads it as another message, or refuses it', 'never renumber a message; add a new one'),
  'message-payload-changed': r('wire-break', "a message's request or reply payload changed size on some ABI, or appeared or went away", 'the header says how many bytes follow: a peer that expects the old size refuses the message or misreads it', 'keep the payload; add a new message or gate a new payload behind a protocol feature'),
  'message-payload-renamed': r('source-break', "a message's payload names another type with the same size on every ABI", 'the bytes are the same, but code that builds the payload with the old type no longer matches', 'keep the old type name, or acknowledge the break'),
  'message-reply-changed': r('wire-break', 'whether the receiver replies changed (always, only on need-reply, only with a feature)', 'a sender waits for a reply that never comes, or leaves one unread that it then takes for the answer to its next message', 'never change who replies; add a new message'),
  'message-fds-changed': r('wire-break', 'the file descriptors a message or its reply carries changed in number', 'the receiver takes the wrong descriptors or none: a leaked fd, or a region mapped from the wrong file', 'keep the fd count; add a new message'),
  'message-gated': r('behaviour-break', 'a message now needs a protocol feature it did not need, or another one', 'a peer that did not negotiate that feature may no longer send it', 'keep it ungated (features only ever add messages)'),
  'message-ungated': r('behaviour-change', 'a message no longer needs a protocol feature', 'peers may send it without negotiating: receivers must handle it unconditionally', 'nothing to do if every receiver implements it'),
  'message-link-changed': r('behaviour-change', 'the ioctl or VDUSE request a message shares its operation with changed', 'the cross-transport report (ioctl-abi transports) pairs it with another operation', 'review it'),
} as const satisfies Record<string, Rule>;

export type RuleId = keyof typeof RULES;

export function severityOf(rule: RuleId): Severity {
  return RULES[rule].severity;
}
