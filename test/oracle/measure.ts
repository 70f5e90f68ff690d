// Measures the oracle toolchain (numbers for docs/oracle-toolchain.md):
//   npx tsx test/oracle/measure.ts [version]
// 1. per ABI: one small probe (evaluate, 3 expressions, linux/vhost.h);
// 2. per ABI: one big batch — every object-like macro and struct size/alignment
//    declared in the vhost/vfio/vduse/virtio headers of `version` — timed for
//    evaluate and assertAll, and the assertAll run checked against x86_64's
//    values to exercise table.ts (a cross-ABI difference table, not a spec test).
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ABI_NAMES } from './abis.ts';
import { isKernelVersion, uapiIncludeDirs, type KernelVersion } from './kernels.ts';
import { assertAll, evaluate, mapLimit, type Check } from './probe.ts';
import { formatTable, summarize, type TableRow } from './table.ts';

const arg = process.argv[2] ?? '7.2';
if (!isKernelVersion(arg)) throw new Error(`unknown kernel version ${arg}`);
const version: KernelVersion = arg;
const HEADERS = ['vhost.h', 'vhost_types.h', 'vfio.h', 'vduse.h', 'virtio_config.h', 'virtio_net.h', 'virtio_ring.h'];

const inc0 = uapiIncludeDirs(version, 'x86_64');
const present = HEADERS.filter((h) => existsSync(join(inc0[1]!, 'linux', h)));
const prelude = present.map((h) => `#include <linux/${h}>`).join('\n');
const exprs: Record<string, string> = {};
for (const h of present) {
  const text = readFileSync(join(inc0[1]!, 'linux', h), 'utf8');
  for (const m of text.matchAll(/^#define\s+([A-Z][A-Z0-9_]*)[ \t]+\S/gm)) exprs[m[1]!] = m[1]!;
  for (const m of text.matchAll(/^struct\s+(\w+)\s*\{/gm)) {
    exprs[`sizeof(struct ${m[1]})`] = `sizeof(struct ${m[1]})`;
    exprs[`__alignof__(struct ${m[1]})`] = `__alignof__(struct ${m[1]})`;
  }
}
const n = Object.keys(exprs).length;
console.log(`kernel ${version}: ${present.join(' ')}; ${n} expressions per ABI`);

const ms = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

console.log('\nabi        small-probe-ms  batch-evaluate-ms  values  errors  batch-assertAll-ms');
const x86 = await evaluate('x86_64', inc0, prelude, exprs);
const rows: TableRow[] = [];
for (const abi of ABI_NAMES) {
  const inc = uapiIncludeDirs(version, abi);
  let t = process.hrtime.bigint();
  await evaluate(abi, inc, '#include <linux/vhost.h>', { a: 'sizeof(long)', b: 'VHOST_GET_FEATURES', c: '__alignof__(struct vhost_msg)' });
  const small = ms(t);
  t = process.hrtime.bigint();
  const vals = await evaluate(abi, inc, prelude, exprs);
  const big = ms(t);
  const ok = Object.values(vals).filter((v) => typeof v === 'bigint').length;
  const checks: Check[] = Object.entries(x86).filter(([, v]) => typeof v === 'bigint').map(([k, v]) => ({ id: k, expr: exprs[k]!, expected: v as bigint }));
  t = process.hrtime.bigint();
  const res = await assertAll(abi, inc, prelude, checks);
  const asrt = ms(t);
  rows.push(summarize(version, abi, res));
  console.log(`${abi.padEnd(9)}  ${small.toFixed(0).padStart(14)}  ${big.toFixed(0).padStart(17)}  ${String(ok).padStart(6)}  ${String(n - ok).padStart(6)}  ${asrt.toFixed(0).padStart(18)}`);
}
console.log(`\nassertAll against x86_64's values (differences = ABI-dependent items):\n${formatTable(rows)}`);

const t = process.hrtime.bigint();
const pairs = (['5.10', '6.1', '6.12', '7.2', '7.3'] as const).flatMap((v) => ABI_NAMES.map((a) => [v, a] as const));
await mapLimit(pairs, ([v, a]) => evaluate(a, uapiIncludeDirs(v, a), '#include <linux/vhost.h>\n#include <linux/vfio.h>', { x: 'VHOST_GET_FEATURES' }));
console.log(`${pairs.length} (version, ABI) small probes, 2 in parallel: ${ms(t).toFixed(0)} ms`);
