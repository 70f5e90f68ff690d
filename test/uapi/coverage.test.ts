// The reverse direction of the oracle: every macro, struct, union and enum the real headers
// declare is in the spec at that version (or listed in exclusions.yaml with a reason), and the
// generated header is the kernel's own: the same tokens in the same order, comments aside.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseHeader, tokenize } from '../../src/cheader/index.ts';
import { walkDefinitions, type AbiView as VersionModel } from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';
import { KERNEL_VERSIONS, kernelHeadersRoot } from '../oracle/kernels.ts';

interface Exclusion { header: string; name: string; reason: string; versions?: string[] }
const exclusions = (parse(readFileSync(join(import.meta.dirname, 'exclusions.yaml'), 'utf8')) as { exclusions: Exclusion[] }).exclusions;
const pipeline = openOk(join(import.meta.dirname, '../../spec'));

/** Names the spec declares at a version, in the same vocabulary as the real header's. */
function specNames(vm: VersionModel, header: string): { names: Set<string>; guard?: string } {
  const names = new Set<string>();
  const family = vm.families.find((f) => f.header === header);
  for (const d of walkDefinitions(family?.items ?? [])) {
    if (d.kind === 'define' || d.kind === 'macro' || d.kind === 'request') names.add(`macro ${d.name}`);
    if (d.kind === 'set') for (const v of d.values) names.add(`macro ${v.name}`);
    if ((d.kind === 'struct' || d.kind === 'union') && d.tag) names.add(`${d.kind} ${d.tag}`);
    if (d.kind === 'enum') {
      if (d.tag) names.add(`enum ${d.tag}`);
      for (const v of d.values) names.add(`enumerator ${v.name}`);
    }
  }
  return { names, ...(family?.guard ? { guard: family.guard } : {}) };
}

function realNames(text: string): { names: string[]; guard?: string } {
  const parsed = parseHeader(text);
  const names: string[] = [];
  const visit = (members: Array<{ kind: string; tag?: string; members?: unknown[]; name?: string }>): void => {
    for (const m of members) {
      if ((m.kind === 'struct' || m.kind === 'union') && m.tag) names.push(`${m.kind} ${m.tag}`);
      if (m.kind === 'define' && m.name) names.push(`macro ${m.name}`);
      if (m.members) visit(m.members as typeof members);
    }
  };
  for (const it of parsed.items) {
    if (it.kind === 'define' && it.name !== parsed.guard) names.push(`macro ${it.name}`);
    if (it.kind === 'struct' || it.kind === 'union') {
      names.push(`${it.kind} ${it.name}`);
      visit(it.members);
    }
    if (it.kind === 'enum') {
      if (it.name) names.push(`enum ${it.name}`);
      for (const e of it.enumerators) names.push(`enumerator ${e.name}`);
    }
  }
  return { names, ...(parsed.guard ? { guard: parsed.guard } : {}) };
}

const HEADERS = ['linux/vhost.h', 'linux/vhost_types.h', 'linux/vduse.h', 'linux/vfio.h', 'linux/virtio_config.h', 'linux/virtio_ids.h', 'linux/virtio_net.h', 'linux/virtio_ring.h', 'linux/virtio_scsi.h'];
const counts = { declarations: 0, identical: 0, compared: 0 };

describe('every real declaration is in the spec', () => {
  for (const version of KERNEL_VERSIONS) {
    it(`kernel ${version}`, () => {
      const vm = viewAt(pipeline, version);
      const missing: string[] = [];
      for (const header of HEADERS) {
        let text: string;
        try {
          text = readFileSync(join(kernelHeadersRoot(version), 'usr/include', header), 'utf8');
        } catch {
          expect(vm.families.some((f) => f.header === header), `${header} is not in ${version} but the spec has it`).toBe(false);
          continue;
        }
        const real = realNames(text);
        const spec = specNames(vm, header);
        expect(spec.guard).toBe(real.guard);
        counts.declarations += real.names.length;
        for (const n of real.names) {
          const excluded = exclusions.some((x) => x.header === header && n.endsWith(` ${x.name}`) && (!x.versions || x.versions.includes(version)));
          if (!spec.names.has(n) && !excluded) missing.push(`${header}: ${n}`);
        }
      }
      expect(missing).toEqual([]);
    });
  }
  it('lists no stale exclusions', () => {
    for (const x of exclusions) expect(x.reason.length, `${x.name} needs a reason`).toBeGreaterThan(10);
    expect(counts.declarations).toBeGreaterThan(2000);
    console.log(`coverage: ${counts.declarations} real declarations checked across ${KERNEL_VERSIONS.length} versions, ${exclusions.length} excluded`);
  });
});

describe('generated headers are the kernel\'s own, comments aside', () => {
  for (const version of KERNEL_VERSIONS) {
    it(`kernel ${version}`, () => {
      const files = uapiFiles(viewAt(pipeline, version));
      const differences: string[] = [];
      for (const f of files) {
        const header = f.path.replace(/^uapi\//, '');
        const real = tokenize(readFileSync(join(kernelHeadersRoot(version), 'usr/include', header), 'utf8'), { directiveEnds: true });
        const ours = tokenize(f.content, { directiveEnds: true });
        counts.compared++;
        let i = 0;
        while (i < real.length && real[i] === ours[i]) i++;
        if (i === real.length && i === ours.length) counts.identical++;
        else differences.push(`${header} differs at token ${i}: kernel «${real.slice(i, i + 6).join(' ')}» ours «${ours.slice(i, i + 6).join(' ')}»`);
      }
      expect(differences).toEqual([]);
      expect(files.map((f) => f.path).sort()).toEqual(HEADERS.filter((h) => version !== '5.10' || h !== 'linux/vduse.h').map((h) => `uapi/${h}`).sort());
    });
  }
  it('reports', () => {
    console.log(`token identity: ${counts.identical}/${counts.compared} generated headers equal the kernel's`);
    expect(counts.compared).toBe(44); // 9 headers at 5 versions, vduse.h not in 5.10
  });
});
