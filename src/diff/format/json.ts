// JSON output: the stable schema documented in docs/compat-rules.md (format ioctl-abi-diff/1).
// Keys are always in this order; findings worst first, then by item.
import type { DiffReport } from '../report.ts';

export const DIFF_FORMAT = 'ioctl-abi-diff/1';

export function formatJson(report: DiffReport): string {
  const finding = (f: DiffReport['open'][number], ack?: DiffReport['stale'][number]) => ({
    rule: f.rule,
    severity: f.severity,
    item: f.item,
    message: f.message,
    abis: f.abis,
    witnesses: f.witnesses,
    versions: f.versions,
    ...(f.base ? { base: f.base } : {}),
    ...(f.head ? { head: f.head } : {}),
    ...(f.tombstone ? { tombstone: true } : {}),
    ...(f.hint ? { hint: f.hint } : {}),
    ...(ack ? { acknowledged: { reason: ack.reason, at: ack.at } } : {}),
  });
  const doc = {
    format: DIFF_FORMAT,
    base: report.base,
    head: report.head,
    abis: report.abis,
    pairs: report.pairs,
    failOn: report.failOn,
    failed: report.failed,
    summary: Object.fromEntries(report.counts.map((c) => [c.severity, { open: c.open, acknowledged: c.acknowledged }])),
    findings: [...report.open.map((f) => finding(f)), ...report.acknowledged.map(({ finding: f, ack }) => finding(f, ack))],
    staleAcknowledgements: report.stale.map((a) => ({ rule: a.rule, item: a.item, abis: a.abis, reason: a.reason, at: a.at })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
