// The vhost-mdev v2 profile against its own spec: the request table its probe walks (numbers and
// argument kinds from the model of spec/history/vhost-mdev-v2, x86_64) and every cell against the
// one outcome behaviour('vhost-mdev', 'vhost-mdev-v2').evaluate() predicts, answers included.
import { join } from 'node:path';
import { type Behaviour, findAbi, type Abi, type AbiView } from '../../src/model/index.ts';
import { openOk, viewAt } from '../support/spec.ts';
import { STATE_STATUS } from './matrix.ts';
import { hexBytes } from './predict.ts';

export const V2_SPEC = join(import.meta.dirname, '../../spec/history/vhost-mdev-v2');
export const V2_FD = 'vhost-mdev';
export const V2_DEVICE = 'vhost-mdev-v2';

/** One cell of test/lab/probe/mdev_v2_probe.c. */
export interface V2Cell {
  request: string;
  nr: string;
  state: string;
  arg: string;
  owner: boolean;
  bytes?: string;
  efd?: number;
  nfd?: number;
  ret?: number;
  errno?: string;
  setup_errno?: string;
}

export interface V2Matrix {
  device: string;
  features: string;
  cells: V2Cell[];
}

export function v2View(): AbiView {
  const spec = openOk(V2_SPEC);
  return viewAt(spec, spec.newest);
}

export function v2Behaviour(view = v2View()): Behaviour {
  const b = view.behaviour(V2_FD, V2_DEVICE);
  if (!b) throw new Error(`${V2_SPEC} has no behaviour for ${V2_FD} / ${V2_DEVICE}`);
  return b;
}

const KIND: Record<string, string> = {
  __u8: 'u8', __u16: 'u16', __u32: 'u32', __u64: 'u64',
  'struct vhost_vring_state': 'state', 'struct vhost_vring_addr': 'addr', 'struct vhost_vring_file': 'file',
};

/**
 * "NAME 0xNUMBER KIND" lines: every request of the v2 spec (those outside the profile too, which
 * the dispatch refuses), with its x86_64 number and how the probe fills its argument.
 */
export function v2Table(view = v2View()): string {
  const abi = findAbi('x86_64') as Abi;
  return view.requests.map((r) => {
    const kind = r.item.pass === 'none' ? 'none' : (KIND[r.item.arg ?? ''] ?? 'raw');
    return `${r.item.name} 0x${view.number(r, abi).toString(16)} ${kind}`;
  }).join('\n') + '\n';
}

export interface V2Predicted {
  cell: V2Cell;
  measured: string;
  predicted: string;
  /** For a GET_FEATURES that succeeds: the u64 the caller must get (device features AND the filter). */
  answer?: bigint;
  why: string;
}

const u64At = (hex: string): bigint => new DataView(hexBytes(hex).buffer).getBigUint64(0, true);

/** Each cell's one predicted outcome, with the device's facts (features as the parent offers them). */
export function predictV2(m: V2Matrix, deviceFeatures: bigint, b = v2Behaviour()): V2Predicted[] {
  const facts = new Map<string, bigint>([['nvqs', 2n], ['features', deviceFeatures], ['ring_ready', 0n], ['parent_refuses', 0n]]);
  return m.cells.map((cell) => {
    const measured = cell.setup_errno ? `setup:${cell.setup_errno}` : (cell.errno ?? '?');
    if (cell.setup_errno) return { cell, measured, predicted: '(a cell the probe could enter)', why: `state ${cell.state} not entered` };
    // The generated switch has only the profile's requests: any other is -ENOIOCTLCMD at once.
    if (!b.accepted.has(cell.request)) return { cell, measured, predicted: b.unknownRequestErrno, why: 'outside the profile' };
    const arg = cell.bytes !== undefined ? hexBytes(cell.bytes) : cell.arg === 'null' || cell.arg === 'noarg' ? null : undefined;
    const out = b.evaluate(cell.request, {
      owner: cell.owner, status: BigInt(STATE_STATUS[cell.state] ?? 0), arg, facts,
      eventfds: new Set(cell.efd !== undefined ? [BigInt(cell.efd)] : []),
      files: new Set(cell.nfd !== undefined ? [BigInt(cell.nfd)] : []),
    });
    if (out.kind !== 'decided') return { cell, measured, predicted: `unmodelled: ${out.reason}`, why: out.reason };
    const why = out.check ? out.check.id : out.result === '0' ? 'every check passed' : 'end of the path';
    const answer = out.result === '0' && out.answerMask !== undefined ? deviceFeatures & out.answerMask : undefined;
    return { cell, measured, predicted: out.result, ...(answer !== undefined ? { answer } : {}), why };
  });
}

/** Cells whose measured result (or GET_FEATURES answer) is not the predicted one. */
export function v2Mismatches(rows: readonly V2Predicted[]): string[] {
  return rows.flatMap((r) => {
    const key = `${r.cell.request} ${r.cell.state} ${r.cell.arg} ${r.cell.owner ? 'owner' : 'no-owner'}`;
    if (r.measured !== r.predicted) return [`${key}: measured ${r.measured}, predicted ${r.predicted} (${r.why})`];
    if (r.answer !== undefined && r.cell.bytes !== undefined && u64At(r.cell.bytes) !== r.answer) {
      return [`${key}: answered 0x${u64At(r.cell.bytes).toString(16)}, predicted 0x${r.answer.toString(16)}`];
    }
    return [];
  });
}

export { u64At };
