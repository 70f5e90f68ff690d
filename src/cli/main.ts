// ioctl-abi: validate, lint, gen and dump over one spec folder.
// Exit codes: 0 ok, 1 findings or drift, 2 usage or spec errors.
import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Diagnostic } from '../diagnostics.ts';
import { ABIS, ABI_NAMES, findAbi, openSpec, snapshot, snapshotJson, type KnownVersion, type Spec } from '../model/index.ts';
import { parseArgs, UsageError, type FlagSpec } from './args.ts';
import { packagedSpecNotice, resolveSpecTarget } from './spec-location.ts';
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
  explain    say what a raw request number (strace, an oops) or a name is, on every ABI and version
  diff       compare the ABI of two specs, git refs or versions (docs/compat-rules.md)
  transports per operation: which of vhost, VDUSE and vhost-user have it, with which payload

Common options:
  [SPEC]            spec folder or file, as the last argument or with --spec (default: spec)
  --spec DIR        the same, as an option
  --format FORMAT   text (default) or json, for diagnostics
  --help            help for a command

Exit codes: 0 ok, 1 findings (lint) or drift (gen --check), 2 usage or spec errors.
Colour only on a terminal; NO_COLOR turns it off.`,
  validate: `Usage: ioctl-abi validate [SPEC] [--format text|json]

Loads every spec file, checks it against spec/schema/ioctl-abi.schema.json and resolves every
name, type and number at each version listed in project.yaml. Prints every error at once as
file:line:col, rule id, message and hint. Exit 0 when clean, 2 on spec errors.`,
  lint: `Usage: ioctl-abi lint [SPEC] [--at VERSION] [--format text|json]

Runs the lint rules of docs/rules.md at every listed version (or only VERSION). Findings the
spec suppresses (suppressions: with a reason) are counted, not shown. Exit 1 on any warning or
error finding, 2 on spec errors. Given one file of a spec folder, the folder is read (imports
live there) and only that file's findings are shown.`,
  gen: `Usage: ioctl-abi gen [SPEC] [--at VERSION] [--out DIR] [--check]

Generates every output for VERSION (default: the newest in project.yaml) into DIR (default:
generated). All files are staged and moved into place together; if any generator fails,
nothing is written. Lint findings of severity error at VERSION (a request-number collision,
say) stop gen unless the spec suppresses them with a reason. --check writes nothing: it prints
a unified diff of every stale file and exits 1 when generated/ is out of date.`,
  explain: `Usage: ioctl-abi explain <VALUE|NAME> [--arch ABI] [--at VERSION|PROPOSAL] [--spec DIR] [--format text|json]

VALUE is a request number as strace or a kernel log prints it: hex (0x4008af70), decimal
(1074311024), a negative int or a sign-extended 64-bit value. explain names every request with
that number on each ABI and version of the spec and of the proposals in <spec>/history/ (the
2019 vhost-mdev postings), requests that share it on different fd kinds included, with its
_IOC fields (dir, type, nr, size) in the generic, powerpc/mips/sparc/alpha and parisc encodings
and the argument's layout. A number nothing has gets its _IOC fields and the known requests of
the same type, nearest nr first. NAME is a request, a struct or union, or a constant.
--arch limits the answer to one ABI, --at to one kernel version or proposal (vhost-mdev-v2).
Exit 0 when something matched, 1 when nothing did, 2 on usage or spec errors.`,
  transports: `Usage: ioctl-abi transports [SPEC] [--at VERSION] [--format text|json]

The cross-transport report at VERSION (default: the newest): every operation the vhost ioctls,
the VDUSE requests and the vhost-user messages share (linked by a message's operation:), and
those only one transport has; for each transport the request or message, its payload type, who
sends it and since which kernel version or vhost-user protocol feature; where the payload
layouts differ on some ABI, the shapes and the declared reason (lint transport-payload-drift
reports a difference without one). --format json prints it as \`ioctl-abi-transports/1\`. Exit 0,
2 on usage or spec errors.`,
  dump: `Usage: ioctl-abi dump --json [SPEC] [--at VERSION] [--arch ABI]

Prints the AbiSnapshot of VERSION (default: newest; docs/snapshot.md): stable, sorted JSON of
constants, sets, types with layouts per ABI, requests with numbers per ABI, fds, devices,
channels, each with its since/until, doc and spec position.
--arch limits layouts and numbers to one ABI (${ABI_NAMES.join(', ')}).`,
};

function formatOf(flags: Record<string, string | boolean>): Format {
  const f = flags.format ?? 'text';
  if (f !== 'text' && f !== 'json') throw new UsageError(`--format must be text or json, not ${String(f)}`);
  return f;
}

/** The spec target: the positional argument or --spec (not both), else spec/, else the packaged spec. */
function specTarget(flags: Record<string, string | boolean>, positionals: string[]): string {
  if (positionals.length > 1) throw new UsageError(`unexpected argument '${positionals[1]}' (one spec folder or file)`);
  const [given] = positionals;
  if (given !== undefined && flags.spec !== undefined && resolve(given) !== resolve(String(flags.spec))) {
    throw new UsageError(`two specs given: '${given}' and --spec '${String(flags.spec)}'`);
  }
  // Nothing given and no spec/ here: the spec shipped in the package, said on stderr.
  const t = resolveSpecTarget(given ?? (flags.spec === undefined ? undefined : String(flags.spec)), process.cwd());
  if (t.packaged) process.stderr.write(packagedSpecNotice(t.path));
  return t.path;
}

function load(target: string, format: Format): Spec | undefined {
  const r = openSpec(target);
  if (!r.ok) {
    if (r.diagnostics.some((d) => d.rule === 'spec-not-found')) throw new UsageError(`spec not found: ${resolve(target)}`);
    printDiagnostics([...r.diagnostics], format, `spec invalid: ${countBySeverity([...r.diagnostics])}`);
    return undefined;
  }
  return r.spec;
}

/** --at as a version the spec knows (default: the newest listed). */
function versionOf(spec: Spec, flags: Record<string, string | boolean>): KnownVersion {
  if (flags.at === undefined) return spec.newest;
  const found = spec.version(String(flags.at));
  if (!found.ok) throw new UsageError(`--at: ${found.message}; ${found.hint}`);
  return found.version;
}

async function run(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${HELP.main}\n`);
    return command ? EXIT.ok : EXIT.usage;
  }
  // diff reads two specs (folders, git refs, versions): its own arguments and flow.
  if (command === 'diff') return (await import('./diff.ts')).runDiff(rest);
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command '${command}' (try --help)`);
  const extra: Record<string, FlagSpec> = {
    validate: {},
    lint: { at: 'string' },
    gen: { at: 'string', out: 'string', check: 'boolean' },
    dump: { json: 'boolean', at: 'string', arch: 'string' },
    explain: { at: 'string', arch: 'string' },
    transports: { at: 'string' },
  };
  const { flags, positionals } = parseArgs(rest, { ...COMMON, ...extra[command] });
  if (flags.help) {
    process.stdout.write(`${HELP[command]}\n`);
    return EXIT.ok;
  }
  // explain's positional is the value or name, not a spec: its own flow (src/cli/explain.ts).
  if (command === 'explain') return (await import('./explain.ts')).explain(flags, positionals);
  const format = formatOf(flags);
  const target = specTarget(flags, positionals);
  if (command === 'dump' && !flags.json) throw new UsageError('dump needs --json (the only output format)');
  const abis = flags.arch === undefined ? ABIS : [findAbi(String(flags.arch)) ?? unknownArch(String(flags.arch))];
  const spec = load(target, format);
  if (!spec) return EXIT.usage;
  const version = flags.at === undefined ? undefined : versionOf(spec, flags);

  switch (command) {
    case 'validate':
      printDiagnostics([...spec.diagnostics], format, `spec ok: ${spec.model.families.length} families, versions ${spec.versions.join(', ')}`);
      return EXIT.ok;
    case 'lint': {
      const { lint } = await import('../lint/index.ts');
      const r = lint(spec, version ? [version] : spec.versions);
      const mine = (d: Diagnostic): boolean => spec.focus === undefined || d.file === spec.focus;
      const all: Diagnostic[] = [...r.findings, ...r.unused].filter(mine);
      printDiagnostics(all, format, `lint: ${countBySeverity(all)}, ${r.suppressed} suppressed`);
      return all.some((d) => d.severity !== 'info') ? EXIT.findings : EXIT.ok;
    }
    case 'transports': {
      const { transportsJson, transportsText } = await import('./transports.ts');
      const view = spec.at(version ?? spec.newest);
      process.stdout.write(format === 'json' ? transportsJson(view) : transportsText(view));
      return EXIT.ok;
    }
    case 'dump':
      process.stdout.write(snapshotJson(snapshot(spec.at(version ?? spec.newest), abis)));
      return EXIT.ok;
    case 'gen': {
      const at = version ?? spec.newest;
      const { blockingFindings } = await import('../lint/index.ts');
      const blocking = blockingFindings(spec, at);
      if (blocking.length) {
        printDiagnostics(blocking, format, `gen: ${countBySeverity(blocking)} at ${at}; nothing written (fix them, or suppress each with a reason)`);
        return EXIT.usage;
      }
      const specDir = statSync(target).isFile() ? dirname(target) : target;
      // The proposals of <specDir>/history/ (the docs' version matrix); a broken one is a spec error.
      const history = (await import('./history.ts')).openHistory(specDir);
      if (!history.ok) {
        printDiagnostics([...history.diagnostics], format, `spec invalid (history): ${countBySeverity([...history.diagnostics])}`);
        return EXIT.usage;
      }
      const { generate } = await import('./gen.ts');
      return generate(spec.at(at), {
        out: resolve(String(flags.out ?? 'generated')),
        outArg: String(flags.out ?? 'generated'),
        specDir,
        check: Boolean(flags.check),
        spec,
        history: history.history,
      });
    }
  }
  return EXIT.usage;
}

function unknownArch(name: string): never {
  throw new UsageError(`unknown --arch '${name}' (one of: ${ABI_NAMES.join(', ')})`);
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
