// Prints the number of one request on every ABI, from the spec, at a kernel version:
//   npx tsx examples/request-numbers.ts VHOST_GET_VRING_BASE [6.12]
// A consumer of the public API only (the package's front door): no layout or encoding logic here.
import { join } from 'node:path';
import { ABIS, MACRO_OF, openSpec } from '../src/model/index.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const [name, at] = process.argv.slice(2);
if (!name) {
  console.error('usage: request-numbers.ts REQUEST [VERSION]');
  process.exit(2);
}
const opened = openSpec(join(import.meta.dirname, '../spec'));
if (!opened.ok) {
  for (const d of opened.diagnostics) console.error(`${d.file}:${d.line}:${d.col}: ${d.message}`);
  process.exit(2);
}
const { spec } = opened;
const found = at === undefined ? { ok: true as const, version: spec.newest } : spec.version(at);
if (!found.ok) {
  console.error(`${found.message} (${found.hint})`);
  process.exit(2);
}
const view = spec.at(found.version);
const request = view.request(name);
if (!request) {
  console.error(`${name} is not a request at ${view.version}`);
  process.exit(1);
}
const { item } = request;
console.log(`${item.name} = ${MACRO_OF[item.encoding]}(${item.typeName}, ${item.nr.text}${item.arg && item.encoding !== 'none' ? `, ${item.arg}` : ''}) at ${view.version}; data ${item.data}${item.quirk ? ` (quirk: ${item.quirk})` : ''}`);
for (const abi of ABIS) {
  console.log(`  ${abi.name.padEnd(9)} 0x${view.number(request, abi).toString(16).padStart(8, '0')}  size ${view.argSize(request, abi)}`);
}
