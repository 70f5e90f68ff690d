// npm run lab -- <command>
//   prepare                       fetch/build everything the lab needs (cached)
//   run 'CMD' [--timeout S] [--dmesg] [--echo]
//                                 boot the 6.12 guest, run CMD chrooted into the host root
//   build-module DIR              build an out-of-tree module for the lab kernel, print the .ko
//   probe [OUT.json]              run the vhost-vdpa behaviour matrix and print it
import { writeFileSync } from 'node:fs';
import { compare, type ProbeMatrix, table, targetOf } from './matrix.ts';
import { buildModule } from './module.ts';
import { prepare } from './prepare.ts';
import { runProbe } from './probe-run.ts';
import { LabError, runInLab } from './lab.ts';

const [cmd, ...rest] = process.argv.slice(2);
const flag = (name: string) => rest.includes(name);
const option = (name: string) => { const i = rest.indexOf(name); return i >= 0 ? rest[i + 1] : undefined; };

async function main(): Promise<number> {
  switch (cmd) {
    case 'prepare': {
      const t0 = Date.now();
      await prepare();
      console.log(`lab prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'run': {
      const command = rest.find((a, i) => !a.startsWith('--') && !(i > 0 && rest[i - 1] === '--timeout'));
      if (!command) throw new Error("usage: npm run lab -- run 'CMD' [--timeout S] [--dmesg] [--echo]");
      const r = await runInLab(command, { timeoutMs: Number(option('--timeout') ?? 120) * 1000, echo: flag('--echo') });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (flag('--dmesg')) process.stderr.write(r.dmesg);
      console.error(`lab: exit ${r.exitCode}, command started ${(r.bootMs / 1000).toFixed(1)} s after qemu, qemu ran ${(r.wallMs / 1000).toFixed(1)} s`);
      return r.exitCode;
    }
    case 'build-module': {
      const dir = rest[0];
      if (!dir) throw new Error('usage: npm run lab -- build-module DIR');
      console.log(buildModule(dir).ko);
      return 0;
    }
    case 'probe': {
      const m: ProbeMatrix = await runProbe();
      if (rest[0]) writeFileSync(rest[0], JSON.stringify(m, null, 1));
      const rows = compare(m, targetOf(m));
      console.log(table(rows));
      const n = (v: string) => rows.filter((r) => r.verdict === v).length;
      console.log(`${rows.length} cells: ${n('rule')} by rule, ${n('quirk')} quirks, ${n('mismatch')} mismatches`);
      return n('mismatch') ? 1 : 0;
    }
    default:
      console.error('usage: npm run lab -- prepare | run CMD | build-module DIR | probe [OUT.json]');
      return 2;
  }
}

// Ctrl-C / SIGTERM: exit through process.exit so qemu.ts's exit hook kills a running guest.
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.once(sig, () => process.exit(130));

main().then((code) => { process.exitCode = code; }, (err: Error) => {
  console.error(`lab: ${err.message}`);
  if (err instanceof LabError && err.result?.stderr) console.error(err.result.stderr);
  process.exitCode = 1;
});
