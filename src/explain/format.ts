// `explain` answers as text for a terminal (JSON is the answer object itself).
import type { ExplainIndex, IndexConstant, IndexRequest, IndexType, LayoutGroup } from './index-types.ts';
import type { Answer, NameAnswer, NumberAnswer } from './lookup.ts';
import { versionSpan } from './words.ts';

const hex = (n: number): string => `0x${n.toString(16)}`;

const ENCODING: Record<string, string> = { generic: 'generic _IOC', powerpc: 'powerpc/mips/sparc/alpha _IOC', parisc: 'parisc _IOC' };

/** Where an entry holds: a proposal, or kernel versions (and the versions where it exists in another form). */
function where(index: ExplainIndex, x: { name: string; source: string; versions: readonly string[] }, all: readonly { name: string; source: string; versions: readonly string[] }[], versions = x.versions): string {
  const s = index.sources.find((y) => y.id === x.source);
  if (!s) return x.source;
  if (s.proposal) return `${s.id} (a 2019 proposal posted against Linux ${s.versions.join(', ')}; never merged)`;
  const forms = all.filter((y) => y.name === x.name && y.source === x.source);
  if (forms.length === 1) return `Linux ${versionSpan(versions, s.versions)}`;
  const others = s.versions.filter((v) => forms.some((y) => y.versions.includes(v))).filter((v) => !x.versions.includes(v));
  return `Linux ${versions.join(', ')}; in another form at ${others.join(', ')}`;
}

/** ABI lists are long: all of them, or all but a few, say so. */
function abiList(index: ExplainIndex, abis: readonly string[]): string {
  const all = index.abis.map((a) => a.name);
  if (abis.length === all.length) return `all ${all.length} ABIs`;
  return abis.join(', ');
}

function layoutLines(index: ExplainIndex, groups: readonly LayoutGroup[], only?: readonly string[], indent = '    '): string[] {
  const out: string[] = [];
  const shown = groups.map((g) => ({ ...g, abis: only ? g.abis.filter((a) => only.includes(a)) : g.abis })).filter((g) => g.abis.length);
  // A scalar has no fields: its size per ABI is all there is to say.
  if (shown.every((g) => g.fields.length === 0)) {
    const bySize = new Map<number, string[]>();
    for (const g of shown) bySize.set(g.size, [...(bySize.get(g.size) ?? []), ...g.abis]);
    return [`${indent}${[...bySize].map(([size, abis]) => `${size} byte${size === 1 ? '' : 's'} on ${abiList(index, abis)}`).join('; ')}`];
  }
  const fieldsOf = (g: LayoutGroup): string => g.fields.map((f) => `${f.offset}+${f.size}`).join();
  shown.forEach((g, i) => {
    const same = shown.slice(0, i).find((x) => fieldsOf(x) === fieldsOf(g));
    out.push(`${indent}${g.size} bytes, aligned to ${g.align}, on ${abiList(index, g.abis)}${same ? ': fields as above' : ':'}`);
    if (same) return;
    const w = Math.max(6, ...g.fields.map((f) => f.path.length));
    for (const f of g.fields) out.push(`${indent}  ${String(f.offset).padStart(4)} ${String(f.size).padStart(4)}  ${f.path.padEnd(w)}  ${f.type}`);
  });
  return out;
}

function requestLines(index: ExplainIndex, r: IndexRequest, abis?: readonly string[], versions?: readonly string[]): string[] {
  const sig = `${r.macro}(${r.typeName}, ${r.nrText}${r.encoding === 'none' ? '' : `, ${r.arg ?? ''}`})`;
  const out = [`${r.name} = ${sig}`, `  in:        ${where(index, r, index.requests, versions ?? r.versions)}`];
  if (abis) out.push(`  on:        ${abiList(index, abis)}`);
  out.push(`  fd kinds:  ${r.scope.join(', ') || 'none'}${r.devices.length ? `; device profiles: ${r.devices.join(', ')}` : ''}`);
  out.push(`  data:      ${r.data}${r.pass === 'value' ? ' (the argument is passed by value)' : ''}${r.quirk ? ` (${r.quirk})` : ''}`);
  if (r.doc) out.push(`  doc:       ${r.doc}`);
  if (r.argLayout) out.push(`  argument:  ${r.arg}`, ...layoutLines(index, r.argLayout, abis));
  else if (r.arg) out.push(`  argument:  ${r.arg}${r.pass === 'value' ? ' (by value)' : ''}`);
  for (const c of r.checks) {
    if (c.steps.length === 0) continue;
    out.push(`  checks on ${c.fd}${c.ordered ? ', in order' : ' (status rules, then recorded quirks)'}:`);
    c.steps.forEach((s, i) => out.push(`    ${i + 1}. ${s.text} -> ${s.errno}`));
  }
  return out;
}

function numberText(index: ExplainIndex, a: NumberAnswer): string[] {
  const out = [`${a.hex} = ${a.value}`, ''];
  for (const d of a.decodings) {
    const dir = d.macro ?? `no direction (bits ${d.dirBits})`;
    out.push(`  ${ENCODING[d.encoding]} (${abiList(index, d.abis)}): ${dir}, type ${hex(d.type)}, nr ${hex(d.nr)}, size ${d.size}`);
  }
  out.push('');
  if (a.matches.length) {
    for (const m of a.matches) out.push(...requestLines(index, m.request, m.abis, m.versions), '');
    return out;
  }
  out.push('No known request has this number.');
  if (a.nearest.length) {
    out.push(`Known requests of type ${hex(a.value >>> 8 & 0xff)}, nearest nr first:`);
    for (const n of a.nearest) out.push(`  ${n.name.padEnd(36)} nr ${hex(n.nr).padEnd(5)} ${n.macro.padEnd(5)} ${hex(n.number)} on ${n.abi}${n.source === 'linux' ? '' : ` (${n.source})`}`);
  } else if (a.knownTypes.length) {
    out.push(`No known request has type ${hex(a.value >>> 8 & 0xff)}; known types: ${a.knownTypes.map((t) => `${hex(t.type)} (${t.name})`).join(', ')}.`);
  }
  return out;
}

function typeLines(index: ExplainIndex, t: IndexType): string[] {
  return [`${t.name}`, `  in:        ${where(index, t, index.types)}`, ...(t.doc ? [`  doc:       ${t.doc}`] : []), ...layoutLines(index, t.layout, undefined, '  ')];
}

function constantLines(index: ExplainIndex, c: IndexConstant): string[] {
  const value = c.string !== undefined ? JSON.stringify(c.string) : c.value !== undefined ? `${c.value}${BigInt(c.value) >= 10n ? ` (0x${BigInt(c.value).toString(16)})` : ''}` : '';
  return [`${c.name} = ${value}${c.spelling && c.spelling !== c.value ? `  (${c.spelling})` : ''}`, `  in:        ${where(index, c, index.constants)}`, `  kind:      ${c.kind}${c.set ? ` (set ${c.set})` : ''}`, ...(c.doc ? [`  doc:       ${c.doc}`] : [])];
}

function nameText(index: ExplainIndex, a: NameAnswer): string[] {
  const out: string[] = [];
  for (const r of a.requests) out.push(...requestLines(index, r), '');
  for (const t of a.types) out.push(...typeLines(index, t), '');
  for (const c of a.constants) out.push(...constantLines(index, c), '');
  if (out.length === 0) {
    out.push(`Nothing is called ${a.name}.${a.suggestions.length ? ` Names that contain it: ${a.suggestions.join(', ')}.` : ''}`);
    // strace and oopses print hex without 0x at times: say how to ask for the number.
    if (/^[0-9a-f]{1,8}$/i.test(a.name)) out.push(`For the number, write 0x${a.name.toLowerCase()}.`);
  }
  return out;
}

export function formatText(index: ExplainIndex, a: Answer): string {
  const lines = a.kind === 'number' ? numberText(index, a) : nameText(index, a);
  while (lines.at(-1) === '') lines.pop();
  return `${lines.join('\n')}\n`;
}
