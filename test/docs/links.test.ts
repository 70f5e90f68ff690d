// Links between items: every relative link on the pages lands on a page that exists and on an
// anchor that page has (a heading, as GitHub derives its anchor, or an explicit <a id>).
import { describe, expect, it } from 'vitest';
import { githubSlug, render } from './support.ts';

const { pages } = render();

function anchorsOf(text: string): Set<string> {
  const out = new Set<string>();
  for (const m of text.matchAll(/^#{1,6} (.+)$/gm)) out.add(githubSlug(m[1] as string));
  for (const m of text.matchAll(/<a id="([^"]+)"><\/a>/g)) out.add(m[1] as string);
  return out;
}

function resolve(from: string, target: string): string {
  const parts = from.split('/').slice(0, -1);
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

describe('links', () => {
  const anchors = new Map([...pages].map(([p, t]) => [p, anchorsOf(t)]));
  it('every link resolves to a page and an anchor on it', () => {
    const broken: string[] = [];
    let count = 0;
    for (const [path, text] of pages) {
      for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        const href = m[1] as string;
        if (/^[a-z]+:/.test(href)) continue;
        count++;
        const [file, frag] = href.split('#') as [string, string | undefined];
        const target = file === '' ? path : resolve(path, file);
        if (!pages.has(target)) broken.push(`${path}: ${href} (no page ${target})`);
        else if (frag !== undefined && !anchors.get(target)?.has(frag)) broken.push(`${path}: ${href} (no anchor)`);
      }
    }
    expect(broken).toEqual([]);
    expect(count).toBeGreaterThan(3000);
  });
  it('no two headings of a page share an anchor (each would land on the first)', () => {
    for (const [path, text] of pages) {
      const slugs = [...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => githubSlug(m[1] as string));
      expect(slugs.filter((s, i) => slugs.indexOf(s) !== i), path).toEqual([]);
    }
  });
  it('a request links its argument type, fd kinds and device profiles; a struct links back', () => {
    const vhost = pages.get('docs/vhost.md') ?? '';
    const entry = vhost.slice(vhost.indexOf('### VHOST_SET_VRING_ADDR'), vhost.indexOf('### VHOST_SET_VRING_BASE'));
    expect(entry).toContain('[`struct vhost_vring_addr`](vhost-types.md#struct-vhost_vring_addr)');
    expect(entry).toContain('[`vhost-vdpa`](vhost-backends.md#fd-kind-vhost-vdpa)');
    expect(entry).toContain('[`vhost-vdpa-net`](vhost-backends.md#device-profile-vhost-vdpa-net)');
    const types = pages.get('docs/vhost-types.md') ?? '';
    const addr = types.slice(types.indexOf('### struct vhost_vring_addr'), types.indexOf('### struct vhost_worker_state'));
    expect(addr).toContain('Referenced by: [`VHOST_SET_VRING_ADDR`](vhost.md#vhost_set_vring_addr)');
    // A proposal links within its own page, not to the kernel's.
    const v3 = pages.get('docs/history/vhost-mdev-v3.md') ?? '';
    expect(v3).toContain('[`struct vhost_mdev_config`](#struct-vhost_mdev_config)');
  });
});
