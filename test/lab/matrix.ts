// The probe's JSON, the target facts the expectations need, the comparison of
// every cell with its prediction, and the request x state table.
import { type Cell, type Expectation, expected, STATE_STATUS, type Target } from './expectations.ts';
import { kernelConfig, moduleFunctions } from './kernel.ts';

export interface ProbeCell extends Cell {
  nr: string;
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
  requests_served: number;
}

export type Verdict = 'rule' | 'quirk' | 'mismatch';

/** What identifies a cell across runs and kernels. */
export const cellKey = (c: ProbeCell): string => `${c.request} ${c.state} ${c.arg} ${c.owner ? 'owner' : 'no-owner'}`;
/** The errno of the request, or `setup:<errno>` when bringing the fd into the state failed. */
export const cellResult = (c: ProbeCell): string => (c.setup_errno ? `setup:${c.setup_errno}` : (c.errno ?? '?'));

export interface Compared {
  cell: ProbeCell;
  measured: string;
  expectation: Expectation;
  verdict: Verdict;
}

/** Device facts from the probe, parent ops from vduse.ko's symbols, options from the kernel config. */
export function targetOf(m: ProbeMatrix): Target {
  const fns = moduleFunctions('vduse');
  const cfg = kernelConfig();
  const has = (op: string) => fns.has(`vduse_vdpa_${op}`);
  return {
    vqs: m.device.vqs, asNum: m.device.as_num, configSize: m.device.config_size,
    backendFeatures: BigInt(m.device.backend_features),
    ops: {
      suspend: has('suspend'), resume: has('resume'), getVqGroup: has('get_vq_group'),
      getVqDescGroup: has('get_vq_desc_group'), setGroupAsid: has('set_group_asid'), getVqSize: has('get_vq_size'),
    },
    config: {
      crossEndianLegacy: cfg.get('CONFIG_VHOST_CROSS_ENDIAN_LEGACY') === 'y',
      forkOwnerControl: cfg.get('CONFIG_VHOST_ENABLE_FORK_OWNER_CONTROL') === 'y',
    },
  };
}

export function compare(m: ProbeMatrix, t: Target): Compared[] {
  return m.cells.map((cell) => {
    const measured = cellResult(cell);
    const expectation = expected(cell, t);
    const hit = expectation.errnos.includes(measured);
    return { cell, measured, expectation, verdict: !hit ? 'mismatch' : expectation.quirk ? 'quirk' : 'rule' };
  });
}

const SHORT: Record<string, string> = {
  '0': '0', ACK: 'A', 'ACK|DRIVER': 'AD', 'ACK|DRIVER|FEATURES_OK': 'ADF', 'ACK|DRIVER|FEATURES_OK|DRIVER_OK': 'ADFO', reset: 'rst',
};

/** request/arg/owner x state -> errno; '*' marks a quirk, '!' a mismatch (with the prediction). */
export function table(rows: Compared[]): string {
  const states = Object.keys(STATE_STATUS);
  const byRow = new Map<string, Map<string, Compared>>();
  for (const r of rows) {
    const key = `${r.cell.request.replace(/^VHOST_/, '')} ${r.cell.arg}${r.cell.owner ? ' +own' : ''}`;
    if (!byRow.has(key)) byRow.set(key, new Map());
    byRow.get(key)!.set(r.cell.state, r);
  }
  const mark = (c: Compared | undefined) =>
    !c ? '-' : c.verdict === 'mismatch' ? `!${c.measured}(${c.expectation.errnos.join('|') || '?'})` : `${c.measured}${c.verdict === 'quirk' ? '*' : ''}`;
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
