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

/** A generated dispatch the shim builds: a profile of a view, its fake device and the runner's defines. */
export interface Target {
  readonly view: AbiView;
  readonly profile: string;
  /** The fake device's source in the shim folder. */
  readonly fake: string;
  readonly defines: readonly string[];
}

const V2_PROFILE = 'vhost-mdev-v2';
let v2View: AbiView | undefined;
/** The 2019 vhost-mdev v2 proposal with the review's blacklist (spec/history/vhost-mdev-v2), as `gen` prints it. */
export function mdevV2Target(): Target {
  if (!v2View) {
    const spec = openOk(join(ROOT, 'spec/history/vhost-mdev-v2'));
    v2View = viewAt(spec, spec.newest);
  }
  return { view: v2View, profile: V2_PROFILE, fake: 'fake_vhost_mdev_v2.c', defines: ['-DRUNNER_MDEV_V2'] };
}

let argszView: AbiView | undefined;
/** The argsz fixture (test/kdispatch/fixtures/vfio-argsz): two VFIO getters with an executable dispatch. */
export function argszTarget(): Target {
  if (!argszView) {
    const spec = openOk(join(import.meta.dirname, 'fixtures/vfio-argsz'));
    argszView = viewAt(spec, spec.newest);
  }
  return { view: argszView, profile: 'vfio-argsz', fake: 'fake_vfio_argsz.c', defines: ['-DRUNNER_VFIO_ARGSZ'] };
}

const vdpaTarget = (view: AbiView): Target => ({ view, profile: PROFILE, fake: 'fake_vdpa_net.c', defines: [] });

/** The accepted requests with their x86_64 numbers and argument sizes, for C tables. */
export function requestTable(view: AbiView, profile = PROFILE): Array<{ name: string; number: number; size: number; pointer: boolean }> {
  const b = view.behaviour(view.devices.get(profile)?.fd ?? '', profile);
  if (!b) throw new Error(`no behaviour for ${profile}`);
  return [...b.accepted].map((name) => {
    const r = view.request(name);
    if (!r) throw new Error(name);
    return { name, number: view.number(r, X86_64), size: view.argSize(r, X86_64), pointer: r.item.pass === 'pointer' };
  });
}

/** generated/kernel/<profile>.{c,h} as the emitter makes them now, plus a request table header. */
function sources(t: Target): Map<string, string> {
  const { view, profile } = t;
  const options = { specDir: 'spec', command: `ioctl-abi gen --at ${view.version}` };
  const files = new Map<string, string>();
  for (const f of kdispatchEmitter.emit(view, options)) files.set(f.path.replace(/^kernel\//, ''), renderFile(f, options));
  const rows = requestTable(view, profile).map((r) => `\t{ 0x${r.number.toString(16)}u, ${r.size}, ${r.pointer ? 1 : 0} }, /* ${r.name} */`);
  const plan = planProfile(view, profile);
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
export function buildShim(opts: { cc: 'gcc' | 'clang'; main: string; extra?: readonly string[]; flags?: readonly string[]; name: string; view?: AbiView; dispatch?: boolean; target?: Target }): Built {
  const target = opts.target ?? vdpaTarget(opts.view ?? newestView());
  const gen = sources(target);
  const flags = [...(opts.flags ?? ['-O2']), ...target.defines];
  const dispatch = opts.dispatch ?? true;
  const inputs = [opts.main, ...(opts.extra ?? []), join(SHIM, target.fake), join(SHIM, 'shim.c')];
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
    '-o', tmp, ...inputs, ...(dispatch ? [join(dir, `${target.profile}.c`)] : []),
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

/** The runner, built once per process with each compiler (and target: vhost-vdpa-net by default). */
const runners = new Map<string, string>();
export function runner(cc: 'gcc' | 'clang' = 'gcc', target?: Target): string {
  const key = `${cc} ${target?.profile ?? PROFILE}`;
  let exe = runners.get(key);
  if (!exe) {
    exe = buildShim({ cc, main: join(SHIM, 'runner.c'), name: `runner-${cc}`, ...(target ? { target } : {}) }).exe;
    runners.set(key, exe);
  }
  return exe;
}

