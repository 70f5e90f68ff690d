// One synthetic case per rule of the catalog: an edit of the demo spec (test/diff/fixtures/demo)
// and the finding it must produce, with the severity the catalog gives and the item it names.
// Expected values are worked out by hand from the demo's layout (x86_64 unless said).
import { describe, expect, it } from 'vitest';
import { RULES } from '../../src/diff/rules.ts';
import type { Finding } from '../../src/diff/types.ts';
import { chain, DEMO, diff, only, specCopy, sub, type Edit } from './support.ts';

interface Case {
  rule: keyof typeof RULES;
  item: string;
  edit: Edit;
  /** An edit of the base too (when the rule needs a base the demo does not have). */
  base?: Edit;
  /** Compare one version pair of the edited spec instead of demo vs edited. */
  pair?: [string, string];
  /** Extra files of the head. */
  extra?: Record<string, string>;
  /** The fixture file the edits apply to (default demo.yaml). */
  file?: string;
  check?: (f: Finding, all: Finding[]) => void;
}

const REQUEST = (name: string, nr: string, extra = ''): string => `  - request: ${name}\n    type: DEMO_TYPE\n    nr: ${nr}\n    encoding: none\n    scope: [demo-fd]\n${extra}`;

/** A write record on demo-chan and an executable write() with one more check (demo.yaml ends with the channel). */
const WRITE = (check: string): string => `      - { type: struct demo_msg, direction: write, form: DEMO_F_A }\n    write:\n      returns: record_size\n      checks:\n        - { check: short, refuse: "len < sizeof(struct demo_msg)", error: EINVAL }\n${check}`;

const WIRE = 'demo-wire.yaml';

const cases: Case[] = [
  // Requests
  { rule: 'request-removed', item: 'DEMO_RESET', edit: chain(sub(REQUEST('DEMO_RESET', '0x05'), ''), sub('requests: [DEMO_RESET]', 'requests: []')), check: (f) => expect(f.witnesses.find((w) => w.abi === 'x86_64')?.old).toBe('0xd005') },
  { rule: 'request-added', item: 'DEMO_NEW', edit: sub('  - request: DEMO_RETIRED', `${REQUEST('DEMO_NEW', '0x07')}  - request: DEMO_RETIRED`) },
  { rule: 'request-renamed', item: 'DEMO_RESET', edit: chain(sub('request: DEMO_RESET', 'request: DEMO_RESTART'), sub('requests: [DEMO_RESET]', 'requests: [DEMO_RESTART]')), check: (f) => expect(f.message).toContain('DEMO_RESTART') },
  // _IOW(0xd0, 0x01, 24 bytes) -> nr 0x09: 0x4018d001 -> 0x4018d009 on x86_64.
  { rule: 'request-number-changed', item: 'DEMO_SET', edit: sub('nr: 0x01', 'nr: 0x09'), check: (f) => expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '0x4018d001', new: '0x4018d009' }) },
  // demo_sized grows 4 -> 8 bytes: _IOW size bits 4 -> 8, and it declares size-in-number.
  { rule: 'request-size-versioned', item: 'DEMO_SIZED', edit: sub('      - { field: a, type: __u32 }\n  - struct: demo_msg', '      - { field: a, type: __u32 }\n      - { field: b, type: __u32 }\n  - struct: demo_msg'), check: (f) => expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '0x4004d004', new: '0x4008d004' }) },
  // DEMO_RETIRED (_IOR 0x06 __u32, until 6.12) is 0x8004d006; DEMO_TAKER takes it at 7.2.
  { rule: 'request-number-reused', item: 'DEMO_TAKER', pair: ['6.12', '7.2'], edit: sub('fds:\n', `  - request: DEMO_TAKER\n    type: DEMO_TYPE\n    nr: 0x06\n    encoding: read\n    arg: __u32\n    since: 7.2\n    scope: [demo-fd]\nfds:\n`), check: (f) => { expect(f.message).toContain('DEMO_RETIRED (retired at 6.12)'); expect(f.witnesses.find((w) => w.abi === 'x86_64')?.new).toBe('DEMO_TAKER 0x8004d006'); } },
  { rule: 'request-pass-changed', item: 'DEMO_EXT', edit: sub('    pass: pointer\n', '    pass: value\n') },
  { rule: 'request-data-changed', item: 'DEMO_EXT', edit: sub('    data: inout\n', '    data: in\n') },
  { rule: 'request-arg-renamed', item: 'DEMO_EXT', edit: chain(sub('arg: struct demo_ext\n', 'arg: struct demo_ext2\n'), sub('  - struct: demo_sized', '  - struct: demo_ext2\n    extension: argsz\n    members:\n      - { field: argsz, type: __u32 }\n      - { field: flags, type: __u32 }\n      - { field: x, type: __u32 }\n  - struct: demo_sized')) },
  { rule: 'request-arg-replaced', item: 'DEMO_EXT', edit: sub('arg: struct demo_ext\n', 'arg: struct demo_fixed\n'), check: (f) => expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: 'struct demo_ext 12 bytes', new: 'struct demo_fixed 24 bytes' }) },
  { rule: 'request-scope-narrowed', item: 'DEMO_SET', edit: sub('scope: [demo-fd, demo-other]', 'scope: [demo-fd]') },
  { rule: 'request-scope-widened', item: 'DEMO_GET', edit: sub('    arg: __u32\n    scope: [demo-fd]\n  - request: DEMO_EXT', '    arg: __u32\n    scope: [demo-fd, demo-other]\n  - request: DEMO_EXT') },
  { rule: 'request-deprecated', item: 'DEMO_RESET', edit: sub('nr: 0x05\n', 'nr: 0x05\n    deprecated: use DEMO_EXT\n') },
  // Types
  { rule: 'type-removed', item: 'struct demo_unused', edit: sub('  - struct: demo_unused\n    members:\n      - { field: a, type: __u32 }\n', '') },
  { rule: 'type-added', item: 'struct demo_new', edit: sub('  - struct: demo_unused', '  - struct: demo_new\n    members:\n      - { field: a, type: __u32 }\n  - struct: demo_unused') },
  // z inserted after a: b 4 -> 8, c 8 -> 16, size 24 -> 32 (x86_64).
  { rule: 'member-moved', item: 'struct demo_fixed', edit: sub('      - { field: a, type: __u32 }\n      - { field: b, type: __u32 }', '      - { field: a, type: __u32 }\n      - { field: z, type: __u32 }\n      - { field: b, type: __u32 }'), check: (f) => { expect(f.message).toContain('b 4 -> 8'); expect(f.message).toContain('z inserted'); expect(f.abis).toHaveLength(17); } },
  { rule: 'member-resized', item: 'struct demo_fixed.a', edit: sub('      - { field: a, type: __u32 }\n      - { field: b, type: __u32 }', '      - { field: a, type: __u16 }\n      - { field: b, type: __u32 }'), check: (f) => expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '4', new: '2' }) },
  { rule: 'member-removed', item: 'struct demo_ext.x', edit: sub('      - { field: x, type: __u32, min: true }\n', '') },
  { rule: 'member-renamed', item: 'struct demo_fixed.b', edit: sub('{ field: b, type: __u32 }\n      - { field: c', '{ field: bb, type: __u32 }\n      - { field: c') },
  { rule: 'member-type-changed', item: 'struct demo_fixed.b', edit: sub('{ field: b, type: __u32 }\n      - { field: c', '{ field: b, type: __u8, count: 4 }\n      - { field: c') },
  // __u64 -> __aligned_u64 at offset 8: same size and offset everywhere.
  { rule: 'member-retyped', item: 'struct demo_fixed.c', edit: sub('{ field: c, type: __u64 }', '{ field: c, type: __aligned_u64 }') },
  { rule: 'member-added', item: 'struct demo_u.z', edit: sub('          - { field: y, type: __u64 }', '          - { field: y, type: __u64 }\n          - { field: z, type: __u16 }'), check: (f) => expect(f.message).toContain('a union') },
  { rule: 'reserved-carved', item: 'struct demo_fixed', edit: sub('      - { field: rsv, type: __u32, count: 2, reserved: true }', '      - { field: n, type: __u32 }\n      - { field: rsv, type: __u32, reserved: true }'), check: (f, all) => { expect(f.message).toContain('n carved out of rsv'); expect(all.filter((x) => x.severity !== 'compatible')).toEqual([]); } },
  { rule: 'struct-size-changed', item: 'struct demo_fixed', edit: sub('      - { field: rsv, type: __u32, count: 2, reserved: true }', '      - { field: rsv, type: __u32, count: 2, reserved: true }\n      - { field: d, type: __u64 }'), check: (f, all) => { expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '24', new: '32' }); expect(all.some((x) => x.rule === 'request-number-changed' && x.item === 'DEMO_SET')).toBe(true); } },
  { rule: 'struct-grew', item: 'struct demo_ext', edit: sub('      - { field: x, type: __u32, min: true }\n', '      - { field: x, type: __u32, min: true }\n      - { field: y, type: __u32 }\n'), check: (f, all) => { expect(f.witnesses.find((w) => w.abi === 'x86_64')).toEqual({ abi: 'x86_64', old: '12', new: '16' }); expect(all.filter((x) => x.severity !== 'compatible')).toEqual([]); } },
  { rule: 'extension-changed', item: 'struct demo_msg', edit: sub('  - struct: demo_msg\n    extension: fixed', '  - struct: demo_msg\n    extension: copy-struct-from-user') },
  // Constants and sets
  { rule: 'constant-removed', item: 'DEMO_OLD_NAME', edit: sub('  - { define: DEMO_OLD_NAME, value: 7 }\n', '') },
  { rule: 'constant-added', item: 'DEMO_EXTRA', edit: sub('  - { define: DEMO_OLD_NAME, value: 7 }\n', '  - { define: DEMO_OLD_NAME, value: 7 }\n  - { define: DEMO_EXTRA, value: 8 }\n') },
  { rule: 'constant-renamed', item: 'DEMO_OLD_NAME', edit: sub('define: DEMO_OLD_NAME, value: 7', 'define: DEMO_OLD_NAME_V1, value: 7') },
  { rule: 'constant-value-changed', item: 'DEMO_OLD_NAME', edit: sub('define: DEMO_OLD_NAME, value: 7', 'define: DEMO_OLD_NAME, value: 9'), check: (f) => expect(f.witnesses).toEqual([{ old: '7', new: '9' }]) },
  { rule: 'sentinel-moved', item: 'DEMO_MODE_MAX', edit: sub('      - { name: DEMO_MODE_MAX, value: 2, sentinel: true }', '      - { name: DEMO_MODE_C, value: 2 }\n      - { name: DEMO_MODE_MAX, value: 3, sentinel: true }') },
  { rule: 'constant-redefined', item: 'DEMO_MODE_B', edit: chain(sub('      - { name: DEMO_MODE_B, value: 1 }\n', ''), sub('  - { define: DEMO_OLD_NAME, value: 7 }\n', '  - { define: DEMO_OLD_NAME, value: 7 }\n  - { define: DEMO_MODE_B, value: 1 }\n')) },
  {
    rule: 'constant-moved-header', item: 'DEMO_OLD_NAME', edit: sub('  - { define: DEMO_OLD_NAME, value: 7 }\n', ''),
    extra: { 'demo2.yaml': 'family: demo2\ndoc: A second header.\nheader: linux/demo2.h\nitems:\n  - { define: DEMO_OLD_NAME, value: 7 }\n' },
    check: (f) => expect(f.message).toContain('linux/demo.h to linux/demo2.h'),
  },
  { rule: 'reserved-policy-tightened', item: 'set demo-flags', base: sub('reserved: reject', 'reserved: ignore'), edit: (t) => t },
  { rule: 'reserved-policy-loosened', item: 'set demo-flags', edit: sub('reserved: reject', 'reserved: ignore') },
  { rule: 'flag-withdrawn', item: 'DEMO_F_B', edit: sub('      - { name: DEMO_F_B, value: "(1 << 1)" }\n', '') },
  // Behaviour
  { rule: 'fd-removed', item: 'fd demo-other', edit: chain(sub('scope: [demo-fd, demo-other]', 'scope: [demo-fd]'), (t) => t.slice(0, t.indexOf('  - fd: demo-other')) + t.slice(t.indexOf('request-sets:'))) },
  { rule: 'fd-added', item: 'fd demo-third', edit: sub('request-sets:', '  - fd: demo-third\n    doc: A third fd kind.\nrequest-sets:') },
  { rule: 'unknown-request-errno-changed', item: 'fd demo-fd', edit: sub('unknown-request: ENOTTY', 'unknown-request: EINVAL') },
  { rule: 'gate-added', item: 'DEMO_RESET@demo-fd', edit: sub('      - requests: [DEMO_GET]\n        owner: true', '      - requests: [DEMO_GET, DEMO_RESET]\n        owner: true'), check: (f) => expect(f.message).toContain('refused unless the caller owns the device (EPERM)') },
  { rule: 'gate-tightened', item: 'DEMO_SET@demo-fd', edit: sub('forbids: [DEMO_S_OK]', 'forbids: [DEMO_S_OK, DEMO_S_READY]') },
  { rule: 'gate-removed', item: 'DEMO_GET@demo-fd', edit: sub('      - requests: [DEMO_GET]\n        owner: true\n        error: EPERM\n', '') },
  { rule: 'gate-errno-changed', item: 'DEMO_SET@demo-fd', edit: sub('        forbids: [DEMO_S_OK]\n        error: EBUSY', '        forbids: [DEMO_S_OK]\n        error: EAGAIN'), check: (f) => expect(f.witnesses).toEqual([{ old: 'EBUSY', new: 'EAGAIN' }]) },
  { rule: 'check-added', item: 'DEMO_SET@demo-other b-range', edit: sub('          - { check: a-range, refuse: "arg.a > 4", error: EINVAL }', '          - { check: a-range, refuse: "arg.a > 4", error: EINVAL }\n          - { check: b-range, refuse: "arg.b > 4", error: ERANGE }') },
  { rule: 'check-removed', item: 'DEMO_SET@demo-other a-range', edit: sub('          - { check: a-range, refuse: "arg.a > 4", error: EINVAL }\n', '') },
  { rule: 'check-changed', item: 'DEMO_SET@demo-other a-range', edit: sub('refuse: "arg.a > 4"', 'refuse: "arg.a > 8"') },
  { rule: 'quirk-added', item: 'quirk demo-slow@demo-fd', edit: sub('        doc: An odd errno.\n', '        doc: An odd errno.\n      - name: demo-slow\n        requests: [DEMO_SET]\n        errno: [EAGAIN]\n        when: "status == 1"\n        doc: Busy while ready.\n') },
  { rule: 'quirk-noted', item: 'quirk demo-cache@demo-fd', edit: sub('        doc: An odd errno.\n', '        doc: An odd errno.\n      - name: demo-cache\n        requests: [DEMO_SET]\n        errno: []\n        when: "status == 1"\n        doc: Refreshes a cache.\n') },
  { rule: 'quirk-removed', item: 'quirk demo-odd@demo-fd', edit: sub('    quirks:\n      - name: demo-odd\n        requests: [DEMO_GET]\n        errno: [EIO]\n        when: "status == 3"\n        doc: An odd errno.\n', '') },
  { rule: 'quirk-changed', item: 'quirk demo-odd@demo-fd', edit: sub('        requests: [DEMO_GET]\n        errno: [EIO]', '        requests: [DEMO_GET, DEMO_SET]\n        errno: [EIO]') },
  { rule: 'quirk-errno-changed', item: 'quirk demo-odd@demo-fd', edit: sub('errno: [EIO]', 'errno: [EAGAIN]') },
  { rule: 'device-removed', item: 'device demo-dev', edit: (t) => `${t.slice(0, t.indexOf('devices:'))}${t.slice(t.indexOf('channels:'))}` },
  { rule: 'device-added', item: 'device demo-dev2', edit: sub('channels:', '  - device: demo-dev2\n    fd: demo-other\n    doc: A second profile.\n    requests: [DEMO_SET]\nchannels:') },
  { rule: 'device-id-changed', item: 'device demo-dev', edit: sub('device-id: DEMO_LIMIT', 'device-id: DEMO_OLD_NAME') },
  { rule: 'device-queues-limited', item: 'device demo-dev', edit: sub('max-queues: 4', 'max-queues: 2') },
  { rule: 'device-queues-raised', item: 'device demo-dev', edit: sub('max-queues: 4', 'max-queues: 8') },
  { rule: 'device-request-dropped', item: 'DEMO_RESET@demo-dev', edit: sub('requests: [DEMO_RESET]', 'requests: []') },
  { rule: 'device-request-added', item: 'DEMO_SIZED@demo-dev', edit: sub('requests: [DEMO_RESET]', 'requests: [DEMO_RESET, DEMO_SIZED]') },
  // The 2019 review's debate in miniature: a feature leaves the blacklist, so it is now offered.
  { rule: 'feature-newly-offered', item: 'DEMO_FEAT_B@demo-dev', edit: sub('    feature-blacklist: [DEMO_FEAT_B]\n', '') },
  { rule: 'feature-withheld', item: 'DEMO_FEAT_A@demo-dev', edit: sub('feature-blacklist: [DEMO_FEAT_B]', 'feature-blacklist: [DEMO_FEAT_A, DEMO_FEAT_B]') },
  // Channels
  { rule: 'channel-removed', item: 'channel demo-chan', edit: (t) => t.slice(0, t.indexOf('channels:')) },
  { rule: 'channel-added', item: 'channel demo-chan2', edit: (t) => `${t}  - channel: demo-chan2\n    fd: [demo-fd]\n    doc: More messages.\n    records:\n      - { type: struct demo_sized, direction: write }\n` },
  { rule: 'channel-record-removed', item: 'channel demo-chan read struct demo_msg', edit: sub('{ type: struct demo_msg, direction: read }', '{ type: struct demo_sized, direction: read }') },
  { rule: 'channel-record-added', item: 'channel demo-chan write struct demo_sized', edit: sub('      - { type: struct demo_msg, direction: read }', '      - { type: struct demo_msg, direction: read }\n      - { type: struct demo_sized, direction: write }') },
  { rule: 'channel-record-gate-changed', item: 'channel demo-chan read struct demo_msg', edit: sub('{ type: struct demo_msg, direction: read }', '{ type: struct demo_msg, direction: read, when: DEMO_F_A }') },
  { rule: 'channel-fd-dropped', item: 'channel demo-chan', base: sub('fd: [demo-fd]\n    doc: Messages', 'fd: [demo-fd, demo-other]\n    doc: Messages'), edit: (t) => t },
  { rule: 'channel-write-changed', item: 'channel demo-chan write odd-form', pair: ['6.12', '7.2'], edit: (t) => `${t}${WRITE('        - { check: odd-form, refuse: "form != DEMO_F_A", error: EINVAL, until: 7.2 }\n')}`, check: (f) => expect(f.message).toContain('check odd-form of write() is gone') },
  // a refusal that exists from 7.2 on: writes of any other leading value worked at 6.12
  { rule: 'channel-write-check-added', item: 'channel demo-chan write odd-form', pair: ['6.12', '7.2'], edit: (t) => `${t}${WRITE('        - { check: odd-form, refuse: "form != DEMO_F_A", error: EINVAL, since: 7.2 }\n')}`, check: (f, all) => expect(all.filter((x) => x.rule.startsWith('channel-'))).toHaveLength(1) },
  // Socket protocol messages (demo-wire.yaml)
  { rule: 'message-removed', item: 'DEMO_WIRE_NOTE', file: WIRE, edit: (t) => t.slice(0, t.indexOf('  - message: DEMO_WIRE_NOTE')) },
  { rule: 'message-added', item: 'DEMO_WIRE_PING', file: WIRE, edit: (t) => `${t}  - { message: DEMO_WIRE_PING, code: 3, sender: front-end, doc: Ping., reply: ack, protocol-feature: DEMO_WIRE_F_ACK }\n`, check: (f) => expect(f.message).toBe('DEMO_WIRE_PING (demo-wire front-end 3) was added, gated by DEMO_WIRE_F_ACK') },
  { rule: 'message-renamed', item: 'DEMO_WIRE_NOTE', file: WIRE, edit: sub('message: DEMO_WIRE_NOTE', 'message: DEMO_WIRE_NOTICE'), check: (f) => expect(f.witnesses).toEqual([{ old: 'DEMO_WIRE_NOTE', new: 'DEMO_WIRE_NOTICE' }]) },
  { rule: 'message-code-changed', item: 'DEMO_WIRE_MAP', file: WIRE, edit: sub('    code: 2\n', '    code: 4\n'), check: (f) => expect(f.witnesses).toEqual([{ old: 'front-end 2', new: 'front-end 4' }]) },
  // struct demo_wire_region (2 x __u64, packed: 16 bytes everywhere) -> __u64 (8).
  { rule: 'message-payload-changed', item: 'DEMO_WIRE_MAP', file: WIRE, edit: sub('payload: struct demo_wire_region', 'payload: __u64'), check: (f) => { expect(f.abis).toHaveLength(17); expect(f.witnesses.find((w) => w.abi === 'i386')).toEqual({ abi: 'i386', old: 'struct demo_wire_region 16 bytes', new: '__u64 8 bytes' }); } },
  { rule: 'message-payload-renamed', item: 'DEMO_WIRE_MAP', file: WIRE, edit: sub('payload: struct demo_wire_region', 'payload: struct demo_wire_span'), check: (f, all) => expect(all.filter((x) => x.severity === 'wire-break')).toEqual([]) },
  { rule: 'message-reply-changed', item: 'DEMO_WIRE_NOTE', file: WIRE, edit: sub('    doc: A note from the back-end.\n    reply: ack', '    doc: A note from the back-end.\n    reply: with-feature\n    reply-feature: DEMO_WIRE_F_ACK'), check: (f) => expect(f.witnesses).toEqual([{ old: 'ack', new: 'with DEMO_WIRE_F_ACK' }]) },
  { rule: 'message-fds-changed', item: 'DEMO_WIRE_MAP', file: WIRE, edit: sub('    fds: 1\n', '    fds: { min: 0, max: 1 }\n'), check: (f) => expect(f.message).toBe('DEMO_WIRE_MAP: the request carries 0-1 fd(s) (was 1)') },
  { rule: 'message-gated', item: 'DEMO_WIRE_NOTE', file: WIRE, edit: sub('    doc: A note from the back-end.\n', '    doc: A note from the back-end.\n    protocol-feature: DEMO_WIRE_F_ACK\n') },
  { rule: 'message-ungated', item: 'DEMO_WIRE_MAP', file: WIRE, edit: sub('    protocol-feature: DEMO_WIRE_F_MEM\n', '') },
  { rule: 'message-link-changed', item: 'DEMO_WIRE_GET', file: WIRE, edit: sub('ioctl: DEMO_GET,', 'ioctl: DEMO_EXT,'), check: (f) => expect(f.witnesses).toEqual([{ old: 'DEMO_GET / -', new: 'DEMO_EXT / -' }]) },
];

describe('every rule of the catalog has a synthetic case', () => {
  it('covers each rule id once', () => {
    expect(cases.map((c) => c.rule).sort()).toEqual(Object.keys(RULES).sort());
  });
});

describe('rule cases on the demo spec', () => {
  const plain = specCopy(DEMO);
  for (const c of cases) {
    it(`${c.rule}: ${c.item}`, async () => {
      const head = specCopy(DEMO, c.edit, c.file ?? 'demo.yaml', c.extra);
      const base = c.base ? specCopy(DEMO, c.base) : c.pair ? head : plain;
      const r = c.pair ? await diff(`${head}@${c.pair[0]}`, `${head}@${c.pair[1]}`) : await diff(base, c.base ? plain : head);
      const f = only(r, c.rule, c.item);
      expect(f.severity).toBe(RULES[c.rule].severity);
      expect(f.abis.length).toBeGreaterThan(0);
      c.check?.(f, r.findings);
    });
  }
  it('a protocol feature bit that moves is a wire break, like any released value', async () => {
    const f = only(await diff(plain, specCopy(DEMO, sub('DEMO_WIRE_F_MEM, bit: 1', 'DEMO_WIRE_F_MEM, bit: 2'), WIRE)), 'constant-value-changed', 'DEMO_WIRE_F_MEM');
    expect(f.severity).toBe('wire-break');
    expect(f.witnesses).toEqual([{ old: '1', new: '2' }]);
  });
  it('the same spec on both sides has no finding', async () => {
    expect((await diff(plain, specCopy(DEMO))).findings).toEqual([]);
  });
});

describe('tombstones and version pairs', () => {
  it('a request retired with until: points at its tombstone', async () => {
    const head = specCopy(DEMO, chain(sub('nr: 0x05\n', 'nr: 0x05\n    until: 7.2\n'), sub('requests: [DEMO_RESET]', 'requests: []')));
    const f = only(await diff(`${head}@6.12`, `${head}@7.2`), 'request-removed', 'DEMO_RESET');
    expect(f.tombstone).toBe(true);
    expect(f.head?.line).toBe(f.base?.line);
    expect(f.hint).toBeUndefined();
  });
  it('a request deleted outright gets a hint to keep a tombstone', async () => {
    const head = specCopy(DEMO, chain(sub(REQUEST('DEMO_RESET', '0x05'), ''), sub('requests: [DEMO_RESET]', 'requests: []')));
    const f = only(await diff(DEMO, head), 'request-removed', 'DEMO_RESET');
    expect(f.head).toBeUndefined();
    expect(f.hint).toMatch(/keep removed items with until:/);
    expect(f.versions.map((v) => v.head)).toEqual(['6.1', '6.12', '7.2']);
  });
  it('a version only the head lists is compared with the newest base version before it', async () => {
    const base = specCopy(DEMO, (t) => t, 'project.yaml');
    const older = specCopy(DEMO, sub('versions: [6.1, 6.12, 7.2]', 'versions: [6.1, 6.12]'), 'project.yaml');
    const r = await diff(older, base);
    expect(r.pairs).toEqual([{ base: '6.1', head: '6.1' }, { base: '6.12', head: '6.12' }, { base: '6.12', head: '7.2' }]);
  });
});
