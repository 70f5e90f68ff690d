// `ioctl-abi diff BASE [HEAD]`: the ABI change between two specs, judged per rule and ABI
// (docs/compat-rules.md). Exit 0 clean, 1 findings of a --fail-on severity or a stale
// acknowledgement, 2 usage, spec or acknowledgement errors.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { diffSides } from '../diff/engine.ts';
import { loadSide } from '../diff/load.ts';
import { makeReport } from '../diff/report.ts';
import { readSide, SideError } from '../diff/side.ts';
import { DEFAULT_FAIL_ON, isSeverity, SEVERITIES, type Severity } from '../diff/types.ts';
import { packagePath } from '../package-root.ts';
import { parseArgs, UsageError } from './args.ts';
import { printDiagnostics, countBySeverity, useColor } from './output.ts';
import { resolveSpecTarget } from './spec-location.ts';

export const DIFF_HELP = `Usage: ioctl-abi diff BASE [HEAD] [options]

Compares the ABI of two specs, model to model, on every ABI: request numbers, structs and
unions, constants, sets, device profiles, behaviour rules and checks, channels. Each finding has
a rule (docs/compat-rules.md) and a severity: wire-break, source-break, behaviour-break,
behaviour-change, compatible.

BASE and HEAD are each a spec folder or file, a git ref read from that commit without a checkout
(origin/main, HEAD~1, or REF:path/to/spec), optionally projected to one version (spec@6.1,
origin/main@7.2). HEAD defaults to the working tree's spec. A bare ref reads the same spec folder
as HEAD. Without a projection every version both specs list is compared with itself.

Options:
  --base REF          BASE as an option (CI: --base origin/main)
  --format FORMAT     text (default), markdown, json, sarif or github (workflow annotations)
  --output FILE       write the report there instead of stdout
  --fail-on LIST      severities that fail the run, comma-separated, or none
                      (default: ${DEFAULT_FAIL_ON.join(',')})
  --acks FILE         reviewed breaks (default: abi-acks.yaml when it exists)
  --write-acks        write the acknowledgements file for this run: kept entries plus one per
                      failing finding, reason TODO (to be written before it is accepted)

Exit codes: 0 clean, 1 findings that fail or a stale acknowledgement, 2 usage or spec errors.`;

const FORMATS = ['text', 'markdown', 'json', 'sarif', 'github'] as const;
type DiffFormat = (typeof FORMATS)[number];

function failOnOf(value: string | boolean | undefined): Severity[] {
  if (value === undefined) return [...DEFAULT_FAIL_ON];
  const text = String(value);
  if (text === 'none') return [];
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((s) => !isSeverity(s));
  if (bad.length || list.length === 0) throw new UsageError(`--fail-on: '${bad[0] ?? text}' is not a severity (${SEVERITIES.join(', ')}, or none)`);
  return list as Severity[];
}

function toolVersion(): string {
  try {
    return String((JSON.parse(readFileSync(packagePath('package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0');
  } catch {
    return '0.0.0';
  }
}

export async function runDiff(argv: string[]): Promise<number> {
  const { flags, positionals } = parseArgs(argv, { base: 'string', format: 'string', output: 'string', 'fail-on': 'string', acks: 'string', 'write-acks': 'boolean', spec: 'string', help: 'boolean' });
  if (flags.help) {
    process.stdout.write(`${DIFF_HELP}\n`);
    return 0;
  }
  const format = String(flags.format ?? 'text') as DiffFormat;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not ${format}`);
  const failOn = failOnOf(flags['fail-on']);
  const given = flags.base !== undefined ? [String(flags.base), ...positionals] : positionals;
  if (given.length === 0) throw new UsageError('diff needs a BASE: a spec folder, a git ref (--base origin/main) or spec@VERSION (try --help)');
  if (given.length > 2) throw new UsageError(`unexpected argument '${given[2]}' (diff BASE [HEAD])`);
  const cwd = process.cwd();
  const headTarget = given[1] ?? (flags.spec !== undefined ? String(flags.spec) : resolveSpecTarget(undefined, cwd).path);
  // A bare ref on either side reads the spec folder the other side names (or spec/).
  const folderOf = (arg: string): string => arg.replace(/@\d+\.\d+$/, '');
  const defaultSpec = existsSync(folderOf(headTarget)) ? folderOf(headTarget) : 'spec';

  let sides;
  try {
    sides = [readSide(given[0] as string, defaultSpec, cwd), readSide(headTarget, defaultSpec, cwd)] as const;
  } catch (e) {
    if (e instanceof SideError) throw new UsageError(e.message);
    throw e;
  }
  const [base, head] = await Promise.all(sides.map((s) => loadSide(s)));
  for (const [r, s] of [[base, sides[0]], [head, sides[1]]] as const) {
    if (!r?.ok) {
      const diagnostics = [...(r?.diagnostics ?? [])];
      printDiagnostics(diagnostics, 'text', `diff: ${s.label} is not a valid spec: ${countBySeverity(diagnostics)}`);
      return 2;
    }
  }
  if (!base?.ok || !head?.ok) return 2;

  const { PairError } = await import('../diff/engine.ts');
  let result;
  try {
    result = diffSides(base.side, head.side);
  } catch (e) {
    if (e instanceof PairError) throw new UsageError(e.message);
    throw e;
  }

  const acksPath = flags.acks !== undefined ? String(flags.acks) : existsSync('abi-acks.yaml') ? 'abi-acks.yaml' : undefined;
  const acksModule = await import('../diff/acks.ts');
  let acks: import('../diff/acks.ts').Ack[] = [];
  if (acksPath !== undefined && (existsSync(acksPath) || !flags['write-acks'])) {
    try {
      acks = acksModule.readAcks(acksPath);
    } catch (e) {
      if (e instanceof acksModule.AckError) {
        process.stderr.write(`ioctl-abi: ${e.message}\n`);
        return 2;
      }
      throw e;
    }
    const unknown = acks.find((a) => a.abis !== 'all' && a.abis.some((abi) => !result.abis.includes(abi)));
    if (unknown) {
      process.stderr.write(`ioctl-abi: ${unknown.at}: unknown ABI in abis (${(unknown.abis as string[]).filter((a) => !result.abis.includes(a)).join(', ')}); known: ${result.abis.join(', ')}\n`);
      return 2;
    }
  }
  const acked = acksModule.applyAcks(result.findings, acks, result.abis);
  const report = makeReport(result, acked, failOn);

  if (flags['write-acks']) {
    const file = acksPath ?? 'abi-acks.yaml';
    const kept = acks.filter((a) => !acked.stale.includes(a));
    const todo = acked.open.filter((f) => failOn.includes(f.severity));
    writeFileSync(file, acksModule.acksFile(kept, todo, result.abis));
    process.stderr.write(`diff: wrote ${file}: ${kept.length} kept, ${todo.length} new (write each reason where it says TODO), ${acked.stale.length} stale dropped\n`);
    return 0;
  }

  const text = await render(report, format, flags.output === undefined && useColor(process.stdout));
  if (flags.output !== undefined) writeFileSync(String(flags.output), text);
  else process.stdout.write(text);
  return report.failed ? 1 : 0;
}

async function render(report: import('../diff/report.ts').DiffReport, format: DiffFormat, color: boolean): Promise<string> {
  switch (format) {
    case 'text':
      return (await import('../diff/format/text.ts')).formatText(report, color);
    case 'markdown':
      return (await import('../diff/format/markdown.ts')).formatMarkdown(report);
    case 'json':
      return (await import('../diff/format/json.ts')).formatJson(report);
    case 'sarif':
      return (await import('../diff/format/sarif.ts')).formatSarif(report, toolVersion());
    case 'github':
      return (await import('../diff/format/github.ts')).formatGithub(report);
  }
}
