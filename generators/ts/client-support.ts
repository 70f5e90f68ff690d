// generated/ts/client.ts: the one place generated clients meet the runtime: a call through the
// Transport, and the runtime's error hook when the kernel answers -errno.
export const RUNTIME = '../../src/runtime/index.ts';

export function clientSupportStatements(): string[] {
  return [
    `import { ioctlError, type IoctlArg, type Transport } from '${RUNTIME}';`,
    `import type { AbiName, Codec } from './abi.ts';`,
    `/** An open fd of one kind, the transport that reaches it and the ABI its numbers and layouts follow. */
export interface IoctlTarget {
  readonly transport: Transport;
  readonly fd: number;
  /** The spec's fd kind ('vhost-vdpa', 'vduse-device', ...), named in errors. */
  readonly fdKind: string;
  readonly abi: AbiName;
}`,
    `/** ioctl(fd, number, arg): the kernel's result, or an IoctlError naming the errno, the request and the fd. */
export function call(target: IoctlTarget, request: string, number: number, arg: IoctlArg): number {
  const result = target.transport.ioctl(target.fd, number, arg);
  if (result < 0) throw ioctlError(target.transport, { fd: target.fd, fdKind: target.fdKind, request, number, arg }, result);
  return result;
}`,
    `/** Reads one record of a message channel: exactly codec.size bytes, or an error. */
export function readRecord<T>(target: IoctlTarget, codec: Codec<T>, what: string): T {
  const bytes = new Uint8Array(codec.size);
  const result = target.transport.read(target.fd, bytes);
  if (result < 0) throw ioctlError(target.transport, { fd: target.fd, fdKind: target.fdKind, request: 'read', number: 0, arg: bytes }, result);
  if (result !== codec.size) throw new RangeError(\`read \${what} on \${target.fdKind} fd \${target.fd}: \${result} bytes, not \${codec.size}\`);
  return codec.decode(bytes);
}`,
    `/** Writes one record of a message channel; the kernel takes all of it or fails. */
export function writeRecord<T>(target: IoctlTarget, codec: Codec<T>, value: T, what: string): number {
  const bytes = codec.encode(value);
  const result = target.transport.write(target.fd, bytes);
  if (result < 0) throw ioctlError(target.transport, { fd: target.fd, fdKind: target.fdKind, request: 'write', number: 0, arg: bytes }, result);
  if (result !== bytes.length) throw new RangeError(\`write \${what} on \${target.fdKind} fd \${target.fd}: \${result} of \${bytes.length} bytes taken\`);
  return result;
}`,
  ];
}
