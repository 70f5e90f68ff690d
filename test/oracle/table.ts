// Plain-text summary of oracle runs: version x ABI -> items checked, mismatches, missing.
import type { CheckResult } from './probe.ts';

export interface TableRow {
  version: string;
  abi: string;
  checked: number;
  mismatches: number;
  missing: number;
}

/** Counts one (version, ABI) run's results. */
export function summarize(version: string, abi: string, results: readonly CheckResult[]): TableRow {
  return {
    version,
    abi,
    checked: results.length,
    mismatches: results.filter((r) => r.status === 'fail').length,
    missing: results.filter((r) => r.status === 'missing').length,
  };
}

function render(header: string[], body: string[][], rightAlignFrom: number): string {
  const rows = [header, ...body];
  const widths = header.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c >= rightAlignFrom ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n') + '\n';
}

/** One line per (version, ABI) with a total line; columns aligned. */
export function formatTable(rows: readonly TableRow[]): string {
  const body = rows.map((r) => [r.version, r.abi, String(r.checked), String(r.mismatches), String(r.missing)]);
  const sum = (k: 'checked' | 'mismatches' | 'missing'): string => String(rows.reduce((n, r) => n + r[k], 0));
  body.push(['total', '', sum('checked'), sum('mismatches'), sum('missing')]);
  return render(['version', 'abi', 'checked', 'mismatches', 'missing'], body, 2);
}

/** Versions as rows, ABIs as columns; each cell "checked/mismatches/missing" ('-' if not run). */
export function formatMatrix(rows: readonly TableRow[]): string {
  const versions = [...new Set(rows.map((r) => r.version))];
  const abis = [...new Set(rows.map((r) => r.abi))];
  const cell = new Map(rows.map((r) => [`${r.version}\0${r.abi}`, `${r.checked}/${r.mismatches}/${r.missing}`]));
  const body = versions.map((v) => [v, ...abis.map((a) => cell.get(`${v}\0${a}`) ?? '-')]);
  return render(['checked/mismatch/missing', ...abis], body, 1);
}
