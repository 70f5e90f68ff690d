// What the spec itself predicts for each probe cell on vhost-vdpa: the fd's status rules
// (requires/forbids, transitions, owner), its quirks, its unknown-request answer, and the
// device profile's request sets. A cell is explained when the measured errno is what a
// violated rule says, 0 when no rule is violated, EFAULT for a NULL argument (the kernel's
// copy_{from,to}_user), or an errno a spec quirk for that request records.
import type { AbiView, Behaviour } from '../../src/model/index.ts';
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

/** The spec's behaviour of one fd kind and device profile at one version (the model's, not ours). */
export function specView(view: AbiView, fdName: string, deviceName: string): Behaviour {
  const b = view.behaviour(fdName, deviceName);
  if (!b) throw new Error(`spec at ${view.version} has no fd ${fdName} / device ${deviceName}`);
  return b;
}

function valueOf(cell: ProbeCell): bigint | undefined {
  const m = /^(?:value=)?(0x[0-9a-f]+|\d+)$/i.exec(cell.value ?? '');
  return m ? BigInt(m[1] as string) : undefined;
}

export function compareWithSpec(cells: readonly ProbeCell[], view: Behaviour): SpecCompared[] {
  return cells.map((cell) => {
    const measured = cell.setup_errno ? `setup:${cell.setup_errno}` : (cell.errno ?? '?');
    const status = BigInt(STATE_STATUS[cell.state] ?? 0);
    const quirks = view.quirksFor(cell.request);
    const isNull = cell.head === undefined && cell.arg === 'null';
    if (!view.accepted.has(cell.request)) {
      const unknown = view.unknownRequestQuirks;
      const allowed = new Set([view.unknownRequestErrno, ...unknown.flatMap((q) => q.errno), ...quirks.flatMap((q) => q.errno)]);
      return allowed.has(measured)
        ? { cell, measured, verdict: 'unknown-request', why: unknown.map((q) => q.name).join(', ') || 'unknown-request' }
        : { cell, measured, verdict: 'mismatch', why: `not in profile ${view.device?.name ?? '-'}: expected one of ${[...allowed].join('|')}` };
    }
    const value = valueOf(cell);
    const broken = view.violations(cell.request, { owner: cell.owner, status, ...(value !== undefined ? { value } : {}) });
    if (broken.length) {
      const hit = broken.find((x) => x.errno === measured);
      return hit
        ? { cell, measured, verdict: 'rule', why: `${hit.errno}: ${(hit.rule?.doc ?? hit.check?.id ?? '').slice(0, 60)}` }
        : { cell, measured, verdict: 'mismatch', why: `rule says ${broken.map((x) => x.errno).join('|')}` };
    }
    if (measured === '0') return { cell, measured, verdict: 'ok', why: 'no rule violated' };
    if (isNull && measured === 'EFAULT') return { cell, measured, verdict: 'bad-pointer', why: 'NULL argument' };
    const q = quirks.find((x) => x.errno.includes(measured));
    if (q) return { cell, measured, verdict: 'quirk', why: q.name };
    return { cell, measured, verdict: 'mismatch', why: `spec predicts 0${quirks.length ? ` or quirks ${quirks.map((x) => `${x.name}(${x.errno.join('|')})`).join(', ')}` : ''}` };
  });
}
