// Prints the number of one request on every ABI, from the spec, at a kernel version:
//   npx tsx examples/request-numbers.ts VHOST_GET_VRING_BASE [6.12]
// A consumer of the resolved model: no layout or encoding logic here, only questions to it.
import { join } from 'node:path';
import { ABIS } from '../src/model/abi.ts';
import { MACRO_OF } from '../src/model/ioc.ts';
import { newestVersion } from '../src/model/project.ts';
import { runPipelineOn } from '../src/pipeline.ts';

process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));
const [name, at] = process.argv.slice(2);
if (!name) {
  console.error('usage: request-numbers.ts REQUEST [VERSION]');
  process.exit(2);
}
const pipeline = runPipelineOn(join(import.meta.dirname, '../spec'));
const version = at ?? newestVersion(pipeline.model);
const model = pipeline.versions.at(version);
const request = model.requests.find((r) => r.item.name === name);
if (!request) {
  console.error(`${name} is not a request at ${version}`);
  process.exit(1);
}
const { item } = request;
console.log(`${item.name} = ${MACRO_OF[item.encoding]}(${item.typeName}, ${item.nr.text}${item.arg && item.encoding !== 'none' ? `, ${item.arg}` : ''}) at ${version}; data ${item.data}${item.quirk ? ` (quirk: ${item.quirk})` : ''}`);
for (const abi of ABIS) {
  const size = model.argSize(request, abi);
  console.log(`  ${abi.name.padEnd(9)} 0x${model.requestNumber(request, abi).toString(16).padStart(8, '0')}  size ${size}`);
}
