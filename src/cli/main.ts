// ioctl-abi: validate, lint, gen and dump over one spec folder.
// Exit codes: 0 ok, 1 findings or drift, 2 usage or spec errors.
import { resolve } from 'node:path';
import { ABIS, ABI_NAMES, findAbi } from '../model/abi.ts';
import { newestVersion } from '../model/project.ts';
import { SpecError, type Diagnostic } from '../diagnostics.ts';
import { dumpModel, stableJson } from '../dump.ts';
import { lint } from '../lint/index.ts';
import { runPipelineOn, type Pipeline } from '../pipeline.ts';
import { parseArgs, UsageError, type FlagSpec } from './args.ts';
import { countBySeverity, printDiagnostics, type Format } from './output.ts';

export const EXIT = { ok: 0, findings: 1, usage: 2 } as const;

const COMMON: FlagSpec = { spec: 'string', format: 'string', help: 'boolean' };

const HELP: Record<string, string> = {
  main: `Usage: ioctl-abi <command> [options]

Commands:
  validate   check the spec: YAML, schema, names, references, numbers (every listed version)
  lint       run the ABI lint rules (docs/rules.md) at every listed version
  gen        generate headers and bindings into generated/
  dump       print the resolved model as JSON

Common options:
  --spec DIR        spec folder or file (default: spec)
  --format FORMAT   text (default) or json, for diagnostics
  --help            help for a command

Exit codes: 0 ok, 1 findings (lint) or drift (gen --check), 2 usage or spec errors.
Colour only on a terminal; NO_COLOR turns it off.`,
  validate: `Usage: ioctl-abi validate [--spec DIR] [--format text|json]

Loads every spec file, checks it against spec/schema/ioctl-abi.schema.json and resolves every
name, type and number at each version listed in project.yaml. Prints every error at once as
file:line:col, rule id, message and hint. Exit 0 when clean, 2 on spec errors.`,
  lint: `Usage: ioctl-abi lint [--spec DIR] [--at VERSION] [--format text|json]

Runs the lint rules of docs/rules.md at every listed version (or only VERSION). Findings the
spec suppresses (suppressions: with a reason) are counted, not shown. Exit 1 on any warning or
error finding, 2 on spec errors.`,
  gen: `Usage: ioctl-abi gen [--spec DIR] [--at VERSION] [--out DIR] [--check]

Generates every output for VERSION (default: the newest in project.yaml) into DIR (default:
generated). All files are staged and moved into place together; if any generator fails,
nothing is written. --check writes nothing: it prints a unified diff of every stale file and
exits 1 when generated/ is out of date.`,
  dump: `Usage: ioctl-abi dump --json [--spec DIR] [--at VERSION] [--arch ABI]

Prints the resolved model at VERSION (default: newest) as stable, sorted JSON: constants, sets,
types with layouts per ABI, requests with numbers per ABI, fds, devices, channels.
--arch limits layouts and numbers to one ABI (${ABI_NAMES.join(', ')}).`,
};

function formatOf(flags: Record<string, string | boolean>): Format {
  const f = flags.format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not ${String(f)}`);
  return f;
}

function load(flags: Record<string, string | boolean>, format: Format): Pipeline | undefined {
  const dir = resolve(String(flags.spec ?? 'spec'));
  let p: Pipeline;
  try {
    p = runPipelineOn(dir);
  } catch (e) {
    if (e instanceof SpecError) {
      printDiagnostics(e.diagnostics, format, countBySeverity(e.diagnostics));
      return undefined;
    }
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new UsageError(`spec not found: ${dir}`);
    throw e;
  }
  const errors = p.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) {
    printDiagnostics(p.diagnostics, format, `spec invalid: ${countBySeverity(p.diagnostics)}`);
    return undefined;
  }
  return p;
}

function versionOf(p: Pipeline, flags: Record<string, string | boolean>): string {
  const at = flags.at === undefined ? newestVersion(p.model) : String(flags.at);
  if (!/^\d+\.\d+$/.test(at)) throw new UsageError(`--at takes a kernel version like 6.12, not '${at}'`);
  return at;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP.main}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command '${command}' (try --help)`);
  const extra: Record<string, FlagSpec> = {
    validate: {},
    lint: { at: 'string' },
    gen: { at: 'string', out: 'string', check: 'boolean' },
    dump: { json: 'boolean', at: 'string', arch: 'string' },
  };
  const { flags, positionals } = parseArgs(rest, { ...COMMON, ...extra[command] });
  if (flags.help) {
    process.stdout.write(`${HELP[command]}\n`);
    return EXIT.ok;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`);
  const format = formatOf(flags);
  const p = load(flags, format);
  if (!p) return EXIT.usage;

  switch (command) {
    case 'validate':
      printDiagnostics(p.diagnostics, format, `spec ok: ${p.model.families.length} families, versions ${p.model.versions.join(', ')}`);
      return EXIT.ok;
    case 'lint': {
      const versions = flags.at === undefined ? p.model.versions : [versionOf(p, flags)];
      const r = lint(p, versions);
      const all: Diagnostic[] = [...r.findings, ...r.unused];
      printDiagnostics(all, format, `lint: ${countBySeverity(all)}, ${r.suppressed} suppressed`);
      return all.some((d) => d.severity !== 'info') ? EXIT.findings : EXIT.ok;
    }
    case 'dump': {
      if (!flags.json) throw new UsageError('dump needs --json (the only output format)');
      const abis = flags.arch === undefined ? ABIS : [findAbi(String(flags.arch)) ?? (() => { throw new UsageError(`unknown --arch '${String(flags.arch)}' (one of: ${ABI_NAMES.join(', ')})`); })()];
      process.stdout.write(stableJson(dumpModel(p.versions.at(versionOf(p, flags)), abis)));
      return EXIT.ok;
    }
    case 'gen': {
      const { generate } = await import('./gen.ts');
      return generate(p, {
        version: versionOf(p, flags),
        out: resolve(String(flags.out ?? 'generated')),
        specDir: String(flags.spec ?? 'spec'),
        check: Boolean(flags.check),
      });
    }
  }
  return EXIT.usage;
}

export async function main(argv: string[]): Promise<number> {
  try {
    return await run(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`ioctl-abi: ${e.message}\n`);
      return EXIT.usage;
    }
    throw e;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await main(process.argv.slice(2));
}
