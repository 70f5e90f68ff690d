// The CLI as a user meets it: exit codes, help, positions in errors, JSON diagnostics, colour.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ROOT } from './run.ts';

function brokenSpec(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-cli-'));
  writeFileSync(join(dir, 'project.yaml'), 'project: t\nversions: [6.1]\n');
  cpSync(join(ROOT, 'test/fixtures/broken/unknown-key.yaml'), join(dir, 'x.yaml'));
  return dir;
}

describe('ioctl-abi CLI', () => {
  it('validate on the shipped spec exits 0', () => {
    const r = cli(['validate']);
    expect(r.stderr).toMatch(/spec ok: \d+ families/);
    expect(r.status).toBe(0);
  });

  it('validate on a broken spec names file, line, column and rule, and exits 2 without a stack trace', () => {
    const dir = brokenSpec();
    const r = cli(['validate', '--spec', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:9:5: error \[spec-unknown-key\] unknown key 'bogus'/);
    expect(r.stderr).toMatch(/hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.ts:\d+/);
  });

  it('--format json prints machine-readable diagnostics', () => {
    const r = cli(['validate', '--spec', brokenSpec(), '--format', 'json']);
    expect(r.status).toBe(2);
    const out = JSON.parse(r.stdout) as { diagnostics: Array<{ file: string; line: number; col: number; rule: string; severity: string; hint: string }> };
    expect(out.diagnostics).toContainEqual(expect.objectContaining({ line: 9, col: 5, rule: 'spec-unknown-key', severity: 'error' }));
    expect(out.diagnostics[0]?.file.endsWith('x.yaml')).toBe(true);
  });

  it('never colours with NO_COLOR or when not on a terminal', () => {
    const r = cli(['validate', '--spec', brokenSpec()], { env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
    expect(r.stderr).not.toMatch(/\x1b\[/);
  });

  it('usage errors exit 2 with one line', () => {
    for (const args of [['frobnicate'], ['validate', '--nope'], ['dump'], ['dump', '--json', '--arch', 'vax'], ['gen', '--at', 'six'], ['validate', '--spec', '/nonexistent/spec']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^ioctl-abi: /);
    }
  });

  it('every command has --help', () => {
    for (const c of ['validate', 'lint', 'gen', 'dump', 'transports']) {
      const r = cli([c, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: ioctl-abi ${c}`));
    }
    const top = cli(['--help']);
    expect(top.stdout).toMatch(/Exit codes: 0 ok, 1 findings/);
  });

  it('lint exits 1 on findings and 0 when clean', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-lint-'));
    writeFileSync(join(dir, 'project.yaml'), 'project: t\nversions: [6.1]\n');
    const family = (fields: string): string => `family: t\ndoc: T.\nitems:\n  - struct: t_args\n    members:\n${fields}`;
    writeFileSync(join(dir, 't.yaml'), family('      - { field: a, type: __u32 }\n      - { field: b, type: __u64 }\n'));
    const dirty = cli(['lint', '--spec', dir]);
    expect(dirty.stderr).toMatch(/\[padding-hole\] struct t_args: 4 byte\(s\) of padding after a on x86_64/);
    expect(dirty.status).toBe(1);
    writeFileSync(join(dir, 't.yaml'), family('      - { field: a, type: __u32 }\n      - { field: pad, type: __u32 }\n      - { field: b, type: __u64 }\n'));
    const clean = cli(['lint', '--spec', dir]);
    expect(clean.stderr).toMatch(/lint: 0 error\(s\), 0 warning\(s\)/);
    expect(clean.status).toBe(0);
  });

  it('dump --json is stable, sorted and versioned', () => {
    const a = cli(['dump', '--json', '--at', '6.1', '--arch', 'i386']);
    const b = cli(['dump', '--json', '--at', '6.1', '--arch', 'i386']);
    expect(a.status).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const d = JSON.parse(a.stdout) as { format: string; version: string; abis: string[]; requests: Record<string, { number: Record<string, string> }>; types: Record<string, { layout: Record<string, { size: number }> }> };
    expect(d.format).toMatch(/^ioctl-abi-snapshot\/\d+$/); // docs/snapshot.md
    expect(d.version).toBe('6.1');
    expect(d.abis).toEqual(['i386']);
    const names = Object.keys(d.requests);
    expect(names).toEqual([...names].sort());
    // i386 aligns u64 to 4: struct vhost_msg is 68 bytes there (72 on x86_64).
    expect(d.types['struct vhost_msg']?.layout.i386?.size).toBe(68);
    expect(d.requests.VHOST_GET_FEATURES?.number.i386).toBe('0x8008af00');
    expect(d.requests.VHOST_VDPA_RESUME).toBeUndefined(); // added in 6.12
  });
});

describe('transports', () => {
  it('text: each operation with its transports, payloads and where they differ', () => {
    const r = cli(['transports', '--at', '6.1']);
    expect(r.status).toBe(0);
    const block = r.stdout.split('\n\n').find((b) => b.startsWith('VHOST_GET_VRING_BASE  ')) ?? '';
    expect(block).toMatch(/^VHOST_GET_VRING_BASE {2}\[vhost \+ vduse \+ vhost-user\]$/m);
    expect(block).toMatch(/^ {2}vduse +VDUSE_GET_VQ_STATE +struct vduse_vq_state +kernel; kernel 6\.1$/m);
    expect(block).toMatch(/payloads differ on 17 ABI\(s\): 8\{0:4,4:4\} vs 12\{/);
  });

  it('json at 5.10: no VDUSE yet; a protocol feature on the vhost-user side', () => {
    const r = cli(['transports', '--at', '5.10', '--format', 'json']);
    expect(r.status).toBe(0);
    const d = JSON.parse(r.stdout) as { format: string; version: string; transports: string[]; operations: Array<{ operation: string; transports: string[]; sides: Array<{ name: string; protocolFeature?: string }> }> };
    expect(d.format).toBe('ioctl-abi-transports/1');
    expect(d.version).toBe('5.10');
    expect(d.transports).toEqual(['vhost', 'vhost-user']);
    const endian = d.operations.find((o) => o.operation === 'VHOST_SET_VRING_ENDIAN');
    expect(endian?.sides.map((s) => [s.name, s.protocolFeature])).toEqual([['VHOST_SET_VRING_ENDIAN', undefined], ['VHOST_USER_SET_VRING_ENDIAN', 'VHOST_USER_PROTOCOL_F_CROSS_ENDIAN']]);
  });

  it('an unknown version is a usage error', () => {
    const r = cli(['transports', '--at', '5.4']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^ioctl-abi: --at: the spec does not know kernel 5\.4/);
  });
});

describe('gen', () => {
  it('writes, then --check is clean; a hand edit is drift with a unified diff and exit 1', () => {
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-gen-'));
    expect(cli(['gen', '--out', out]).status).toBe(0);
    const check = cli(['gen', '--out', out, '--check']);
    expect(check.status).toBe(0);
    const file = join(out, 'uapi/linux/vhost.h');
    writeFileSync(file, readFileSync(file, 'utf8').replace('#define VHOST_VIRTIO 0xAF', '#define VHOST_VIRTIO 0xAE'));
    const drift = cli(['gen', '--out', out, '--check']);
    expect(drift.status).toBe(1);
    expect(drift.stdout).toMatch(/^--- a\/uapi\/linux\/vhost\.h$/m);
    expect(drift.stdout).toMatch(/^-#define VHOST_VIRTIO 0xAE$/m);
    expect(drift.stdout).toMatch(/^\+#define VHOST_VIRTIO 0xAF$/m);
  });

  it('generated files carry the banner naming their spec file', () => {
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-gen-'));
    cli(['gen', '--out', out, '--at', '6.1']);
    const text = readFileSync(join(out, 'uapi/linux/vhost_types.h'), 'utf8');
    expect(text.split('\n')[0]).toBe('/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */');
    expect(text).toMatch(/Generated by ioctl-abi from spec\/vhost-types\.yaml \(uapi, kernel 6\.1\)\.\n \* Do not edit/);
  });

  it('the committed generated/ is up to date', () => {
    const r = cli(['gen', '--check']);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(0);
  });
});
