// The probe's JSON, cell identity, the request x state table of the exact comparison, and the
// cell-by-cell diff of two kernels' matrices.
import type { PredictedCell } from './predict.ts';

/** One probe cell as recorded by test/lab/probe/vdpa_probe.c. */
export interface ProbeCell {
  request: string;
  nr: string;
  state: string; // a key of STATE_STATUS
  arg: string; // 'valid' | 'null' | 'noarg' | 'ptr' | 'vq_oob' | request-specific case
  owner: boolean; // VHOST_SET_OWNER done before the request
  value?: string; // the decisive argument value(s), e.g. "0x3" or "index=2,num=1"
  head?: number; // first u32 of the argument buffer (absent for a NULL argument)
  /** Hex of the argument buffer when the pointer was valid. */
  bytes?: string;
  /** The eventfd the probe opened for the cell. */
  efd?: number;
  /** An open file that is not an eventfd (/dev/null), for the wrong-kind case. */
  nfd?: number;
  ret?: number;
  errno?: string;
  setup_errno?: string;
}

export interface ProbeMatrix {
  kernel: string;
  device: { name: string; vhost: string; device_id: number; features: string; backend_features: string; vqs: number;
    config_size: number; group_num: number; as_num: number; vring_num: number; iova_first: string; iova_last: string };
  states: Record<string, number>;
  cells: ProbeCell[];
  /** The IOTLB write() cells and the caller's mappings they ran with. */
  iotlb: ProbeIotlb;
  writes: ProbeWriteCell[];
  requests_served: number;
}

/** Status byte of each probe state; 'reset' is 0 reached through DRIVER_OK then SET_STATUS(0). */
export const STATE_STATUS: Record<string, number> = {
  '0': 0,
  ACK: 0x1,
  'ACK|DRIVER': 0x3,
  'ACK|DRIVER|FEATURES_OK': 0xb,
  'ACK|DRIVER|FEATURES_OK|DRIVER_OK': 0xf,
  reset: 0,
};

/** What identifies a cell across runs and kernels. */
export const cellKey = (c: ProbeCell): string => `${c.request} ${c.state} ${c.arg} ${c.owner ? 'owner' : 'no-owner'}`;
/** The errno of the request, or `setup:<errno>` when bringing the fd into the state failed. */
export const cellResult = (c: ProbeCell): string => (c.setup_errno ? `setup:${c.setup_errno}` : (c.errno ?? '?'));

const SHORT: Record<string, string> = {
  '0': '0', ACK: 'A', 'ACK|DRIVER': 'AD', 'ACK|DRIVER|FEATURES_OK': 'ADF', 'ACK|DRIVER|FEATURES_OK|DRIVER_OK': 'ADFO', reset: 'rst',
};

/** request/arg/owner x state -> errno; '!' marks a wrong prediction (with it), '?' an unmodelled cell. */
export function table(rows: readonly PredictedCell[]): string {
  const states = Object.keys(STATE_STATUS);
  const byRow = new Map<string, Map<string, PredictedCell>>();
  for (const r of rows) {
    const key = `${r.cell.request.replace(/^VHOST_/, '')} ${r.cell.arg}${r.cell.owner ? ' +own' : ''}`;
    if (!byRow.has(key)) byRow.set(key, new Map());
    byRow.get(key)!.set(r.cell.state, r);
  }
  const mark = (c: PredictedCell | undefined): string =>
    !c ? '-' : c.verdict === 'wrong' ? `!${c.measured}(${c.predicted ?? '?'})` : c.verdict === 'unmodelled' ? `?${c.measured}` : c.measured;
  const lines = [...byRow].map(([k, m]) => [k, ...states.map((s) => mark(m.get(s)))]);
  const head = ['request arg owner', ...states.map((s) => SHORT[s] ?? s)];
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (l: string[]) => l.map((x, i) => x.padEnd(widths[i]!)).join('  ').trimEnd();
  return [fmt(head), ...lines.map(fmt)].join('\n');
}

/** One cell whose result (cellResult) differs between two matrices. */
export interface CellDiff {
  request: string;
  state: string;
  arg: string;
  owner: boolean;
  value?: string;
  a: string;
  b: string;
}

/** Cells of `a` and `b` whose result differs, plus the cells only one of them has. */
export function diffMatrices(a: ProbeMatrix, b: ProbeMatrix): { differ: CellDiff[]; onlyA: string[]; onlyB: string[] } {
  const inB = new Map(b.cells.map((c) => [cellKey(c), c]));
  const inA = new Set(a.cells.map(cellKey));
  const differ: CellDiff[] = [];
  for (const ca of a.cells) {
    const cb = inB.get(cellKey(ca));
    if (cb && cellResult(ca) !== cellResult(cb)) {
      differ.push({ request: ca.request, state: ca.state, arg: ca.arg, owner: ca.owner, value: ca.value, a: cellResult(ca), b: cellResult(cb) });
    }
  }
  return { differ, onlyA: [...inA].filter((k) => !inB.has(k)), onlyB: [...inB.keys()].filter((k) => !inA.has(k)) };
}

/** The differing cells grouped by request/arg/owner/change, with the states each group covers. */
export function diffSummary(a: ProbeMatrix, b: ProbeMatrix): string {
  const { differ, onlyA, onlyB } = diffMatrices(a, b);
  const groups = new Map<string, string[]>();
  for (const d of differ) {
    const k = `${d.request} ${d.arg}${d.value ? ` (${d.value})` : ''} ${d.owner ? '+own' : 'no-own'}: ${a.kernel} ${d.a} -> ${b.kernel} ${d.b}`;
    groups.set(k, [...(groups.get(k) ?? []), SHORT[d.state] ?? d.state]);
  }
  return [
    `${a.kernel} vs ${b.kernel}: ${differ.length} of ${a.cells.length} cells differ` +
      `${onlyA.length ? `, ${onlyA.length} only on ${a.kernel}` : ''}${onlyB.length ? `, ${onlyB.length} only on ${b.kernel}` : ''}`,
    ...[...groups].map(([k, states]) => `  ${k} [states ${states.join(' ')}]`),
    ...onlyA.map((k) => `  only ${a.kernel}: ${k}`),
    ...onlyB.map((k) => `  only ${b.kernel}: ${k}`),
  ].join('\n');
}

/** One write() of an IOTLB write cell: what was written and what came back. */
export interface ProbeWrite {
  len: number;
  /** Hex of the first 80 bytes of the buffer (the kernel reads only `len` of them). */
  bytes: string;
  ret: number;
  errno: string;
}

/** A step before the measured write: another write, or VHOST_VDPA_SET_STATUS 0 (a reset). */
export type ProbeWriteStep = ProbeWrite | { reset: true; ret: number; errno: string };

/** One IOTLB write cell: a fresh fd, owner or not, acked backend features, a status state, steps, the write. */
export interface ProbeWriteCell {
  case: string;
  state: string; // a key of STATE_STATUS
  owner: boolean;
  acked: string; // hex; 0x0: VHOST_SET_BACKEND_FEATURES not called
  steps?: ProbeWriteStep[];
  write?: ProbeWrite;
  setup_errno?: string;
}

/** The caller's mappings when the write cells ran (/proc/self/maps). */
export interface ProbeIotlb {
  memfd: string;
  anon: string;
  region: number;
  maps: { start: string; end: string; shared: boolean; file: boolean }[];
}

/** The result of a write: the byte count, or its errno. */
export const writeResult = (w: { ret: number; errno: string }): string => (w.errno === '0' ? String(w.ret) : w.errno);
/** What identifies a write cell across runs and kernels. */
export const writeKey = (c: ProbeWriteCell): string => `${c.case} ${c.state} acked=${c.acked} ${c.owner ? 'owner' : 'no-owner'}`;
/** The write's result, or `setup:<errno>`. */
export const writeCellResult = (c: ProbeWriteCell): string => (c.setup_errno ? `setup:${c.setup_errno}` : c.write ? writeResult(c.write) : '?');

/** Write cells whose result differs between two matrices (steps included), and cells only one has. */
export function diffWriteMatrices(a: ProbeMatrix, b: ProbeMatrix): { differ: string[]; onlyA: string[]; onlyB: string[] } {
  const all = (c: ProbeWriteCell): string => [...(c.steps ?? []).map(writeResult), writeCellResult(c)].join(' ');
  const inB = new Map(b.writes.map((c) => [writeKey(c), c]));
  const inA = new Set(a.writes.map(writeKey));
  const differ = a.writes.flatMap((ca) => {
    const cb = inB.get(writeKey(ca));
    return cb && all(ca) !== all(cb) ? [`${writeKey(ca)}: ${a.kernel} ${all(ca)} -> ${b.kernel} ${all(cb)}`] : [];
  });
  return { differ, onlyA: [...inA].filter((k) => !inB.has(k)), onlyB: [...inB.keys()].filter((k) => !inA.has(k)) };
}

/** One line of counts, then every differing write cell. */
export function writeDiffSummary(a: ProbeMatrix, b: ProbeMatrix): string {
  const { differ, onlyA, onlyB } = diffWriteMatrices(a, b);
  return [
    `${a.kernel} vs ${b.kernel}: ${differ.length} of ${a.writes.length} write cells differ` +
      `${onlyA.length ? `, ${onlyA.length} only on ${a.kernel}` : ''}${onlyB.length ? `, ${onlyB.length} only on ${b.kernel}` : ''}`,
    ...differ.map((d) => `  ${d}`),
    ...onlyA.map((k) => `  only ${a.kernel}: ${k}`),
    ...onlyB.map((k) => `  only ${b.kernel}: ${k}`),
  ].join('\n');
}
