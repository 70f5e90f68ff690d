// The error a generated client throws when the kernel refuses a call: it names the errno, the
// request (name and number), the fd and its kind, and, where the transport's behaviour model
// knows, the rule that refused it.
import { genericErrnoName } from './errno.ts';
import type { IoctlCall, Transport } from './transport.ts';

const hex = (n: number): string => `0x${(n >>> 0).toString(16)}`;

export class IoctlError extends Error {
  override readonly name = 'IoctlError';
  /** Positive errno, as the kernel returned it. */
  readonly errno: number;
  /** 'EBUSY', or `errno N` for a number the table lacks. */
  readonly errnoName: string;
  readonly request: string;
  /** The request number passed to ioctl (0 for read and write). */
  readonly number: number;
  readonly fd: number;
  readonly fdKind: string;
  /** The rule that refused the call, where the model knows it. */
  readonly rule: string | undefined;

  constructor(call: IoctlCall, errno: number, errnoName: string, rule: string | undefined) {
    const what = call.number === 0 ? `${call.request}()` : `${call.request} (${hex(call.number)})`;
    super(`${what} on ${call.fdKind} fd ${call.fd}: ${errnoName}${rule ? `\n  why: ${rule}` : ''}`);
    this.errno = errno;
    this.errnoName = errnoName;
    this.request = call.request;
    this.number = call.number;
    this.fd = call.fd;
    this.fdKind = call.fdKind;
    this.rule = rule;
  }
}

/**
 * The hook generated clients call with a negative result (-errno): builds the error (the caller
 * throws it). The errno is named by the transport's table, else the generic Linux one.
 */
export function ioctlError(transport: Transport, call: IoctlCall, result: number): IoctlError {
  const errno = -result;
  const name = transport.errnoName?.(errno) ?? genericErrnoName(errno);
  let rule: string | undefined;
  try {
    rule = transport.explain?.(call, errno);
  } catch {
    // An explanation is a courtesy: a broken explainer must not hide the kernel's answer.
    rule = undefined;
  }
  return new IoctlError(call, errno, name, rule);
}
