// Markdown output: a pull-request comment with a summary table, the breaks in full and the
// compatible changes folded away.
import type { DiffReport } from '../report.ts';
import { SEVERITIES, type Finding } from '../types.ts';
import { abisText, locationText, pairText, summaryCounts, versionsText, witnessLines } from './common.ts';

/** Table cells: no pipes or newlines from the data, and C names' underscores never read as emphasis. */
const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ').replace(/([_*])/g, '\\$1');
const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

export function formatMarkdown(report: DiffReport): string {
  const out: string[] = [];
  out.push(`### ABI diff: ${code(report.base.label)} → ${code(report.head.label)}`, '');
  out.push(`${report.failed ? '**Fails**' : 'Passes'} (\`--fail-on ${report.failOn.join(',')}\`): ${summaryCounts(report)}. Kernels ${report.pairs.map(pairText).join(', ')} on ${report.abis.length} ABIs; rules in \`docs/compat-rules.md\`.`, '');
  out.push('| severity | open | acknowledged | fails the run |', '|---|---:|---:|---|');
  for (const c of report.counts) out.push(`| ${c.severity} | ${c.open} | ${c.acknowledged} | ${report.failOn.includes(c.severity) ? 'yes' : 'no'} |`);
  for (const severity of SEVERITIES) {
    const list = report.open.filter((f) => f.severity === severity);
    if (!list.length) continue;
    const rows = ['| item | rule | what | ABIs | where |', '|---|---|---|---|---|', ...list.map((f) => row(f, report))];
    if (severity === 'compatible' || severity === 'behaviour-change') out.push('', `<details><summary>${severity} (${list.length})</summary>`, '', ...rows, '', '</details>');
    else out.push('', `#### ${severity} (${list.length})`, '', ...rows);
  }
  if (report.stale.length) {
    out.push('', `#### stale acknowledgements (${report.stale.length})`, '', 'They match no finding: delete them, or fix the key.', '');
    for (const a of report.stale) out.push(`- ${code(a.at)}: ${a.rule} ${code(a.item)}`);
  }
  if (report.acknowledged.length) {
    out.push('', `<details><summary>acknowledged (${report.acknowledged.length})</summary>`, '');
    for (const { finding, ack } of report.acknowledged) out.push(`- ${finding.severity} ${finding.rule} ${code(finding.item)}: ${ack.reason}`);
    out.push('', '</details>');
  }
  return `${out.join('\n')}\n`;
}

function row(f: Finding, report: DiffReport): string {
  const witnesses = witnessLines(f.witnesses, 3).map(code).join('<br>');
  const where = [f.head ? `${code(locationText(f.head))}${f.tombstone ? ' (tombstone)' : ''}` : '', f.base ? `was ${code(locationText(f.base))}` : ''].filter(Boolean).join('<br>');
  const what = `${cell(f.message)}${witnesses ? `<br>${witnesses}` : ''}<br>${versionsText(f, report.pairs)}`;
  return `| ${code(f.item)} | ${f.rule} | ${what} | ${cell(abisText(f.abis, report.abis))} | ${where} |`;
}
