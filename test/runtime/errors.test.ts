// The portable runtime: errno names, the error a client throws, the recording transport, and the
// model's explanation of a refusal.
import { constants } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findAbi } from '../../src/model/index.ts';
import { genericErrnoName, GENERIC_ERRNOS, ioctlError, IoctlError, modelExplainer, RecordingTransport } from '../../src/runtime/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

const spec = openOk(join(import.meta.dirname, '../../spec'));

describe('errno names', () => {
  it('the generic table agrees with the host platform (x86_64 and arm64 number errnos the generic way)', () => {
    expect(['x64', 'arm64']).toContain(process.arch);
    const host = constants.errno as Record<string, number>;
    let compared = 0;
    for (const [name, n] of GENERIC_ERRNOS) {
      if (host[name] === undefined) continue; // kernel-internal ones (ENOTSUPP, ENOIOCTLCMD) are not in libc
      expect(n, name).toBe(host[name]);
      compared++;
    }
    expect(compared).toBeGreaterThan(55);
  });

  it('names every errno the spec uses in its behaviour (errors of checks and rules)', () => {
    const used = new Set<string>();
    for (const v of spec.versions) {
      const view = spec.at(v);
      for (const fd of view.fds.keys()) {
        const b = view.behaviour(fd);
        if (!b) continue;
        for (const r of b.rules) used.add(r.error);
        used.add(b.unknownRequestErrno);
        for (const e of b.fd.dispatch) for (const c of e.checks) if (c.error) used.add(c.error);
      }
    }
    expect(used.size).toBeGreaterThan(5);
    const missing = [...used].filter((name) => !GENERIC_ERRNOS.has(name));
    expect(missing).toEqual([]);
  });

  it('a number the table lacks is spelled out', () => {
    expect(genericErrnoName(4095)).toBe('errno 4095');
  });
});

describe('ioctlError', () => {
  const call = { fd: 5, fdKind: 'vhost-vdpa', request: 'VHOST_VDPA_SET_STATUS', number: 0x4001af72, arg: new Uint8Array(1) };

  it('names errno, request and number and fd kind; uses the transport table first', () => {
    const t = new RecordingTransport();
    const e = ioctlError(t, call, -16);
    expect(e).toBeInstanceOf(Error);
    expect(e).toBeInstanceOf(IoctlError);
    expect([e.errno, e.errnoName, e.request, e.number, e.fdKind, e.fd, e.rule]).toEqual([16, 'EBUSY', 'VHOST_VDPA_SET_STATUS', 0x4001af72, 'vhost-vdpa', 5, undefined]);
    expect(e.message).toBe('VHOST_VDPA_SET_STATUS (0x4001af72) on vhost-vdpa fd 5: EBUSY');
    const mips = Object.assign(new RecordingTransport(), { errnoName: (n: number) => (n === 16 ? 'EBUSY-mips' : undefined) });
    expect(ioctlError(mips, call, -16).errnoName).toBe('EBUSY-mips');
  });

  it('adds the explanation; a throwing explainer does not hide the errno', () => {
    const t = new RecordingTransport();
    t.explain = (c, errno) => `${c.request} refused with ${errno}`;
    const e = ioctlError(t, call, -22);
    expect(e.rule).toBe('VHOST_VDPA_SET_STATUS refused with 22');
    expect(e.message).toBe('VHOST_VDPA_SET_STATUS (0x4001af72) on vhost-vdpa fd 5: EINVAL\n  why: VHOST_VDPA_SET_STATUS refused with 22');
    t.explain = () => {
      throw new Error('broken');
    };
    expect(ioctlError(t, call, -22).message).toBe('VHOST_VDPA_SET_STATUS (0x4001af72) on vhost-vdpa fd 5: EINVAL');
  });

  it('read and write failures are named as calls without a number', () => {
    const e = ioctlError(new RecordingTransport(), { fd: 3, fdKind: 'vduse-device', request: 'read', number: 0, arg: null }, -11);
    expect(e.message).toBe('read() on vduse-device fd 3: EAGAIN');
  });
});

describe('RecordingTransport', () => {
  it('records every call with its bytes before and after, and answers from the script', () => {
    const t = new RecordingTransport();
    t.fillNext(0x8008af00, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8])).answerNext('ioctl', -25).answerNext('read', 3);
    const buf = new Uint8Array(8);
    expect(t.ioctl(4, 0x8008af00, buf)).toBe(0);
    expect([...buf]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.ioctl(4, 0x1234, 7n)).toBe(-25);
    expect(t.ioctl(4, 0x1234, null)).toBe(0); // the script is used up: the fallback answers
    expect(t.read(4, new Uint8Array(3))).toBe(3);
    expect(t.write(4, new Uint8Array([9]))).toBe(0);
    expect(t.calls.map((c) => [c.op, c.request, c.result])).toEqual([['ioctl', 0x8008af00, 0], ['ioctl', 0x1234, -25], ['ioctl', 0x1234, 0], ['read', 0, 3], ['write', 0, 0]]);
    expect([...(t.calls[0]?.arg as Uint8Array)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect([...(t.calls[0]?.argAfter as Uint8Array)]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(t.calls[1]?.arg).toBe(7n);
  });

  it('a queued answer for another request waits for that request', () => {
    const t = new RecordingTransport(() => -1);
    t.answerNext('ioctl', 42, 0x10);
    expect(t.ioctl(1, 0x20, null)).toBe(-1);
    expect(t.ioctl(1, 0x10, null)).toBe(42);
  });
});

describe('modelExplainer: the rule that refused, from the spec', () => {
  const explain = (version: string, request: string, errno: string, device?: string): string | undefined => {
    const view = viewAt(spec, version);
    const n = GENERIC_ERRNOS.get(errno)!;
    const abi = findAbi('x86_64')!;
    const req = view.request(request);
    const number = req ? view.number(req, abi) : 0;
    return modelExplainer(view, { ...(device ? { device } : {}), errnoName: genericErrnoName })({ fd: 3, fdKind: 'vhost-vdpa', request, number, arg: null }, n);
  };

  it('an index past the last ring: the vring-index bound', () => {
    const why = explain('6.12', 'VHOST_SET_VRING_NUM', 'ENOBUFS');
    expect(why).toContain("check 'index-range'");
    expect(why).toContain('head >= dev.nvqs');
    expect(why).toContain('spec 6.12');
  });

  it('features after FEATURES_OK: the status gate', () => {
    const why = explain('6.12', 'VHOST_SET_FEATURES', 'EBUSY');
    expect(why).toContain("check 'features-locked'");
    expect(why).toContain('status must not have VIRTIO_CONFIG_S_FEATURES_OK');
  });

  it('a ring request without an owner: the owner check', () => {
    expect(explain('6.12', 'VHOST_SET_VRING_NUM', 'EPERM')).toContain('the caller must own the device');
  });

  it('on a kernel without an executable dispatch (6.1), the status rules speak', () => {
    const why = explain('6.1', 'VHOST_SET_FEATURES', 'EBUSY');
    expect(why).toBe('status must not have VIRTIO_CONFIG_S_FEATURES_OK [drivers/vhost/vdpa.c vhost_vdpa_set_features (v5.7 and later); measured on 6.12.117 (docs/lab.md)] (spec 6.1, fd vhost-vdpa)');
  });

  it('an errno no check answers gets no story', () => {
    expect(explain('6.12', 'VHOST_VDPA_GET_STATUS', 'EBUSY')).toBeUndefined();
    expect(modelExplainer(viewAt(spec, '6.12'), { errnoName: genericErrnoName })({ fd: 3, fdKind: 'no-such-fd', request: 'X', number: 1, arg: null }, 22)).toBeUndefined();
  });

  it('a request the fd does not handle', () => {
    expect(explain('6.12', 'VHOST_NET_SET_BACKEND', 'ENOTTY')).toMatch(/^the vhost-vdpa fd does not handle VHOST_NET_SET_BACKEND/);
  });
});

