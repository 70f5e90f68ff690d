// `ioctl-abi explain` as users run it: exit 0 when something matched, 1 when nothing did, 2 on
// usage and spec errors (one line, never a stack trace); JSON output; the cached index answers
// the same, and a changed spec is never answered from a stale cache.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from '../cli/run.ts';

const cache = mkdtempSync(join(tmpdir(), 'ioctl-abi-explain-cache-'));
const env = { IOCTL_ABI_CACHE: cache };
const explain = (...args: string[]) => cli(['explain', ...args], { env });
const noTrace = (stderr: string): void => {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.trim().split('\n')).toHaveLength(1);
};

describe('exit codes', () => {
  it('0 with the request when a number matches (hex or decimal)', () => {
    const hex = explain('0x4008af70');
    expect(hex.status, hex.stderr).toBe(0);
    expect(hex.stdout).toMatch(/^0x4008af70 = 1074311024\n/);
    expect(hex.stdout).toContain('VHOST_MDEV_SET_STATE = _IOW(VHOST_VIRTIO, 0x70, __u64)');
    expect(explain('1074311024').stdout).toBe(hex.stdout);
  });
  it('1 when nothing has the number, with its fields and the nearest requests', () => {
    const r = explain('0xc0ffaf99');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('No known request has this number.');
    expect(r.stdout).toContain('generic _IOC (x86_64, i386, arm64, armhf, s390x, riscv64, m68k, sh4, x32): _IOWR, type 0xaf, nr 0x99, size 255');
    expect(r.stdout).toMatch(/VHOST_GET_FORK_FROM_OWNER +nr 0x85/);
  });
  it('0 for a name, 1 for an unknown one (with suggestions)', () => {
    const r = explain('struct', 'vhost_vring_addr');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('40 bytes, aligned to 8, on x86_64');
    const none = explain('VRING_BAS');
    expect(none.status).toBe(1);
    expect(none.stdout).toContain('Names that contain it: ');
  });
  it.each([
    [['0xzz'], /'0xzz' is not a number/],
    [['0x100000000'], /does not fit an ioctl request number/],
    [[], /explain needs a request number/],
    [['0x1', '0x2'], /one value or name/],
    [['0x4008af70', '--arch', 'vax'], /unknown --arch 'vax' \(one of: x86_64, /],
    [['0x4008af70', '--at', '4.19'], /--at: '4\.19' is neither a version of the spec nor a proposal \(known: 5\.10, .*vhost-mdev-v3\)/],
    [['0x4008af70', '--format', 'xml'], /--format must be text or json/],
    [['0x4008af70', '--spec', '/no/such/spec'], /spec not found: \/no\/such\/spec/],
    [['0x4008af70', '--bogus'], /unknown option --bogus/],
  ])('2 on bad input %j, one line, no stack trace', (args, message) => {
    const r = explain(...args);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    noTrace(r.stderr);
  });
  it('2 on a spec that does not open, diagnostics instead of an answer', () => {
    const spec = mkdtempSync(join(tmpdir(), 'ioctl-abi-explain-bad-'));
    writeFileSync(join(spec, 'project.yaml'), 'project: t\nversions: [6.1]\n');
    writeFileSync(join(spec, 't.yaml'), 'family: t\ndoc: T.\nitems:\n  - { define: X, value: Y }\n');
    const r = explain('0x1', '--spec', spec);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/t\.yaml:4:25: error \[spec-bad-expression\]/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
  it('--help', () => {
    const r = explain('--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: ioctl-abi explain <VALUE\|NAME>/);
  });
});

describe('output', () => {
  it('--format json is the answer as data', () => {
    const r = explain('0x8004af70', '--format', 'json', '--arch', 'x86_64');
    expect(r.status).toBe(0);
    const a = JSON.parse(r.stdout) as { kind: string; hex: string; decodings: { encoding: string; abis: string[] }[]; matches: { request: { name: string; source: string }; abis: string[] }[] };
    expect([a.kind, a.hex]).toEqual(['number', '0x8004af70']);
    expect(a.decodings.map((d) => [d.encoding, d.abis])).toEqual([['generic', ['x86_64']]]);
    expect([...new Set(a.matches.map((m) => `${m.request.source} ${m.request.name}`))]).toEqual(['linux VHOST_VDPA_GET_DEVICE_ID', 'vhost-mdev-v3 VHOST_MDEV_GET_DEVICE_ID']);
  });
  it('without --arch, every ABI where the number means something', () => {
    const r = explain('0x8008af70');
    expect(r.stdout).toContain('VHOST_MDEV_SET_STATE');
    expect(r.stdout).toContain('  on:        ppc64le, ppc64, powerpc, mips64el, mipsel, parisc, sparc64, alpha');
  });
});

describe('the cached index', () => {
  it('is written once and answers the same', () => {
    const first = explain('0xc008af12');
    const entries = readdirSync(join(cache, 'parsed')).filter((n) => n.startsWith('explain-'));
    expect(entries.length).toBeGreaterThan(0);
    expect(explain('0xc008af12').stdout).toBe(first.stdout);
  });
  it('is never stale: a changed spec gets a new index', () => {
    const spec = mkdtempSync(join(tmpdir(), 'ioctl-abi-explain-spec-'));
    cpSync(join(ROOT, 'spec'), spec, { recursive: true });
    const before = explain('0x8004af70', '--spec', spec, '--arch', 'x86_64');
    expect(before.stdout).toContain('VHOST_VDPA_GET_DEVICE_ID');
    // Renumber VHOST_VDPA_GET_DEVICE_ID from 0x70 to 0x6f in the copy.
    const file = join(spec, 'vhost.yaml');
    const text = readFileSync(file, 'utf8');
    const changed = text.replace(/(request: VHOST_VDPA_GET_DEVICE_ID\n(?:\s+\w[^\n]*\n)*?\s+nr: )0x70/, '$10x6f');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    const after = explain('0x8004af70', '--spec', spec, '--arch', 'x86_64');
    expect(after.stdout).not.toContain('VHOST_VDPA_GET_DEVICE_ID');
    expect(explain('0x8004af6f', '--spec', spec).stdout).toContain('VHOST_VDPA_GET_DEVICE_ID');
  });
});
