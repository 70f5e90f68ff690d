// npm run bench:codec: encode + decode of vhost_vring_addr and vhost_msg_v2 (x86_64 layout) by
// the generated codecs, by a hand-written DataView codec doing the same range checks
// (handwritten.ts) and by the restructure package (restructure.ts), in one run, interleaved, so
// the ratios hold on any machine. Targets: generated >= 0.9x hand-written, >= 5x restructure.
//   BENCH_CODEC_MS=300 (time per sample)  BENCH_CODEC_ROUNDS=7  BENCH_STRICT=1: exit 1 on a miss
import { vhostMsgV2Codec, vhostVringAddrCodec, type VhostMsgV2, type VhostVringAddr } from '../../generated/ts/api/vhost.ts';
import { decodeMsgV2, decodeVringAddr, encodeMsgV2, encodeVringAddr } from './handwritten.ts';
import { msgV2, vringAddr } from './restructure.ts';

const SAMPLE_MS = Number(process.env.BENCH_CODEC_MS ?? 300);
const ROUNDS = Number(process.env.BENCH_CODEC_ROUNDS ?? 7);

const addr: VhostVringAddr = { index: 3, flags: 1n, descUserAddr: 0x7f0000001000n, usedUserAddr: 0x7f0000002000n, availUserAddr: 0x7f0000003000n, logGuestAddr: 0x100000n };
// restructure's uint32 takes a number: the same value with the mask as a number.
const addrForRestructure = { ...addr, flags: Number(addr.flags) };
const msg: VhostMsgV2 = { type: 2, asid: 1, iotlb: { iova: 0x100000000n, size: 0x200000n, uaddr: 0x7f1234560000n, perm: 3, type: 2 } };

type Case = { name: string; run: () => unknown };
const genAddr = vhostVringAddrCodec.x86_64;
const genMsg = vhostMsgV2Codec.x86_64;
const groups: Array<{ struct: string; cases: Case[] }> = [
  {
    struct: 'vhost_vring_addr',
    cases: [
      { name: 'generated', run: () => genAddr.decode(genAddr.encode(addr)) },
      { name: 'hand-written', run: () => decodeVringAddr(encodeVringAddr(addr)) },
      { name: 'restructure', run: () => vringAddr.fromBuffer(vringAddr.toBuffer(addrForRestructure)) },
    ],
  },
  {
    struct: 'vhost_msg_v2',
    cases: [
      { name: 'generated', run: () => genMsg.decode(genMsg.encode(msg)) },
      { name: 'hand-written', run: () => decodeMsgV2(encodeMsgV2(msg)) },
      { name: 'restructure', run: () => msgV2.fromBuffer(msgV2.toBuffer(msg)) },
    ],
  },
];

// The three agree on the bytes before anything is timed.
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
if (hex(genAddr.encode(addr)) !== hex(encodeVringAddr(addr)) || hex(genAddr.encode(addr)) !== hex(vringAddr.toBuffer(addrForRestructure))) throw new Error('vhost_vring_addr: the codecs disagree');
if (hex(genMsg.encode(msg)) !== hex(encodeMsgV2(msg)) || hex(genMsg.encode(msg)) !== hex(msgV2.toBuffer(msg))) throw new Error('vhost_msg_v2: the codecs disagree');

let sink = 0;
/** Operations per second of one case over about SAMPLE_MS. */
function sample(c: Case): number {
  let n = 0;
  const start = performance.now();
  let now = start;
  while (now - start < SAMPLE_MS) {
    for (let i = 0; i < 1000; i++) sink ^= c.run() ? 1 : 0;
    n += 1000;
    now = performance.now();
  }
  return (n / (now - start)) * 1000;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] as number;

for (const g of groups) for (const c of g.cases) sample(c); // warm-up: optimised code before timing
const rows: string[] = [];
let missed = false;
for (const g of groups) {
  const rates = new Map<string, number[]>(g.cases.map((c) => [c.name, []]));
  for (let round = 0; round < ROUNDS; round++) for (const c of g.cases) rates.get(c.name)!.push(sample(c));
  const m = new Map([...rates].map(([k, v]) => [k, median(v)]));
  const gen = m.get('generated')!;
  const vsHand = gen / m.get('hand-written')!;
  const vsRestructure = gen / m.get('restructure')!;
  missed ||= vsHand < 0.9 || vsRestructure < 5;
  rows.push(`| ${g.struct} | ${(gen / 1e6).toFixed(2)} M/s | ${(m.get('hand-written')! / 1e6).toFixed(2)} M/s | ${(m.get('restructure')! / 1e6).toFixed(2)} M/s | ${vsHand.toFixed(2)}x (>= 0.9) | ${vsRestructure.toFixed(1)}x (>= 5) |`);
}
console.log(`Node ${process.version}, ${process.arch}; encode+decode per operation, median of ${ROUNDS} interleaved samples of ${SAMPLE_MS} ms\n`);
console.log('| struct | generated | hand-written | restructure | generated / hand-written | generated / restructure |');
console.log('|---|---|---|---|---|---|');
for (const r of rows) console.log(r);
if (sink === -1) console.log(sink);
if (missed && process.env.BENCH_STRICT) process.exit(1);
