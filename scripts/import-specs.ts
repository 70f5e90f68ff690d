// Bootstraps spec/<family>.yaml from the real UAPI headers of every kernel version the
// project checks: parse each version, classify, merge into one list with since/until.
// Run once per header; the spec is then the source and the headers are generated from it.
//   npx tsx scripts/import-specs.ts [linux/vhost.h ...]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseHeader } from '../src/cheader/index.ts';
import { convertHeader } from '../src/import/convert.ts';
import { emitFamilyYaml } from '../src/import/emit.ts';
import { mergeVersions } from '../src/import/merge.ts';
import { KERNEL_VERSIONS, kernelHeadersRoot } from '../test/oracle/kernels.ts';
import { PLANS } from './import/rules.ts';

const wanted = process.argv.slice(2);
for (const plan of PLANS.filter((p) => wanted.length === 0 || wanted.includes(p.header))) {
  const present = KERNEL_VERSIONS.map((v) => join(kernelHeadersRoot(v), 'usr/include', plan.header)).map((f) => existsSync(f));
  const perVersion = KERNEL_VERSIONS.flatMap((v, i) => {
    if (!present[i]) return [];
    const text = readFileSync(join(kernelHeadersRoot(v), 'usr/include', plan.header), 'utf8');
    const parsed = parseHeader(text, plan.header);
    if (parsed.diagnostics.length) console.warn(`${plan.header}@${v}:`, parsed.diagnostics);
    return [{ v: i, entries: convertHeader(parsed.items, parsed.guard, plan.rules, new Set(), text), guard: parsed.guard }];
  });
  const first = present.indexOf(true);
  const merged = mergeVersions(perVersion);
  const head = {
    family: plan.family,
    doc: plan.doc,
    header: plan.header,
    ...(perVersion[0]?.guard ? { guard: perVersion[0].guard } : {}),
    source: `Debian linux-libc-dev ${KERNEL_VERSIONS.join(', ')} (usr/include/${plan.header})`,
    ...(first > 0 ? { since: KERNEL_VERSIONS[first] } : {}),
    ...(plan.imports.length ? { imports: plan.imports } : {}),
    ...(plan.externals ? { externals: plan.externals } : {}),
  };
  const out = join('spec', `${plan.family}.yaml`);
  writeFileSync(out, `# yaml-language-server: $schema=schema/ioctl-abi.schema.json\n${emitFamilyYaml(head, merged, KERNEL_VERSIONS, first)}`);
  console.log(`${out}: ${merged.length} items`);
}
