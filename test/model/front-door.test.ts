// The model's front door (src/model/index.ts): the one import of every consumer, read-only,
// projected to known versions, answering with results instead of throwing.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, findAbi, offeredFeatures, openSpec, snapshot, SNAPSHOT_FORMAT, type Abi, type AbiView } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';

const ROOT = join(import.meta.dirname, '../..');
const spec = openOk(join(ROOT, 'spec'));
const x86_64 = findAbi('x86_64') as Abi;
const i386 = findAbi('i386') as Abi;

describe('consumers import only the front door', () => {
  // Everything that reads the model: emitters, lint, the CLI, the emit framework, examples,
  // benchmarks, and the tests that act as consumers (the lab, the oracle, history, support).
  const consumers = ['generators', 'src/lint', 'src/cli', 'src/emit', 'src/runtime', 'examples', 'bench', 'test/lab', 'test/oracle', 'test/uapi', 'test/history', 'test/support', 'test/cli'];
  const files = (dir: string): string[] => {
    let names: string[];
    try {
      names = readdirSync(join(ROOT, dir));
    } catch {
      return [];
    }
    return names.flatMap((n) => (statSync(join(ROOT, dir, n)).isDirectory() ? files(join(dir, n)) : /\.(ts|mts|mjs)$/.test(n) ? [join(dir, n)] : []));
  };
  it('no consumer imports a file of src/model other than index.ts', () => {
    const bad: string[] = [];
    let checked = 0;
    for (const dir of consumers) {
      for (const file of files(dir)) {
        checked++;
        for (const m of readFileSync(join(ROOT, file), 'utf8').matchAll(/from\s+'([^']+)'|import\('([^']+)'\)/g)) {
          const spec = (m[1] ?? m[2]) as string;
          if (!spec.startsWith('.')) continue;
          const target = relative(ROOT, join(ROOT, file, '..', spec));
          if (target.startsWith('src/model/') && target !== 'src/model/index.ts') bad.push(`${file} -> ${target}`);
        }
      }
    }
    expect(checked).toBeGreaterThan(30);
    expect(bad).toEqual([]);
  });
});

describe('versions', () => {
  it('lists the versions of project.yaml, oldest first, and the newest', () => {
    expect(spec.versions).toEqual(['5.10', '6.1', '6.12', '7.2', '7.3']);
    expect(spec.newest).toBe('7.3');
  });
  it('hands out only versions it knows: listed ones and where historic profiles begin', () => {
    expect(spec.version('6.12')).toEqual({ ok: true, version: '6.12' });
    expect(spec.version('5.7').ok).toBe(true);
    for (const v of ['4.0', '5.4', '6.2', '6.10']) {
      const r = spec.version(v);
      expect(r.ok, v).toBe(false);
      if (!r.ok) expect(r.hint).toContain('5.10, 6.1, 6.12, 7.2, 7.3');
    }
    const r = spec.version('six');
    expect(r.ok === false && r.message).toMatch(/not a kernel version/);
  });
  it('a spec with errors does not open: diagnostics instead, never a throw', () => {
    const r = openSpec([{ path: 'project.yaml', text: 'project: t\nversions: [6.1]\n' }, { path: 't.yaml', text: 'family: t\ndoc: T.\nitems:\n  - { define: X, value: Y }\n' }]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.rule}`)).toEqual(['t.yaml:4:25 spec-bad-expression']);
    expect(openSpec('/no/such/spec').ok).toBe(false);
  });
});

describe('the view at one version', () => {
  const view: AbiView = viewAt(spec, '6.12');
  it('is read-only at run time, not only in its types', () => {
    expect((view.constants as unknown as { set?: unknown }).set).toBeUndefined();
    expect(Object.isFrozen(view.requests)).toBe(true);
    expect(Object.isFrozen(view.request('VHOST_GET_VRING_BASE'))).toBe(true);
    const l = view.layout(x86_64, 'struct vhost_vring_addr');
    expect(l.ok && Object.isFrozen(l.layout) && Object.isFrozen(l.layout.fields)).toBe(true);
    expect(() => (view.requests as unknown as unknown[]).push(1)).toThrow(TypeError);
  });
  it('lays out types by key, by C spelling, and answers unknown types with a result', () => {
    const addr = view.layout(i386, 'struct vhost_vring_addr');
    expect(addr.ok && addr.layout.size).toBe(40);
    const name = view.layout(x86_64, 'char[256]');
    expect(name.ok && name.layout.size).toBe(256);
    expect(view.layout(x86_64, 'struct no_such_thing')).toEqual({ ok: false, error: 'struct no_such_thing is not defined at 6.12' });
    expect(view.layout(x86_64, 'float').ok).toBe(false);
  });
  it('numbers requests per ABI (values from the kernel headers, _IOWR(0xAF, 0x12, 8 bytes))', () => {
    const r = view.request('VHOST_GET_VRING_BASE');
    expect(r && view.number(r, x86_64)).toBe(0xc008af12);
    // powerpc encodes read|write as 6 in the top three bits
    expect(r && view.number(r, findAbi('ppc64le') as Abi)).toBe(0xc008af12);
    expect(view.request('VHOST_VDPA_RESUME')).toBeDefined();
    expect(viewAt(spec, '6.1').request('VHOST_VDPA_RESUME')).toBeUndefined();
  });
  it('knows which requests a device profile accepts', () => {
    const net = view.accepted('vhost-vdpa-net');
    expect(net.has('VHOST_VDPA_GET_DEVICE_ID')).toBe(true);
    expect(net.has('VHOST_SCSI_SET_ENDPOINT')).toBe(false);
    expect(view.accepted('vhost-scsi').has('VHOST_SCSI_SET_ENDPOINT')).toBe(true);
    expect(view.accepted('no-such-device').size).toBe(0);
  });
  it('applies feature filters: none today, the 5.7 allow-list without MQ (bit 22)', () => {
    expect(view.featureFilter('vhost-vdpa-net')).toEqual({ kind: 'none' });
    const first = viewAt(spec, '5.7').featureFilter('vhost-vdpa-net-first');
    expect(first?.kind).toBe('allowlist');
    if (!first || first.kind === 'none') throw new Error('no allow-list');
    expect(first.bits.some((b) => b.name === 'VIRTIO_NET_F_MQ')).toBe(false);
    const all = (1n << 64n) - 1n;
    expect(offeredFeatures(first, all) & (1n << 22n)).toBe(0n);
    expect(offeredFeatures(first, all) & (1n << 5n)).toBe(1n << 5n); // VIRTIO_NET_F_MAC
  });
  it('states the behaviour: SET_FEATURES after FEATURES_OK is EBUSY, SET_VRING_ADDR needs the owner', () => {
    const b = view.behaviour('vhost-vdpa', 'vhost-vdpa-net');
    expect(b).toBeDefined();
    const featuresOk = view.statusBits('vhost-vdpa').get('VIRTIO_CONFIG_S_FEATURES_OK');
    expect(featuresOk).toBe(8n);
    expect(b?.violations('VHOST_SET_FEATURES', { owner: true, status: 8n }).map((v) => v.errno)).toEqual(['EBUSY']);
    expect(b?.violations('VHOST_SET_FEATURES', { owner: true, status: 3n })).toEqual([]);
    expect(b?.violations('VHOST_SET_VRING_ADDR', { owner: false, status: 0n }).map((v) => v.errno)).toEqual(['EPERM']);
    expect(b?.accepted.has('VHOST_SCSI_SET_ENDPOINT')).toBe(false);
    expect(view.behaviour('vhost-vdpa', 'vhost-scsi')).toBeUndefined(); // a profile of another fd kind
  });
});

describe('AbiSnapshot (dump --json)', () => {
  const s = snapshot(viewAt(spec, '7.3'), ABIS);
  it('is versioned and names its ABIs', () => {
    expect(s.format).toMatch(/^ioctl-abi-snapshot\/\d+$/);
    expect(s.format).toBe(SNAPSHOT_FORMAT);
    expect(readFileSync(join(ROOT, 'docs/snapshot.md'), 'utf8')).toContain(`\`${SNAPSHOT_FORMAT}\``);
    expect(s.version).toBe('7.3');
    expect(s.abis).toEqual(ABIS.map((a) => a.name));
  });
  it('carries lifetimes, docs and positions that point at the item in the spec', () => {
    const checked = [
      ['requests', 'VHOST_VDPA_RESUME'],
      ['types', 'struct vhost_vring_addr'],
      ['constants', 'VHOST_BACKEND_F_SUSPEND'],
    ] as const;
    for (const [kind, name] of checked) {
      const entry = (s[kind] as Record<string, { at: string; doc?: string; since?: string }>)[name];
      expect(entry, name).toBeDefined();
      const [file, line] = (entry?.at ?? '').split(':');
      const text = readFileSync(join(ROOT, 'spec', file as string), 'utf8').split('\n')[Number(line) - 1];
      expect(text, `${name} at ${entry?.at}`).toContain(name.replace(/^struct /, ''));
      expect(entry?.doc, name).toBeTruthy();
    }
    expect(s.requests.VHOST_VDPA_RESUME?.since).toBe('6.12');
    expect(s.requests.VHOST_VDPA_RESUME?.number.x86_64).toBe('0xaf7e');
  });
  it('is sorted and stable', () => {
    expect(Object.keys(s.requests)).toEqual([...Object.keys(s.requests)].sort());
    expect(JSON.stringify(snapshot(viewAt(spec, '7.3'), ABIS))).toBe(JSON.stringify(s));
  });
});
