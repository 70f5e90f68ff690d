// The argsz protocol as steps of the executable model (test/kdispatch/fixtures/vfio-argsz: two
// VFIO getters as vfio-pci runs them): `read: argsz` copies the mandatory part (minsz, the end of
// the struct's `min` member), `minsz` names that size in expressions, later fields read as the
// zero the dispatch's buffer holds, and a later `read: arg` copies up to min(argsz, sizeof).
// Expected outcomes are worked out by hand from the struct layouts (all fields __u32).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Behaviour } from '../../src/model/index.ts';
import { diagnosticsOf, openOk, viewAt } from '../support/spec.ts';

const DIR = join(import.meta.dirname, '../kdispatch/fixtures/vfio-argsz');
const FAMILY = 'vfio-argsz.yaml';

function sources(from?: string, to?: string) {
  const text = readFileSync(join(DIR, FAMILY), 'utf8');
  if (from !== undefined && !text.includes(from)) throw new Error(`${FAMILY} has no '${from}'`);
  return [
    { path: 'project.yaml', text: readFileSync(join(DIR, 'project.yaml'), 'utf8') },
    { path: FAMILY, text: from === undefined ? text : text.replace(from, to ?? '') },
  ];
}

function behaviour(from?: string, to?: string): Behaviour {
  const b = viewAt(openOk(sources(from, to)), '7.3').behaviour('vfio-device', 'vfio-argsz');
  if (!b?.executable) throw new Error('not executable');
  return b;
}

/** Little-endian __u32 fields. */
const u32s = (...v: number[]): Uint8Array => {
  const b = new Uint8Array(v.length * 4);
  v.forEach((x, i) => new DataView(b.buffer).setUint32(i * 4, x >>> 0, true));
  return b;
};

function outcome(b: Behaviour, request: string, arg: Uint8Array | null): string {
  const r = b.evaluate(request, { owner: false, status: 0n, arg, facts: new Map([['num_irqs', 5n]]), eventfds: new Set() });
  return r.kind === 'decided' ? `${r.result}${r.check ? ` ${r.check.id}` : ''}` : `unmodelled: ${r.reason}`;
}

const b = behaviour();

describe('the argsz protocol in the model', () => {
  it('GET_IRQ_INFO: minsz is 16 (count ends at 12 + 4); argsz below it is EINVAL, then the index', () => {
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', null)).toBe('EFAULT copy-minsz');
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', u32s(0, 0, 0, 0))).toBe('EINVAL argsz-too-small');
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', u32s(15, 0, 0, 0))).toBe('EINVAL argsz-too-small');
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', u32s(16, 0, 5, 0))).toBe('EINVAL irq-index');
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', u32s(16, 0, 4, 0))).toBe('0');
    expect(outcome(b, 'VFIO_DEVICE_GET_IRQ_INFO', u32s(0xffffffff, 0, 4, 0))).toBe('0');
  });

  it('GET_INFO: minsz is 16 (num_irqs ends at 12 + 4), not sizeof (24)', () => {
    expect(outcome(b, 'VFIO_DEVICE_GET_INFO', u32s(15, 0, 0, 0, 0, 0))).toBe('EINVAL argsz-too-small');
    expect(outcome(b, 'VFIO_DEVICE_GET_INFO', u32s(16, 0, 0, 0, 0, 0))).toBe('0');
  });

  const capCheck = '          - { check: copy-out, write: arg, doc: "min(argsz, sizeof) bytes." }\n      - requests: [VFIO_DEVICE_GET_IRQ_INFO]';
  it('fields after the mandatory part are not copied: they read as 0 whatever the caller wrote', () => {
    const withCheck = behaviour(capCheck, `          - { check: no-caps, refuse: "arg.cap_offset != 0", error: EIO }\n${capCheck}`);
    expect(outcome(withCheck, 'VFIO_DEVICE_GET_INFO', u32s(24, 0, 0, 0, 7, 0))).toBe('0');
  });

  it('a read: arg after the argsz check copies min(argsz, sizeof): cap_offset (16..20) only when argsz reaches 20', () => {
    const rest = behaviour(capCheck, `          - { check: copy-rest, read: arg }\n          - { check: no-caps, refuse: "arg.cap_offset != 0", error: EIO }\n${capCheck}`);
    expect(outcome(rest, 'VFIO_DEVICE_GET_INFO', u32s(16, 0, 0, 0, 7, 0))).toBe('0');
    // 17 bytes reach cap_offset's first byte, where little-endian 7 lives.
    expect(outcome(rest, 'VFIO_DEVICE_GET_INFO', u32s(17, 0, 0, 0, 7, 0))).toBe('EIO no-caps');
    // ...but not its second byte: 0x700 is seen from argsz 18 on.
    expect(outcome(rest, 'VFIO_DEVICE_GET_INFO', u32s(17, 0, 0, 0, 0x700, 0))).toBe('0');
    expect(outcome(rest, 'VFIO_DEVICE_GET_INFO', u32s(18, 0, 0, 0, 0x700, 0))).toBe('EIO no-caps');
    expect(outcome(rest, 'VFIO_DEVICE_GET_INFO', u32s(0x1000, 0, 0, 0, 0x700, 0))).toBe('EIO no-caps');
  });

  it('argsz steps where the argument is no argsz struct are spec errors with a position', () => {
    const noMin = diagnosticsOf(sources('      - { field: count, type: __u32, min: true }', '      - { field: count, type: __u32 }'));
    expect(noMin.map((d) => `${d.rule}: ${d.message}`)).toEqual(expect.arrayContaining([
      expect.stringMatching(/^spec-unknown-name: check copy-minsz: read: argsz on VFIO_DEVICE_GET_IRQ_INFO, whose argument is no argsz struct/),
      expect.stringMatching(/^spec-unknown-name: check argsz-too-small: 'minsz' on VFIO_DEVICE_GET_IRQ_INFO/),
    ]));
    expect(noMin.every((d) => d.file.endsWith(FAMILY) && d.line > 0)).toBe(true);
  });
});
