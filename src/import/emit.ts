// Merged entries -> spec YAML text: items with since/until, flow style for one-line members.
import { Document, isMap, isSeq, type Node, YAMLMap } from 'yaml';
import type { Merged } from './merge.ts';

function lifetime(m: Merged, versions: readonly string[], parent: { first: number; end: number }): Record<string, string> {
  const out: Record<string, string> = {};
  if (m.first > parent.first) out.since = versions[m.first] as string;
  if (m.end < parent.end) out.until = versions[m.end] as string;
  return out;
}

function toNode(m: Merged, versions: readonly string[], parent: { first: number; end: number }): Record<string, unknown> {
  const node: Record<string, unknown> = { ...m.node, ...lifetime(m, versions, parent) };
  if (m.childKey && m.children) node[m.childKey] = m.children.map((c) => toNode(c, versions, m));
  return node;
}

/** One-line maps (fields, set values, includes, short defines) print in flow style. */
function styleFlow(node: Node | null): void {
  if (isSeq(node)) for (const i of node.items) styleFlow(i as Node);
  if (isMap(node)) {
    const simple = node.items.every((p) => !isSeq(p.value) && !isMap(p.value) || (isMap(p.value) && (p.value as YAMLMap).items.length === 1));
    const text = JSON.stringify(node.toJSON());
    if (simple && text.length < 90) node.flow = true;
    for (const p of node.items) styleFlow(p.value as Node);
  }
}

export function emitFamilyYaml(head: Record<string, unknown>, merged: Merged[], versions: readonly string[], first = 0): string {
  const all = { first, end: versions.length };
  const body = { ...head, items: merged.map((m) => toNode(m, versions, all)) };
  const doc = new Document(body, { aliasDuplicateObjects: false });
  styleFlow(doc.contents as Node);
  const text = doc.toString({ lineWidth: 0, flowCollectionPadding: true });
  // C integer literals and versions stay plain scalars so the loader keeps their spelling.
  return text
    .replace(/: (['"])((?:0x[0-9A-Fa-f]+|\d+))\1/g, ': $2')
    .replace(/(since|until): (['"])(\d+\.\d+)\2/g, '$1: $3');
}
