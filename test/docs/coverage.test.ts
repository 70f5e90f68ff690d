// Nothing silently missing: every item of the model, at every version the spec checks (and in
// every proposal), has its entry on the rendered pages, and the entry's block for that version
// shows what the model says there (numbers on every ABI, x86_64 offsets, constant values).
import { describe, expect, it } from 'vitest';
import { ABIS, walkDefinitions, type AbiView, type Family } from '../../src/model/index.ts';
import { atVersion, render, section } from './support.ts';

const r = render();
const hex = (n: number | bigint): string => `0x${n.toString(16)}`;

interface Source {
  id: string;
  dir: string;
  versions: readonly string[];
  listed: readonly string[];
  at(v: string): AbiView;
}

const sources: Source[] = [
  { id: 'linux', dir: 'docs', versions: r.spec.checkedVersions, listed: r.spec.versions, at: (v) => r.spec.at(r.spec.checkedVersions.find((x) => x === v) ?? r.spec.newest) },
  ...r.history.map((h) => ({ id: h.name, dir: 'docs/history', versions: h.spec.checkedVersions, listed: h.spec.versions, at: () => h.spec.at(h.spec.newest) })),
];

const familyOf = (view: AbiView, pick: (f: Family) => boolean): string | undefined => view.families.find(pick)?.name;

describe.each(sources)('every item of $id is on its pages', (src) => {
  const page = (family: string | undefined): string => r.pages.get(`${src.dir}/${family}.md`) ?? '';
  it.each([...src.versions])('at %s', (v) => {
    const view = src.at(v);
    const listed = src.listed.includes(v);
    const missing: string[] = [];
    const has = (what: string, text: string | undefined, ...needles: string[]): void => {
      if (text === undefined) missing.push(`${what}: no entry`);
      else for (const n of needles) if (!text.includes(n)) missing.push(`${what}: ${JSON.stringify(n)} not shown`);
    };
    let checked = 0;
    for (const q of view.requests) {
      checked++;
      const s = section(page(q.family), q.item.name);
      const block = s !== undefined && listed ? atVersion(s, v) : s;
      // Every ABI's number of the request at this version.
      has(`request ${q.item.name}`, block, ...ABIS.map((a) => `\`${hex(view.number(q, a))}\``));
    }
    for (const [key, t] of view.types) {
      checked++;
      const s = section(page(t.family), key);
      const block = s !== undefined && listed ? atVersion(s, v) : s;
      const l = view.layout(ABIS[0] as (typeof ABIS)[number], key);
      if (!l.ok) throw new Error(l.error);
      has(`${key}`, block, `Layout on x86_64: ${l.layout.size} bytes`, ...l.layout.fields.filter((f) => f.path).map((f) => `| ${f.offset} | ${f.size} | \`${f.path}\` |`));
    }
    for (const [name, c] of view.constants) {
      checked++;
      const p = page(c.family);
      const row = p.split('\n').find((l) => l.includes(`<a id="${name.toLowerCase()}"></a>`));
      // The value at this version opens a cell, or one of its per-version values ('38 (5.10); 41 (6.1)').
      const value = c.value !== undefined ? String(c.value) : JSON.stringify(c.string);
      if (row === undefined) missing.push(`constant ${name}: no entry`);
      else if (!row.split(/ \| |; /).some((cellText) => cellText.replace(/^`|`$/g, '') === value || cellText.startsWith(`${value} (`))) missing.push(`constant ${name}: value ${value} not shown`);
    }
    for (const [id, s] of view.sets) {
      checked++;
      has(`set ${id}`, section(page(s.family), `${s.item.set === 'values' ? 'value' : s.item.set} set ${id}`));
    }
    for (const name of view.macros.keys()) {
      checked++;
      const fam = view.families.find((f) => [...walkDefinitions(f.items)].some((d) => d.kind === 'macro' && d.name === name))?.name;
      has(`macro ${name}`, page(fam).includes(`<a id="${name.toLowerCase()}"></a>`) ? '' : undefined);
    }
    const byHeading = (what: string, heading: string, family: string | undefined): void => {
      checked++;
      const s = section(page(family), heading);
      has(what, s !== undefined && (listed || !src.listed.length) ? atVersion(s, v) ?? s : s);
    };
    for (const name of view.fds.keys()) byHeading(`fd ${name}`, `fd kind ${name}`, familyOf(view, (f) => f.fds.some((x) => x.name === name)));
    for (const name of view.requestSets.keys()) byHeading(`request set ${name}`, `request set ${name}`, familyOf(view, (f) => f.requestSets.some((x) => x.name === name)));
    for (const name of view.channels.keys()) byHeading(`channel ${name}`, `channel ${name}`, familyOf(view, (f) => f.channels.some((x) => x.name === name)));
    for (const [name, d] of view.devices) {
      checked++;
      const s = section(page(familyOf(view, (f) => f.devices.some((x) => x.name === name))), `device profile ${name}`);
      // A profile that lives only before the listed versions (5.7) has a single block.
      const block = s !== undefined && (listed || !s.includes('**In ')) ? atVersion(s, v) : s;
      has(`device ${name}`, block, `Accepts ${view.accepted(name).size} requests`, '```mermaid', d.fd);
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(src.id === 'linux' ? 400 : 20);
  });
});

describe('pages', () => {
  it('one page per family of every version and proposal, the matrix and the index', () => {
    const families = new Set(r.spec.model.families.map((f) => `docs/${f.name}.md`));
    const proposals = new Set(r.history.flatMap((h) => h.spec.model.families.map((f) => `docs/history/${f.name}.md`)));
    // The spec has a socket protocol (vhost-user), hence the cross-transport page.
    expect([...r.pages.keys()].sort()).toEqual([...families, ...proposals, 'docs/index.md', 'docs/matrix.md', 'docs/transports.md'].sort());
    expect(proposals.size).toBe(3);
  });
  it('carry the framework banner with the regen command, in Markdown syntax', () => {
    for (const [path, text] of r.pages) {
      expect(text.split('\n')[0], path).toMatch(/^<!-- Generated by ioctl-abi from spec\/\S+.* \(docs, kernel 7\.3\)\. Do not edit: change the spec and run `ioctl-abi gen --at 7\.3`\. -->$/);
    }
    // A proposal's page names its own file below spec/history/.
    expect(r.pages.get('docs/history/vhost-mdev-v2.md')?.split('\n')[0]).toContain('from spec/history/vhost-mdev-v2/vhost-mdev-v2.yaml (docs');
  });
  it('are deterministic: the same spec renders the same bytes, and nothing in them changes with the date', () => {
    const again = render();
    for (const [path, text] of r.pages) expect(again.pages.get(path), path).toBe(text);
    const year = String(new Date().getFullYear());
    for (const [path, text] of r.pages) expect(text.includes(`${year}-`), path).toBe(false);
  });
});
