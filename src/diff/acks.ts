// Acknowledgements: reviewed breaks, recorded in a YAML file keyed by (rule, item, ABIs) with a
// reason. A finding an acknowledgement matches does not fail the run; an acknowledgement that
// matches nothing fails it (the break it accepted is gone, or changed shape).
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { RULES } from './rules.ts';
import type { Finding } from './types.ts';

export const TODO_REASON = 'TODO: say why this change is acceptable';

export interface Ack {
  rule: string;
  item: string;
  /** 'all' (every ABI compared) or a list. */
  abis: 'all' | string[];
  reason: string;
  /** Where it is written: file:line:col. */
  at: string;
}

export class AckError extends Error {}

export function readAcks(file: string): Ack[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AckError(`${file}: cannot read the acknowledgements (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  const where = (node: Node | null | undefined): string => {
    const { line, col } = lines.linePos(node?.range?.[0] ?? 0);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length) {
    const e = doc.errors[0];
    const { line, col } = lines.linePos(e?.pos[0] ?? 0);
    throw new AckError(`${file}:${line}:${col}: not valid YAML: ${e?.message.split('\n')[0]}`);
  }
  if (doc.contents === null) return [];
  if (!isMap(doc.contents)) throw new AckError(`${where(doc.contents)}: expected a mapping with 'acknowledgements:'`);
  for (const pair of doc.contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'acknowledgements') throw new AckError(`${where(pair.key as Node)}: unknown key '${key}' (only 'acknowledgements')`);
  }
  const list = doc.contents.get('acknowledgements', true);
  if (list === undefined || list === null || (isScalar(list) && list.value === null)) return [];
  if (!isSeq(list)) throw new AckError(`${where(list as Node)}: 'acknowledgements' must be a list`);
  return list.items.map((entry) => parseAck(entry as Node, where));
}

function parseAck(entry: Node, where: (n: Node | null | undefined) => string): Ack {
  if (!isMap(entry)) throw new AckError(`${where(entry)}: an acknowledgement is a mapping with rule, item, abis and reason`);
  const known = new Set(['rule', 'item', 'abis', 'reason']);
  for (const pair of entry.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!known.has(key)) throw new AckError(`${where(pair.key as Node)}: unknown key '${key}' (rule, item, abis, reason)`);
  }
  const text = (key: string): string => {
    const node = entry.get(key, true) as Node | undefined;
    if (!node) throw new AckError(`${where(entry)}: missing '${key}'`);
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') throw new AckError(`${where(node)}: '${key}' must be a non-empty string`);
    return node.value;
  };
  const rule = text('rule');
  if (!(rule in RULES)) throw new AckError(`${where(entry.get('rule', true) as Node)}: unknown rule '${rule}' (docs/compat-rules.md lists them)`);
  const reason = text('reason');
  if (reason.trim().startsWith('TODO')) throw new AckError(`${where(entry.get('reason', true) as Node)}: the reason still says TODO: write why this ${rule} is acceptable`);
  const abisNode = entry.get('abis', true) as Node | undefined;
  let abis: Ack['abis'];
  if (!abisNode) throw new AckError(`${where(entry)}: missing 'abis' ('all' or a list)`);
  if (isScalar(abisNode) && abisNode.value === 'all') abis = 'all';
  else if (isSeq(abisNode) && abisNode.items.length > 0 && abisNode.items.every((i) => isScalar(i) && typeof i.value === 'string')) abis = abisNode.items.map((i) => String((i as { value: string }).value)).sort();
  else throw new AckError(`${where(abisNode)}: 'abis' must be 'all' or a non-empty list of ABI names`);
  return { rule, item: text('item'), abis, reason, at: where(entry) };
}

/** Whether an acknowledgement covers a finding: same rule and item, and exactly its ABIs. */
export function matches(ack: Ack, f: Finding, allAbis: readonly string[]): boolean {
  if (ack.rule !== f.rule || ack.item !== f.item) return false;
  const want = ack.abis === 'all' ? [...allAbis] : ack.abis;
  return want.length === f.abis.length && [...want].sort().every((a, i) => a === [...f.abis].sort()[i]);
}

export interface AckedResult {
  /** Findings no acknowledgement covers. */
  open: Finding[];
  acknowledged: Array<{ finding: Finding; ack: Ack }>;
  /** Acknowledgements that match no finding: they fail the run. */
  stale: Ack[];
}

export function applyAcks(findings: readonly Finding[], acks: readonly Ack[], allAbis: readonly string[]): AckedResult {
  const open: Finding[] = [];
  const acknowledged: AckedResult['acknowledged'] = [];
  const used = new Set<Ack>();
  for (const f of findings) {
    const ack = acks.find((a) => matches(a, f, allAbis));
    if (ack) {
      used.add(ack);
      acknowledged.push({ finding: f, ack });
    } else open.push(f);
  }
  return { open, acknowledged, stale: acks.filter((a) => !used.has(a)) };
}

/** The acknowledgements file for a run: the ones still in use, plus one per open finding. */
export function acksFile(kept: readonly Ack[], open: readonly Finding[], allAbis: readonly string[]): string {
  const entries = [
    ...kept.map((a) => ({ rule: a.rule, item: a.item, abis: a.abis, reason: a.reason })),
    ...open.map((f) => ({ rule: f.rule, item: f.item, abis: f.abis.length === allAbis.length ? ('all' as const) : f.abis, reason: TODO_REASON })),
  ];
  const seen = new Set<string>();
  const unique = entries.filter((e) => {
    const k = `${e.rule}\0${e.item}\0${e.abis === 'all' ? 'all' : e.abis.join(',')}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  unique.sort((a, b) => a.rule.localeCompare(b.rule) || a.item.localeCompare(b.item));
  const q = (s: string): string => JSON.stringify(s);
  const body = unique.map((e) => [`  - rule: ${e.rule}`, `    item: ${q(e.item)}`, `    abis: ${e.abis === 'all' ? 'all' : `[${e.abis.join(', ')}]`}`, `    reason: ${q(e.reason)}`].join('\n'));
  return [
    '# Reviewed ABI changes: `ioctl-abi diff` does not fail on a finding listed here (docs/compat-rules.md).',
    '# Keyed by rule, item and ABIs; an entry that matches no finding fails the run.',
    unique.length ? 'acknowledgements:' : 'acknowledgements: []',
    ...body,
    '',
  ].join('\n');
}
