// GitHub workflow annotations on the spec lines of the head: errors for wire and source breaks,
// warnings for behaviour breaks, notices for the rest. At most 10 per severity and 50 per run
// (GitHub shows no more per step); what is left out is counted in one closing notice.
import type { DiffReport } from '../report.ts';
import { SEVERITIES, type Finding, type Severity } from '../types.ts';
import { abisText, versionsText } from './common.ts';

export const PER_SEVERITY = 10;
export const PER_RUN = 50;

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { 'wire-break': 'error', 'source-break': 'error', 'behaviour-break': 'warning', 'behaviour-change': 'notice', compatible: 'notice' };

/** Escaping of workflow commands: data, and property values (which also escape ':' and ','). */
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function annotation(f: Finding, report: DiffReport): string {
  // Annotations land on files of the checked-out tree: never on a location read from a git ref.
  const at = f.head && !f.head.ref ? f.head : f.base && !f.base.ref ? f.base : undefined;
  const props = [...(at ? [`file=${prop(at.file)}`, `line=${at.line}`, `col=${at.col}`] : []), `title=${prop(`${f.severity}: ${f.rule} ${f.item}`)}`];
  return `::${COMMAND[f.severity]} ${props.join(',')}::${data(`${f.message} (on ${abisText(f.abis, report.abis)}, ${versionsText(f, report.pairs)})${f.hint ? `\nhint: ${f.hint}` : ''}`)}`;
}

export function formatGithub(report: DiffReport): string {
  const lines: string[] = [];
  let left = 0;
  for (const severity of SEVERITIES) {
    const list = report.open.filter((f) => f.severity === severity);
    const room = Math.max(0, Math.min(PER_SEVERITY, PER_RUN - lines.length));
    lines.push(...list.slice(0, room).map((f) => annotation(f, report)));
    left += Math.max(0, list.length - room);
  }
  for (const a of report.stale) {
    const m = /^(.*):(\d+):(\d+)$/.exec(a.at);
    if (lines.length < PER_RUN) lines.push(`::error ${m ? `file=${prop(m[1] as string)},line=${m[2]},col=${m[3]},` : ''}title=stale acknowledgement::${data(`${a.rule} ${a.item} matches no finding: delete it or fix its key`)}`);
    else left++;
  }
  if (left > 0) lines.push(`::notice title=ioctl-abi diff::${data(`${left} more finding(s) not annotated (GitHub shows at most ${PER_SEVERITY} per severity and ${PER_RUN} per run); see the markdown or SARIF report`)}`);
  return lines.length ? `${lines.join('\n')}\n` : '';
}
