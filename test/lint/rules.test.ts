// One small spec per lint rule: the rule fires on the bad shape, stays quiet on the fixed one,
// and a suppression with a reason silences it (a stale suppression is reported).
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/lint/index.ts';
import { RULES } from '../../src/lint/rules.ts';
import type { Spec } from '../../src/model/index.ts';
import { runSpec } from '../support/spec.ts';

const project = { path: 'project.yaml', text: 'project: t\nversions: [6.1]\n' };
const head = 'family: t\ndoc: T.\n';
const typeDef = '  - { define: T_TYPE, value: 0xEE, ioctl-type: true }\n';
const fds = 'fds:\n  - { fd: t-dev, doc: The device. }\n';
// A socket protocol: its header, flags and feature sets (the items go before it).
const protocol = '  - { struct: t_hdr, members: [ { field: request, type: __u32 }, { field: flags, type: __u32 }, { field: size, type: __u32 } ] }\n  - { flags: t-hdr-flags, reserved: reject, values: [ { name: T_NEED_REPLY, bit: 3 } ] }\n  - { features: t-proto-features, values: [ { name: T_PF_ACK, bit: 0 } ] }\nprotocol: { protocol: t-proto, doc: A protocol., header: struct t_hdr, flags: t-hdr-flags, features: t-proto-features }\n';

function findings(yaml: string): Array<{ rule: string; message: string; line: number }> {
  const p = runSpec([project, { path: 't.yaml', text: head + yaml }]);
  expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const r = lint(p.spec as Spec);
  return [...r.findings, ...r.unused].map((d) => ({ rule: d.rule, message: d.message, line: d.line }));
}

const rulesOf = (yaml: string): string[] => [...new Set(findings(yaml).map((f) => f.rule))].sort();

const CASES: Record<string, { bad: string; good: string }> = {
  'padding-hole': {
    bad: 'items:\n  - struct: t_a\n    members:\n      - { field: a, type: __u8 }\n      - { field: b, type: __u32 }\n',
    good: 'items:\n  - struct: t_a\n    members:\n      - { field: a, type: __u8 }\n      - { field: pad, type: __u8, count: 3 }\n      - { field: b, type: __u32 }\n',
  },
  'compat-layout': {
    bad: `items:\n${typeDef}  - struct: t_a\n    members:\n      - { field: a, type: __u32 }\n      - { field: pad, type: __u32 }\n      - { field: b, type: __u64 }\n      - { field: c, type: __u32 }\n      - { field: pad2, type: __u32 }\n  - { struct: t_b, members: [ { field: x, type: __u32 }, { field: y, type: __u64 } ] }\n  - { request: T_SET, type: T_TYPE, nr: 1, encoding: write, arg: struct t_b }\n`,
    good: `items:\n${typeDef}  - { struct: t_b, members: [ { field: x, type: __u32 }, { field: pad, type: __u32 }, { field: y, type: __u64 } ] }\n  - { request: T_SET, type: T_TYPE, nr: 1, encoding: write, arg: struct t_b }\n`,
  },
  'abi-dependent-type': {
    bad: 'items:\n  - struct: t_a\n    members:\n      - { field: a, type: unsigned long }\n',
    good: 'items:\n  - struct: t_a\n    members:\n      - { field: a, type: __u64 }\n',
  },
  'arg-too-large': {
    bad: `items:\n${typeDef}  - { struct: t_big, members: [ { field: a, type: __u8, count: 9000 } ] }\n  - { request: T_SET, type: T_TYPE, nr: 1, encoding: write, arg: struct t_big }\n`,
    good: `items:\n${typeDef}  - { struct: t_big, members: [ { field: a, type: __u8, count: 8000 } ] }\n  - { request: T_SET, type: T_TYPE, nr: 1, encoding: write, arg: struct t_big }\n`,
  },
  'duplicate-request-nr': {
    bad: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\n  - { request: T_SET, type: T_TYPE, nr: 1, encoding: write, arg: __u32, scope: [t-dev] }\n${fds}`,
    good: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\n  - { request: T_SET, type: T_TYPE, nr: 2, encoding: write, arg: __u32, scope: [t-dev] }\n${fds}`,
  },
  'request-number-collision': {
    bad: `items:\n${typeDef}  - { request: T_A, type: T_TYPE, nr: 1, encoding: none, scope: [t-dev] }\n  - { request: T_B, type: T_TYPE, nr: 1, encoding: none, scope: [t-dev] }\n${fds}`,
    good: `items:\n${typeDef}  - { request: T_A, type: T_TYPE, nr: 1, encoding: none, scope: [t-dev] }\n  - { request: T_B, type: T_TYPE, nr: 2, encoding: none, scope: [t-dev] }\n${fds}`,
  },
  'direction-mismatch': {
    bad: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: write, arg: __u32, data: out }\n`,
    good: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: write, arg: __u32, data: out, quirk: historic encoding kept because the number is ABI }\n`,
  },
  'flags-reserved-policy': {
    bad: 'items:\n  - struct: t_a\n    members:\n      - { field: flags, type: __u32, flags: t-flags }\n      - flags: t-flags\n        values: [ { name: T_F_A, bit: 0 } ]\n',
    good: 'items:\n  - struct: t_a\n    members:\n      - { field: flags, type: __u32, flags: t-flags }\n      - flags: t-flags\n        reserved: reject\n        values: [ { name: T_F_A, bit: 0 } ]\n',
  },
  'quirk-without-condition': {
    bad: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\nfds:\n  - fd: t-dev\n    doc: The device.\n    quirks:\n      - { name: odd, requests: [T_GET], errno: [EINVAL], doc: Sometimes EINVAL. }\n`,
    good: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\nfds:\n  - fd: t-dev\n    doc: The device.\n    facts: [ { fact: busy, doc: The device is busy. } ]\n    quirks:\n      - { name: odd, requests: [T_GET], errno: [EINVAL], doc: EINVAL while busy., when: dev.busy }\n`,
  },
  'channel-write-unmodelled': {
    bad: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\n  - { struct: t_msg, extension: fixed, members: [ { field: type, type: __u32 }, { field: len, type: __u32 } ] }\n  - { define: T_MSG, value: 1 }\nfds:\n  - fd: t-dev\n    doc: The device.\n    dispatch:\n      - { requests: [T_GET], checks: [ { check: copy-out, write: arg } ] }\nchannels:\n  - channel: t-msgs\n    fd: [t-dev]\n    doc: Messages written to the device.\n    records: [ { type: struct t_msg, direction: write, form: T_MSG } ]\n`,
    good: `items:\n${typeDef}  - { request: T_GET, type: T_TYPE, nr: 1, encoding: read, arg: __u32, scope: [t-dev] }\n  - { struct: t_msg, extension: fixed, members: [ { field: type, type: __u32 }, { field: len, type: __u32 } ] }\n  - { define: T_MSG, value: 1 }\nfds:\n  - fd: t-dev\n    doc: The device.\n    dispatch:\n      - { requests: [T_GET], checks: [ { check: copy-out, write: arg } ] }\nchannels:\n  - channel: t-msgs\n    fd: [t-dev]\n    doc: Messages written to the device.\n    records: [ { type: struct t_msg, direction: write, form: T_MSG } ]\n    write:\n      returns: record_size\n      checks: [ { check: short, refuse: "len < sizeof(struct t_msg)", error: EINVAL } ]\n`,
  },
  'feature-filter-unapplied': {
    // A blacklist on an executable fd: only where the paths apply it (answer and argument) is it behaviour.
    bad: `items:\n${typeDef}  - { features: t-features, values: [ { name: T_F_MQ, bit: 22 } ] }\n  - { request: T_GET_FEATURES, type: T_TYPE, nr: 0, encoding: read, arg: __u64, scope: [t-dev] }\n  - { request: T_SET_FEATURES, type: T_TYPE, nr: 0, encoding: write, arg: __u64, scope: [t-dev] }\nfds:\n  - fd: t-dev\n    doc: The device.\n    dispatch:\n      - { requests: [T_GET_FEATURES], checks: [ { check: copy-out, write: arg } ] }\n      - { requests: [T_SET_FEATURES], checks: [ { check: copy-in, read: arg } ] }\ndevices:\n  - { device: t-net, fd: t-dev, doc: A device., requests: [T_GET_FEATURES, T_SET_FEATURES], features: [t-features], feature-blacklist: [T_F_MQ] }\nsuppressions:\n  - { rule: duplicate-request-nr, item: T_SET_FEATURES, reason: GET and SET share nr 0 as vhost's do }\n`,
    good: `items:\n${typeDef}  - { features: t-features, values: [ { name: T_F_MQ, bit: 22 } ] }\n  - { request: T_GET_FEATURES, type: T_TYPE, nr: 0, encoding: read, arg: __u64, scope: [t-dev] }\n  - { request: T_SET_FEATURES, type: T_TYPE, nr: 0, encoding: write, arg: __u64, scope: [t-dev] }\nfds:\n  - fd: t-dev\n    doc: The device.\n    dispatch:\n      - { requests: [T_GET_FEATURES], checks: [ { check: hide, feature-filter: answer }, { check: copy-out, write: arg } ] }\n      - { requests: [T_SET_FEATURES], checks: [ { check: copy-in, read: arg }, { check: hidden, feature-filter: arg, error: EINVAL } ] }\ndevices:\n  - { device: t-net, fd: t-dev, doc: A device., requests: [T_GET_FEATURES, T_SET_FEATURES], features: [t-features], feature-blacklist: [T_F_MQ] }\nsuppressions:\n  - { rule: duplicate-request-nr, item: T_SET_FEATURES, reason: GET and SET share nr 0 as vhost's do }\n`,
  },
  'transport-payload-drift': {
    // A protocol message linked to an ioctl whose argument is laid out differently: fine only with a reason.
    bad: `items:\n${typeDef}  - { struct: t_ring, members: [ { field: index, type: __u32 }, { field: num, type: __u32 } ] }\n  - { request: T_SET_RING, type: T_TYPE, nr: 1, encoding: write, arg: struct t_ring }\n${protocol}messages:\n  - { message: T_MSG_SET_RING, code: 1, sender: front-end, doc: Sets a ring., payload: __u64, reply: ack, operation: { ioctl: T_SET_RING, differences: the ioctl takes a struct } }\n`,
    good: `items:\n${typeDef}  - { struct: t_ring, members: [ { field: index, type: __u32 }, { field: num, type: __u32 } ] }\n  - { request: T_SET_RING, type: T_TYPE, nr: 1, encoding: write, arg: struct t_ring }\n${protocol}messages:\n  - { message: T_MSG_SET_RING, code: 1, sender: front-end, doc: Sets a ring., payload: __u64, reply: ack, operation: { ioctl: T_SET_RING, differences: the ioctl takes a struct, payload-differs: the message packs index and value in one u64 } }\n`,
  },
  'argsz-first': {
    bad: 'items:\n  - struct: t_info\n    argsz: true\n    members:\n      - { field: flags, type: __u32 }\n      - { field: argsz, type: __u32 }\n',
    good: 'items:\n  - struct: t_info\n    argsz: true\n    members:\n      - { field: argsz, type: __u32 }\n      - { field: n, type: __u32 }\n',
  },
};

describe('lint rules', () => {
  it('every rule has a case here and an entry in docs/rules.md', async () => {
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../docs/rules.md', import.meta.url), 'utf8');
    const ids = [...RULES.map((r) => r.id), 'request-number-collision', 'stale-suppression'];
    for (const id of ids) {
      expect(doc, `docs/rules.md lacks ${id}`).toMatch(new RegExp(`\`${id}\``));
      if (id !== 'stale-suppression') expect(CASES[id], `no case for ${id}`).toBeDefined();
    }
  });
  for (const [rule, c] of Object.entries(CASES)) {
    it(`${rule} fires on the bad shape only`, () => {
      expect(rulesOf(c.bad)).toContain(rule);
      expect(rulesOf(c.good)).not.toContain(rule);
    });
  }

  it('reports the ABIs a padding hole exists on', () => {
    const m = findings('items:\n  - struct: t_a\n    members:\n      - { field: a, type: __u32 }\n      - { field: b, type: __u64 }\n').map((f) => f.message);
    expect(m.some((x) => /after a on x86_64, arm64, armhf, ppc64le, ppc64, powerpc, mips64el, mipsel, s390x, riscv64, parisc, sparc64, alpha, x32$/.test(x))).toBe(true);
  });

  it('a suppression with a reason silences exactly its finding; a stale one is reported', () => {
    const bad = CASES['direction-mismatch']?.bad as string;
    const suppress = (item: string): string => `suppressions:\n  - { rule: direction-mismatch, item: ${item}, reason: the number shipped in a released kernel and is ABI now }\n`;
    expect(rulesOf(bad + suppress('T_GET'))).toEqual([]);
    expect(rulesOf(bad + suppress('T_OTHER'))).toEqual(['direction-mismatch', 'stale-suppression']);
  });
});
