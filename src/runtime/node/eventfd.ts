// An eventfd for a vhost-user ring's kick (front end signals) or call (back end signals): the fd
// goes to the back end with SET_VRING_KICK / SET_VRING_CALL; this side signals or waits.
import { EFD_CLOEXEC, LITTLE_ENDIAN, lastErrno, loadLibc, pollReadable, type Libc } from './libc.ts';

export class EventFd {
  readonly fd: number;
  private readonly c: Libc;
  private readonly counter = new Uint8Array(new ArrayBuffer(8));
  private readonly counterView = new DataView(this.counter.buffer);
  private readonly pollfd = new Uint8Array(8);
  private readonly pollView = new DataView(this.pollfd.buffer);
  private closed = false;

  constructor() {
    this.c = loadLibc();
    const fd = this.c.eventfd(0, EFD_CLOEXEC) as number;
    if (fd < 0) throw new Error(`eventfd: errno ${-lastErrno()}`);
    this.fd = fd;
    this.counterView.setBigUint64(0, 1n, LITTLE_ENDIAN);
  }

  /** Adds 1 to the counter (wakes whoever waits on it). Returns 8, or -errno. */
  signal(): number {
    this.counterView.setBigUint64(0, 1n, LITTLE_ENDIAN);
    const r = this.c.write(this.fd, this.counter, 8) as number;
    return r < 0 ? lastErrno() : r;
  }

  /**
   * Waits up to `timeoutMs` for a signal and takes the counter (resetting it): the count, 0n on
   * timeout; an error throws.
   */
  wait(timeoutMs: number): bigint {
    const ready = pollReadable(this.c, this.pollfd, this.pollView, this.fd, timeoutMs);
    if (ready < 0) throw new Error(`poll eventfd ${this.fd}: errno ${-ready}`);
    if (ready === 0) return 0n;
    const r = this.c.read(this.fd, this.counter, 8) as number;
    if (r < 0) throw new Error(`read eventfd ${this.fd}: errno ${-lastErrno()}`);
    // readable means the counter is non-zero, and nothing else reads it: the read cannot block
    return this.counterView.getBigUint64(0, LITTLE_ENDIAN);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.c.close(this.fd);
  }
}
