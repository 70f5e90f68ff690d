// The kernel dispatch emitter: what it prints for which profiles, that the C follows the model's
// paths (one switch, a direct call per request, checks in the model's order), and that it stops
// gen with a KdispatchError rather than print something the model would evaluate differently.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { executableProfiles, kdispatchEmitter, KdispatchError, planProfile } from '../../generators/kdispatch/index.ts';
import { renderFile } from '../../src/emit/index.ts';
import type { AbiView, SourceText } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';
import { newestView, PROFILE, ROOT } from './build.ts';
import { profileBehaviour } from './calls.ts';

const view = newestView();
const b = profileBehaviour(view);
const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}` };
const emitted = new Map(kdispatchEmitter.emit(view, options).map((f) => [f.path, f]));
const source = emitted.get(`kernel/${PROFILE}.c`)?.body ?? '';
const header = emitted.get(`kernel/${PROFILE}.h`)?.body ?? '';

/** The spec with one change to one file (what it changes must be there). */
function mutated(file: string, from: string | RegExp, to: string): AbiView {
  const dir = join(ROOT, 'spec');
  const sources: SourceText[] = readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => ({ path: f, text: readFileSync(join(dir, f), 'utf8') }));
  const s = sources.find((x) => x.path === file);
  if (!s || !(typeof from === 'string' ? s.text.includes(from) : from.test(s.text))) throw new Error(`${file} has no '${String(from)}'`);
  s.text = s.text.replace(from, to);
  const spec = openOk(sources);
  return viewAt(spec, spec.newest);
}

describe('kdispatch emitter', () => {
  it(`prints the profiles with an executable dispatch: ${PROFILE} at ${view.version}, none where the fd has no dispatch`, () => {
    expect(executableProfiles(view)).toEqual([PROFILE]);
    expect([...emitted.keys()].sort()).toEqual([`kernel/${PROFILE}.c`, `kernel/${PROFILE}.h`]);
    const old = viewAt(openOk(join(ROOT, 'spec')), '6.1');
    expect(kdispatchEmitter.emit(old, options)).toEqual([]);
  });

  it('the 2019 vhost-mdev v2 profiles have no executable dispatch: nothing is printed for them', () => {
    const v2 = openOk(join(ROOT, 'spec/history/vhost-mdev-v2'));
    const at = viewAt(v2, v2.newest);
    expect([...at.devices.keys()].sort()).toEqual(['vhost-mdev-v2-net', 'vhost-mdev-v2-net-review']);
    expect(executableProfiles(at)).toEqual([]);
    expect(() => planProfile(at, 'vhost-mdev-v2-net')).toThrow(KdispatchError);
  });

  it('one switch on the full request number: a case per accepted request, then -ENOIOCTLCMD', () => {
    const ioctl = source.slice(source.indexOf(`long vhost_vdpa_net_ioctl(`));
    const cases = [...ioctl.matchAll(/^\tcase (\w+):$/gm)].map((m) => m[1]);
    expect(cases.sort()).toEqual([...b.accepted].sort());
    expect(ioctl).toMatch(/\tdefault:\n\t\treturn -ENOIOCTLCMD;/);
  });

  it('a typed handler prototype per request, called directly: no function pointer anywhere', () => {
    for (const r of b.accepted) {
      const name = `vhost_vdpa_net_${r.replace(/^VHOST_(VDPA_)?/, '').toLowerCase()}`;
      expect(header, r).toMatch(new RegExp(`^(?:long )?${name}\\(struct vhost_vdpa_net_dev \\*dev[,)]`, 'm'));
      expect(source, r).toMatch(new RegExp(`\\b${name}\\(dev[,)]`));
    }
    expect(`${source}\n${header}`).not.toMatch(/\(\s*\*\s*\w*\s*\)\s*\(/);
  });

  it("each request's function runs its checks in the model's order", () => {
    for (const r of b.accepted) {
      const fn = source.slice(source.search(new RegExp(`^(?:static long )?vhost_vdpa_net_do_${r.replace(/^VHOST_(VDPA_)?/, '').toLowerCase()}\\(`, 'm')));
      const bodyText = fn.slice(fn.indexOf('{'), fn.indexOf('\n}\n'));
      const ids = [...bodyText.matchAll(/^\t\/\*\s*\n?(?:\t \* )?([a-z0-9-]+)(?::| \*\/)/gm)].map((m) => m[1]);
      expect(ids, r).toEqual(b.path(r).checks.map((c) => c.id));
    }
  });

  it('the handler is called after the last check, and a copy-out only when it succeeded', () => {
    const fn = source.slice(source.search(/^(?:static long )?vhost_vdpa_net_do_get_vring_base\(/m));
    const body = fn.slice(0, fn.indexOf('\n}\n'));
    const at = (s: string): number => body.indexOf(s);
    expect(at('array_index_nospec')).toBeLessThan(at('vhost_vdpa_net_get_vring_base(dev'));
    expect(at('vhost_vdpa_net_get_vring_base(dev')).toBeLessThan(at('if (ret < 0)'));
    expect(at('if (ret < 0)')).toBeLessThan(at('copy_to_user'));
  });

  it('the generated files in generated/kernel are what the emitter prints (gen --check)', () => {
    for (const [path, f] of emitted) expect(readFileSync(join(ROOT, 'generated', path), 'utf8'), path).toBe(renderFile(f, options));
  });

  describe('stops gen instead of printing what the model would not do', () => {
    const refuse = (v: AbiView, message: RegExp): void => {
      expect(() => kdispatchEmitter.emit(v, options)).toThrow(KdispatchError);
      expect(() => kdispatchEmitter.emit(v, options)).toThrow(message);
    };
    it('a check after a copy-out (the answer is copied only on success)', () => {
      refuse(
        mutated('vhost-backends.yaml', 'Getters handled by vhost_vdpa_unlocked_ioctl itself, no owner check; the answer is copied out.\n        checks:\n          - { check: copy-out, write: arg, source: drivers/vhost/vdpa.c vhost_vdpa_unlocked_ioctl (v6.12) }',
          'Getters handled by vhost_vdpa_unlocked_ioctl itself, no owner check; the answer is copied out.\n        checks:\n          - { check: copy-out, write: arg, source: drivers/vhost/vdpa.c vhost_vdpa_unlocked_ioctl (v6.12) }\n          - { check: late, refuse: "dev.nvqs == 0", error: EINVAL }'),
        /a write must be last/,
      );
    });
    it('a check after an eventfd lookup', () => {
      refuse(
        mutated('vhost-backends.yaml', /^( *)(- \{ check: config-call-eventfd,.*)$/m, '$1$2\n$1- { check: late, refuse: "dev.nvqs == 0", error: EINVAL }'),
        /follows an eventfd lookup/,
      );
    });
    it('a request that passes data in but whose path never reads it (NULL would not fault as the model says)', () => {
      refuse(
        mutated('vhost-backends.yaml', '- requests: [VHOST_VDPA_SET_VRING_ENABLE, VHOST_GET_VRING_BASE, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, VHOST_GET_VRING_BUSYLOOP_TIMEOUT]\n        since: 6.12\n        checks:\n          - use: vhost-dev-ioctl\n          - use: vring-index',
          '- requests: [VHOST_VDPA_SET_VRING_ENABLE]\n        since: 6.12\n        checks:\n          - use: vhost-dev-ioctl\n      - requests: [VHOST_GET_VRING_BASE, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, VHOST_GET_VRING_BUSYLOOP_TIMEOUT]\n        since: 6.12\n        checks:\n          - use: vhost-dev-ioctl\n          - use: vring-index'),
        /VHOST_VDPA_SET_VRING_ENABLE: the request passes data in but its path never reads it/,
      );
    });
    it('a feature filter (the model does not yet say which requests carry device features)', () => {
      refuse(
        mutated('vhost-backends.yaml', '    features: [virtio-net-features, virtio-transport-features]\n    source: drivers/vhost/vdpa.c vhost_vdpa_get_features (v6.12; ops->get_device_features, unfiltered)',
          '    features: [virtio-net-features, virtio-transport-features]\n    feature-blacklist: [VIRTIO_NET_F_MQ]\n    source: drivers/vhost/vdpa.c vhost_vdpa_get_features (v6.12; ops->get_device_features, unfiltered)'),
        /feature blacklist/,
      );
    });
  });

  it('is fast enough for gen (under 300 ms for the profile)', () => {
    const t0 = performance.now();
    kdispatchEmitter.emit(view, options);
    expect(performance.now() - t0).toBeLessThan(300);
  });
});
