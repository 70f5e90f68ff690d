// The importer that bootstrapped spec/: five versions of a real header merge into one family
// whose lifetimes follow the header's history, and the result is a valid spec that generates
// the same header again at every version.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseHeader, tokenize } from '../../src/cheader/index.ts';
import { convertHeader } from '../../src/import/convert.ts';
import { emitFamilyYaml } from '../../src/import/emit.ts';
import { mergeVersions } from '../../src/import/merge.ts';
import { runSpec, viewAt, uapiFiles } from '../support/spec.ts';
import { KERNEL_VERSIONS, kernelHeadersRoot } from '../oracle/kernels.ts';
import { PLANS } from '../../scripts/import/rules.ts';

function importFamily(header: string): string {
  const plan = PLANS.find((p) => p.header === header);
  if (!plan) throw new Error(header);
  const perVersion = KERNEL_VERSIONS.map((v, i) => {
    const text = readFileSync(join(kernelHeadersRoot(v), 'usr/include', header), 'utf8');
    const parsed = parseHeader(text, header);
    return { v: i, entries: convertHeader(parsed.items, parsed.guard, plan.rules, new Set(), text), guard: parsed.guard };
  });
  const head = { family: plan.family, doc: plan.doc, header, guard: perVersion[0]?.guard, imports: plan.imports };
  return emitFamilyYaml(head, mergeVersions(perVersion), KERNEL_VERSIONS);
}

describe('importing linux/vhost_types.h of 5.10 .. 7.3', () => {
  const yaml = importFamily('linux/vhost_types.h');
  // versions parse as numbers here (6.1); String() gives the spelling the loader would read
  const family = parse(yaml) as { items: Array<Record<string, unknown>> };
  const struct = (tag: string): Record<string, unknown> | undefined => family.items.find((i) => i.struct === tag);

  it('records history on members and items', () => {
    const members = struct('vhost_msg_v2')?.members as Array<Record<string, unknown>>;
    expect(members.filter((m) => m.field === 'reserved' || m.field === 'asid').map((m) => [m.field, m.since === undefined ? null : String(m.since), m.until === undefined ? null : String(m.until)])).toEqual([
      ['reserved', null, '6.1'],
      ['asid', '6.1', null],
    ]);
    expect(String(struct('vhost_features_array')?.since)).toBe('7.2');
    expect(String(struct('vhost_worker_state')?.since)).toBe('6.12');
    // regions[0] became regions[] in 6.1: two entries with disjoint lifetimes
    const regions = (struct('vhost_memory')?.members as Array<Record<string, unknown>>).filter((m) => m.field === 'regions');
    expect(regions.map((m) => [m.count, m.since === undefined ? null : String(m.since), m.until === undefined ? null : String(m.until)])).toEqual([[0, null, '6.1'], [[], '6.1', null]]);
    // numbers keep their spelling
    expect(yaml).toMatch(/VHOST_ACCESS_RO, value: 0x1/);
  });

  it('is a valid spec that regenerates every version token for token', async () => {
    const sources = [
      { path: 'project.yaml', text: `project: t\nversions: [${KERNEL_VERSIONS.join(', ')}]\n` },
      { path: 'vhost-types.yaml', text: yaml.replace(/^imports:\n(\s+- .*\n)+/m, '') },
      // the family includes virtio_config.h but only needs it for includes, not names
    ];
    const p = runSpec(sources);
    expect(p.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const v of KERNEL_VERSIONS) {
      const [file] = uapiFiles(viewAt(p, v));
      const real = readFileSync(join(kernelHeadersRoot(v), 'usr/include/linux/vhost_types.h'), 'utf8');
      expect(tokenize(file?.content ?? ''), v).toEqual(tokenize(real));
    }
  });
});
