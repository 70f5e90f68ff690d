// Helpers of the diff tests: copies of the demo spec with edits, and the diff run in-process
// through the same functions the CLI uses.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diffSides } from '../../src/diff/engine.ts';
import { loadSide } from '../../src/diff/load.ts';
import { readSide } from '../../src/diff/side.ts';
import type { DiffResult, Finding } from '../../src/diff/types.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const DEMO = join(import.meta.dirname, 'fixtures/demo');

export type Edit = (text: string) => string;

/** Replaces one exact piece of text; a piece that is not there fails the test (it would test nothing). */
export function sub(from: string, to: string): Edit {
  return (text) => {
    if (!text.includes(from)) throw new Error(`edit: text not found: ${from}`);
    return text.replace(from, to);
  };
}

export const chain = (...edits: Edit[]): Edit => (text) => edits.reduce((t, e) => e(t), text);

/** A copy of a spec folder with edits applied to one of its files (and extra files added). */
export function specCopy(from: string, edit: Edit = (t) => t, file = 'demo.yaml', extra: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-diff-'));
  cpSync(from, dir, { recursive: true });
  writeFileSync(join(dir, file), edit(readFileSync(join(dir, file), 'utf8')));
  for (const [name, text] of Object.entries(extra)) writeFileSync(join(dir, name), text);
  return dir;
}

/** The diff of two sides as the CLI names them (folders, folder@version, git refs). */
export async function diff(base: string, head: string, cwd = process.cwd(), defaultSpec = 'spec'): Promise<DiffResult> {
  const [b, h] = await Promise.all([loadSide(readSide(base, defaultSpec, cwd)), loadSide(readSide(head, defaultSpec, cwd))]);
  if (!b.ok) throw new Error(`base does not open: ${b.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('; ')}`);
  if (!h.ok) throw new Error(`head does not open: ${h.diagnostics.map((d) => `${d.file}:${d.line}:${d.col} ${d.message}`).join('; ')}`);
  return diffSides(b.side, h.side);
}

/** "rule item" of every finding that is not compatible, sorted: the verdicts a reviewer reads. */
export function verdicts(r: DiffResult, severities = ['wire-break', 'source-break', 'behaviour-break', 'behaviour-change']): string[] {
  return r.findings.filter((f) => severities.includes(f.severity)).map((f) => `${f.rule} ${f.item}`).sort();
}

export function only(r: DiffResult, rule: string, item?: string): Finding {
  const hits = r.findings.filter((f) => f.rule === rule && (item === undefined || f.item === item));
  if (hits.length !== 1) throw new Error(`expected one ${rule}${item ? ` ${item}` : ''}, got ${hits.length}: ${r.findings.map((f) => `${f.rule} ${f.item}`).join(', ')}`);
  return hits[0] as Finding;
}
