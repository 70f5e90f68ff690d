// Text output: grouped by severity, worst first; colour only when asked (a terminal).
import type { DiffReport } from '../report.ts';
import { SEVERITIES, type Finding, type Severity } from '../types.ts';
import { abisText, locationText, pairText, summaryCounts, versionsText, witnessLines } from './common.ts';

const COLOUR: Record<Severity, string> = { 'wire-break': '31', 'source-break': '35', 'behaviour-break': '33', 'behaviour-change': '36', compatible: '32' };

export function formatText(report: DiffReport, color: boolean): string {
  const paint = (code: string, s: string): string => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const out: string[] = [];
  const pairs = report.pairs.map(pairText);
  const side = (s: DiffReport['base']): string => (s.label === s.source || s.label.startsWith(`${s.source}@`) ? s.label : `${s.label} (${s.source}${s.commit ? ` at ${s.commit.slice(0, 12)}` : ''})`);
  out.push(`ioctl-abi diff: ${side(report.base)} -> ${side(report.head)}, ${pairs.length === 1 ? `kernel ${pairs[0]}` : `kernels ${pairs.join(', ')}`}, ${report.abis.length} ABIs`);
  for (const severity of SEVERITIES) {
    const list = report.open.filter((f) => f.severity === severity);
    if (!list.length) continue;
    out.push('', paint(`1;${COLOUR[severity]}`, `${severity} (${list.length})${report.failOn.includes(severity) ? '' : ' - does not fail the run'}`));
    for (const f of list) out.push(...(severity === 'compatible' ? [`  ${f.message} [${f.rule}]`] : findingLines(f, report, paint)));
  }
  if (report.stale.length) {
    out.push('', paint('1;31', `stale acknowledgements (${report.stale.length}): they match no finding`));
    for (const a of report.stale) out.push(`  ${a.at}: ${a.rule} ${a.item} (${a.abis === 'all' ? 'all' : a.abis.join(' ')})`);
  }
  if (report.acknowledged.length) {
    out.push('', `acknowledged (${report.acknowledged.length})`);
    for (const { finding, ack } of report.acknowledged) out.push(`  ${finding.severity} ${finding.rule} ${finding.item}: ${ack.reason}`);
  }
  out.push('', `${report.failed ? paint('31', 'fail') : paint('32', 'ok')}: ${summaryCounts(report)}`);
  return `${out.join('\n')}\n`;
}

function findingLines(f: Finding, report: DiffReport, paint: (c: string, s: string) => string): string[] {
  const lines = [`  ${paint('1', f.item)} [${f.rule}]`, `    ${f.message}`, `    on ${abisText(f.abis, report.abis)}, ${versionsText(f, report.pairs)}`];
  for (const w of witnessLines(f.witnesses)) lines.push(`    ${w}`);
  const where = [f.head ? `${locationText(f.head)}${f.tombstone ? ' (tombstone)' : ''}` : undefined, f.base ? `was ${locationText(f.base)}` : undefined].filter(Boolean);
  if (where.length) lines.push(`    ${where.join(', ')}`);
  if (f.hint) lines.push(`    hint: ${f.hint}`);
  return lines;
}
