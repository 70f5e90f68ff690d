// Argument parsing of `npm run lab` (kept apart from cli.ts, which runs on import).
import { DEFAULT_KERNEL, isKernelId, type KernelId, KERNELS } from './config.ts';

export interface LabArgs {
  kernel: KernelId;
  timeoutS?: number;
  flags: Set<string>;
  /** Arguments that are neither options nor option values, in order. */
  positional: string[];
}

const WITH_VALUE = new Set(['--kernel', '--timeout']);
const FLAGS = new Set(['--dmesg', '--echo']);

export function parseLabArgs(rest: string[]): LabArgs {
  const out: LabArgs = { kernel: DEFAULT_KERNEL, flags: new Set(), positional: [] };
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i]!;
    if (WITH_VALUE.has(a)) {
      const v = rest[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      if (a === '--kernel') {
        if (!isKernelId(v)) throw new Error(`--kernel ${v}: the lab has ${Object.keys(KERNELS).join(', ')}`);
        out.kernel = v;
      } else {
        const s = Number(v);
        if (!(s > 0)) throw new Error(`--timeout ${v}: seconds > 0`);
        out.timeoutS = s;
      }
    } else if (FLAGS.has(a)) {
      out.flags.add(a);
    } else if (a.startsWith('--') && a.length > 2) {
      throw new Error(`unknown option ${a}`);
    } else {
      out.positional.push(a);
    }
  }
  return out;
}
