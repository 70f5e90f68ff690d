// The kernel transport: libc's ioctl, read, write and poll through koffi, synchronous. ioctl has
// one fixed prototype, `int ioctl(int, unsigned long, void *)`: a Uint8Array is passed as a
// pointer to its bytes (no copy), a bigint as the integer itself, null as NULL. errno is read
// with koffi.errno() in the statement after the call: koffi's synchronous path converts the
// result without a libc call in between, and this module calls nothing else before reading it.
import { constants } from 'node:os';
import { genericErrnoName } from '../errno.ts';
import { lastErrno, loadLibc } from './libc.ts';
import type { IoctlArg, IoctlCall, Transport } from '../transport.ts';

export interface KoffiTransport extends Transport {
  errnoName(errno: number): string;
  /** poll(fd, POLLIN, timeoutMs): 1 when readable, 0 on timeout, or -errno. */
  pollIn(fd: number, timeoutMs: number): number;
  /** ioctl on koffi's worker thread (errno captured there); for calls that may block. */
  ioctlAsync(fd: number, request: number, arg: IoctlArg): Promise<number>;
}

/** errno number -> name on this machine (Node's table is the platform's own), kernel-internal ones from the generic table. */
const HOST_ERRNO = new Map(Object.entries(constants.errno).map(([name, n]) => [n, name]));
const hostErrnoName = (errno: number): string => HOST_ERRNO.get(errno) ?? genericErrnoName(errno);

let shared: KoffiTransport | undefined;
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The process's kernel transport (one per process; koffi and libc are loaded on first use). */
export function koffiTransport(): KoffiTransport {
  if (shared) return shared;
  const { ioctl, read, write, poll } = loadLibc();
  // pollfd: int fd; short events; short revents (host byte order)
  const pollfd = new Uint8Array(8);
  const pollView = new DataView(pollfd.buffer);
  const POLLIN = 1;
  shared = {
    ioctl(fd, request, arg) {
      const r = ioctl(fd, request, arg) as number;
      return r < 0 ? lastErrno() : r;
    },
    read(fd, buf) {
      const r = read(fd, buf, buf.length) as number;
      return r < 0 ? lastErrno() : r;
    },
    write(fd, buf) {
      const r = write(fd, buf, buf.length) as number;
      return r < 0 ? lastErrno() : r;
    },
    pollIn(fd, timeoutMs) {
      pollView.setInt32(0, fd, isLittleEndian);
      pollView.setInt16(4, POLLIN, isLittleEndian);
      pollView.setInt16(6, 0, isLittleEndian);
      const r = poll(pollfd, 1, timeoutMs) as number;
      return r < 0 ? lastErrno() : r;
    },
    ioctlAsync(fd, request, arg) {
      return new Promise((resolve, reject) => {
        ioctl.async(fd, request, arg, (err: unknown, r: number) => {
          // koffi restores the worker's errno for the duration of this callback
          if (err) reject(err as Error);
          else resolve(r < 0 ? lastErrno() : r);
        });
      });
    },
    errnoName: hostErrnoName,
  };
  return shared;
}

/** A transport that shares the kernel transport's calls and adds an explainer (no extra call layer). */
export function withExplainer<T extends Transport>(transport: T, explain: (call: IoctlCall, errno: number) => string | undefined): T {
  return Object.assign(Object.create(Object.getPrototypeOf(transport) as object) as T, transport, { explain });
}
