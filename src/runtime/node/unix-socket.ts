// A connected AF_UNIX stream socket that passes file descriptors beside its bytes (sendmsg and
// recvmsg with SCM_RIGHTS through koffi: Node's net module cannot). Synchronous, like the ioctl
// transport. Every message is staged in one block of native memory allocated at connect time
// (msghdr, iovec, control buffer, data), so a call allocates nothing and the pointers inside the
// msghdr never move.
import { constants } from 'node:os';
import koffi from 'koffi';
import { genericErrnoName } from '../errno.ts';
import type { MessageTransport } from '../message.ts';
import {
  AF_UNIX, CMSG, EAGAIN, EINTR, ETIMEDOUT, IOVEC, LITTLE_ENDIAN, MSG_CMSG_CLOEXEC, MSG_CTRUNC, MSG_DONTWAIT, MSG_NOSIGNAL, MSGHDR, POINTER,
  SCM_RIGHTS, SIZE_T_BYTES, SOCK_CLOEXEC, SOCK_STREAM, SOL_SOCKET, getWord, lastErrno, loadLibc, pollReadable, putWord, type Libc,
} from './libc.ts';

/** At most this many fds in one message (vhost-user's limit is 8, one per memory region). */
export const MAX_FDS = 16;
const DATA_BYTES = 64 * 1024;
const SUN_PATH = 108;

const HOST_ERRNO = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));

export interface UnixSocketOptions {
  /** How long receive() waits for the peer before ETIMEDOUT (default 10 s). */
  readonly timeoutMs?: number;
}

export class UnixSocket implements MessageTransport {
  readonly fd: number;
  readonly timeoutMs: number;
  private readonly c: Libc;
  private readonly block: unknown;
  private readonly view: DataView;
  private readonly bytes: Uint8Array;
  private readonly controlAt: number;
  private readonly dataAt: number;
  private readonly pollfd = new Uint8Array(8);
  private readonly pollView = new DataView(this.pollfd.buffer);
  private closed = false;

  private constructor(c: Libc, fd: number, timeoutMs: number) {
    this.c = c;
    this.fd = fd;
    this.timeoutMs = timeoutMs;
    const iovAt = Math.ceil(MSGHDR.size / 16) * 16;
    this.controlAt = iovAt + Math.ceil(IOVEC.size / 16) * 16;
    this.dataAt = this.controlAt + Math.ceil(CMSG.space(4 * MAX_FDS) / 16) * 16;
    const total = this.dataAt + DATA_BYTES;
    this.block = koffi.alloc('uint8_t', total);
    const buffer = koffi.view(this.block, total);
    this.view = new DataView(buffer);
    this.bytes = new Uint8Array(buffer);
    // the pointers of the msghdr never change: only lengths are written per call
    const base = koffi.address(this.block);
    putWord(this.view, MSGHDR.iov, base + BigInt(iovAt), POINTER);
    putWord(this.view, MSGHDR.iovlen, 1, SIZE_T_BYTES);
    putWord(this.view, iovAt, base + BigInt(this.dataAt), POINTER);
    this.iovLenAt = iovAt + IOVEC.len;
    this.controlAddress = base + BigInt(this.controlAt);
  }

  private readonly iovLenAt: number;
  private readonly controlAddress: bigint;

  /** Connects to the listening socket at `path`; throws an Error naming the path and errno. */
  static connect(path: string, options: UnixSocketOptions = {}): UnixSocket {
    const c = loadLibc();
    const name = new TextEncoder().encode(path);
    if (name.length === 0 || name.length >= SUN_PATH) throw new RangeError(`unix socket path ${path}: 1 to ${SUN_PATH - 1} bytes`);
    const fd = c.socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0) as number;
    if (fd < 0) throw new Error(`socket(AF_UNIX): ${errnoName(-lastErrno())}`);
    // struct sockaddr_un: sa_family_t (u16, host order), then the path
    const addr = new Uint8Array(2 + SUN_PATH);
    new DataView(addr.buffer).setUint16(0, AF_UNIX, LITTLE_ENDIAN);
    addr.set(name, 2);
    if ((c.connect(fd, addr, 2 + name.length + 1) as number) < 0) {
      const errno = -lastErrno();
      c.close(fd);
      throw new Error(`connect ${path}: ${errnoName(errno)}`);
    }
    return new UnixSocket(c, fd, options.timeoutMs ?? 10_000);
  }

  /** Two connected sockets (socketpair): a peer for tests and for in-process back ends. */
  static pair(options: UnixSocketOptions = {}): [UnixSocket, UnixSocket] {
    const c = loadLibc();
    const fds = new Int32Array(2);
    if ((c.socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) as number) < 0) throw new Error(`socketpair(AF_UNIX): ${errnoName(-lastErrno())}`);
    const timeoutMs = options.timeoutMs ?? 10_000;
    return [new UnixSocket(c, fds[0] as number, timeoutMs), new UnixSocket(c, fds[1] as number, timeoutMs)];
  }

  send(bytes: Uint8Array, fds: readonly number[]): number {
    if (bytes.length > DATA_BYTES) throw new RangeError(`unix socket: a message of ${bytes.length} bytes (at most ${DATA_BYTES})`);
    if (fds.length > MAX_FDS) throw new RangeError(`unix socket: ${fds.length} fds in one message (at most ${MAX_FDS})`);
    this.bytes.set(bytes, this.dataAt);
    this.setControl(fds);
    let sent = 0;
    // the fds ride on the first byte; a stream socket may take the rest in more calls
    while (sent < bytes.length) {
      if (sent > 0) {
        this.bytes.copyWithin(this.dataAt, this.dataAt + sent, this.dataAt + bytes.length);
        this.setControl([]);
      }
      putWord(this.view, this.iovLenAt, bytes.length - sent, SIZE_T_BYTES);
      const r = this.c.sendmsg(this.fd, this.block, MSG_NOSIGNAL) as number;
      if (r < 0) {
        const errno = lastErrno();
        if (errno === -EINTR) continue;
        return errno;
      }
      sent += r;
    }
    return sent;
  }

  receive(bytes: Uint8Array, fds: number[]): number {
    if (bytes.length > DATA_BYTES) throw new RangeError(`unix socket: a receive of ${bytes.length} bytes (at most ${DATA_BYTES})`);
    let got = 0;
    while (got < bytes.length) {
      putWord(this.view, this.iovLenAt, bytes.length - got, SIZE_T_BYTES);
      putWord(this.view, MSGHDR.control, this.controlAddress, POINTER);
      putWord(this.view, MSGHDR.controllen, CMSG.space(4 * MAX_FDS), SIZE_T_BYTES);
      let r = this.c.recvmsg(this.fd, this.block, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) as number;
      if (r < 0) {
        const errno = lastErrno();
        if (errno === -EINTR) continue;
        if (errno !== -EAGAIN) return errno;
        // nothing yet: wait for it (bounded), then take it
        const ready = pollReadable(this.c, this.pollfd, this.pollView, this.fd, this.timeoutMs);
        if (ready < 0) return ready;
        if (ready === 0) return -ETIMEDOUT;
        r = this.c.recvmsg(this.fd, this.block, MSG_DONTWAIT | MSG_CMSG_CLOEXEC) as number;
        if (r < 0) {
          const again = lastErrno();
          if (again === -EINTR || again === -EAGAIN) continue;
          return again;
        }
      }
      this.takeFds(fds);
      if (r === 0) break;
      bytes.set(this.bytes.subarray(this.dataAt, this.dataAt + r), got);
      got += r;
    }
    return got;
  }

  errnoName(errno: number): string {
    return errnoName(errno);
  }

  /** Closes the socket (once; later calls do nothing). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.c.close(this.fd);
  }

  private setControl(fds: readonly number[]): void {
    if (fds.length === 0) {
      putWord(this.view, MSGHDR.control, 0, POINTER);
      putWord(this.view, MSGHDR.controllen, 0, SIZE_T_BYTES);
      return;
    }
    const at = this.controlAt;
    putWord(this.view, at, CMSG.len(4 * fds.length), SIZE_T_BYTES);
    this.view.setInt32(at + CMSG.level, SOL_SOCKET, LITTLE_ENDIAN);
    this.view.setInt32(at + CMSG.type, SCM_RIGHTS, LITTLE_ENDIAN);
    fds.forEach((fd, i) => this.view.setInt32(at + CMSG.header + 4 * i, fd, LITTLE_ENDIAN));
    putWord(this.view, MSGHDR.control, this.controlAddress, POINTER);
    putWord(this.view, MSGHDR.controllen, CMSG.space(4 * fds.length), SIZE_T_BYTES);
  }

  /** The fds of the SCM_RIGHTS messages recvmsg left in the control buffer. */
  private takeFds(fds: number[]): void {
    const length = getWord(this.view, MSGHDR.controllen, SIZE_T_BYTES);
    let at = 0;
    while (at + CMSG.header <= length) {
      const cmsgLen = getWord(this.view, this.controlAt + at, SIZE_T_BYTES);
      if (cmsgLen < CMSG.header) break;
      const level = this.view.getInt32(this.controlAt + at + CMSG.level, LITTLE_ENDIAN);
      const type = this.view.getInt32(this.controlAt + at + CMSG.type, LITTLE_ENDIAN);
      if (level === SOL_SOCKET && type === SCM_RIGHTS) {
        for (let i = 0; i + 4 <= cmsgLen - CMSG.header; i += 4) fds.push(this.view.getInt32(this.controlAt + at + CMSG.header + i, LITTLE_ENDIAN));
      }
      at += CMSG.space(cmsgLen - CMSG.header);
    }
    // a peer that sent more fds than fit: the kernel closed the rest; say so rather than lose them silently
    if ((this.view.getInt32(MSGHDR.flags, LITTLE_ENDIAN) & MSG_CTRUNC) !== 0) throw new RangeError(`unix socket: more than ${MAX_FDS} fds in one message (the rest were closed)`);
  }
}

function errnoName(errno: number): string {
  return HOST_ERRNO.get(errno) ?? genericErrnoName(errno);
}
