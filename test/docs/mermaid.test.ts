// The state diagrams parse with Mermaid's own parser (mermaid 11, the library GitHub renders
// with, in Node through jsdom), and say what the spec says of each profile: the refusals below
// are the kernel's, as the spec records them (drivers/vhost/vdpa.c and the 2019 postings; see
// docs/vhost-mdev.md), not read from the generator.
import { describe, expect, it } from 'vitest';
import { parseState, type ParsedState } from './mermaid.ts';
import { render, section } from './support.ts';

const { pages } = render();

const diagrams = [...pages].flatMap(([path, text]) => [...text.matchAll(/```mermaid\n([\s\S]*?)```/g)].map((m, i) => ({ path, i, text: m[1] as string })));

/** The diagram of a profile's block that holds at a version (the last block when it has one only). */
function diagramOf(page: string, profile: string, version?: string): string {
  const s = section(pages.get(page), `device profile ${profile}`) ?? '';
  const block = version && s.includes('**In ') ? s.split(/^\*\*In ([^*]+):\*\*$/m).find((_, i, all) => i > 0 && all[i - 1]?.split(', ').includes(version)) ?? '' : s;
  const m = /```mermaid\n([\s\S]*?)```/.exec(block);
  if (!m) throw new Error(`no diagram for ${profile} ${version ?? ''}`);
  return m[1] as string;
}

/** Self-loops of the states whose label names all of `on` and none of `off`. */
function loops(d: ParsedState, on: readonly string[], off: readonly string[]): string[] {
  const ids = [...d.states].filter(([, label]) => {
    const parts = label.split(', ');
    return on.every((b) => parts.includes(b)) && off.every((b) => parts.includes(`no ${b}`));
  }).map(([id]) => id);
  if (ids.length !== 1) throw new Error(`expected one state with ${on} and without ${off}, got ${ids.length}`);
  return d.transitions.filter((t) => t.from === ids[0] && t.to === ids[0]).flatMap(lines);
}

/** A state's refusals share one loop, one per line. */
const lines = (t: { label: string }): string[] => t.label.split(/<br\s*\/?>/);
const loopLines = (d: ParsedState, id: string): string[] => d.transitions.filter((t) => t.from === id && t.to === id).flatMap(lines);

describe('every state diagram parses', () => {
  it('there is one per device profile block', () => {
    expect(diagrams.length).toBeGreaterThanOrEqual(10);
  });
  it.each(diagrams.map((d) => [`${d.path} #${d.i}`, d.text] as const))('%s', async (_name, text) => {
    const d = await parseState(text);
    expect(d.states.size).toBeGreaterThan(0);
  });
  it('a state has one loop at most: Mermaid would draw several on top of each other', async () => {
    for (const { path, i, text } of diagrams) {
      const d = await parseState(text);
      const selfLoops = d.transitions.filter((t) => t.from === t.to).map((t) => t.from);
      expect(selfLoops.length, `${path} #${i}`).toBe(new Set(selfLoops).size);
    }
  });
  it('and the parser really checks: a broken diagram is refused', async () => {
    await expect(parseState('stateDiagram-v2\n  a --> : x\n')).rejects.toThrow(/Parse error/);
  });
});

describe('what the diagrams say', () => {
  it('vhost-vdpa-net (7.3): SET_FEATURES is EBUSY exactly where FEATURES_OK is set; owner gates', async () => {
    const d = await parseState(diagramOf('docs/vhost-backends.md', 'vhost-vdpa-net', '7.3'));
    for (const driverOk of [true, false]) {
      const on = (b: boolean, n: string): string[] => (b ? [n] : []);
      const off = (b: boolean, n: string): string[] => (b ? [] : [n]);
      expect(loops(d, ['FEATURES_OK', ...on(driverOk, 'DRIVER_OK')], off(driverOk, 'DRIVER_OK')).some((l) => l.includes('VHOST_SET_FEATURES') && l.endsWith('EBUSY'))).toBe(true);
      expect(loops(d, on(driverOk, 'DRIVER_OK'), ['FEATURES_OK', ...off(driverOk, 'DRIVER_OK')]).some((l) => l.includes('VHOST_SET_FEATURES'))).toBe(false);
    }
    // Ring address and base cannot change while DRIVER_OK is set (6.10+): EINVAL.
    expect(loops(d, ['DRIVER_OK'], ['FEATURES_OK']).some((l) => l.includes('VHOST_SET_VRING_ADDR') && l.endsWith('EINVAL'))).toBe(true);
    // SET_STATUS adds FEATURES_OK from a fresh device, and 0 resets from anywhere.
    expect(d.transitions.some((t) => t.from !== t.to && t.label === 'VHOST_VDPA_SET_STATUS +FEATURES_OK')).toBe(true);
    expect(d.transitions.filter((t) => t.label === 'VHOST_VDPA_SET_STATUS 0 (reset)').length).toBe(3);
    // Without an owner the ring requests are EPERM; with one, a second SET_OWNER is EBUSY.
    expect(loopLines(d, 'unowned').some((l) => l.endsWith('EPERM'))).toBe(true);
    expect(loopLines(d, 'owned')).toContain('VHOST_SET_OWNER - EBUSY');
  });
  it('vhost-mdev v3: ring requests EBUSY unless FEATURES_OK and not DRIVER_OK; v2 said EPERM', async () => {
    for (const [page, profile, errno] of [['docs/history/vhost-mdev-v3.md', 'vhost-mdev-v3-net', 'EBUSY'], ['docs/history/vhost-mdev-v2.md', 'vhost-mdev-v2-net', 'EPERM']] as const) {
      const d = await parseState(diagramOf(page, profile));
      const ring = (l: string): boolean => l.startsWith('VHOST_SET_VRING_NUM') && l.endsWith(errno);
      expect(loops(d, ['FEATURES_OK'], ['DRIVER_OK']).some(ring), profile).toBe(false);
      expect(loops(d, [], ['FEATURES_OK', 'DRIVER_OK']).some(ring), profile).toBe(true);
      expect(loops(d, ['DRIVER_OK', 'FEATURES_OK'], []).some(ring), profile).toBe(true);
      expect(loops(d, ['FEATURES_OK', 'DRIVER_OK'], []).some((l) => l.startsWith('VHOST_SET_FEATURES') && l.endsWith(errno)), profile).toBe(true);
    }
  });
  it('vhost-mdev v1 has no status byte: only the owner gate (EPERM) is drawn', async () => {
    const d = await parseState(diagramOf('docs/history/vhost-mdev-v1.md', 'vhost-mdev-v1'));
    expect([...d.states.keys()].sort()).toEqual(['owned', 'unowned']);
    expect(loopLines(d, 'unowned').some((l) => l.endsWith('EPERM'))).toBe(true);
  });
  it('a profile without status rules says so', async () => {
    const d = await parseState(diagramOf('docs/vhost-backends.md', 'vhost-net', '7.3'));
    expect([...d.states.values()]).toEqual(['vhost-net']);
  });
});
