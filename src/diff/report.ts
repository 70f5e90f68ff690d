// A diff's verdict: its findings split into open and acknowledged, stale acknowledgements,
// counts per severity, and whether the run fails under --fail-on.
import type { Ack, AckedResult } from './acks.ts';
import { SEVERITIES, type DiffResult, type Finding, type Severity } from './types.ts';

export interface DiffReport extends DiffResult {
  failOn: Severity[];
  /** Findings no acknowledgement covers, worst first. */
  open: Finding[];
  acknowledged: Array<{ finding: Finding; ack: Ack }>;
  stale: Ack[];
  counts: Array<{ severity: Severity; open: number; acknowledged: number }>;
  /** Open findings of a --fail-on severity, or a stale acknowledgement. */
  failed: boolean;
}

export function makeReport(result: DiffResult, acked: AckedResult, failOn: readonly Severity[]): DiffReport {
  const counts = SEVERITIES.map((severity) => ({
    severity,
    open: acked.open.filter((f) => f.severity === severity).length,
    acknowledged: acked.acknowledged.filter((a) => a.finding.severity === severity).length,
  }));
  const failed = acked.stale.length > 0 || acked.open.some((f) => failOn.includes(f.severity));
  return { ...result, failOn: [...failOn], open: acked.open, acknowledged: acked.acknowledged, stale: acked.stale, counts, failed };
}
