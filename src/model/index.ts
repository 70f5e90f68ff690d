// The model's front door: the one import for every consumer (emitters, lint, dump, diff, the
// lab, examples, and users of the npm package). Everything here is read-only and projected to
// one kernel version; layouts, request numbers and rules are computed here and nowhere else.
//
//   const r = openSpec('spec');
//   if (!r.ok) report(r.diagnostics);
//   const view = r.spec.at(r.spec.newest);
//   view.number(view.request('VHOST_GET_VRING_BASE')!, findAbi('x86_64')!);

export { openSpec, type KnownVersion, type Spec, type SpecResult, type VersionLookup } from './open.ts';
export type { AbiView, Constant, ConstantSet, LayoutResult, ProtocolEntry, ProtocolMessage, Request, TypeEntry } from './view.ts';
export { ABIS, ABI_NAMES, findAbi, nodeAbi, IOC_LAYOUTS, type Abi, type IocEncoding, type IocLayout } from './abi.ts';
export { MACRO_OF, iocNumber, maxIocSize, type Encoding } from './ioc.ts';
export type { AggregateLayout, FieldLayout, Hole, TypeLayout } from './layout.ts';
export { formatCType, parseCType, ABI_DEPENDENT, type CType } from './ctype.ts';
export { violates, type Behaviour, type RequestState, type Violation } from './behaviour.ts';
export type { CallInput, Outcome, PathCheck, PathKind, RequestPath } from './dispatch.ts';
export type { CallerMapping, WriteCall, WriteCheck, WriteOutcome, WriteStep } from './channel-write.ts';
export { offeredFeatures, type FeatureBit, type FeatureFilter } from './features.ts';
export { snapshot, snapshotJson, SNAPSHOT_FORMAT } from './snapshot.ts';
export { payloadShape, transportReport, type OperationRow, type PayloadDrift, type TransportName, type TransportReport, type TransportSide } from './transports.ts';
export type * from './snapshot.ts';
export { walkDefinitions } from './project.ts';
export { compareVersions, isLive, overlaps, type Lifetime, type Version } from './version.ts';
export type * from './types.ts';
export type { Diagnostic, Position, Severity } from '../diagnostics.ts';
export type { SourceText } from '../load/load.ts';
