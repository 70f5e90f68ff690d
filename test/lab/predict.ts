// The exact comparison: each probe cell against the one outcome the spec's executable
// behaviour model predicts (src/model/dispatch.ts). A cell is predicted exactly, wrong, or
// not modelled (with the reason); no cell accepts two answers.
import type { Behaviour, CallerMapping, CallInput, Spec, WriteCall, WriteOutcome, WriteStep } from '../../src/model/index.ts';
import { join } from 'node:path';
import { openOk } from '../support/spec.ts';
import type { KernelId } from './config.ts';
import { deviceFacts } from './facts.ts';
import { STATE_STATUS, writeCellResult, writeResult, type ProbeCell, type ProbeMatrix, type ProbeWriteCell } from './matrix.ts';

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

let opened: Spec | undefined;

/** The spec, opened once per process (ioctl and write cells of both kernels read it). */
const labSpec = (): Spec => (opened ??= openOk(join(import.meta.dirname, '../../spec')));

function kernelBehaviour(kernel: KernelId): Behaviour {
  const spec = labSpec();
  const version = spec.version(kernel);
  if (!version.ok) throw new Error(`the spec has no version ${kernel}: ${version.message}`);
  const behaviour = spec.at(version.version).behaviour('vhost-vdpa', 'vhost-vdpa-net');
  if (!behaviour) throw new Error(`the spec has no vhost-vdpa / vhost-vdpa-net at ${kernel}`);
  return behaviour;
}

/** A probe matrix of one lab kernel against the spec at that kernel's version. */
export function predictMatrix(m: ProbeMatrix, kernel: KernelId): PredictedCell[] {
  return predictCells(m.cells, kernelBehaviour(kernel), deviceFacts(m, kernel));
}

export interface PredictedWrite {
  cell: ProbeWriteCell;
  /** Every step's result then the write's, e.g. '72 0 EFAULT' (a reset step is its ioctl's). */
  measured: string;
  predicted?: string;
  verdict: Prediction;
  /** The check that decided the write, or why the cell is not modelled. */
  why: string;
}

/** The caller's mappings of the probe, for find_vma. */
export function callerMaps(m: ProbeMatrix): CallerMapping[] {
  return m.iotlb.maps.map((x) => ({ start: BigInt(x.start), end: BigInt(x.end), shared: x.shared, file: x.file }));
}

const outcomeText = (o: WriteOutcome): string => (o.kind === 'decided' ? o.result : '?');
const deciderOf = (o: WriteOutcome): string =>
  o.kind === 'unmodelled' ? o.reason : o.check ? `${o.check.id} (${o.check.from}${o.handlerError ? `: ${o.handlerError}` : ''})` : 'every check passed';

/**
 * Every write cell against the model: the steps before the write (writes through the channel,
 * resets through the ioctl dispatch) and the write itself; exact only when every one is.
 */
export function predictWrites(cells: readonly ProbeWriteCell[], behaviour: Behaviour, facts: ReadonlyMap<string, bigint>, maps: readonly CallerMapping[]): PredictedWrite[] {
  return cells.map((cell): PredictedWrite => {
    if (cell.setup_errno || !cell.write) return { cell, measured: writeCellResult(cell), verdict: 'unmodelled', why: `the probe could not set up the fd (${cell.setup_errno ?? 'no write'})` };
    const status = BigInt(STATE_STATUS[cell.state] ?? 0);
    const steps = cell.steps ?? [];
    const measured = [...steps.map(writeResult), writeResult(cell.write)].join(' ');
    const before: WriteStep[] = steps.map((s) => ('reset' in s ? { kind: 'reset' } : { kind: 'write', bytes: hexBytes(s.bytes), len: s.len }));
    const call: WriteCall = { owner: cell.owner, status, acked: BigInt(cell.acked), facts, maps, before, bytes: hexBytes(cell.write.bytes), len: cell.write.len };
    const out = behaviour.write(call);
    if (out.kind === 'unmodelled') return { cell, measured, verdict: 'unmodelled', why: out.reason };
    // a reset step is VHOST_VDPA_SET_STATUS(0): the ioctl model answers it
    let writes = 0;
    const stepText: string[] = [];
    for (const s of steps) {
      if ('reset' in s) {
        const r = behaviour.evaluate('VHOST_VDPA_SET_STATUS', { owner: cell.owner, status, arg: new Uint8Array([0]), facts, eventfds: new Set() });
        stepText.push(r.kind === 'decided' ? r.result : '?');
      } else {
        const o = out.before[writes++];
        if (!o || o.kind === 'unmodelled') return { cell, measured, verdict: 'unmodelled', why: o?.kind === 'unmodelled' ? o.reason : 'a step was not run' };
        stepText.push(outcomeText(o));
      }
    }
    const predicted = [...stepText, out.result].join(' ');
    return { cell, measured, predicted, verdict: predicted === measured ? 'exact' : 'wrong', why: deciderOf(out) };
  });
}

/** The write cells of a probe matrix against the spec at that kernel's version. */
export function predictWriteMatrix(m: ProbeMatrix, kernel: KernelId): PredictedWrite[] {
  return predictWrites(m.writes, kernelBehaviour(kernel), deviceFacts(m, kernel), callerMaps(m));
}

/** The write cells' verdicts in one line, then the wrong and unmodelled cells. */
export function writeReportText(kernel: string, rows: readonly PredictedWrite[]): string {
  const exact = rows.filter((r) => r.verdict === 'exact').length;
  const bad = rows.filter((r) => r.verdict !== 'exact');
  const line = (r: PredictedWrite): string =>
    `  ${r.cell.case} ${r.cell.state} acked=${r.cell.acked} owner=${r.cell.owner}: measured ${r.measured}, ${r.verdict === 'wrong' ? `predicted ${r.predicted ?? '?'} by ${r.why}` : `not modelled: ${r.why}`}`;
  return [`${kernel}: ${rows.length} write cells, ${exact} predicted exactly, ${rows.filter((r) => r.verdict === 'wrong').length} wrong, ${rows.filter((r) => r.verdict === 'unmodelled').length} not modelled`, ...bad.map(line)].join('\n');
}

/** One line per verdict, then the wrong and unmodelled cells. */
export function reportText(kernel: string, rows: readonly PredictedCell[]): string {
  const r = report(rows);
  const line = (c: PredictedCell): string => `  ${c.cell.request} ${c.cell.state} ${c.cell.arg} owner=${c.cell.owner}: measured ${c.measured}, ${c.verdict === 'wrong' ? `predicted ${c.predicted ?? '?'} by ${c.why}` : `not modelled: ${c.why}`}`;
  return [`${kernel}: ${rows.length} cells, ${r.exact} predicted exactly, ${r.wrong.length} wrong, ${r.unmodelled.length} not modelled`, ...r.wrong.map(line), ...r.unmodelled.map(line)].join('\n');
}
