// The vhost-user family against QEMU's docs/interop/vhost-user.rst, numbers checked by hand
// from the document (codes, header, payload sizes, feature bits, reply and fd rules), its place
// in the version projection, the cross-transport report, and validate's errors for bad messages.
import { describe, expect, it } from 'vitest';
import { ABIS, transportReport, type AbiView } from '../../src/model/index.ts';
import { layoutOk, openOk, runSpec, uapiFiles, viewAt } from '../support/spec.ts';

const spec = openOk('spec');
const newest = viewAt(spec, '7.3');
const oldest = viewAt(spec, '5.10');

const msg = (view: AbiView, name: string) => {
  const m = view.message(name);
  if (!m) throw new Error(`no message ${name}`);
  return m.item;
};

describe('vhost-user messages as the rst numbers them', () => {
  it('front-end codes', () => {
    const want: Record<string, number> = {
      VHOST_USER_GET_FEATURES: 1, VHOST_USER_SET_FEATURES: 2, VHOST_USER_SET_OWNER: 3, VHOST_USER_SET_MEM_TABLE: 5,
      VHOST_USER_SET_VRING_KICK: 12, VHOST_USER_GET_VRING_BASE: 11, VHOST_USER_GET_PROTOCOL_FEATURES: 15,
      VHOST_USER_SET_VRING_ENABLE: 18, VHOST_USER_IOTLB_MSG: 22, VHOST_USER_GET_CONFIG: 24, VHOST_USER_GET_INFLIGHT_FD: 31,
      VHOST_USER_ADD_MEM_REG: 37, VHOST_USER_SET_STATUS: 39, VHOST_USER_GET_SHARED_OBJECT: 41, VHOST_USER_CHECK_DEVICE_STATE: 43,
    };
    for (const [name, code] of Object.entries(want)) {
      expect(msg(newest, name).code, name).toBe(code);
      expect(msg(newest, name).sender, name).toBe('front-end');
    }
  });

  it('back-end codes number on their own', () => {
    expect(msg(newest, 'VHOST_USER_BACKEND_IOTLB_MSG')).toMatchObject({ code: 1, sender: 'back-end' });
    expect(msg(newest, 'VHOST_USER_BACKEND_VRING_HOST_NOTIFIER_MSG')).toMatchObject({ code: 3, sender: 'back-end' });
    expect(msg(newest, 'VHOST_USER_BACKEND_SHARED_OBJECT_LOOKUP')).toMatchObject({ code: 8, sender: 'back-end', qemu: '8.2' });
    const codes = newest.messages.filter((m) => m.item.sender === 'front-end').map((m) => m.item.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(Math.max(...codes)).toBe(43);
  });

  it('header, flags and protocol feature bits', () => {
    const p = newest.protocols.get('vhost-user')?.item;
    expect(p?.header).toBe('struct vhost_user_header');
    for (const abi of ABIS) expect(layoutOk(newest, abi, 'struct vhost_user_header').size, abi.name).toBe(12);
    expect(newest.value('VHOST_USER_VERSION')).toBe(1n);
    expect(newest.value('VHOST_USER_REPLY_MASK')).toBe(4n);
    expect(newest.value('VHOST_USER_NEED_REPLY_MASK')).toBe(8n);
    expect(newest.value('VHOST_USER_F_PROTOCOL_FEATURES')).toBe(30n);
    const bits: Record<string, bigint> = {
      VHOST_USER_PROTOCOL_F_MQ: 0n, VHOST_USER_PROTOCOL_F_LOG_SHMFD: 1n, VHOST_USER_PROTOCOL_F_REPLY_ACK: 3n,
      VHOST_USER_PROTOCOL_F_CONFIG: 9n, VHOST_USER_PROTOCOL_F_INFLIGHT_SHMFD: 12n, VHOST_USER_PROTOCOL_F_STATUS: 16n,
      VHOST_USER_PROTOCOL_F_SHARED_OBJECT: 18n, VHOST_USER_PROTOCOL_F_DEVICE_STATE: 19n,
    };
    for (const [name, bit] of Object.entries(bits)) expect(newest.value(name), name).toBe(bit);
    expect(p?.ackFeature).toBe('VHOST_USER_PROTOCOL_F_REPLY_ACK');
  });

  it('payload sizes are the rst tables, the same on every ABI', () => {
    const sizes: Record<string, number> = {
      'struct vhost_user_memory_region': 32, 'struct vhost_user_mem_reg': 40, 'struct vhost_user_log': 16,
      'struct vhost_user_vring_area': 24, 'struct vhost_user_inflight': 24, 'struct vhost_user_shared': 16,
      'struct vhost_user_transfer_device_state': 8,
      // num regions + padding before the regions; offset, size, flags before the config bytes.
      'struct vhost_user_memory': 8, 'struct vhost_user_config': 12,
    };
    for (const abi of ABIS) {
      for (const [key, size] of Object.entries(sizes)) expect(layoutOk(newest, abi, key).size, `${key} on ${abi.name}`).toBe(size);
    }
    const region = layoutOk(newest, ABIS[0] as (typeof ABIS)[number], 'struct vhost_user_memory_region');
    expect(region.fields.map((f) => [f.path, f.offset])).toEqual([['guest_phys_addr', 0], ['memory_size', 8], ['userspace_addr', 16], ['mmap_offset', 24]]);
    expect(layoutOk(newest, ABIS[0] as (typeof ABIS)[number], 'struct vhost_user_memory').flexible).toBe(true);
  });

  it('replies: the rst list of messages that always answer, REPLY_ACK for the rest', () => {
    for (const name of ['VHOST_USER_GET_FEATURES', 'VHOST_USER_GET_PROTOCOL_FEATURES', 'VHOST_USER_GET_VRING_BASE']) expect(msg(newest, name).reply, name).toBe('always');
    expect(msg(newest, 'VHOST_USER_GET_VRING_BASE').replyPayload).toBe('struct vhost_vring_state');
    expect(msg(newest, 'VHOST_USER_SET_LOG_BASE')).toMatchObject({ reply: 'with-feature', replyFeature: 'VHOST_USER_PROTOCOL_F_LOG_SHMFD' });
    expect(msg(newest, 'VHOST_USER_SET_VRING_NUM').reply).toBe('ack');
    expect(msg(newest, 'VHOST_USER_GET_INFLIGHT_FD')).toMatchObject({ reply: 'always', protocolFeature: 'VHOST_USER_PROTOCOL_F_INFLIGHT_SHMFD', replyFds: { min: 1, max: 1 } });
  });

  it('file descriptors: the rst list of fd-carrying front-end messages', () => {
    const carriers = ['VHOST_USER_ADD_MEM_REG', 'VHOST_USER_SET_MEM_TABLE', 'VHOST_USER_SET_LOG_BASE', 'VHOST_USER_SET_LOG_FD', 'VHOST_USER_SET_VRING_KICK', 'VHOST_USER_SET_VRING_CALL', 'VHOST_USER_SET_VRING_ERR', 'VHOST_USER_SET_BACKEND_REQ_FD', 'VHOST_USER_SET_INFLIGHT_FD'];
    for (const name of carriers) expect(msg(newest, name).fds.max, name).toBeGreaterThan(0);
    expect(msg(newest, 'VHOST_USER_SET_MEM_TABLE').fds.max).toBe(8);
    expect(msg(newest, 'VHOST_USER_SET_LOG_FD').fds).toMatchObject({ min: 1, max: 1 });
    expect(msg(newest, 'VHOST_USER_SET_VRING_KICK').fds).toMatchObject({ min: 0, max: 1 });
    expect(msg(newest, 'VHOST_USER_GET_FEATURES').fds).toMatchObject({ min: 0, max: 0 });
  });
});

describe('vhost-user in the version projection', () => {
  it('lives at every version: no kernel gates it, protocol features do', () => {
    for (const v of spec.versions) expect(viewAt(spec, v).messages.length, v).toBe(newest.messages.length);
    expect(newest.messages.length).toBe(51);
  });

  it('links a message to its ioctl and VDUSE request, where they exist', () => {
    expect(msg(newest, 'VHOST_USER_GET_VRING_BASE').operation).toMatchObject({ ioctl: 'VHOST_GET_VRING_BASE', vduse: { request: 'VDUSE_GET_VQ_STATE' } });
    const at = (view: AbiView) => transportReport(view).operations.find((o) => o.operation === 'VHOST_GET_VRING_BASE');
    expect(at(newest)?.transports).toEqual(['vhost', 'vduse', 'vhost-user']);
    expect(at(oldest)?.transports).toEqual(['vhost', 'vhost-user']);
    expect(at(newest)?.sides.find((s) => s.transport === 'vduse')).toMatchObject({ since: '6.1', payload: 'struct vduse_vq_state', sender: 'kernel' });
  });

  it('the report sees equal and differing payloads, and one-transport operations', () => {
    const ops = new Map(transportReport(newest).operations.map((o) => [o.operation, o]));
    expect(ops.get('VHOST_SET_VRING_NUM')?.drift).toBeUndefined();
    const log = ops.get('VHOST_SET_LOG_BASE');
    expect(log?.drift?.abis).toHaveLength(ABIS.length);
    expect(log?.drift?.shapes).toEqual(['8', '16{0:8,8:8}']);
    expect(ops.get('VHOST_USER_GET_QUEUE_NUM')?.transports).toEqual(['vhost-user']);
    expect(ops.get('VHOST_VDPA_SUSPEND')?.transports).toEqual(['vhost']);
    expect(ops.get('VDUSE_SUSPEND')?.transports).toEqual(['vduse']);
  });

  it('generates no UAPI header from the wire family', () => {
    const files = uapiFiles(newest).map((f) => f.path);
    expect(files.length).toBeGreaterThan(5);
    expect(files.filter((p) => /user/.test(p))).toEqual([]);
    expect(uapiFiles(newest).some((f) => f.content.includes('vhost_user_header'))).toBe(false);
  });
});

describe('validate on bad messages', () => {
  const project = { path: 'project.yaml', text: 'project: t\nversions: [6.1]\n' };
  const family = (body: string) => ({ path: 'p.yaml', text: `family: p\ndoc: P.\nwire: true\n${body}` });
  const base = [
    'items:',
    '  - { struct: p_hdr, packed: true, members: [ { field: request, type: __u32 }, { field: flags, type: __u32 }, { field: size, type: __u32 } ] }',
    '  - { flags: p-flags, reserved: reject, values: [ { name: P_NEED_REPLY, bit: 3 } ] }',
    '  - { features: p-features, values: [ { name: P_F_ACK, bit: 0 } ] }',
    'protocol: { protocol: p, doc: P., header: struct p_hdr, flags: p-flags, features: p-features, max-fds: 8 }',
    'messages:',
  ].join('\n');
  const errorsOf = (messages: string, extraItems = '') => {
    const text = base.replace('items:', `items:\n${extraItems}`.trimEnd()) + '\n' + messages;
    return runSpec([project, family(text)]).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.line}:${d.col} ${d.rule} ${d.message}`);
  };

  it('a good message opens', () => {
    expect(errorsOf('  - { message: P_GET, code: 1, sender: front-end, doc: Get., reply: always, reply-payload: __u64 }\n')).toEqual([]);
  });

  it('points at the key at fault: unknown feature, duplicate code, too many fds, unknown ioctl and type', () => {
    const lines = [
      '  - { message: P_GET, code: 1, sender: front-end, doc: Get., reply: always, reply-payload: __u64, protocol-feature: P_F_NOPE }',
      '  - { message: P_SET, code: 1, sender: front-end, doc: Set., reply: ack, payload: __u64, fds: 9 }',
      '  - { message: P_LINK, code: 2, sender: front-end, doc: Link., reply: ack, operation: { ioctl: P_IOCTL, differences: none } }',
      '  - { message: P_BACK, code: 1, sender: back-end, doc: Back., reply: ack, payload: struct p_nope }',
    ];
    // The messages start on line 10 (family, doc, wire, items and four item lines before them).
    const where = (i: number, text: string): string => `${10 + i}:${(lines[i] as string).indexOf(text) + 1}`;
    expect(errorsOf(`${lines.join('\n')}\n`)).toEqual([
      `${where(0, 'P_F_NOPE')} spec-unknown-name message P_GET: 'P_F_NOPE' is not a bit of p-features (at 6.1)`,
      `${where(1, '1, sender')} spec-duplicate-name message P_SET: code 1 of the front-end is also P_GET (at 6.1)`,
      `${where(1, '9 }')} spec-out-of-range message P_SET: fds max 9 is above the protocol's max-fds 8 (at 6.1)`,
      `${where(2, 'P_IOCTL')} spec-unknown-name message P_LINK: 'P_IOCTL' is not a request at any checked version`,
      `${where(3, 'struct p_nope')} spec-unknown-type message P_BACK: payload struct p_nope is not defined (at 6.1)`,
    ]);
  });

  it('a wire struct must be packed', () => {
    const errors = errorsOf('  - { message: P_GET, code: 1, sender: front-end, doc: Get., reply: ack }\n', '  - { struct: p_loose, members: [ { field: a, type: __u64 } ] }\n');
    expect(errors).toEqual([expect.stringMatching(/^5:\d+ spec-wire-not-packed struct p_loose of wire family p is not packed/)]);
  });
});
