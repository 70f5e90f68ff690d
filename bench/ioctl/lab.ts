// The lab figure of the ioctl bench: VHOST_VDPA_GET_DEVICE_ID on /dev/vhost-vdpa-N of a VDUSE
// device that the behaviour probe holds (`vdpa_probe NAME hold CMD`), C loop against the generated
// client, alternating, in one 6.12 boot.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runInLab } from '../../test/lab/lab.ts';
import { buildProbe } from '../../test/lab/probe.ts';
import { rounds as parseRounds, type Figure } from './figure.ts';

/** The C loop against the generated client, and against the transport alone. */
export async function labFigures(loop: string, pairs: number, calls: number, rounds: number): Promise<{ client: Figure; transport: Figure }> {
  const probe = buildProbe();
  // the guest sees the host's /tmp; the script lives there for the probe's `sh -c`
  const work = mkdtempSync(join(tmpdir(), 'ioctl-bench-lab-'));
  try {
    const inner = join(work, 'inner.sh');
    const mjs = join(import.meta.dirname, 'loop.mjs');
    writeFileSync(inner, `set -e
dev=/dev/$(ls /sys/bus/vdpa/devices/$VDPA_DEV | grep '^vhost-vdpa-')
for p in $(seq ${pairs}); do
  '${loop}' vdpa $dev ${calls} ${rounds} | sed 's/^/c /'
  node '${mjs}' vdpa $dev ${calls} ${rounds} | sed 's/^/node /'
  node '${mjs}' vdpa-transport $dev ${calls} ${rounds} | sed 's/^/transport /'
done
`);
    const r = await runInLab(`'${probe}' benchnet hold 'sh ${inner}'`, { kernel: '6.12', timeoutMs: 900_000, cwd: join(import.meta.dirname, '../..') });
    if (r.exitCode !== 0) throw new Error(`lab bench exited ${r.exitCode}\n${r.stdout}\n${r.stderr}`);
    const client: Figure = { c: [], node: [] };
    const transport: Figure = { c: client.c, node: [] };
    for (const line of r.stdout.trim().split('\n')) {
      const [side, ...ns] = line.split(' ');
      const got = parseRounds(ns.join(' '));
      if (side === 'c') client.c.push(...got);
      else if (side === 'node') client.node.push(...got);
      else if (side === 'transport') transport.node.push(...got);
    }
    if ([client.c, client.node, transport.node].some((s) => s.length !== pairs * rounds)) throw new Error(`lab bench printed\n${r.stdout}\n${r.stderr}`);
    return { client, transport };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
