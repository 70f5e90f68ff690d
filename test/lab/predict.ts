// The exact comparison: each probe cell against the one outcome the spec's executable
// behaviour model predicts (src/model/dispatch.ts). A cell is predicted exactly, wrong, or
// not modelled (with the reason); no cell accepts two answers.
import type { Behaviour, CallInput } from '../../src/model/index.ts';
import { join } from 'node:path';
import { openOk } from '../support/spec.ts';
import type { KernelId } from './config.ts';
import { deviceFacts } from './facts.ts';
import { STATE_STATUS, type ProbeCell, type ProbeMatrix } from './matrix.ts';

export type Prediction = 'exact' | 'wrong' | 'unmodelled';

/** A probe cell: the argument bytes and the eventfd are what the model needs. */
export type MeasuredCell = ProbeCell;

export interface PredictedCell {
  cell: MeasuredCell;
  measured: string;
  /** '0' or an errno; undefined when not modelled. */
  predicted?: string;
  verdict: Prediction;
  /** The check that decided, or why the cell is not modelled. */
  why: string;
}

/** The probe's hex dump of the argument buffer. */
export function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** What the probe passed: the bytes behind a valid pointer, null for NULL, undefined for none. */
export function callInput(cell: MeasuredCell, facts: ReadonlyMap<string, bigint>): CallInput {
  const arg = cell.bytes !== undefined ? hexBytes(cell.bytes) : cell.arg === 'null' || cell.arg === 'noarg' ? null : undefined;
  return {
    owner: cell.owner,
    status: BigInt(STATE_STATUS[cell.state] ?? 0),
    arg,
    facts,
    eventfds: new Set(cell.efd !== undefined ? [BigInt(cell.efd)] : []),
    files: new Set(cell.nfd !== undefined ? [BigInt(cell.nfd)] : []),
  };
}

export function predictCells(cells: readonly MeasuredCell[], behaviour: Behaviour, facts: ReadonlyMap<string, bigint>): PredictedCell[] {
  return cells.map((cell) => {
    const measured = cell.setup_errno ? `setup:${cell.setup_errno}` : (cell.errno ?? '?');
    if (cell.setup_errno) return { cell, measured, verdict: 'unmodelled', why: `the probe could not enter state ${cell.state}` };
    const out = behaviour.evaluate(cell.request, callInput(cell, facts));
    if (out.kind === 'unmodelled') return { cell, measured, verdict: 'unmodelled', why: out.reason };
    const why = out.check ? `${out.check.id} (${out.check.from})` : out.result === '0' ? 'every check passed' : 'end of the unhandled path';
    return { cell, measured, predicted: out.result, verdict: out.result === measured ? 'exact' : 'wrong', why };
  });
}

/** predicted exactly / wrong / not modelled, with the wrong and unmodelled cells listed. */
export function report(rows: readonly PredictedCell[]): { exact: number; wrong: PredictedCell[]; unmodelled: PredictedCell[] } {
  return { exact: rows.filter((r) => r.verdict === 'exact').length, wrong: rows.filter((r) => r.verdict === 'wrong'), unmodelled: rows.filter((r) => r.verdict === 'unmodelled') };
}

/** A probe matrix of one lab kernel against the spec at that kernel's version. */
export function predictMatrix(m: ProbeMatrix, kernel: KernelId): PredictedCell[] {
  const spec = openOk(join(import.meta.dirname, '../../spec'));
  const version = spec.version(kernel);
  if (!version.ok) throw new Error(`the spec has no version ${kernel}: ${version.message}`);
  const behaviour = spec.at(version.version).behaviour('vhost-vdpa', 'vhost-vdpa-net');
  if (!behaviour) throw new Error(`the spec has no vhost-vdpa / vhost-vdpa-net at ${kernel}`);
  return predictCells(m.cells, behaviour, deviceFacts(m, kernel));
}

/** One line per verdict, then the wrong and unmodelled cells. */
export function reportText(kernel: string, rows: readonly PredictedCell[]): string {
  const r = report(rows);
  const line = (c: PredictedCell): string => `  ${c.cell.request} ${c.cell.state} ${c.cell.arg} owner=${c.cell.owner}: measured ${c.measured}, ${c.verdict === 'wrong' ? `predicted ${c.predicted ?? '?'} by ${c.why}` : `not modelled: ${c.why}`}`;
  return [`${kernel}: ${rows.length} cells, ${r.exact} predicted exactly, ${r.wrong.length} wrong, ${r.unmodelled.length} not modelled`, ...r.wrong.map(line), ...r.unmodelled.map(line)].join('\n');
}
