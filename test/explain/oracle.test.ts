// explain against gcc: request numbers and their _IOC fields computed by each architecture's gcc
// from the real 6.12 UAPI headers (Debian's linux-libc-dev; test/oracle), for the three
// encodings: generic (x86_64, i386), powerpc-style (ppc64le, mips64el, sparc64) and parisc.
// Each number, in hex and in decimal, must come back as that request on that ABI at 6.12, with
// the fields gcc's own _IOC_DIR/_IOC_TYPE/_IOC_NR/_IOC_SIZE give.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openHistory } from '../../src/cli/history.ts';
import { buildIndex } from '../../src/explain/index-build.ts';
import type { ExplainIndex } from '../../src/explain/index-types.ts';
import { explainNumber } from '../../src/explain/lookup.ts';
import { parseQuery } from '../../src/explain/query.ts';
import { requireCompiler, type AbiName } from '../oracle/abis.ts';
import { uapiIncludeDirs } from '../oracle/kernels.ts';
import { evaluate } from '../oracle/probe.ts';
import { cli, ROOT } from '../cli/run.ts';
import { openOk } from '../support/spec.ts';

const ABIS: readonly AbiName[] = ['x86_64', 'i386', 'ppc64le', 'mips64el', 'sparc64', 'parisc'];
const REQUESTS = [
  'VHOST_GET_VRING_BASE', 'VHOST_SET_VRING_ADDR', 'VHOST_SET_MEM_TABLE', 'VHOST_SET_OWNER', 'VHOST_VDPA_SET_STATUS', 'VHOST_VDPA_GET_CONFIG',
  'VDUSE_VQ_GET_INFO', 'VDUSE_CREATE_DEV', 'VDUSE_IOTLB_GET_FD', 'VFIO_DEVICE_GET_INFO', 'VFIO_IOMMU_GET_INFO', 'VFIO_IOMMU_SPAPR_TCE_GET_INFO',
  'VFIO_DEVICE_GET_PCI_HOT_RESET_INFO',
];
const PRELUDE = '#include <linux/vhost.h>\n#include <linux/vduse.h>\n#include <linux/vfio.h>\n';

interface Gcc {
  number: bigint;
  dir: bigint;
  type: bigint;
  nr: bigint;
  size: bigint;
}

const cache = mkdtempSync(join(tmpdir(), 'ioctl-abi-explain-oracle-'));
const measured = new Map<AbiName, { codes: { none: bigint; read: bigint; write: bigint }; requests: Map<string, Gcc> }>();
let index: ExplainIndex;

beforeAll(async () => {
  const spec = openOk(join(ROOT, 'spec'));
  const h = openHistory(join(ROOT, 'spec'));
  if (!h.ok) throw new Error('history specs do not open');
  index = buildIndex([{ id: 'linux', proposal: false, spec }, ...h.history.map((x) => ({ id: x.name, proposal: true, spec: x.spec }))]);
  for (const abi of ABIS) {
    requireCompiler(abi);
    const exprs: Record<string, string> = { none: '_IOC_NONE', read: '_IOC_READ', write: '_IOC_WRITE' };
    for (const r of REQUESTS) {
      exprs[`${r}.number`] = r;
      for (const f of ['DIR', 'TYPE', 'NR', 'SIZE']) exprs[`${r}.${f}`] = `_IOC_${f}(${r})`;
    }
    const values = await evaluate(abi, uapiIncludeDirs('6.12', abi), PRELUDE, exprs);
    const v = (k: string): bigint => {
      const x = values[k];
      if (typeof x !== 'bigint') throw new Error(`${abi}: gcc could not evaluate ${k}: ${JSON.stringify(x)}`);
      return x;
    };
    const requests = new Map(REQUESTS.map((r) => [r, { number: v(`${r}.number`), dir: v(`${r}.DIR`), type: v(`${r}.TYPE`), nr: v(`${r}.NR`), size: v(`${r}.SIZE`) }]));
    measured.set(abi, { codes: { none: v('none'), read: v('read'), write: v('write') }, requests });
  }
}, 600_000);

describe.each(ABIS)('numbers gcc computes for %s', (abi) => {
  it.each(REQUESTS)('%s', (name) => {
    const m = measured.get(abi);
    const g = m?.requests.get(name);
    if (!m || !g) throw new Error('not measured');
    for (const text of [`0x${g.number.toString(16)}`, g.number.toString()]) {
      const q = parseQuery(text);
      expect(q.kind === 'number' && q.value).toBe(Number(g.number));
      if (q.kind !== 'number') continue;
      const all = explainNumber(index, q.value);
      const hit = all.matches.filter((x) => x.request.name === name && x.request.source === 'linux' && x.versions.includes('6.12'));
      expect(hit.length, `${text} is ${name} on ${abi}`).toBeGreaterThan(0);
      expect(hit.some((x) => x.abis.includes(abi))).toBe(true);
      // On this ABI alone: the fields of its encoding are the ones gcc's macros give.
      const one = explainNumber(index, q.value, { arch: abi, at: '6.12' });
      expect(one.matches.some((x) => x.request.name === name)).toBe(true);
      expect(one.decodings).toHaveLength(1);
      const d = one.decodings[0];
      expect([d?.dirBits, d?.type, d?.nr, d?.size].map((x) => BigInt(x ?? -1))).toEqual([g.dir, g.type, g.nr, g.size]);
      const rw = m.codes.read | m.codes.write;
      const expected = g.dir === m.codes.none ? 'none' : g.dir === rw ? 'readwrite' : g.dir === m.codes.read ? 'read' : g.dir === m.codes.write ? 'write' : undefined;
      expect(d?.direction).toBe(expected);
    }
  });
});

describe('what gcc shows about the ABIs', () => {
  it('a number that differs by ABI is found only on the ABIs that have it (vduse_iotlb_entry: 32 bytes on x86_64, 28 on i386)', () => {
    const x = measured.get('x86_64')?.requests.get('VDUSE_IOTLB_GET_FD');
    const i = measured.get('i386')?.requests.get('VDUSE_IOTLB_GET_FD');
    expect([x?.size, i?.size]).toEqual([32n, 28n]);
    const on = explainNumber(index, Number(i?.number)).matches.filter((m) => m.request.name === 'VDUSE_IOTLB_GET_FD').flatMap((m) => m.abis);
    expect(on).toContain('i386');
    expect(on).not.toContain('x86_64');
  });
  it('requests that share a number on different fd kinds are all named (VFIO_BASE + 12 on a device, type1 and sPAPR containers)', () => {
    const shared = ['VFIO_DEVICE_GET_PCI_HOT_RESET_INFO', 'VFIO_IOMMU_GET_INFO', 'VFIO_IOMMU_SPAPR_TCE_GET_INFO'];
    const numbers = shared.map((n) => measured.get('x86_64')?.requests.get(n)?.number);
    expect(new Set(numbers).size).toBe(1);
    const matches = explainNumber(index, Number(numbers[0]), { at: '6.12' }).matches;
    expect(matches.map((m) => `${m.request.name} ${m.request.scope.join()}`).sort()).toEqual(['VFIO_DEVICE_GET_PCI_HOT_RESET_INFO vfio-device', 'VFIO_IOMMU_GET_INFO vfio-iommu-type1', 'VFIO_IOMMU_SPAPR_TCE_GET_INFO vfio-iommu-spapr']);
  });
  it('the CLI answers a gcc number from each encoding, exit 0', () => {
    for (const [abi, name] of [['x86_64', 'VHOST_GET_VRING_BASE'], ['ppc64le', 'VDUSE_VQ_GET_INFO'], ['parisc', 'VFIO_DEVICE_GET_INFO']] as const) {
      const n = measured.get(abi)?.requests.get(name)?.number ?? 0n;
      const r = cli(['explain', n.toString(), '--arch', abi], { env: { IOCTL_ABI_CACHE: cache } });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain(`${name} = `);
      expect(r.stdout).toContain(`  on:        ${abi}`);
    }
  });
});
