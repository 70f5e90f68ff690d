// Predicted result of one probe cell (request x status state x argument case x
// owner) on upstream vhost-vdpa, as a pure function. The rules were read from
// drivers/vhost/vdpa.c and drivers/vhost/vhost.c (v6.12; each names the step of the
// ioctl path it models); behaviour that no rule predicts is listed in QUIRKS with the
// errno measured in the lab.
// Later the project's spec (status rules, quirks) will feed this instead.

/** One probe cell as recorded by test/lab/probe/vdpa_probe.c. */
export interface Cell {
  request: string;
  state: string; // a key of STATE_STATUS
  arg: string; // 'valid' | 'null' | 'noarg' | 'ptr' | 'vq_oob' | request-specific case
  owner: boolean; // VHOST_SET_OWNER done before the request
  value?: string; // the decisive argument value(s), e.g. "0x3" or "index=2,num=1"
  head?: number; // first u32 of the argument buffer (absent for a NULL argument)
}

/** Facts about the device and kernel the cell ran on (from the probe and the kernel config). */
export interface Target {
  vqs: number;
  asNum: number;
  configSize: number;
  backendFeatures: bigint; // VHOST_GET_BACKEND_FEATURES
  /** Parent ops present (VDUSE on 6.12: the backend-feature bits show suspend/resume). */
  ops: { suspend: boolean; resume: boolean; getVqGroup: boolean; getVqDescGroup: boolean; setGroupAsid: boolean; getVqSize: boolean };
  config: { crossEndianLegacy: boolean; forkOwnerControl: boolean };
}

export interface Expectation {
  errnos: string[]; // '0' = success
  rule: string; // rule id, or quirk id when quirk is set
  quirk?: boolean;
}

export interface Quirk {
  id: string;
  measured: string;
  what: string;
}

/** Upstream behaviour that departs from the generic rules (measured on 6.12.117, VDUSE parent). */
export const QUIRKS: Record<string, Quirk> = {
  'vdpa.unknown.owner-first': {
    id: 'vdpa.unknown.owner-first', measured: 'EPERM',
    what: 'an ioctl vhost-vdpa does not implement reaches vhost_dev_ioctl, whose owner check answers EPERM before anything says ENOTTY',
  },
  'vdpa.unknown.reads-index': {
    id: 'vdpa.unknown.reads-index', measured: 'EFAULT',
    what: 'an unimplemented ioctl falls through to vhost_vdpa_vring_ioctl, which get_user()s a u32 index from the argument first: a NULL argument gives EFAULT',
  },
  'vdpa.unknown.index-range': {
    id: 'vdpa.unknown.index-range', measured: 'ENOBUFS',
    what: 'same fall-through: when the first u32 of the argument is >= nvqs the answer is ENOBUFS instead of ENOTTY',
  },
};

/** Status byte of each probe state; 'reset' is 0 reached through DRIVER_OK then SET_STATUS(0). */
export const STATE_STATUS: Record<string, number> = {
  '0': 0,
  ACK: 0x1,
  'ACK|DRIVER': 0x3,
  'ACK|DRIVER|FEATURES_OK': 0xb,
  'ACK|DRIVER|FEATURES_OK|DRIVER_OK': 0xf,
  reset: 0,
};

const S_DRIVER_OK = 0x4;
const S_FEATURES_OK = 0x8;
const BACKEND = { MSG_V2: 1, BATCH: 2, IOTLB_ASID: 3, SUSPEND: 4, RESUME: 5, ENABLE_AFTER_DRIVER_OK: 6, DESC_ASID: 7, IOTLB_PERSIST: 8 };
const bit = (n: number) => 1n << BigInt(n);

const ok = (rule: string): Expectation => ({ errnos: ['0'], rule });
const fail = (errno: string, rule: string): Expectation => ({ errnos: [errno], rule });
const quirk = (id: string): Expectation => ({ errnos: [QUIRKS[id]!.measured], rule: id, quirk: true });

/** "index=2,num=1" -> { index: 2, num: 1 }; a bare "0x3" -> { value: 3 }. */
function fields(value: string | undefined): Record<string, bigint> {
  const out: Record<string, bigint> = {};
  for (const part of (value ?? '').split(',').filter(Boolean)) {
    const [k, v] = part.includes('=') ? part.split('=') : ['value', part];
    out[k!] = BigInt(v!);
  }
  return out;
}

const isNull = (c: Cell) => c.head === undefined;

// §5.1 step 2: handled by vhost_vdpa_unlocked_ioctl under the mutex, no owner check.
const GETTERS = new Set([
  'VHOST_VDPA_GET_DEVICE_ID', 'VHOST_VDPA_GET_STATUS', 'VHOST_GET_FEATURES', 'VHOST_VDPA_GET_VRING_NUM',
  'VHOST_VDPA_GET_GROUP_NUM', 'VHOST_VDPA_GET_AS_NUM', 'VHOST_GET_BACKEND_FEATURES', 'VHOST_VDPA_GET_IOVA_RANGE',
  'VHOST_VDPA_GET_CONFIG_SIZE', 'VHOST_VDPA_GET_VQS_COUNT',
]);

// vhost_vdpa_vring_ioctl / generic vhost_vring_ioctl (v6.12): requests with a vq index first.
const VRING = new Set([
  'VHOST_VDPA_SET_VRING_ENABLE', 'VHOST_VDPA_GET_VRING_GROUP', 'VHOST_VDPA_GET_VRING_DESC_GROUP',
  'VHOST_VDPA_SET_GROUP_ASID', 'VHOST_VDPA_GET_VRING_SIZE', 'VHOST_GET_VRING_BASE', 'VHOST_SET_VRING_NUM',
  'VHOST_SET_VRING_ADDR', 'VHOST_SET_VRING_BASE', 'VHOST_SET_VRING_KICK', 'VHOST_SET_VRING_CALL', 'VHOST_SET_VRING_ERR',
  'VHOST_SET_VRING_ENDIAN', 'VHOST_GET_VRING_ENDIAN', 'VHOST_SET_VRING_BUSYLOOP_TIMEOUT', 'VHOST_GET_VRING_BUSYLOOP_TIMEOUT',
]);

/** fd argument: -1 unbinds, an eventfd binds, anything else fails the eventfd lookup (EBADF). */
function eventfdArg(fd: bigint | undefined, rule: string): Expectation {
  if (fd === -1n) return ok(`${rule}.unbind`);
  if (fd !== undefined && fd >= 1000n) return fail('EBADF', `${rule}.eventfd-lookup`);
  return ok(rule);
}

export function expected(c: Cell, t: Target): Expectation {
  const status = STATE_STATUS[c.state];
  if (status === undefined) return { errnos: [], rule: `unknown-state:${c.state}` };
  const f = fields(c.value);
  const r = c.request;

  // §5.1 item 1: SET_BACKEND_FEATURES first, no mutex, no owner check.
  if (r === 'VHOST_SET_BACKEND_FEATURES') {
    if (isNull(c)) return fail('EFAULT', '5.1.backend.copy');
    const v = f.value ?? 0n;
    const allowed = [BACKEND.MSG_V2, BACKEND.BATCH, BACKEND.IOTLB_ASID, BACKEND.DESC_ASID, BACKEND.IOTLB_PERSIST,
      BACKEND.SUSPEND, BACKEND.RESUME, BACKEND.ENABLE_AFTER_DRIVER_OK].reduce((a, b) => a | bit(b), 0n);
    if (v & ~allowed) return fail('EOPNOTSUPP', '5.1.backend.unknown-bits');
    if (v & bit(BACKEND.SUSPEND) && !t.ops.suspend) return fail('EOPNOTSUPP', '5.1.backend.suspend-op');
    if (v & bit(BACKEND.RESUME) && !t.ops.resume) return fail('EOPNOTSUPP', '5.1.backend.resume-op');
    if (v & bit(BACKEND.DESC_ASID) && !(v & bit(BACKEND.IOTLB_ASID))) return fail('EINVAL', '5.1.backend.desc-asid-needs-asid');
    if (v & bit(BACKEND.DESC_ASID) && !t.ops.getVqDescGroup) return fail('EOPNOTSUPP', '5.1.backend.desc-asid-op');
    if (v & bit(BACKEND.IOTLB_PERSIST) && !(t.backendFeatures & bit(BACKEND.IOTLB_PERSIST))) return fail('EOPNOTSUPP', '5.1.backend.persist');
    return ok('5.1.backend.set');
  }

  // §5.1 step 2 (+ §5.6 copy patterns): no owner check.
  if (GETTERS.has(r)) return isNull(c) ? fail('EFAULT', '5.6.copy-to-user') : ok('5.1.step2.get');
  if (r === 'VHOST_VDPA_SET_STATUS') {
    // §5.2: "Userspace shouldn't remove status bits unless reset the status to 0"
    if (isNull(c)) return fail('EFAULT', '5.2.status.copy');
    const v = Number(f.value ?? 0n);
    if (v !== 0 && (status & ~v) !== 0) return fail('EINVAL', '5.2.status.no-clear-without-reset');
    return ok(v === 0 ? '5.2.status.reset' : '5.2.status.set');
  }
  if (r === 'VHOST_VDPA_GET_CONFIG' || r === 'VHOST_VDPA_SET_CONFIG') {
    // §5.4: any validation failure is EINVAL
    if (isNull(c)) return fail('EFAULT', '5.4.config.copy-header');
    const off = f.off ?? 0n;
    const len = f.len ?? 0n;
    const size = BigInt(t.configSize);
    if (len === 0n || off > size || len > size - off) return fail('EINVAL', '5.4.config.validate');
    return ok('5.4.config.access');
  }
  if (r === 'VHOST_SET_FEATURES') {
    // §5.3: EBUSY once FEATURES_OK is set (checked before copy_from_user); no mask on SET since S1
    if (status & S_FEATURES_OK) return fail('EBUSY', '5.3.features.after-features-ok');
    if (isNull(c)) return fail('EFAULT', '5.3.features.copy');
    return ok('5.3.features.no-mask');
  }
  if (r === 'VHOST_VDPA_SET_CONFIG_CALL') {
    if (isNull(c)) return fail('EFAULT', '5.4.config-call.copy');
    return eventfdArg(f.value, '5.4.config-call');
  }
  if (r === 'VHOST_VDPA_SUSPEND' || r === 'VHOST_VDPA_RESUME') {
    // vhost_vdpa_suspend (v6.12): no-op returning 0 unless DRIVER_OK; then EOPNOTSUPP without the parent op
    if (!(status & S_DRIVER_OK)) return ok('5.4.suspend.not-driver-ok');
    const has = r === 'VHOST_VDPA_SUSPEND' ? t.ops.suspend : t.ops.resume;
    return has ? ok('5.4.suspend.op') : fail('EOPNOTSUPP', '5.4.suspend.no-op');
  }
  if (r === 'VHOST_SET_LOG_BASE' || r === 'VHOST_SET_LOG_FD') return fail('ENOTTY', '5.1.log-enoioctlcmd');

  // vhost_vdpa_unlocked_ioctl default branch -> vhost_dev_ioctl (v6.12).
  if (r === 'VHOST_SET_OWNER') return c.owner ? fail('EBUSY', '5.1.owner.already') : ok('5.1.owner.set');
  if (t.config.forkOwnerControl && r === 'VHOST_SET_FORK_FROM_OWNER') {
    if (c.owner) return fail('EBUSY', '5.1.fork.after-owner');
    if (isNull(c)) return fail('EFAULT', '5.1.fork.copy');
    return (f.value ?? 0n) > 1n ? fail('EINVAL', '5.1.fork.value') : ok('5.1.fork.set');
  }
  if (t.config.forkOwnerControl && r === 'VHOST_GET_FORK_FROM_OWNER') return isNull(c) ? fail('EFAULT', '5.1.fork.copy') : ok('5.1.fork.get');
  const known = VRING.has(r) || r === 'VHOST_SET_MEM_TABLE';
  if (!c.owner) return known ? fail('EPERM', '5.1.owner-check') : quirk('vdpa.unknown.owner-first');
  if (r === 'VHOST_SET_MEM_TABLE') {
    if (isNull(c)) return fail('EFAULT', '5.1.mem-table.copy');
    if ((f.padding ?? 0n) !== 0n) return fail('EOPNOTSUPP', '5.1.mem-table.padding');
    if ((f.nregions ?? 0n) > 64n) return fail('E2BIG', '5.1.mem-table.max-regions');
    return ok('5.1.mem-table.set');
  }

  // -> vhost_vdpa_vring_ioctl: get_user(u32 index) first.
  if (!known) {
    // The generic rule (FS: vfs_ioctl turns -ENOIOCTLCMD into ENOTTY) after the quirky index read.
    if (isNull(c)) return quirk('vdpa.unknown.reads-index');
    if ((c.head ?? 0) >= t.vqs) return quirk('vdpa.unknown.index-range');
    return fail('ENOTTY', '5.1.fs.enoioctlcmd-enotty');
  }
  if (isNull(c)) return fail('EFAULT', '5.1.vring.get-index');
  if ((c.head ?? 0) >= t.vqs) return fail('ENOBUFS', '5.1.vring.index-range');
  const drvOk = (status & S_DRIVER_OK) !== 0;
  switch (r) {
    case 'VHOST_VDPA_SET_VRING_ENABLE':
    case 'VHOST_GET_VRING_BASE':
    case 'VHOST_SET_VRING_BUSYLOOP_TIMEOUT':
    case 'VHOST_GET_VRING_BUSYLOOP_TIMEOUT':
      return ok('5.1.vring.op');
    case 'VHOST_VDPA_GET_VRING_GROUP':
      return t.ops.getVqGroup ? ok('5.1.vring.group') : fail('EOPNOTSUPP', '5.1.vring.group-op');
    case 'VHOST_VDPA_GET_VRING_DESC_GROUP':
      return t.ops.getVqDescGroup ? ok('5.1.vring.desc-group') : fail('EOPNOTSUPP', '5.1.vring.desc-group-op');
    case 'VHOST_VDPA_GET_VRING_SIZE':
      return t.ops.getVqSize ? ok('5.1.vring.size') : fail('EOPNOTSUPP', '5.1.vring.size-op');
    case 'VHOST_VDPA_SET_GROUP_ASID':
      if ((f.num ?? 0n) >= BigInt(t.asNum)) return fail('EINVAL', '5.1.vring.asid-range');
      return t.ops.setGroupAsid ? ok('5.1.vring.asid') : fail('EOPNOTSUPP', '5.1.vring.asid-op');
    case 'VHOST_SET_VRING_NUM': {
      const n = f.num ?? 0n;
      return n === 0n || n > 0xffffn || (n & (n - 1n)) !== 0n ? fail('EINVAL', '5.1.vring.num') : ok('5.1.vring.num-set');
    }
    case 'VHOST_SET_VRING_ADDR':
      if ((f.flags ?? 0n) & ~1n) return fail('EOPNOTSUPP', '5.1.vring.addr-flags');
      if ((f.used_align ?? 0n) !== 0n) return fail('EINVAL', '5.1.vring.addr-align');
      return drvOk ? fail('EINVAL', '5.1.vring.addr-driver-ok') : ok('5.1.vring.addr-set');
    case 'VHOST_SET_VRING_BASE':
      if ((f.num ?? 0n) > 0xffffn) return fail('EINVAL', '5.1.vring.base-range');
      return drvOk ? fail('EINVAL', '5.1.vring.base-driver-ok') : ok('5.1.vring.base-set');
    case 'VHOST_SET_VRING_KICK':
    case 'VHOST_SET_VRING_CALL':
    case 'VHOST_SET_VRING_ERR':
      return eventfdArg(f.fd, '5.1.vring.file');
    case 'VHOST_SET_VRING_ENDIAN':
    case 'VHOST_GET_VRING_ENDIAN':
      if (!t.config.crossEndianLegacy) return fail('ENOTTY', '5.1.vring.endian-not-built');
      if (r === 'VHOST_SET_VRING_ENDIAN' && (f.num ?? 0n) > 1n) return fail('EINVAL', '5.1.vring.endian-value');
      return ok('5.1.vring.endian');
    default:
      return { errnos: [], rule: `unmodelled:${r}` };
  }
}
