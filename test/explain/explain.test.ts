// explain's pieces against numbers computed by hand: parsing what strace and oopses print, the
// three _IOC encodings, the 2019 vhost-mdev numbers (docs/vhost-mdev.md), names, and the nearest
// requests of a number nothing has.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHistory } from '../../src/cli/history.ts';
import { decodeIoc } from '../../src/explain/decode.ts';
import { buildIndex } from '../../src/explain/index-build.ts';
import { explainName, explainNumber, found } from '../../src/explain/lookup.ts';
import { parseQuery, QueryError } from '../../src/explain/query.ts';
import { IOC_LAYOUTS, MACRO_OF } from '../../src/model/index.ts';
import { ROOT } from '../cli/run.ts';
import { openOk } from '../support/spec.ts';

const spec = openOk(join(ROOT, 'spec'));
const h = openHistory(join(ROOT, 'spec'));
if (!h.ok) throw new Error('history specs do not open');
const index = buildIndex([{ id: 'linux', proposal: false, spec }, ...h.history.map((x) => ({ id: x.name, proposal: true, spec: x.spec }))]);

const GENERIC = ['x86_64', 'i386', 'arm64', 'armhf', 's390x', 'riscv64', 'm68k', 'sh4', 'x32'];
const POWERPC_STYLE = ['ppc64le', 'ppc64', 'powerpc', 'mips64el', 'mipsel', 'sparc64', 'alpha'];

describe('parsing the value', () => {
  it('hex, decimal, a negative int and a sign-extended long are the same number', () => {
    // 0xc008af12 = 3221794578; as a signed int: 3221794578 - 2^32 = -1073172718.
    for (const text of ['0xc008af12', '0XC008AF12', '3221794578', '-1073172718', '0xffffffffc008af12', ' 0xc008af12 ']) {
      expect(parseQuery(text), text).toEqual({ kind: 'number', value: 0xc008af12, text: text.trim() });
    }
  });
  it('names, and struct names in two words', () => {
    expect(parseQuery('VHOST_GET_VRING_BASE')).toEqual({ kind: 'name', name: 'VHOST_GET_VRING_BASE' });
    expect(parseQuery('struct  vhost_vring_state')).toEqual({ kind: 'name', name: 'struct vhost_vring_state' });
  });
  it('refuses what is neither, with a message and no guess', () => {
    for (const bad of ['', '0x', '0xzz', '12ab', '0x1ffffffff', '4294967296', '-2147483649', 'a-b', '0x-1']) expect(() => parseQuery(bad), bad).toThrow(QueryError);
  });
});

describe('the three _IOC encodings (asm-generic/ioctl.h and the arch overrides)', () => {
  const d = (e: 'generic' | 'powerpc' | 'parisc', n: number) => decodeIoc(e, IOC_LAYOUTS[e], MACRO_OF, n);
  it('generic: 2 dir bits (write 1, read 2), 14 size bits', () => {
    expect(d('generic', 0x4028af11)).toEqual({ encoding: 'generic', direction: 'write', macro: '_IOW', dirBits: 1, type: 0xaf, nr: 0x11, size: 40 });
    expect(d('generic', 0x8008af70)).toMatchObject({ direction: 'read', size: 8, nr: 0x70 });
    expect(d('generic', 0x3fffaf00).size).toBe(0x3fff);
  });
  it('powerpc/mips/sparc/alpha: 3 dir bits (none 1, read 2, write 4), 13 size bits; the codes that mean nothing say so', () => {
    expect(d('powerpc', 0x8028af11)).toEqual({ encoding: 'powerpc', direction: 'write', macro: '_IOW', dirBits: 4, type: 0xaf, nr: 0x11, size: 40 });
    expect(d('powerpc', 0x20003b6b)).toMatchObject({ direction: 'none', macro: '_IO', size: 0, type: 0x3b, nr: 0x6b });
    expect(d('powerpc', 0x4008af70)).toMatchObject({ direction: 'read', size: 8 });
    const odd = d('powerpc', 0x12345678);
    expect(odd.direction).toBeUndefined();
    expect([odd.dirBits, odd.size]).toEqual([0, 0x1234]);
  });
  it('parisc: the generic layout with read 1 and write 2', () => {
    expect(d('parisc', 0x8028af11)).toMatchObject({ direction: 'write', dirBits: 2, size: 40 });
    expect(d('parisc', 0x4008af70)).toMatchObject({ direction: 'read', dirBits: 1, size: 8 });
  });
});

describe('the 2019 vhost-mdev numbers (docs/vhost-mdev.md, computed by hand from each posting)', () => {
  // A request the kernel states in two forms (rules before 6.12, its dispatch since) matches twice: once per form.
  const names = (n: number, arch?: string) => [...new Set(explainNumber(index, n, arch ? { arch } : {}).matches.map((m) => `${m.request.source} ${m.request.name}`))];
  it('v1 SET_STATE _IOW(0xAF, 0x70, __u64) is 0x4008af70 = 1074311024 on the generic ABIs', () => {
    const a = explainNumber(index, 1074311024);
    expect(a.matches.map((m) => [m.request.source, m.request.name, m.abis])).toEqual([['vhost-mdev-v1', 'VHOST_MDEV_SET_STATE', GENERIC]]);
  });
  it('and 0x8008af70 on powerpc-style ABIs and parisc (write is 4 << 29 there, 2 << 30 on parisc)', () => {
    const a = explainNumber(index, 0x8008af70);
    expect(a.matches.map((m) => [m.request.name, [...m.abis].sort()])).toEqual([['VHOST_MDEV_SET_STATE', [...POWERPC_STYLE, 'parisc'].sort()]]);
  });
  it('v2 GET_STATUS, posted as _IOW(0xAF, 0x70, __u8) = 0x4001af70, and v3\'s _IOR 0x71 = 0x8001af71, which vhost-vdpa kept', () => {
    expect(names(0x4001af70, 'x86_64')).toEqual(['vhost-mdev-v2 VHOST_MDEV_GET_STATUS']);
    expect(names(0x8001af71, 'x86_64')).toEqual(['linux VHOST_VDPA_GET_STATUS', 'vhost-mdev-v3 VHOST_MDEV_GET_STATUS']);
  });
  it('nr 0x70 three times over: v1 SET_STATE, v2 GET_STATUS and v3 GET_DEVICE_ID (= VHOST_VDPA_GET_DEVICE_ID, 0x8004af70)', () => {
    expect(names(0x8004af70, 'x86_64')).toEqual(['linux VHOST_VDPA_GET_DEVICE_ID', 'vhost-mdev-v3 VHOST_MDEV_GET_DEVICE_ID']);
  });
  it('v2 GET_QUEUE_NUM (_IOW 0x74 __u32 = 0x4004af74) was dropped in v3; its number is nothing else', () => {
    expect(names(0x4004af74)).toEqual(['vhost-mdev-v2 VHOST_MDEV_GET_QUEUE_NUM']);
  });
  it('--at narrows to one proposal or version', () => {
    expect(explainNumber(index, 0x8001af71, { at: 'vhost-mdev-v3' }).matches.map((m) => m.request.source)).toEqual(['vhost-mdev-v3']);
    expect(explainNumber(index, 0x8001af71, { at: '6.1' }).matches.map((m) => [m.request.source, m.versions])).toEqual([['linux', ['6.1']]]);
  });
});

describe('a number nothing has', () => {
  it('gets its fields in every encoding and the nearest requests of its type, and is not found', () => {
    // _IOWR(0xAF, 0x99, 255): nothing at 0x99; the newest vhost requests end at 0x85.
    const a = explainNumber(index, 0xc0ffaf99);
    expect(found(a)).toBe(false);
    expect(a.decodings.map((d) => [d.encoding, d.macro, d.type, d.nr, d.size])).toEqual([['generic', '_IOWR', 0xaf, 0x99, 255], ['powerpc', '_IOWR', 0xaf, 0x99, 255], ['parisc', '_IOWR', 0xaf, 0x99, 255]]);
    expect(a.nearest[0]).toMatchObject({ name: 'VHOST_GET_FORK_FROM_OWNER', nr: 0x85, number: 0x8001af85, abi: 'x86_64' });
  });
  it('of a type nothing has: the known types instead', () => {
    const a = explainNumber(index, 0x12345678);
    expect(a.nearest).toEqual([]);
    expect(a.knownTypes).toEqual([{ type: 0x3b, name: 'VFIO_TYPE' }, { type: 0x81, name: 'VDUSE_BASE' }, { type: 0xaf, name: 'VHOST_VIRTIO' }]);
  });
});

describe('names', () => {
  it('a request: every version and proposal that has it', () => {
    const a = explainName(index, 'VHOST_SET_FEATURES');
    expect(new Set(a.requests.map((r) => r.source))).toEqual(new Set(['linux', 'vhost-mdev-v1', 'vhost-mdev-v2', 'vhost-mdev-v3']));
    expect(a.requests.filter((r) => r.source === 'linux').flatMap((r) => r.versions)).toEqual(['5.10', '6.1', '6.12', '7.2', '7.3']);
  });
  it('a struct by tag, with its layout per ABI group', () => {
    const a = explainName(index, 'vhost_msg', { at: '7.3' });
    expect(a.types.map((t) => t.name)).toEqual(['struct vhost_msg']);
    expect(a.types[0]?.layout.map((g) => [g.size, g.abis.includes('i386')])).toContainEqual([68, true]);
  });
  it('a constant, case-insensitively when nothing matches exactly, and suggestions when nothing does', () => {
    expect(explainName(index, 'virtio_net_f_mq').constants.map((c) => [c.source, c.value])[0]).toEqual(['linux', '22']);
    const none = explainName(index, 'VRING_BAS');
    expect(found(none)).toBe(false);
    expect(none.suggestions).toContain('VHOST_GET_VRING_BASE');
  });
});
