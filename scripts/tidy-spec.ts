// Rewrites the C expressions stored in spec YAML (values, bits, nrs, array sizes, macro bodies,
// argument types, #if guards) in kernel spacing: `( 1 << 0 )` becomes `(1 << 0)`.
// Edits the text in place at each scalar's source range, so every other byte of the file
// (comments, layout, the spelling of numbers such as 0x00) stays as it was; cSpacing
// re-checks that only whitespace changed.  npx tsx scripts/tidy-spec.ts [spec/*.yaml]
import { readFileSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, parseDocument, Scalar, type Node } from 'yaml';
import { cSpacing } from '../src/emit/c/spacing.ts';
import { specFiles } from '../src/load/load.ts';

const C_KEYS = new Set(['value', 'bit', 'nr', 'count', 'body', 'arg', 'if']);

interface Edit { start: number; end: number; text: string }

function collect(node: Node | null, key: string | undefined, edits: Edit[]): void {
  if (isSeq(node)) for (const item of node.items) collect(item as Node, key === 'count' ? 'count' : undefined, edits);
  if (isMap(node)) for (const pair of node.items) collect(pair.value as Node, isScalar(pair.key) ? String(pair.key.value) : undefined, edits);
  if (isScalar(node) && typeof node.value === 'string' && key && C_KEYS.has(key) && node.range) {
    const spaced = cSpacing(node.value);
    if (spaced === node.value) return;
    const plain = node.type === Scalar.PLAIN || node.type === undefined;
    edits.push({ start: node.range[0], end: node.range[1], text: plain ? spaced : JSON.stringify(spaced) });
  }
}

const files = process.argv.length > 2 ? process.argv.slice(2) : specFiles('spec');
for (const file of files) {
  let text = readFileSync(file, 'utf8');
  const edits: Edit[] = [];
  collect(parseDocument(text).contents as Node, undefined, edits);
  for (const e of edits.sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.text + text.slice(e.end);
  if (edits.length) {
    writeFileSync(file, text);
    console.log(`${file}: ${edits.length} expression(s) respaced`);
  }
}
