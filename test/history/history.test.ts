// The 2019 vhost-mdev proposals (spec/history/vhost-mdev-v1..v3) as self-contained specs, and the
// vhost-vdpa profiles of the main spec that grew out of them. Expected request numbers were
// computed by hand with the x86_64 _IOC formula from each proposal's definitions; here the model
// computes them from type/nr/encoding/arg.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, type Abi } from '../../src/model/index.ts';
import type { AbiView as VersionModel, Request as ResolvedRequest, Spec } from '../../src/model/index.ts';
import type * as M from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';

const root = join(import.meta.dirname, '../../spec');
const HISTORY = ['vhost-mdev-v1', 'vhost-mdev-v2', 'vhost-mdev-v3'] as const;
type Hist = (typeof HISTORY)[number];

const pipelines = new Map<string, Spec>();
function pipeline(dir: Hist | 'main'): Spec {
  let p = pipelines.get(dir);
  if (!p) {
    p = openOk(dir === 'main' ? root : join(root, 'history', dir));
    pipelines.set(dir, p);
  }
  return p;
}
const at54 = (dir: Hist): VersionModel => viewAt(pipeline(dir), '5.4');

const x86_64 = ABIS[0] as Abi;
function numbers(vm: VersionModel, abi = x86_64): Map<string, number> {
  return new Map(vm.requests.map((r) => [r.item.name, vm.number(r, abi) >>> 0]));
}
function resolved(vm: VersionModel, name: string): ResolvedRequest {
  const r = vm.requests.find((x) => x.item.name === name);
  if (!r) throw new Error(`${name} is not in the model at ${vm.version}`);
  return r;
}
const request = (vm: VersionModel, name: string): M.RequestItem => resolved(vm, name).item;
function fd(vm: VersionModel, name: string): M.FdKind {
  const f = vm.families.flatMap((x) => x.fds).find((x) => x.name === name);
  if (!f) throw new Error(`fd ${name} is not in the model at ${vm.version}`);
  return f;
}
function devices(vm: VersionModel, name: string): M.DeviceProfile[] {
  return vm.families.flatMap((x) => x.devices).filter((d) => d.name === name);
}
function device(vm: VersionModel, name: string): M.DeviceProfile {
  const list = devices(vm, name);
  expect(list, `device ${name} at ${vm.version}`).toHaveLength(1);
  return list[0] as M.DeviceProfile;
}
function rulesFor(f: M.FdKind, request: string): M.StatusRule[] {
  return f.rules.filter((r) => r.requests.includes(request));
}

// Hand-computed, x86_64: (dir << 30) | (size << 16) | (0xAF << 8) | nr.
const EXPECTED: Record<Hist, Record<string, number>> = {
  'vhost-mdev-v1': { VHOST_MDEV_SET_STATE: 0x4008af70 },
  'vhost-mdev-v2': {
    VHOST_MDEV_GET_STATUS: 0x4001af70,
    VHOST_MDEV_SET_STATUS: 0x4001af71,
    VHOST_MDEV_SET_VRING_ENABLE: 0x4008af72,
    VHOST_MDEV_GET_VRING_NUM: 0x4002af73,
    VHOST_MDEV_GET_QUEUE_NUM: 0x4004af74,
  },
  'vhost-mdev-v3': {
    VHOST_MDEV_GET_DEVICE_ID: 0x8004af70,
    VHOST_MDEV_GET_STATUS: 0x8001af71,
    VHOST_MDEV_SET_STATUS: 0x4001af72,
    VHOST_MDEV_GET_CONFIG: 0x8008af73,
    VHOST_MDEV_SET_CONFIG: 0x4008af74,
    VHOST_MDEV_SET_VRING_ENABLE: 0x4008af75,
    VHOST_MDEV_GET_VRING_NUM: 0x8002af76,
  },
};

describe('history folders', () => {
  it('the first ABI is x86_64, the one the expected numbers were computed for', () => {
    expect(x86_64.name).toBe('x86_64');
  });

  for (const dir of HISTORY) {
    describe(dir, () => {
      it('validates with no errors, at the one kernel the patches were posted against', () => {
        const p = pipeline(dir);
        expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        expect(p.versions).toEqual(['5.4']);
        expect(p.model.families.map((f) => f.name)).toEqual([dir]);
      });

      it('computes the hand-computed request numbers', () => {
        const got = numbers(at54(dir));
        const mdev = Object.fromEntries([...got].filter(([n]) => n.startsWith('VHOST_MDEV_')));
        expect(mdev).toEqual(EXPECTED[dir]);
      });

      it('cites the posting by Message-ID', () => {
        const f = at54(dir).families[0] as M.Family;
        expect(f.source).toMatch(/<20190926045427\.4973-1-tiwei\.bie@intel\.com>|<20191022095230\.2514-1-tiwei\.bie@intel\.com>|<20191029100734\.9861-1-tiwei\.bie@intel\.com>/);
      });

      it('scopes every request to the vhost-mdev fd (the VFIO device fd), which has no /dev node', () => {
        const vm = at54(dir);
        for (const r of vm.requests) expect(r.item.scope, r.item.name).toEqual(['vhost-mdev']);
        expect(fd(vm, 'vhost-mdev').path).toBeUndefined();
      });
    });
  }
});

describe('v1 -> v2: SET_STATE replaced by SET_STATUS', () => {
  it('SET_STATE and its state values are gone, SET_STATUS and GET_STATUS are new', () => {
    const v1 = numbers(at54('vhost-mdev-v1'));
    const v2 = numbers(at54('vhost-mdev-v2'));
    expect(v1.has('VHOST_MDEV_SET_STATE')).toBe(true);
    expect(v2.has('VHOST_MDEV_SET_STATE')).toBe(false);
    expect(v1.has('VHOST_MDEV_SET_STATUS')).toBe(false);
    expect(v2.has('VHOST_MDEV_SET_STATUS')).toBe(true);
    expect(v2.has('VHOST_MDEV_GET_STATUS')).toBe(true);
    expect(at54('vhost-mdev-v1').value('VHOST_MDEV_S_RUNNING')).toBe(1n);
    expect(at54('vhost-mdev-v1').value('VHOST_MDEV_S_MAX')).toBe(2n);
    expect(at54('vhost-mdev-v2').value('VHOST_MDEV_S_RUNNING')).toBeUndefined();
  });

  it('v2 reuses nr 0x70 for a different request: same type/nr, different number', () => {
    const a = resolved(at54('vhost-mdev-v1'), 'VHOST_MDEV_SET_STATE');
    const b = resolved(at54('vhost-mdev-v2'), 'VHOST_MDEV_GET_STATUS');
    expect([a.type, a.nr]).toEqual([0xaf, 0x70]);
    expect([b.type, b.nr]).toEqual([0xaf, 0x70]);
    expect(numbers(at54('vhost-mdev-v1')).get('VHOST_MDEV_SET_STATE')).not.toBe(numbers(at54('vhost-mdev-v2')).get('VHOST_MDEV_GET_STATUS'));
  });

  it('v1 has no status rules on the status byte; v2 checks it', () => {
    expect(fd(at54('vhost-mdev-v1'), 'vhost-mdev').status).toBeUndefined();
    expect(fd(at54('vhost-mdev-v2'), 'vhost-mdev').status).toBe('virtio-device-status');
  });
});

describe('v2 as posted', () => {
  const vm = (): VersionModel => at54('vhost-mdev-v2');

  it('keeps the _IOW (sic) getters as posted and records the real direction', () => {
    for (const name of ['VHOST_MDEV_GET_STATUS', 'VHOST_MDEV_GET_VRING_NUM', 'VHOST_MDEV_GET_QUEUE_NUM']) {
      const r = request(vm(), name);
      expect(r.encoding, name).toBe('write');
      expect(r.data, name).toBe('out');
      expect(r.quirk, name).toMatch(/sic/);
    }
    expect(request(vm(), 'VHOST_MDEV_SET_STATUS').data).toBe('in');
  });

  // v2's behaviour is an executable dispatch (its outcomes: test/model/dispatch-v2.test.ts); these
  // read the gates of its paths as the spec states them.
  const gates = (name: string): M.PathCheck[] => {
    const b = vm().behaviour('vhost-mdev', 'vhost-mdev-v2-net');
    return (b?.path(name).checks ?? []).filter((c) => c.kind === 'owner' || c.kind === 'status' || c.kind === 'transition');
  };

  it('refuses SET_FEATURES after FEATURES_OK with EPERM (what was posted, not the EBUSY the review asked for)', () => {
    const [gate, ...more] = gates('VHOST_SET_FEATURES');
    expect(more).toEqual([]);
    expect(gate?.kind === 'status' && [gate.requires, gate.forbids]).toEqual([[], ['VIRTIO_CONFIG_S_FEATURES_OK']]);
    expect(gate?.error).toBe('EPERM');
  });

  it('allows ring requests only with FEATURES_OK set and DRIVER_OK clear (EPERM), and only for the owner, owner first', () => {
    for (const name of ['VHOST_SET_VRING_ADDR', 'VHOST_MDEV_SET_VRING_ENABLE', 'VHOST_GET_VRING_BASE']) {
      const [owner, status, ...more] = gates(name);
      expect(more, name).toEqual([]);
      expect(owner?.kind === 'owner' && [owner.owner, owner.error], name).toEqual(['required', 'EPERM']);
      expect(status?.kind === 'status' && [status.requires, status.forbids, status.error], name).toEqual([['VIRTIO_CONFIG_S_FEATURES_OK'], ['VIRTIO_CONFIG_S_DRIVER_OK'], 'EPERM']);
    }
    expect(gates('VHOST_MDEV_GET_STATUS')).toEqual([]);
    expect(gates('VHOST_MDEV_SET_STATUS').map((c) => [c.kind, c.error])).toEqual([['transition', 'EINVAL']]);
    // The dispatch states the gates; no status rule is left beside it.
    expect(fd(vm(), 'vhost-mdev').rules).toEqual([]);
  });

  it('has a net profile without multiqueue and without a feature filter', () => {
    const d = device(vm(), 'vhost-mdev-v2-net');
    expect(d.deviceId).toBe('VIRTIO_ID_NET');
    expect(vm().value('VIRTIO_ID_NET')).toBe(1n);
    expect(d.maxQueues).toBe(2);
    expect(d.featureBlacklist).toBeUndefined();
    expect(d.featureAllowlist).toBeUndefined();
    expect(d.features).toContain('virtio-net-features');
  });

  it('labels the blacklist profile as the review proposal, filtering MQ only', () => {
    const d = device(vm(), 'vhost-mdev-v2');
    expect(d.featureBlacklist).toEqual(['VIRTIO_NET_F_MQ']);
    expect(d.featureAllowlist).toBeUndefined();
    expect(d.doc).toMatch(/NOT POSTED CODE/);
    expect(d.source).toMatch(/ac36f1e3-b972-71ac-fe0c-3db03e016dcf@redhat\.com/);
    expect(vm().value('VIRTIO_NET_F_MQ')).toBe(22n);
  });
});

describe('v3: the numbers vhost-vdpa shipped', () => {
  const main = (): VersionModel => viewAt(pipeline('main'), '6.12');
  const v3 = (): VersionModel => at54('vhost-mdev-v3');

  it('every VHOST_MDEV_* request of v3 has the number of the VHOST_VDPA_* request of the same name at 6.12, on every ABI', () => {
    const names = Object.keys(EXPECTED['vhost-mdev-v3']);
    expect(names).toHaveLength(7);
    for (const abi of ABIS) {
      const old = numbers(v3(), abi);
      const now = numbers(main(), abi);
      for (const name of names) {
        const upstream = name.replace('VHOST_MDEV_', 'VHOST_VDPA_');
        expect(now.has(upstream), upstream).toBe(true);
        expect(old.get(name), `${name} vs ${upstream} on ${abi.name}`).toBe(now.get(upstream));
      }
    }
    const nrs = names.map((n) => resolved(v3(), n).nr).sort((a, b) => a - b);
    expect(nrs).toEqual([0x70, 0x71, 0x72, 0x73, 0x74, 0x75, 0x76]);
  });

  it('struct vhost_mdev_config is laid out like struct vhost_vdpa_config on every ABI', () => {
    for (const abi of ABIS) {
      const a = layoutOk(v3(), abi, 'struct vhost_mdev_config');
      const b = layoutOk(main(), abi, 'struct vhost_vdpa_config');
      expect([a.size, a.align], abi.name).toEqual([b.size, b.align]);
      expect(a.fields.map((f) => [f.path, f.offset]), abi.name).toEqual(b.fields.map((f) => [f.path, f.offset]));
    }
  });

  it('drops GET_QUEUE_NUM and fixes the getters to _IOR', () => {
    expect(numbers(v3()).has('VHOST_MDEV_GET_QUEUE_NUM')).toBe(false);
    expect(request(v3(), 'VHOST_MDEV_GET_STATUS').encoding).toBe('read');
    expect(request(v3(), 'VHOST_MDEV_GET_VRING_NUM').encoding).toBe('read');
  });

  it('returns EBUSY where v2 returned EPERM', () => {
    const f = fd(v3(), 'vhost-mdev');
    expect(rulesFor(f, 'VHOST_SET_FEATURES').map((r) => r.error)).toEqual(['EBUSY']);
    expect(rulesFor(f, 'VHOST_SET_VRING_NUM').filter((r) => !r.owner).map((r) => r.error)).toEqual(['EBUSY']);
    expect(rulesFor(f, 'VHOST_SET_VRING_NUM').filter((r) => r.owner).map((r) => r.error)).toEqual(['EPERM']);
  });

  it('filters features with the allow-list that the first vhost-vdpa (5.7) inherited, with the same bit numbers', () => {
    const allow = device(v3(), 'vhost-mdev-v3-net').featureAllowlist ?? [];
    expect(allow).toHaveLength(23);
    expect(allow).not.toContain('VIRTIO_NET_F_MQ');
    expect(allow).not.toContain('VIRTIO_NET_F_CTRL_VQ');
    for (const b of allow) expect(v3().constants.get(b)?.kind, b).toBe('features');
    // The historic 5.7 profile lives outside the listed versions, so read it from the raw model.
    const first = pipeline('main').model.families.flatMap((f) => f.devices).find((d) => d.name === 'vhost-vdpa-net-first');
    expect(first?.since).toBe('5.7');
    expect(first?.until).toBe('5.9');
    expect(first?.featureAllowlist).toEqual(allow);
    // Every name resolves in today's spec at 5.7 (the two virtio_ring.h bits from family virtio-ring),
    // with the bit numbers vhost-mdev v3 used.
    const m57 = viewAt(pipeline('main'), '5.7');
    for (const b of allow) expect(m57.value(b), b).toBe(v3().value(b));
  });
});

describe('main spec: today\'s vhost profiles', () => {
  it('still validates with no errors', () => {
    expect(pipeline('main').diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('gives vhost-vdpa the status gates read from drivers/vhost/vdpa.c, as rules before 6.12 and as dispatch checks after', () => {
    for (const v of pipeline('main').versions) {
      const view = viewAt(pipeline('main'), v);
      const f = fd(view, 'vhost-vdpa');
      expect(f.status).toBe('virtio-device-status');
      const b = view.behaviour('vhost-vdpa', 'vhost-vdpa-net');
      const errnos = (request: string, state: { owner: boolean; status: bigint; value?: bigint }): string[] => (b?.violations(request, state) ?? []).map((x) => x.errno);
      expect(errnos('VHOST_SET_FEATURES', { owner: true, status: 0xbn }), v).toEqual(['EBUSY']);
      expect(errnos('VHOST_SET_FEATURES', { owner: true, status: 0x3n }), v).toEqual([]);
      expect(errnos('VHOST_VDPA_SET_STATUS', { owner: true, status: 0x3n, value: 0x2n }), v).toEqual(['EINVAL']);
      expect(errnos('VHOST_VDPA_SET_STATUS', { owner: true, status: 0xfn, value: 0n }), v).toEqual([]);
      expect(errnos('VHOST_SET_VRING_ADDR', { owner: false, status: 0n }), v).toEqual(['EPERM']);
      expect(errnos('VHOST_VDPA_GET_STATUS', { owner: false, status: 0xfn }), v).toEqual([]);
      expect(b?.executable, v).toBe(v !== '5.10' && v !== '6.1');
      const quirks = new Map(f.quirks.map((q) => [q.name, q]));
      expect(quirks.get('log-requests-enotty')?.requests).toEqual(['VHOST_SET_LOG_BASE', 'VHOST_SET_LOG_FD']);
      expect(quirks.get('unknown-request-reads-arg')?.errno).toEqual(expect.arrayContaining(['EFAULT', 'ENOBUFS', 'EPERM']));
      for (const q of f.quirks) expect(q.source, q.name).toMatch(/drivers\/vhost\/|fs\/ioctl\.c/);
    }
    // The write() channel is executable where the ioctls are (its answers: test/model/channel-write.test.ts).
    expect(viewAt(pipeline('main'), '6.1').channels.get('vhost-iotlb-vdpa')?.write).toBeUndefined();
    const write = viewAt(pipeline('main'), '6.12').channels.get('vhost-iotlb-vdpa')?.write;
    expect(write?.checks.length).toBeGreaterThan(0);
    // A message the handler refuses (no owner, bad range, ...) fails the write with EFAULT.
    expect(write?.handler?.surfacesAs).toBe('EFAULT');
  });

  it('vhost-vdpa-net has no feature filter at any listed version and grows with the kernel', () => {
    const counts: number[] = [];
    for (const v of pipeline('main').versions) {
      const vm = viewAt(pipeline('main'), v);
      const d = device(vm, 'vhost-vdpa-net');
      expect(d.deviceId).toBe('VIRTIO_ID_NET');
      expect(d.features).toEqual(['virtio-net-features', 'virtio-transport-features']);
      expect(d.featureAllowlist, v).toBeUndefined();
      expect(d.featureBlacklist, v).toBeUndefined();
      expect(d.maxQueues, v).toBeUndefined();
      expect(devices(vm, 'vhost-vdpa-net-first'), v).toEqual([]);
      counts.push(d.requests.length);
    }
    expect(counts).toEqual([0, 7, 10, 10, 10]);
  });

  it('has vhost-net and vhost-scsi profiles whose request sets fit their fds', () => {
    const vm = viewAt(pipeline('main'), '6.12');
    const sets = new Map(vm.families.flatMap((f) => f.requestSets).map((s) => [s.name, s.requests]));
    const net = device(vm, 'vhost-net');
    const scsi = device(vm, 'vhost-scsi');
    const reqs = (d: M.DeviceProfile): string[] => d.requestSets.flatMap((s) => sets.get(s) ?? []);
    expect(reqs(net)).toContain('VHOST_NET_SET_BACKEND');
    expect(reqs(net)).toContain('VHOST_SET_BACKEND_FEATURES');
    expect(reqs(scsi)).toContain('VHOST_SCSI_SET_ENDPOINT');
    expect(reqs(scsi)).not.toContain('VHOST_SET_BACKEND_FEATURES');
    expect(reqs(scsi)).not.toContain('VHOST_NET_SET_BACKEND');
    for (const r of [...reqs(net), ...reqs(scsi)]) expect(request(vm, r).scope).toContain(r.startsWith('VHOST_SCSI') ? 'vhost-scsi' : 'vhost-net');
  });

  it('models the IOTLB and VDUSE message channels, with no read on vhost-vdpa', () => {
    const vm = viewAt(pipeline('main'), '6.12');
    const channels = new Map(vm.families.flatMap((f) => f.channels).map((c) => [c.name, c]));
    const iotlb = channels.get('vhost-iotlb');
    expect(iotlb?.fds).toEqual(['vhost-net']);
    expect(iotlb?.records.map((r) => `${r.direction} ${r.type}`).sort()).toEqual(['read struct vhost_msg', 'read struct vhost_msg_v2', 'write struct vhost_msg', 'write struct vhost_msg_v2']);
    const vdpa = channels.get('vhost-iotlb-vdpa');
    expect(vdpa?.fds).toEqual(['vhost-vdpa']);
    expect(vdpa?.records.every((r) => r.direction === 'write')).toBe(true);
    const vduse = channels.get('vduse-requests');
    expect(vduse?.fds).toEqual(['vduse-device']);
    expect(vduse?.records.map((r) => `${r.direction} ${r.type}`)).toEqual(['read struct vduse_dev_request', 'write struct vduse_dev_response']);
    expect(viewAt(pipeline('main'), '5.10').families.flatMap((f) => f.channels).map((c) => c.name)).not.toContain('vduse-requests');
  });
});
