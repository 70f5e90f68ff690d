// The seam between generated message clients (vhost-user) and whatever carries their bytes: a
// unix socket that passes file descriptors beside them (src/runtime/node), or a fake in tests.
// Kernel style like Transport: results are byte counts or -errno, never exceptions.

export interface MessageTransport {
  /**
   * Sends all of `bytes` in one message with `fds` attached (SCM_RIGHTS); the fds stay open
   * on this side. Returns bytes.length, or -errno.
   */
  send(bytes: Uint8Array, fds: readonly number[]): number;
  /**
   * Fills all of `bytes` from the stream (fds that arrive are pushed onto `fds`, each the
   * receiver's to close). Returns bytes.length, fewer when the peer closed the stream first
   * (0: closed before any byte), or -errno (ETIMEDOUT when nothing came in time).
   */
  receive(bytes: Uint8Array, fds: number[]): number;
  /** The name of an errno on this machine (optional: else the generic Linux numbering). */
  errnoName?(errno: number): string | undefined;
}

/** Why a protocol message failed: the message, its code, and what went wrong. */
export class MessageError extends Error {
  override readonly name = 'MessageError';
  /** The message's name (VHOST_USER_SET_MEM_TABLE). */
  readonly messageName: string;
  readonly code: number;
  /** -errno from the transport, where that was the cause. */
  readonly errno: number | undefined;

  constructor(message: string, code: number, what: string, errno?: number) {
    super(`${message} (${code}): ${what}`);
    this.messageName = message;
    this.code = code;
    this.errno = errno;
  }
}
