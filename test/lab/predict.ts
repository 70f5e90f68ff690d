// The exact comparison: each probe cell against the one outcome the spec's executable
// behaviour model predicts (src/model/dispatch.ts). A cell is predicted exactly, wrong, or
// not modelled (with the reason); no cell accepts two answers.
import type { Behaviour, CallInput } from '../../src/model/index.ts';
import { STATE_STATUS } from './expectations.ts';
import type { ProbeCell } from './matrix.ts';

export type Prediction = 'exact' | 'wrong' | 'unmodelled';

/** A probe cell with what the model needs: the argument bytes and the eventfd the probe made. */
export interface MeasuredCell extends ProbeCell {
  /** Hex of the argument buffer when the pointer was valid. */
  bytes?: string;
  /** The eventfd the probe opened for this cell. */
  efd?: number;
}

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
