// ioctl-abi/runtime: what generated clients and their users need, and nothing tied to Node, so
// the codecs and clients import anywhere. The kernel transport is ioctl-abi/runtime/node.
export type { IoctlArg, IoctlCall, Transport } from './transport.ts';
export { MessageError, type MessageTransport } from './message.ts';
export { IoctlError, ioctlError } from './errors.ts';
export { genericErrnoName, genericErrnoNumber, GENERIC_ERRNOS } from './errno.ts';
export { RecordingTransport, type Answer, type RecordedCall, type RecordedOp } from './recording.ts';
export { modelExplainer, type ExplainedCheck, type ExplainedRule, type ExplainOptions, type ExplainView } from './explain.ts';
