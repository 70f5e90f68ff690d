// What the spec itself predicts for each probe cell on vhost-vdpa: the fd's status rules
// (requires/forbids, transitions, owner), its quirks, its unknown-request answer, and the
// device profile's request sets. A cell is explained when the measured errno is what a
// violated rule says, 0 when no rule is violated, EFAULT for a NULL argument (the kernel's
// copy_{from,to}_user), or an errno a spec quirk for that request records.
import type { VersionModel } from '../../src/model/project.ts';
import type { DeviceProfile, FdKind, StatusRule } from '../../src/model/types.ts';
import { STATE_STATUS } from './expectations.ts';
import type { ProbeCell } from './matrix.ts';

export type SpecVerdict = 'rule' | 'ok' | 'bad-pointer' | 'quirk' | 'unknown-request' | 'mismatch';

export interface SpecCompared {
  cell: ProbeCell;
  measured: string;
  verdict: SpecVerdict;
  /** What explained it (rule doc head, quirk name), or what the spec predicted for a mismatch. */
  why: string;
}

export interface SpecView {
  fd: FdKind;
  device: DeviceProfile;
  accepted: Set<string>;
  bits: Map<string, number>;
}

export function specView(vm: VersionModel, fdName: string, deviceName: string): SpecView {
  const fds = vm.families.flatMap((f) => f.fds);
  const fd = fds.find((x) => x.name === fdName);
  const device = vm.families.flatMap((f) => f.devices).find((d) => d.name === deviceName);
  if (!fd || !device) throw new Error(`spec at ${vm.version} has no fd ${fdName} / device ${deviceName}`);
  const sets = new Map(vm.families.flatMap((f) => f.requestSets).map((s) => [s.name, s.requests]));
  const accepted = new Set([...device.requestSets.flatMap((s) => sets.get(s) ?? []), ...device.requests]);
  const bits = new Map<string, number>();
  for (const v of (fd.status ? vm.sets.get(fd.status)?.item.values : undefined) ?? []) bits.set(v.name, Number(vm.value(v.name) ?? 0n));
  return { fd, device, accepted, bits };
}

function valueOf(cell: ProbeCell): number | undefined {
  const m = /^(?:value=)?(0x[0-9a-f]+|\d+)$/i.exec(cell.value ?? '');
  return m ? Number(m[1]) : undefined;
}

/** The rule's error if the cell violates it, else undefined. */
function violated(rule: StatusRule, cell: ProbeCell, status: number, bits: Map<string, number>): string | undefined {
  const mask = (names: readonly string[]): number => names.reduce((a, n) => a | (bits.get(n) ?? 0), 0);
  if (rule.owner && !cell.owner) return rule.error;
  if (rule.unowned && cell.owner) return rule.error;
  if (rule.forbids.length && (status & mask(rule.forbids)) !== 0) return rule.error;
  if (rule.requires.length && (status & mask(rule.requires)) !== mask(rule.requires)) return rule.error;
  if (rule.transition === 'only-add-bits-or-reset') {
    const v = valueOf(cell);
    if (v !== undefined && v !== 0 && (status & ~v) !== 0) return rule.error;
  }
  return undefined;
}

export function compareWithSpec(cells: readonly ProbeCell[], view: SpecView): SpecCompared[] {
  const rules = [...view.fd.rules, ...view.device.rules];
  return cells.map((cell) => {
    const measured = cell.setup_errno ? `setup:${cell.setup_errno}` : (cell.errno ?? '?');
    const status = STATE_STATUS[cell.state] ?? 0;
    const quirks = view.fd.quirks.filter((q) => q.requests.includes(cell.request));
    const isNull = cell.head === undefined && cell.arg === 'null';
    if (!view.accepted.has(cell.request)) {
      const unknown = view.fd.quirks.filter((q) => q.unknownRequests);
      const allowed = new Set([view.fd.unknownRequest ?? 'ENOTTY', ...unknown.flatMap((q) => q.errno), ...quirks.flatMap((q) => q.errno)]);
      return allowed.has(measured)
        ? { cell, measured, verdict: 'unknown-request', why: unknown.map((q) => q.name).join(', ') || 'unknown-request' }
        : { cell, measured, verdict: 'mismatch', why: `not in profile ${view.device.name}: expected one of ${[...allowed].join('|')}` };
    }
    const broken = rules.filter((r) => r.requests.includes(cell.request)).map((r) => ({ r, error: violated(r, cell, status, view.bits) })).filter((x) => x.error);
    if (broken.length) {
      const hit = broken.find((x) => x.error === measured);
      return hit
        ? { cell, measured, verdict: 'rule', why: `${hit.r.error}: ${(hit.r.doc ?? '').slice(0, 60)}` }
        : { cell, measured, verdict: 'mismatch', why: `rule says ${broken.map((x) => x.error).join('|')}` };
    }
    if (measured === '0') return { cell, measured, verdict: 'ok', why: 'no rule violated' };
    if (isNull && measured === 'EFAULT') return { cell, measured, verdict: 'bad-pointer', why: 'NULL argument' };
    const q = quirks.find((x) => x.errno.includes(measured));
    if (q) return { cell, measured, verdict: 'quirk', why: q.name };
    return { cell, measured, verdict: 'mismatch', why: `spec predicts 0${quirks.length ? ` or quirks ${quirks.map((x) => `${x.name}(${x.errno.join('|')})`).join(', ')}` : ''}` };
  });
}
