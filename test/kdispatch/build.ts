// Builds the generated vhost-vdpa-net dispatch in userspace: the emitter runs in-process on the
// spec (so the tests see what `gen` would write now), the files land in a cache folder named by
// the hash of everything compiled, and gcc or clang build the shim's programs there.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kdispatchEmitter, planProfile, profileNames } from '../../generators/kdispatch/index.ts';
import { renderFile } from '../../src/emit/index.ts';
import { findAbi, type AbiView, type Abi } from '../../src/model/index.ts';
import { cachePath } from '../support/cache.ts';
import { openOk, viewAt } from '../support/spec.ts';

export const ROOT = join(import.meta.dirname, '../..');
export const SHIM = join(import.meta.dirname, 'shim');
export const PROFILE = 'vhost-vdpa-net';
export const X86_64 = findAbi('x86_64') as Abi;
/** clang flags of the libFuzzer target: ASan + UBSan, and a MemorySanitizer build. */
export const FUZZ_ASAN = ['-O1', '-fsanitize=fuzzer,address,undefined', '-fno-sanitize-recover=all'];
export const FUZZ_MSAN = ['-O1', '-fsanitize=fuzzer,memory', '-fno-sanitize-recover=all'];

let specView: AbiView | undefined;
/** The spec at its newest version (what `gen` writes by default). */
export function newestView(): AbiView {
  if (!specView) {
    const spec = openOk(join(ROOT, 'spec'));
    specView = viewAt(spec, spec.newest);
  }
  return specView;
}

/** The accepted requests with their x86_64 numbers and argument sizes, for C tables. */
export function requestTable(view: AbiView): Array<{ name: string; number: number; size: number; pointer: boolean }> {
  const b = view.behaviour(view.devices.get(PROFILE)?.fd ?? '', PROFILE);
  if (!b) throw new Error(`no behaviour for ${PROFILE}`);
  return [...b.accepted].map((name) => {
    const r = view.request(name);
    if (!r) throw new Error(name);
    return { name, number: view.number(r, X86_64), size: view.argSize(r, X86_64), pointer: r.item.pass === 'pointer' };
  });
}

/** generated/kernel/<profile>.{c,h} as the emitter makes them now, plus a request table header. */
function sources(view: AbiView): Map<string, string> {
  const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}` };
  const files = new Map<string, string>();
  for (const f of kdispatchEmitter.emit(view, options)) files.set(f.path.replace(/^kernel\//, ''), renderFile(f, options));
  const rows = requestTable(view).map((r) => `\t{ 0x${r.number.toString(16)}u, ${r.size}, ${r.pointer ? 1 : 0} }, /* ${r.name} */`);
  const plan = planProfile(view, PROFILE);
  const facts = profileNames(plan).facts;
  files.set('profile.h', [
    '/* The profile from the model: its requests (x86_64 number, argument size, by pointer) and facts. */',
    'struct shim_request { unsigned int cmd; unsigned int size; int pointer; };',
    'static const struct shim_request shim_requests[] = {', ...rows, '};',
    'struct shim_fact { const char *name; size_t offset; size_t size; };',
    'static const struct shim_fact shim_facts[] = {',
    ...plan.facts.map((f) => `\t{ "${f.name}", offsetof(struct ${facts}, ${f.name}), sizeof(((struct ${facts} *)0)->${f.name}) },`),
    '};', '',
  ].join('\n'));
  return files;
}

function shimFiles(): string[] {
  const walk = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  return walk(SHIM).sort();
}

export interface Built {
  dir: string;
  exe: string;
}

/**
 * Compiles `main` (a file of test/kdispatch/shim or bench/kdispatch) with the generated dispatch,
 * the fake device and the shim. Cached by the hash of every input and the command line.
 */
export function buildShim(opts: { cc: 'gcc' | 'clang'; main: string; extra?: readonly string[]; flags?: readonly string[]; name: string; view?: AbiView; dispatch?: boolean }): Built {
  const view = opts.view ?? newestView();
  const gen = sources(view);
  const flags = opts.flags ?? ['-O2'];
  const dispatch = opts.dispatch ?? true;
  const inputs = [opts.main, ...(opts.extra ?? []), join(SHIM, 'fake_vdpa_net.c'), join(SHIM, 'shim.c')];
  const hash = createHash('sha256');
  for (const f of [...shimFiles(), ...inputs]) hash.update(f).update(readFileSync(f));
  for (const [k, v] of gen) hash.update(k).update(v);
  const uapi = join(ROOT, 'generated/uapi/linux');
  for (const f of readdirSync(uapi).sort()) hash.update(readFileSync(join(uapi, f)));
  hash.update(JSON.stringify([opts.cc, flags, dispatch]));
  const dir = cachePath('kdispatch', hash.digest('hex').slice(0, 16));
  const exe = join(dir, opts.name);
  if (existsSync(exe)) return { dir, exe };
  for (const [k, v] of gen) writeFileSync(join(dir, k), v);
  const tmp = `${exe}.${process.pid}`;
  const args = [
    '-std=gnu11', '-g', '-Wall', '-Wextra', '-Werror', '-DCONFIG_COMPAT', ...flags,
    '-I', join(SHIM, 'include'), '-I', join(ROOT, 'generated/uapi'), '-I', dir, '-I', SHIM,
    '-o', tmp, ...inputs, ...(dispatch ? [join(dir, `${PROFILE}.c`)] : []),
  ];
  execFileSync(opts.cc, args, { stdio: 'pipe', timeout: 300_000 });
  renameSync(tmp, exe);
  return { dir, exe };
}

/** Runs a runner script; the output lines, one per call. */
export function runScript(exe: string, script: readonly string[]): string[] {
  const out = execFileSync(exe, [], { input: `${script.join('\n')}\n`, maxBuffer: 256 << 20, timeout: 120_000 }).toString();
  return out.split('\n').filter((l) => l !== '');
}

/** One output line of the runner, parsed. */
export interface CallResult {
  ret: string;
  handler: string;
  owner: boolean;
  status: number;
  nospec: number;
  refs: number;
  held: number;
  faults: number;
  out: Uint8Array;
  seen: Uint8Array;
}

const bytesOf = (hex: string): Uint8Array => (hex === '-' ? new Uint8Array() : Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));

export function parseResult(line: string): CallResult {
  const f = Object.fromEntries(line.split(' ').map((kv) => kv.split('=') as [string, string]));
  return {
    ret: f.ret ?? '?',
    handler: f.handler ?? '?',
    owner: f.owner === '1',
    status: Number(f.status),
    nospec: Number(f.nospec),
    refs: Number(f.refs),
    held: Number(f.held),
    faults: Number(f.faults),
    out: bytesOf(f.out ?? '-'),
    seen: bytesOf(f.seen ?? '-'),
  };
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** The runner, built once per process with each compiler. */
const runners = new Map<string, string>();
export function runner(cc: 'gcc' | 'clang' = 'gcc'): string {
  let exe = runners.get(cc);
  if (!exe) {
    exe = buildShim({ cc, main: join(SHIM, 'runner.c'), name: `runner-${cc}` }).exe;
    runners.set(cc, exe);
  }
  return exe;
}

