// The vhost-user transport pieces of ioctl-abi/runtime/node on this machine's kernel: a unix
// socket that passes fds (SCM_RIGHTS), memfd guest memory and eventfds. Every fd that crosses the
// socket is used on the other side, so a wrong msghdr/cmsghdr layout cannot pass.
import { closeSync, fstatSync, readSync, writeSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EventFd, GuestMemory, MAX_FDS, UnixSocket } from '../../src/runtime/node/index.ts';

const open: Array<{ close(): void }> = [];
const track = <T extends { close(): void }>(x: T): T => (open.push(x), x);
afterEach(() => open.splice(0).forEach((x) => x.close()));

describe('UnixSocket', () => {
  it('carries bytes and fds: an eventfd and a memfd sent over work on the other side', () => {
    const [a, b] = UnixSocket.pair({ timeoutMs: 1000 }).map(track) as [UnixSocket, UnixSocket];
    const ev = track(new EventFd());
    const mem = track(GuestMemory.create('unix-socket-test', 8192));
    mem.bytes.set([0xde, 0xad, 0xbe, 0xef], 4096);
    expect(a.send(new Uint8Array([1, 2, 3]), [ev.fd, mem.fd])).toBe(3);
    const got = new Uint8Array(3);
    const fds: number[] = [];
    expect(b.receive(got, fds)).toBe(3);
    expect([...got]).toEqual([1, 2, 3]);
    expect(fds).toHaveLength(2);
    expect(fds).not.toContain(ev.fd);
    // the received eventfd is the same counter
    const count = Buffer.alloc(8);
    count.writeBigUInt64LE(5n);
    writeSync(fds[0] as number, count);
    expect(ev.wait(1000)).toBe(5n);
    // the received memfd is the same memory: what was stored through the mapping reads back, and
    // a write through the fd shows in the mapping
    const four = Buffer.alloc(4);
    expect(readSync(fds[1] as number, four, 0, 4, 4096)).toBe(4);
    expect([...four]).toEqual([0xde, 0xad, 0xbe, 0xef]);
    writeSync(fds[1] as number, Buffer.from([7]), 0, 1, 10);
    expect(mem.bytes[10]).toBe(7);
    expect(fstatSync(fds[1] as number).size).toBe(8192);
    fds.forEach((fd) => closeSync(fd));
  });

  it('reassembles a message the stream delivers in parts, and fds arrive once', () => {
    const [a, b] = UnixSocket.pair({ timeoutMs: 1000 }).map(track) as [UnixSocket, UnixSocket];
    const ev = track(new EventFd());
    const payload = Uint8Array.from({ length: 1000 }, (_, i) => i & 0xff);
    expect(a.send(payload.subarray(0, 400), [ev.fd])).toBe(400);
    expect(a.send(payload.subarray(400), [])).toBe(600);
    const head = new Uint8Array(12);
    const rest = new Uint8Array(988);
    const fds: number[] = [];
    expect(b.receive(head, fds)).toBe(12);
    expect(b.receive(rest, fds)).toBe(988);
    expect([...head, ...rest]).toEqual([...payload]);
    expect(fds).toHaveLength(1);
    closeSync(fds[0] as number);
  });

  it('times out with -ETIMEDOUT when nothing comes, and reads 0 after the peer closed', () => {
    const [a, b] = UnixSocket.pair({ timeoutMs: 50 }).map(track) as [UnixSocket, UnixSocket];
    const t0 = Date.now();
    expect(b.receive(new Uint8Array(4), [])).toBe(-110);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    a.send(new Uint8Array([9, 9]), []);
    a.close();
    expect(b.receive(new Uint8Array(4), [])).toBe(2);
    expect(b.receive(new Uint8Array(4), [])).toBe(0);
  });

  it('refuses too many fds and a path that does not fit, and names a refused connect', () => {
    const [a] = UnixSocket.pair().map(track) as [UnixSocket, UnixSocket];
    expect(() => a.send(new Uint8Array(1), Array.from({ length: MAX_FDS + 1 }, () => 0))).toThrow(/fds in one message/);
    expect(() => UnixSocket.connect('x'.repeat(200))).toThrow(/1 to 107 bytes/);
    expect(() => UnixSocket.connect('/nonexistent/vhost-user.sock')).toThrow(/connect \/nonexistent\/vhost-user\.sock: ENOENT/);
  });

  it('sending to a closed peer is -EPIPE, not a signal', () => {
    const [a, b] = UnixSocket.pair().map(track) as [UnixSocket, UnixSocket];
    b.close();
    expect(a.send(new Uint8Array(8), [])).toBe(-32);
  });
});

describe('EventFd and GuestMemory', () => {
  it('an eventfd counts signals and wait() resets it; a timeout is 0n', () => {
    const ev = track(new EventFd());
    expect(ev.signal()).toBe(8);
    expect(ev.signal()).toBe(8);
    expect(ev.wait(1000)).toBe(2n);
    expect(ev.wait(20)).toBe(0n);
  });

  it('guest memory is zeroed, page-sized and has a user address', () => {
    const mem = track(GuestMemory.create('guest-memory-test', 4096 * 3));
    expect(mem.bytes.length).toBe(12288);
    expect(mem.bytes.every((b) => b === 0)).toBe(true);
    expect(mem.userAddr % 4096n).toBe(0n);
    expect(() => GuestMemory.create('bad', 1000)).toThrow(/positive multiple of 4096/);
  });
});
