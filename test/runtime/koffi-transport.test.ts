// The kernel transport against the host's real kernel: FIONREAD on a pipe, EBADF on a closed fd,
// ENOTTY for a vhost request on a regular file, EFAULT for a bad pointer, and errno read right
// after the call.
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import koffi from 'koffi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeAbi } from '../../src/model/index.ts';
import { ioctlError, IoctlError } from '../../src/runtime/index.ts';
import { koffiTransport } from '../../src/runtime/node/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

const FIONREAD = 0x541b; // asm-generic/ioctls.h, x86 and arm alike
const t = koffiTransport();
const pipeOf = koffi.load(null).func('int pipe(_Out_ int *fds)');
const view = viewAt(openOk(join(import.meta.dirname, '../../spec')), '6.12');
const abi = nodeAbi();
if (!abi) throw new Error('no ABI for this Node');
const VHOST_GET_FEATURES = view.number(view.request('VHOST_GET_FEATURES')!, abi);

let rd = -1;
let wr = -1;
const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-runtime-'));
beforeAll(() => {
  const fds = new Int32Array(2);
  expect(pipeOf(fds)).toBe(0);
  [rd, wr] = [fds[0]!, fds[1]!];
});
afterAll(() => {
  for (const fd of [rd, wr]) if (fd >= 0) closeSync(fd);
  rmSync(dir, { recursive: true, force: true });
});

const int32 = (b: Uint8Array): number => new DataView(b.buffer, b.byteOffset, 4).getInt32(0, true);

describe('koffi transport on the host kernel', () => {
  it('FIONREAD on a pipe counts the bytes written, and 0 once they are read', () => {
    const count = new Uint8Array(4);
    expect(t.ioctl(rd, FIONREAD, count)).toBe(0);
    expect(int32(count)).toBe(0);
    expect(t.write(wr, new TextEncoder().encode('hello'))).toBe(5);
    expect(t.ioctl(rd, FIONREAD, count)).toBe(0);
    expect(int32(count)).toBe(5);
    const got = new Uint8Array(16);
    expect(t.read(rd, got)).toBe(5);
    expect(new TextDecoder().decode(got.subarray(0, 5))).toBe('hello');
    expect(t.ioctl(rd, FIONREAD, count)).toBe(0);
    expect(int32(count)).toBe(0);
  });

  it('passes a subarray as a pointer to its own bytes, not the start of its buffer', () => {
    const backing = new Uint8Array(16).fill(0xee);
    expect(t.write(wr, new Uint8Array([1, 2, 3]))).toBe(3);
    expect(t.ioctl(rd, FIONREAD, backing.subarray(8, 12))).toBe(0);
    expect([...backing]).toEqual([...Array(8).fill(0xee), 3, 0, 0, 0, ...Array(4).fill(0xee)]);
    expect(t.read(rd, new Uint8Array(3))).toBe(3);
  });

  it('a closed fd is -EBADF, named by the host table', () => {
    const fd = openSync(join(dir, 'gone'), 'w');
    closeSync(fd);
    const r = t.ioctl(fd, FIONREAD, new Uint8Array(4));
    expect(r).toBe(-constants.errno.EBADF);
    expect(t.errnoName(-r)).toBe('EBADF');
    expect(t.read(fd, new Uint8Array(1))).toBe(-constants.errno.EBADF);
    expect(t.write(fd, new Uint8Array(1))).toBe(-constants.errno.EBADF);
  });

  it('a vhost request on a regular file is -ENOTTY; the error names errno, request, number and fd kind', () => {
    const file = join(dir, 'plain');
    writeFileSync(file, 'x');
    const fd = openSync(file, 'r');
    try {
      const arg = new Uint8Array(8);
      const r = t.ioctl(fd, VHOST_GET_FEATURES, arg);
      expect(r).toBe(-constants.errno.ENOTTY);
      const e = ioctlError(t, { fd, fdKind: 'vhost-vdpa', request: 'VHOST_GET_FEATURES', number: VHOST_GET_FEATURES, arg }, r);
      expect(e).toBeInstanceOf(IoctlError);
      expect(e.errnoName).toBe('ENOTTY');
      expect(e.errno).toBe(constants.errno.ENOTTY);
      expect(e.message).toBe(`VHOST_GET_FEATURES (0x${VHOST_GET_FEATURES.toString(16)}) on vhost-vdpa fd ${fd}: ENOTTY`);
    } finally {
      closeSync(fd);
    }
  });

  it('a bigint argument is passed as the integer itself (a bad address gives EFAULT), null as NULL', () => {
    expect(t.ioctl(rd, FIONREAD, 8n)).toBe(-constants.errno.EFAULT);
    expect(t.ioctl(rd, FIONREAD, null)).toBe(-constants.errno.EFAULT);
  });

  it('reads errno right after a failing call and never after a successful one', () => {
    koffi.errno(constants.errno.EPERM);
    expect(t.ioctl(-1, FIONREAD, new Uint8Array(4))).toBe(-constants.errno.EBADF);
    // a stale errno from before must not turn a success into a failure
    koffi.errno(constants.errno.EIO);
    expect(t.ioctl(rd, FIONREAD, new Uint8Array(4))).toBe(0);
    // back to back, each failure reports its own errno
    const file = openSync(join(dir, 'plain2'), 'w');
    try {
      expect(t.ioctl(file, VHOST_GET_FEATURES, new Uint8Array(8))).toBe(-constants.errno.ENOTTY);
      expect(t.ioctl(-1, VHOST_GET_FEATURES, new Uint8Array(8))).toBe(-constants.errno.EBADF);
      expect(t.ioctl(rd, FIONREAD, 8n)).toBe(-constants.errno.EFAULT);
    } finally {
      closeSync(file);
    }
  });

  it('pollIn: 0 on an empty pipe after the timeout, 1 once there is data', () => {
    expect(t.pollIn(rd, 0)).toBe(0);
    expect(t.write(wr, new Uint8Array([7]))).toBe(1);
    expect(t.pollIn(rd, 1000)).toBe(1);
    expect(t.read(rd, new Uint8Array(1))).toBe(1);
    // an fd that is not open is reported ready (POLLNVAL); the read then says EBADF
    const fd = openSync(join(dir, 'gone2'), 'w');
    closeSync(fd);
    expect(t.pollIn(fd, 0)).toBe(1);
    expect(t.read(fd, new Uint8Array(1))).toBe(-constants.errno.EBADF);
  });

  it('ioctlAsync runs on a worker and reports errno from there', async () => {
    expect(t.write(wr, new Uint8Array([1, 2]))).toBe(2);
    const count = new Uint8Array(4);
    expect(await t.ioctlAsync(rd, FIONREAD, count)).toBe(0);
    expect(int32(count)).toBe(2);
    expect(t.read(rd, new Uint8Array(2))).toBe(2);
    expect(await t.ioctlAsync(-1, FIONREAD, count)).toBe(-constants.errno.EBADF);
  });
});
