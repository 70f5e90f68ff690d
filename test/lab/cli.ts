// npm run lab -- <command>
//   prepare                       fetch/build everything the lab needs for every kernel (cached)
//   run [--kernel 6.12|7.2] 'CMD' [--timeout S] [--dmesg] [--echo]
//                                 boot a guest (default 6.12), run CMD chrooted into the host root
//   build-module DIR              build an out-of-tree module for 6.12, print the .ko
//   probe [--kernel 6.12|7.2] [OUT.json]
//                                 run the vhost-vdpa behaviour matrix (ioctl and IOTLB write cells)
//                                 and compare every cell with the spec's executable model; print
//                                 how it differs from 6.12
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseLabArgs } from './cli-args.ts';
import { DEFAULT_KERNEL } from './config.ts';
import { diffSummary, table, writeDiffSummary } from './matrix.ts';
import { predictMatrix, predictWriteMatrix, report, reportText, writeReportText } from './predict.ts';
import { buildMdev, MDEV_SRC } from './mdev.ts';
import { buildModule } from './module.ts';
import { prepare } from './prepare.ts';
import { probeRun, recordedOrRun } from './probe-run.ts';
import { LabError, runInLab } from './lab.ts';

const USAGE = "usage: npm run lab -- prepare | run [--kernel K] 'CMD' [--timeout S] [--dmesg] [--echo] | build-module DIR | probe [--kernel K] [OUT.json]";
const [cmd, ...rest] = process.argv.slice(2);

async function main(): Promise<number> {
  switch (cmd) {
    case 'prepare': {
      const t0 = Date.now();
      await prepare((line) => console.log(line));
      console.log(`lab prepared in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      return 0;
    }
    case 'run': {
      const a = parseLabArgs(rest);
      const command = a.positional[0];
      if (!command || a.positional.length > 1) throw new Error(USAGE);
      const r = await runInLab(command, { kernel: a.kernel, timeoutMs: (a.timeoutS ?? 120) * 1000, echo: a.flags.has('--echo') });
      process.stdout.write(r.stdout);
      process.stderr.write(r.stderr);
      if (a.flags.has('--dmesg')) process.stderr.write(r.dmesg);
      console.error(`lab: exit ${r.exitCode}, command started ${(r.bootMs / 1000).toFixed(1)} s after qemu, qemu ran ${(r.wallMs / 1000).toFixed(1)} s`);
      return r.exitCode;
    }
    case 'build-module': {
      const dir = rest[0];
      if (!dir) throw new Error('usage: npm run lab -- build-module DIR');
      // kernel/ builds only with the generated dispatches copied next to it
      console.log((resolve(dir) === MDEV_SRC ? buildMdev() : buildModule(dir)).ko);
      return 0;
    }
    case 'probe': {
      const a = parseLabArgs(rest);
      const { matrix: m, recorded, probeMs } = await probeRun({ kernel: a.kernel });
      if (a.positional[0]) writeFileSync(a.positional[0], JSON.stringify(m, null, 1));
      console.error(`lab: probe ran ${(probeMs / 1000).toFixed(1)} s in the guest; matrix recorded in ${recorded}`);
      if (a.kernel !== DEFAULT_KERNEL) {
        const base = await recordedOrRun(DEFAULT_KERNEL);
        console.log(diffSummary(base, m));
        console.log(writeDiffSummary(base, m));
      }
      const rows = predictMatrix(m, a.kernel);
      console.log(table(rows));
      console.log(reportText(m.kernel, rows));
      const writes = predictWriteMatrix(m, a.kernel);
      console.log(writeReportText(m.kernel, writes));
      const r = report(rows);
      return r.wrong.length + r.unmodelled.length + writes.filter((w) => w.verdict !== 'exact').length ? 1 : 0;
    }
    default:
      console.error(USAGE);
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
