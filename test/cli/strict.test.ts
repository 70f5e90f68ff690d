// Strict validation as a user meets it: versions the spec does not know, dangling field
// references, lifetimes that leave an item alive nowhere, lint errors that stop gen, and the
// spec given as a positional argument.
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from './run.ts';

/** A temp spec folder: project.yaml plus one family file. */
function spec(family: string, versions = '[6.1, 6.12]'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-strict-'));
  writeFileSync(join(dir, 'project.yaml'), `project: t\nversions: ${versions}\n`);
  writeFileSync(join(dir, 't.yaml'), family);
  return dir;
}

const HEAD = 'family: t\ndoc: T.\nheader: linux/t.h\n';

/** line:col (1-based) where `text` holds `needle` followed by its value: the value's start. */
function valueAt(text: string, needle: string): string {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  return `${line + 1}:${(lines[line] as string).indexOf(needle) + needle.length + 1}`;
}

describe('--at takes only versions the spec knows', () => {
  for (const at of ['4.0', '5.4', '6.2']) {
    it(`gen --at ${at}: exit 2, nothing written, the known versions in the message`, () => {
      const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-out-'));
      const r = cli(['gen', '--at', at, '--out', out]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`the spec does not know kernel ${at}`);
      expect(r.stderr).toContain('known versions: 5.10, 6.1, 6.12, 7.2, 7.3');
      expect(readdirSync(out)).toEqual([]);
    });
  }
  it('dump --at with something that is not a version: exit 2', () => {
    const r = cli(['dump', '--json', '--at', 'latest']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'latest' is not a kernel version/);
    expect(r.stdout).toBe('');
  });
  it('the first version of a historic profile (5.7) is known: dump works there', () => {
    const r = cli(['dump', '--json', '--at', '5.7', '--arch', 'x86_64']);
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { version: string; devices: Record<string, unknown> };
    expect(s.version).toBe('5.7');
    expect(Object.keys(s.devices)).toContain('vhost-vdpa-net-first');
  });
});

describe('validate resolves every field reference, at the key', () => {
  const family = (key: string): string => `${HEAD}items:
  - flags: t-flags
    reserved: reject
    values:
      - { name: T_F_A, bit: 0 }
  - set: t-values
    values:
      - { name: T_V_A, value: 1 }
  - struct: t_args
    members:
      - { field: flags, type: __u32, ${key} }
      - { field: n, type: __u32 }
      - { field: data, type: __u8, count: [] }
`;
  for (const key of ['flags: t-nope', 'values: t-nope', 'flag-gate: T_NOPE', 'counted-by: nope', 'flags: t-values', 'values: t-flags']) {
    const rule = 'spec-unknown-name';
    const text = family(key);
    // The error points at the value of the key at fault, not at the field or the struct.
    const at = valueAt(text, `__u32, ${key.split(' ')[0] as string} `);
    it(`${key}: exit 2 at t.yaml:${at} [${rule}]`, () => {
      const r = cli(['validate', spec(text)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`t\\.yaml:${at}: error \\[${rule}\\]`));
    });
  }
  it('the same references, resolvable, validate', () => {
    for (const key of ['flags: t-flags', 'values: t-values', 'flag-gate: T_F_A', 'counted-by: n']) {
      const r = cli(['validate', spec(family(key))]);
      expect(r.stderr, key).toMatch(/spec ok/);
      expect(r.status, key).toBe(0);
    }
  });
  it('gen refuses a dangling flags: too, and writes nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-out-'));
    const r = cli(['gen', spec(family('flags: t-nope')), '--out', out]);
    expect(r.status).toBe(2);
    expect(readdirSync(out)).toEqual([]);
  });
});

describe('a since/until that leaves an item alive at no checked version is an error', () => {
  it('an item that begins after the newest version', () => {
    const r = cli(['validate', spec(`${HEAD}items:\n  - define: T_LATER\n    value: 1\n    since: 7.4\n`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/t\.yaml:7:12: error \[spec-dead-item\] T_LATER is alive at no checked version/);
  });
  it('an item that ends before the oldest version', () => {
    const r = cli(['validate', spec(`${HEAD}items:\n  - define: T_GONE\n    value: 1\n    until: 5.10\n`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[spec-dead-item\] T_GONE/);
  });
  it('an empty range, and one that falls between two checked versions', () => {
    const empty = cli(['validate', spec(`${HEAD}items:\n  - { define: T_E, value: 1, since: 6.12, until: 6.1 }\n`)]);
    expect(empty.status).toBe(2);
    expect(empty.stderr).toMatch(/\[spec-empty-lifetime\] T_E: since 6\.12 is not before until 6\.1/);
    const between = cli(['validate', spec(`${HEAD}items:\n  - { define: T_B, value: 1, since: 6.2, until: 6.10 }\n`)]);
    expect(between.status).toBe(2);
    expect(between.stderr).toMatch(/\[spec-dead-item\] T_B/);
  });
  it('a member that outlives nothing of its struct', () => {
    const r = cli(['validate', spec(`${HEAD}items:\n  - struct: t_s\n    since: 6.12\n    members:\n      - { field: a, type: __u32 }\n      - { field: b, type: __u32, until: 6.12 }\n`)]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\[spec-dead-item\] b is alive at no checked version/);
  });
});

describe('lint errors stop gen unless suppressed with a reason', () => {
  const colliding = `${HEAD}items:
  - { define: T_TYPE, value: 0xEE, ioctl-type: true }
  - { request: T_A, type: T_TYPE, nr: 1, encoding: none, scope: [t-dev] }
  - { request: T_B, type: T_TYPE, nr: 1, encoding: none, scope: [t-dev] }
fds:
  - { fd: t-dev, doc: The device. }
`;
  it('a request-number collision on one fd kind: gen exits 2, names both, writes nothing', () => {
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-out-'));
    const r = cli(['gen', spec(colliding), '--out', out]);
    expect(r.status).toBe(2);
    const at = valueAt(colliding.split('\n').filter((l) => !l.includes('T_A')).join('\n'), 'nr: ');
    expect(at.split(':')[0]).toBe('6'); // T_B's line once T_A's is taken out: the next line, 7, in the file
    expect(r.stderr).toContain(`t.yaml:7:${at.split(':')[1] as string}: error [request-number-collision] T_B has the same ioctl number as T_A`);
    expect(r.stderr).toMatch(/nothing written/);
    expect(readdirSync(out)).toEqual([]);
  });
  it('suppressed with a reason, gen goes ahead', () => {
    const out = mkdtempSync(join(tmpdir(), 'ioctl-abi-out-'));
    const suppressed = `${colliding}suppressions:\n  - { rule: request-number-collision, item: T_B, reason: "an alias kept for old userspace, same handler" }\n`;
    const r = cli(['gen', spec(suppressed), '--out', out]);
    expect(r.stderr).toMatch(/gen: \d+ file/);
    expect(r.status).toBe(0);
    expect(existsSync(join(out, 'uapi/linux/t.h'))).toBe(true);
  });
});

describe('lint --at', () => {
  it('on the shipped spec at 5.10: clean, no false stale suppressions', () => {
    const r = cli(['lint', '--at', '5.10']);
    expect(r.stderr).toMatch(/lint: 0 error\(s\), 0 warning\(s\), \d+ suppressed/);
    expect(r.status).toBe(0);
  });
  it('every listed version on its own is clean too', () => {
    for (const v of ['6.1', '6.12', '7.2', '7.3']) expect(cli(['lint', '--at', v]).status, v).toBe(0);
  });
  it('a suppression that matches nothing is still reported when its whole life was linted', () => {
    const stale = `${HEAD}items:\n  - { define: T_X, value: 1 }\nsuppressions:\n  - { rule: padding-hole, item: struct t_none, reason: "was a hole once, now gone" }\n`;
    const dir = spec(stale);
    expect(cli(['lint', dir]).stderr).toMatch(/\[stale-suppression\]/);
    expect(cli(['lint', dir, '--at', '6.1']).status).toBe(0);
  });
});

describe('the spec as a positional argument', () => {
  it('validate spec/ and lint spec/vhost.yaml', () => {
    expect(cli(['validate', 'spec/']).status).toBe(0);
    const one = cli(['lint', 'spec/vhost.yaml']);
    expect(one.status).toBe(0);
    expect(one.stderr).toMatch(/lint: 0 error/);
  });
  it('lint of one file shows only that file\'s findings', () => {
    const dir = spec(`${HEAD}items:\n  - struct: t_s\n    members:\n      - { field: a, type: __u8 }\n      - { field: b, type: __u32 }\n`);
    writeFileSync(join(dir, 'u.yaml'), 'family: u\ndoc: U.\nitems:\n  - struct: u_s\n    members:\n      - { field: a, type: __u8 }\n      - { field: b, type: __u64 }\n');
    const all = cli(['lint', dir]);
    expect(all.stderr).toMatch(/t\.yaml.*padding-hole/);
    expect(all.stderr).toMatch(/u\.yaml.*padding-hole/);
    const one = cli(['lint', join(dir, 'u.yaml')]);
    expect(one.status).toBe(1);
    expect(one.stderr).toMatch(/u\.yaml.*padding-hole/);
    expect(one.stderr).not.toMatch(/t\.yaml/);
  });
  it('two specs, or a positional and a different --spec, is a usage error', () => {
    const a = cli(['validate', 'spec', 'spec/history/vhost-mdev-v1']);
    expect(a.status).toBe(2);
    expect(a.stderr).toMatch(/unexpected argument/);
    const b = cli(['validate', 'spec', '--spec', 'spec/history/vhost-mdev-v1']);
    expect(b.status).toBe(2);
    expect(b.stderr).toMatch(/two specs given/);
  });
  it('a spec path that does not exist: exit 2, one line', () => {
    const r = cli(['validate', 'no/such/spec']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/spec not found/);
  });
});
