// A transport for unit tests: it records every call with the argument bytes as they went in and
// came back, and answers from a script (default: success, 0). Never used against a kernel.
import { genericErrnoName } from './errno.ts';
import type { IoctlArg, IoctlCall, Transport } from './transport.ts';

export type RecordedOp = 'ioctl' | 'read' | 'write';

export interface RecordedCall {
  readonly op: RecordedOp;
  readonly fd: number;
  /** The request number (ioctl) or 0. */
  readonly request: number;
  /** The argument: a copy of the bytes as passed in, the integer, or null. */
  readonly arg: Uint8Array | bigint | null;
  /** A copy of the bytes after the answer wrote into them (buffers only). */
  readonly argAfter?: Uint8Array;
  readonly result: number;
}

/**
 * Answers a call: return the result (>= 0) or -errno; a buffer argument may be filled in place
 * (what the kernel would copy out).
 */
export type Answer = (op: RecordedOp, fd: number, request: number, arg: IoctlArg) => number;

export class RecordingTransport implements Transport {
  readonly calls: RecordedCall[] = [];
  private readonly queued: Array<{ op: RecordedOp; request?: number; answer: Answer }> = [];

  private readonly fallback: Answer;

  constructor(fallback: Answer = () => 0) {
    this.fallback = fallback;
  }

  /** The next matching call (same op, and request number if given) gets this answer, once. */
  answerNext(op: RecordedOp, answer: Answer | number, request?: number): this {
    this.queued.push({ op, ...(request !== undefined ? { request } : {}), answer: typeof answer === 'number' ? () => answer : answer });
    return this;
  }

  /** The next matching ioctl copies `bytes` into its buffer and returns `result`. */
  fillNext(request: number, bytes: Uint8Array, result = 0): this {
    return this.answerNext('ioctl', (_op, _fd, _req, arg) => {
      if (arg instanceof Uint8Array) arg.set(bytes.subarray(0, arg.length));
      return result;
    }, request);
  }

  ioctl(fd: number, request: number, arg: IoctlArg): number {
    return this.record('ioctl', fd, request, arg);
  }

  read(fd: number, buf: Uint8Array): number {
    return this.record('read', fd, 0, buf);
  }

  write(fd: number, buf: Uint8Array): number {
    return this.record('write', fd, 0, buf);
  }

  errnoName(errno: number): string {
    return genericErrnoName(errno);
  }

  /** Tests may set an explainer, as a model-backed transport would carry one. */
  explain?: (call: IoctlCall, errno: number) => string | undefined;

  private record(op: RecordedOp, fd: number, request: number, arg: IoctlArg): number {
    const i = this.queued.findIndex((q) => q.op === op && (q.request === undefined || q.request === request));
    const answer = i >= 0 ? (this.queued.splice(i, 1)[0] as { answer: Answer }).answer : this.fallback;
    const before = arg instanceof Uint8Array ? arg.slice() : arg;
    const result = answer(op, fd, request, arg);
    this.calls.push({ op, fd, request, arg: before, ...(arg instanceof Uint8Array ? { argAfter: arg.slice() } : {}), result });
    return result;
  }
}
