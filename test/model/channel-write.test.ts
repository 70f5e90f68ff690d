// The executable write() of vhost-vdpa's IOTLB channel (spec/vhost-backends.yaml, measured on
// 6.12 and 7.2): one outcome per write, the byte count or one errno, decided by the first check
// that refuses, with the fd's IOTLB state carried from the writes before. Records are
// hand-encoded little-endian x86_64 bytes (type, asid word, then struct vhost_iotlb_msg at 8),
// and the expectations are worked out from drivers/vhost/vhost.c vhost_chr_write_iter and
// drivers/vhost/vdpa.c vhost_vdpa_process_iotlb_msg as the lab measured them (docs/lab.md).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Behaviour, CallerMapping, Diagnostic, WriteCall, WriteStep } from '../../src/model/index.ts';
import { openOk, runSpec, viewAt } from '../support/spec.ts';

const SPEC = join(import.meta.dirname, '../../spec');
const FAMILY = 'vhost-backends.yaml';

/** The spec's files, with one textual change to vhost-backends.yaml. */
function sources(from?: string, to?: string): { path: string; text: string }[] {
  return readdirSync(SPEC).filter((f) => f.endsWith('.yaml')).map((f) => {
    const text = readFileSync(join(SPEC, f), 'utf8');
    if (f !== FAMILY || from === undefined) return { path: f, text };
    if (!text.includes(from)) throw new Error(`${FAMILY} has no '${from}'`);
    return { path: f, text: text.replace(from, to ?? '') };
  });
}

const spec = openOk(sources());
const vdpa = viewAt(spec, '6.12').behaviour('vhost-vdpa', 'vhost-vdpa-net') as Behaviour;

const MSG = 1, MSG_V2 = 2;
const MISS = 1, UPDATE = 2, INVALIDATE = 3, BATCH_BEGIN = 5, BATCH_END = 6;
const F_MSG_V2 = 1n << 1n, F_BATCH = 1n << 2n, F_ASID = 1n << 3n;
const PAGE = 0x1000n, IOVA = 0x100000n;
const SHARED = 0x7f0000001000n; // a memfd mapped MAP_SHARED
const ANON = 0x7f0000010000n; // anonymous, private
const NOWHERE = 0x800000000000n; // above every mapping
const MAPS: CallerMapping[] = [
  { start: SHARED, end: SHARED + 4n * PAGE, shared: true, file: true },
  { start: ANON, end: ANON + 4n * PAGE, shared: false, file: false },
  { start: 0x7ffff0000000n, end: 0x7ffff0021000n, shared: false, file: false }, // the stack
];
/** The lab's device: VDUSE (use_va), one address space, IOVA range 0..2^64-1. */
const FACTS = new Map<string, bigint>([['nas', 1n], ['iova_first', 0n], ['iova_last', (1n << 64n) - 1n], ['use_va', 1n]]);

interface Msg { form?: number; word1?: number; type?: number; iova?: bigint; size?: bigint; uaddr?: bigint; perm?: number; len?: number }

/** A record as the probe writes it: 72 bytes, of which `len` are written. */
function record(m: Msg): { bytes: Uint8Array; len: number } {
  const b = new Uint8Array(72);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, m.form ?? MSG_V2, true);
  dv.setUint32(4, m.word1 ?? 0, true);
  dv.setBigUint64(8, BigInt.asUintN(64, m.iova ?? IOVA), true);
  dv.setBigUint64(16, BigInt.asUintN(64, m.size ?? PAGE), true);
  dv.setBigUint64(24, m.uaddr ?? SHARED, true);
  dv.setUint8(32, m.perm ?? 3);
  dv.setUint8(33, m.type ?? UPDATE);
  return { bytes: b, len: m.len ?? 72 };
}

const step = (m: Msg): WriteStep => ({ kind: 'write', ...record(m) });
const RESET: WriteStep = { kind: 'reset' };

function call(m: Msg, o: { owner?: boolean; acked?: bigint; before?: WriteStep[]; facts?: Record<string, bigint> } = {}): WriteCall {
  const facts = new Map(FACTS);
  for (const [k, v] of Object.entries(o.facts ?? {})) facts.set(k, v);
  return { owner: o.owner ?? true, status: 0n, acked: o.acked ?? 0n, facts, maps: MAPS, before: o.before ?? [], ...record(m) };
}

/** The outcome as 'RESULT check' (with the handler's own errno), the steps' results first. */
function outcome(m: Msg, o: Parameters<typeof call>[1] = {}, b: Behaviour = vdpa): string {
  const r = b.write(call(m, o));
  const steps = r.before.map((s) => (s.kind === 'decided' ? s.result : '?'));
  const last = r.kind === 'decided' ? `${r.result}${r.check ? ` ${r.check.id}${r.handlerError ? `/${r.handlerError}` : ''}` : ''}` : `unmodelled: ${r.reason}`;
  return [...steps, last].join(' ');
}

describe('vhost-vdpa IOTLB write() at 6.12: the record', () => {
  it('the leading type picks the form; both forms return their size, 72 on x86_64', () => {
    expect(outcome({ form: MSG })).toBe('72');
    expect(outcome({ form: MSG_V2 })).toBe('72');
    expect(outcome({ form: 0 })).toBe('EINVAL unknown-form');
    expect(outcome({ form: 3 })).toBe('EINVAL unknown-form');
  });
  it('length: the type, then the asid word, then struct vhost_iotlb_msg (40 bytes), never the padding', () => {
    for (const len of [0, 3]) expect(outcome({ len }), String(len)).toBe('EINVAL read-form');
    expect(outcome({ len: 6 })).toBe('EINVAL read-message');
    expect(outcome({ len: 6 }, { acked: F_ASID })).toBe('EINVAL read-asid');
    expect(outcome({ len: 39 })).toBe('EINVAL read-message');
    expect(outcome({ form: MSG, len: 39 })).toBe('EINVAL read-message');
    expect(outcome({ len: 40 })).toBe('72');
    expect(outcome({ form: MSG, len: 40 })).toBe('72');
  });
  it('a zero-size UPDATE is refused before the handler: EINVAL, not EFAULT', () => {
    expect(outcome({ size: 0n })).toBe('EINVAL update-size-zero');
    expect(outcome({ size: 0n }, { owner: false })).toBe('EINVAL update-size-zero');
  });
  it('every handler error surfaces as EFAULT, with the handler\'s own errno kept', () => {
    expect(outcome({}, { owner: false })).toBe('EFAULT owner/EPERM');
    expect(outcome({ type: MISS }, { before: [step({})] })).toBe('72 EFAULT unknown-type/EINVAL');
    expect(outcome({ type: 7 }, { before: [step({})] })).toBe('72 EFAULT unknown-type/EINVAL');
  });
});

describe('vhost-vdpa IOTLB write() at 6.12: address spaces and ASIDs', () => {
  it('asid is read only with VHOST_BACKEND_F_IOTLB_ASID acked (MSG_V2 or not), and must be below nas', () => {
    expect(outcome({ word1: 1 })).toBe('72');
    expect(outcome({ word1: 1 }, { acked: F_MSG_V2 | F_BATCH })).toBe('72');
    expect(outcome({ word1: 1 }, { acked: F_MSG_V2 | F_ASID })).toBe('EFAULT no-address-space/EINVAL');
    expect(outcome({ word1: 1 }, { acked: F_ASID })).toBe('EFAULT no-address-space/EINVAL');
    expect(outcome({ word1: 1 }, { acked: F_ASID, facts: { nas: 2n } })).toBe('72');
    // the hole after a v1 type is never an asid
    expect(outcome({ form: MSG, word1: 1 }, { acked: F_ASID })).toBe('72');
  });
  it('a fresh fd has no address space: INVALIDATE and BATCH_END fail until an UPDATE or BATCH_BEGIN made one', () => {
    expect(outcome({ type: INVALIDATE })).toBe('EFAULT no-iotlb/EINVAL');
    expect(outcome({ type: BATCH_END })).toBe('EFAULT no-iotlb/EINVAL');
    expect(outcome({ type: INVALIDATE }, { before: [step({})] })).toBe('72 72');
    expect(outcome({ type: BATCH_END }, { before: [step({ type: BATCH_BEGIN })] })).toBe('72 72');
    // a failing UPDATE (no mapping at uaddr) has created the address space all the same
    expect(outcome({ type: INVALIDATE }, { before: [step({ uaddr: NOWHERE })] })).toBe('EFAULT 72');
  });
  it('an address space of another asid is not there to invalidate', () => {
    expect(outcome({ type: INVALIDATE, word1: 1 }, { before: [step({})] })).toBe('72 72');
    expect(outcome({ type: INVALIDATE, word1: 1 }, { acked: F_ASID, before: [step({})] })).toBe('72 EFAULT no-iotlb/EINVAL');
  });
});

describe('vhost-vdpa IOTLB write() at 6.12: ranges, mappings, batches', () => {
  it('the range must not wrap; one ending at 2^64-1 is taken', () => {
    expect(outcome({ iova: -PAGE, size: 2n * PAGE })).toBe('EFAULT update-range/EINVAL');
    expect(outcome({ iova: -PAGE, size: PAGE })).toBe('72');
    expect(outcome({ iova: 0n, size: PAGE }, { facts: { iova_first: PAGE } })).toBe('EFAULT update-range/EINVAL');
    expect(outcome({ iova: PAGE, size: PAGE }, { facts: { iova_last: PAGE } })).toBe('EFAULT update-range/EINVAL');
  });
  it('a use_va parent needs a mapping of the caller at or above uaddr', () => {
    expect(outcome({ uaddr: NOWHERE })).toBe('EFAULT update-no-vma/EINVAL');
    expect(outcome({ uaddr: ANON })).toBe('72');
  });
  it('overlap: a shared-file mapping is mapped and overlaps; anonymous memory is skipped and does not', () => {
    expect(outcome({ iova: IOVA + PAGE / 2n }, { before: [step({})] })).toBe('72 EFAULT update-overlap/EEXIST');
    expect(outcome({}, { before: [step({})] })).toBe('72 EFAULT update-overlap/EEXIST');
    expect(outcome({ iova: IOVA + PAGE }, { before: [step({})] })).toBe('72 72');
    expect(outcome({}, { before: [step({ uaddr: ANON })] })).toBe('72 72');
    expect(outcome({}, { before: [step({}), step({ type: INVALIDATE })] })).toBe('72 72 72');
    // INVALIDATE of size 0 at the mapping's start removes nothing (its last byte, iova - 1, lies
    // before the mapping); in its middle it removes the whole mapping: the interval query
    // (start <= last of the mapping, first <= iova - 1) still finds it
    expect(outcome({}, { before: [step({}), step({ type: INVALIDATE, size: 0n })] })).toBe('72 72 EFAULT update-overlap/EEXIST');
    expect(outcome({}, { before: [step({}), step({ type: INVALIDATE, iova: IOVA + PAGE / 2n, size: 0n })] })).toBe('72 72 72');
  });
  it('a device reset leaves the mappings in place', () => {
    expect(outcome({}, { before: [step({}), RESET] })).toBe('72 EFAULT update-overlap/EEXIST');
  });
  it('batches are taken without VHOST_BACKEND_F_IOTLB_BATCH; overlap is refused inside one too', () => {
    expect(outcome({ type: BATCH_BEGIN })).toBe('72');
    expect(outcome({}, { before: [step({ type: BATCH_BEGIN })] })).toBe('72 72');
    expect(outcome({}, { before: [step({ type: BATCH_BEGIN }), step({})] })).toBe('72 72 EFAULT update-overlap/EEXIST');
    expect(outcome({ word1: 1 }, { acked: F_ASID, facts: { nas: 2n }, before: [step({ type: BATCH_BEGIN })] })).toBe('72 EFAULT batch-other-asid/EINVAL');
    expect(outcome({ word1: 1 }, { acked: F_ASID, facts: { nas: 2n }, before: [step({ type: BATCH_BEGIN }), step({ type: BATCH_END })] })).toBe('72 72 72');
  });
  it('the deciding check and the checks passed are reported', () => {
    const r = vdpa.write(call({ iova: IOVA + PAGE / 2n }, { before: [step({})] }));
    expect(r.kind === 'decided' && r.check?.from).toBe('handler');
    expect(r.kind === 'decided' && r.passed.slice(0, 6)).toEqual(['read-form', 'unknown-form', 'read-asid', 'read-message', 'update-size-zero', 'owner']);
  });
});

describe('vhost-vdpa IOTLB write(): versions and the spec', () => {
  it('before 6.12 the write is not executable: said so, never guessed', () => {
    const old = viewAt(spec, '6.1').behaviour('vhost-vdpa', 'vhost-vdpa-net') as Behaviour;
    expect(outcome({}, {}, old)).toMatch(/^unmodelled: the fd kind has no channel with an executable write\(\)/);
    expect(viewAt(spec, '7.2').behaviour('vhost-vdpa', 'vhost-vdpa-net')?.writeChannel?.name).toBe('vhost-iotlb-vdpa');
  });
  it('a check that reads past the bytes written is not modelled, never guessed', () => {
    const lax = viewAt(openOk(sources('refuse: "len < offsetof.iotlb + sizeof(struct vhost_iotlb_msg)"', 'refuse: "len < 4"')), '6.12').behaviour('vhost-vdpa', 'vhost-vdpa-net') as Behaviour;
    expect(outcome({ len: 6 }, {}, lax)).toBe('unmodelled: vhost-iotlb-vdpa write: reads bytes 33..33 of a write of 6');
    expect(outcome({ len: 40 }, {}, lax)).toBe('72');
  });
  const errorsOf = (from: string, to: string): Diagnostic[] => runSpec(sources(from, to)).diagnostics.filter((d) => d.severity === 'error');
  it('validate resolves every name of the write and points at it', () => {
    const d = errorsOf('refuse: "!as.exists", error: EINVAL', 'refuse: "!as.exist || dev.no_such || rec.iotlb.nope", error: EINVAL');
    expect(d.map((x) => x.message)).toEqual(expect.arrayContaining([
      expect.stringMatching(/check no-iotlb: unknown name 'as.exist'/),
      expect.stringMatching(/check no-iotlb: 'dev.no_such' is not a fact of vhost-vdpa/),
      expect.stringMatching(/check no-iotlb: no write record of vhost-iotlb-vdpa has a field 'iotlb.nope'/),
    ]));
    expect(d.every((x) => x.rule === 'spec-unknown-name' && x.file === FAMILY && x.line > 600)).toBe(true);
    expect(errorsOf('error: EEXIST, doc: "Any overlap', 'error: EEXISTS, doc: "Any overlap').map((x) => x.message)).toEqual([expect.stringMatching(/'EEXISTS' is not an errno name/)]);
    // the state names read the message's lets: without uaddr, find_vma has no address
    expect(errorsOf('        - { name: uaddr, value: rec.iotlb.uaddr }\n', '').map((x) => x.message)).toEqual([
      expect.stringMatching(/check update-no-vma: 'vma.found' needs the let 'uaddr'/),
      expect.stringMatching(/check map: 'vma.shared_file' needs the let 'uaddr'/),
    ]);
  });
  it('an effect has no error, and a check kind without meaning in write() is an unknown key', () => {
    expect(errorsOf('effect: unmap, when:', 'effect: unmap, error: EINVAL, when:').map((x) => `${x.rule} ${x.message}`)).toEqual([expect.stringMatching(/spec-check-kind check unmap: an effect never refuses/)]);
    expect(errorsOf('{ check: no-iotlb, refuse: "!as.exists", error: EINVAL,', '{ check: no-iotlb, read: arg, error: EINVAL,').map((x) => `${x.rule} ${x.message}`)).toEqual(["spec-unknown-key unknown key 'read'"]);
  });
});
