// generators/docs: reference pages for reviewers and VMM developers, from the model.
// docs/<family>.md per family of the kernel spec, docs/history/<family>.md per proposal family,
// docs/matrix.md (every item against every version and proposal) and docs/index.md. Each page
// covers every version the spec checks; `gen --at V` marks what is not in V.
import type { EmitOptions, Emitter, GeneratedFile } from '../../src/emit/index.ts';
import { ABIS, type AbiView } from '../../src/model/index.ts';
import { catalog, type Catalog } from './catalog.ts';
import { cell, code, table } from './markdown.ts';
import { matrixPage } from './matrix.ts';
import { familyPage } from './page.ts';
import { references } from './references.ts';
import { docSources } from './sources.ts';
import { transportsPage } from './transports.ts';

const count = (cat: Catalog, family: string, kind: string): number => (cat.families.get(family) ?? []).filter((e) => e.kind === kind).length;

const FAMILY_HEAD = ['family', 'header', 'requests', 'structs and unions', 'constants', 'fd kinds / device profiles', 'about'];

function familyRows(cat: Catalog, prefix: string): string[][] {
  return [...cat.families.keys()].map((name) => {
    const f = cat.source.model.families.find((x) => x.name === name);
    const brief = (f?.doc ?? '').split(/(?<=\.)\s/)[0];
    return [`[${code(name)}](${prefix}${name}.md)`, f?.header ? code(f.header) : '', String(count(cat, name, 'request')), String(count(cat, name, 'type')), String(count(cat, name, 'const')), `${count(cat, name, 'fd')} / ${count(cat, name, 'device')}`, cell(brief)];
  });
}

function indexPage(view: AbiView, kernel: Catalog, proposals: readonly Catalog[]): string {
  const src = kernel.source;
  const out = [
    '# ioctl-abi reference',
    '',
    `The Linux vhost / vDPA / VDUSE / VFIO ioctl ABI as the spec describes it. Generated at kernel ${view.version}; every page covers all the versions the spec is checked at (${src.listed.join(', ')}), and says where an item differs between them.`,
    '',
    '## Families',
    '',
    ...table(FAMILY_HEAD, familyRows(kernel, '')),
    '',
    '## Version matrix',
    '',
    `[matrix.md](matrix.md): every request, struct, constant and feature bit against ${proposals.length ? 'the 2019 proposals and ' : ''}each kernel version: added, removed, renumbered, resized or changed.`,
  ];
  if (view.protocols.size > 0) {
    out.push('', '## Transports', '', '[transports.md](transports.md): each operation on vhost ioctls, VDUSE requests and vhost-user messages, with its payloads and where they differ; every vhost-user message.');
  }
  if (proposals.length) {
    out.push('', '## Historic proposals', '', 'Self-contained specs of ABIs that were posted but never merged (spec/history):', '');
    out.push(...table(FAMILY_HEAD, proposals.flatMap((p) => familyRows(p, 'history/'))));
  }
  out.push('', '## ABIs', '', `Layouts are shown for x86_64, with a note wherever one of the other ${ABIS.length - 1} ABIs differs. Request numbers use the ABI's _IOC encoding.`, '');
  out.push(...table(['ABI', '_IOC encoding', 'byte order', 'long and pointers'], ABIS.map((a) => [code(a.name), a.encoding, a.bigEndian ? 'big-endian' : 'little-endian', `${a.prims.long.size} bytes`])));
  return `${out.join('\n')}\n`;
}

export const docsEmitter: Emitter = {
  name: 'docs',
  owns: 'docs',
  emit(view, options: EmitOptions): GeneratedFile[] {
    const [linux, ...history] = docSources(view, options).map(catalog);
    if (!linux) return [];
    const mode = `docs, kernel ${view.version}`;
    const files: GeneratedFile[] = [];
    for (const cat of [linux, ...history]) {
      const refs = references(cat);
      for (const name of cat.families.keys()) {
        const p = familyPage(cat, refs, name);
        files.push({ path: p.path, syntax: 'markdown', sources: p.sources, mode, body: p.body });
      }
    }
    const files0 = (cat: Catalog): string[] => cat.source.model.families.map((f) => f.file);
    const matrix = matrixPage(linux, history);
    files.push({ path: matrix.path, syntax: 'markdown', sources: [...files0(linux), ...history.flatMap(files0)], mode, body: matrix.body });
    files.push({ path: 'docs/index.md', syntax: 'markdown', sources: files0(linux), mode, body: indexPage(view, linux, history) });
    if (view.protocols.size > 0) {
      const t = transportsPage(view);
      files.push({ path: t.path, syntax: 'markdown', sources: t.sources, mode, body: t.body });
    }
    return files.sort((a, b) => a.path.localeCompare(b.path));
  },
};

