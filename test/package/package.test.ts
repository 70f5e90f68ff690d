// The package as users get it: one `npm pack` per run (its prepack runs the build), checked by
// publint and attw, installed from the tarball into an empty folder and run there without tsx.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ABIS, openSpec } from '../../src/model/index.ts';

const ROOT = join(import.meta.dirname, '../..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const PACKAGED_NOTICE = /^ioctl-abi: no spec\/ here; using the packaged spec (.+)$/m;

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: Array<{ path: string }>;
}

let work: string;
let tarball: string;
let packed: PackResult;
let consumer: string;
let installed: string;
/** A cache folder of the test's own, so runs of the installed CLI leave nothing in ~/.cache. */
let cacheHome: string;

function run(cmd: string, args: string[], cwd: string, env: Record<string, string> = {}): SpawnSyncReturns<string> {
  return spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, maxBuffer: 256 * 2 ** 20, env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: cacheHome, ...env } });
}

function ok(r: SpawnSyncReturns<string>, what: string): SpawnSyncReturns<string> {
  if (r.status !== 0) throw new Error(`${what} exited ${r.status}${r.error ? ` (${r.error.message})` : ''}\n${r.stdout}\n${r.stderr}`);
  return r;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => !e.isDirectory()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ioctl-abi-package-'));
  cacheHome = join(work, 'xdg');
  // --json on stdout; the prepack build reports on stderr.
  const pack = ok(run(NPM, ['pack', '--json', '--pack-destination', work], ROOT), 'npm pack');
  packed = (JSON.parse(pack.stdout) as PackResult[])[0] as PackResult;
  tarball = join(work, packed.filename);
  consumer = join(work, 'consumer');
  mkdirSync(consumer);
  writeFileSync(join(consumer, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2)}\n`);
  // Runtime dependencies come from npm's own download cache when it has them.
  ok(run(NPM, ['install', tarball, '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error'], consumer), 'npm install <tarball>');
  consumer = realpathSync(consumer);
  installed = join(consumer, 'node_modules/ioctl-abi');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  it('holds dist, bin, spec and README only: no sources, tests, fixtures or cache files', () => {
    const paths = packed.files.map((f) => f.path).sort();
    for (const p of paths) {
      expect(p).toMatch(/^(dist\/|bin\/|spec\/|README\.md$|package\.json$)/);
      expect(p).not.toMatch(/(^|\/)(test|tests|fixtures|node_modules|\.cache)\//);
      expect(p).not.toMatch(/\.test\.|\.tsbuildinfo$|^spec\/.*\.cjs$|(^|\/)(schema-[0-9a-f]+\.c?js|yaml-[0-9a-f]+\.json)$/);
      if (p.endsWith('.ts')) expect(p).toMatch(/\.d\.ts$/);
    }
    for (const needed of [
      'bin/ioctl-abi.mjs',
      'dist/src/cli/main.js',
      'dist/src/model/index.js',
      'dist/src/model/index.d.ts',
      'dist/src/load/schema-validator.gen.js',
      'dist/generators/uapi/header.hbs',
      'dist/generated/ts/api/vhost.js',
      'dist/generated/ts/api/vhost.d.ts',
      'dist/generated/ts/api/vduse.js',
      'dist/generated/ts/api/vfio.js',
      'spec/project.yaml',
      'spec/schema/ioctl-abi.schema.json',
    ]) {
      expect(paths).toContain(needed);
    }
    console.log(`ioctl-abi tarball: ${packed.entryCount} files, ${(packed.size / 1024).toFixed(0)} KiB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KiB unpacked`);
  });

  it('is publint clean (suggestions included, warnings as errors)', async () => {
    const data = readFileSync(tarball);
    const { messages, pkg } = await publint({ pack: { tarball: data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer }, strict: true });
    expect(messages.map((m) => `${m.type} ${m.code}: ${formatMessage(m, pkg, { color: false }) ?? ''}`)).toEqual([]);
  });

  // ESM-only package ("type": "module", no "require" condition): the esm-only profile checks the
  // resolutions that apply to it, node16 from ESM and bundler; node10 and node16-from-CJS cannot
  // load an ES module by design and are not checked.
  it('has types that resolve: attw --profile esm-only, node16 (from ESM) and bundler', () => {
    const r = run(process.execPath, [join(ROOT, 'node_modules/@arethetypeswrong/cli/dist/index.js'), tarball, '--profile', 'esm-only', '--format', 'json'], ROOT);
    expect(r.stderr).toBe('');
    const { analysis } = JSON.parse(r.stdout) as { analysis: { entrypoints: Record<string, { resolutions: Record<string, { visibleProblems?: number[]; resolution?: { fileName: string } }> }> } };
    for (const entry of ['.', './package.json', './runtime', './vhost', './vduse', './vfio', './vhost-user']) {
      for (const kind of ['node16-esm', 'bundler']) {
        const res = analysis.entrypoints[entry]?.resolutions[kind];
        expect(res?.resolution?.fileName, `${entry} ${kind}`).toBeTruthy();
        expect(res?.visibleProblems ?? [], `${entry} ${kind}`).toEqual([]);
      }
    }
    expect(analysis.entrypoints['.']?.resolutions['node16-esm']?.resolution?.fileName).toBe('/node_modules/ioctl-abi/dist/src/model/index.d.ts');
    expect(r.status).toBe(0);
  });
});

describe('installed from the tarball', () => {
  it('has no tsx and no test files in its tree', () => {
    expect(existsSync(join(consumer, 'node_modules/tsx'))).toBe(false);
    expect(existsSync(join(consumer, 'node_modules/.bin/tsx'))).toBe(false);
    const files = filesBelow(installed);
    expect(files.filter((f) => /(^|\/)test\/|\.test\.|fixtures\//.test(f))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(statSync(join(consumer, 'node_modules/.bin/ioctl-abi')).mode & 0o111).not.toBe(0);
  });

  it('npx ioctl-abi dump --json --at 7.2 in an empty folder: the packaged spec, said on stderr', () => {
    const r = run('npx', ['--no', 'ioctl-abi', 'dump', '--json', '--at', '7.2'], consumer);
    expect(r.stderr).toMatch(PACKAGED_NOTICE);
    expect(r.stderr.match(PACKAGED_NOTICE)?.[1]).toBe(join(installed, 'spec'));
    expect(r.status).toBe(0);
    const dump = JSON.parse(r.stdout) as { format?: string; version?: string; abis?: unknown[]; requests?: unknown };
    expect(dump.format).toMatch(/^ioctl-abi-/);
    expect(dump.version).toBe('7.2');
    expect(dump.abis).toHaveLength(ABIS.length);
    expect(Object.keys(dump.requests ?? {}).length).toBeGreaterThan(50);
  });

  it('npx ioctl-abi validate in an empty folder', () => {
    const r = run('npx', ['--no', 'ioctl-abi', 'validate'], consumer);
    expect(r.stderr).toMatch(PACKAGED_NOTICE);
    expect(`${r.stdout}${r.stderr}`).toMatch(/spec ok: \d+ families/);
    expect(r.status).toBe(0);
    // What it cached is JSON data, in a 0700 folder of the user's own.
    const cached = filesBelow(join(cacheHome, 'ioctl-abi'));
    expect(cached.length).toBeGreaterThan(0);
    expect(cached.filter((f) => !/^parsed\/yaml-[0-9a-f]+\.json$/.test(f))).toEqual([]);
    expect(statSync(join(cacheHome, 'ioctl-abi')).mode & 0o777).toBe(0o700);
  });

  it('a plain .mjs file imports the model from "ioctl-abi" and prints request numbers per ABI', () => {
    writeFileSync(join(consumer, 'numbers.mjs'), `import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ABIS, openSpec } from 'ioctl-abi';

const spec = join(dirname(fileURLToPath(import.meta.resolve('ioctl-abi/package.json'))), 'spec');
const opened = openSpec(spec);
if (!opened.ok) throw new Error(opened.diagnostics.map((d) => d.message).join('; '));
const view = opened.spec.at(opened.spec.newest);
for (const name of ['VHOST_SET_OWNER', 'VHOST_GET_VRING_BASE']) {
  const request = view.request(name);
  for (const abi of ABIS) console.log(name, abi.name, '0x' + view.number(request, abi).toString(16));
}
`);
    const r = ok(run(process.execPath, ['numbers.mjs'], consumer), 'node numbers.mjs');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(2 * ABIS.length);
    // Known kernel values, and the model's numbers from this clone for every ABI.
    expect(lines).toContain('VHOST_SET_OWNER x86_64 0xaf01');
    expect(lines).toContain('VHOST_SET_OWNER powerpc 0x2000af01');
    expect(lines).toContain('VHOST_GET_VRING_BASE x86_64 0xc008af12');
    const opened = openSpec(join(installed, 'spec'));
    if (!opened.ok) throw new Error('the packaged spec does not open');
    const view = opened.spec.at(opened.spec.newest);
    const expected = ['VHOST_SET_OWNER', 'VHOST_GET_VRING_BASE'].flatMap((name) => ABIS.map((abi) => `${name} ${abi.name} 0x${view.number(view.request(name)!, abi).toString(16)}`));
    expect(lines).toEqual(expected);
  });

  it('"ioctl-abi/runtime" and "ioctl-abi/runtime/node": a real ioctl through koffi, refused with a named errno', () => {
    writeFileSync(join(consumer, 'runtime.mjs'), `import { openSync, writeFileSync } from 'node:fs';
import { ioctlError } from 'ioctl-abi/runtime';
import { koffiTransport } from 'ioctl-abi/runtime/node';

writeFileSync('plain.txt', 'x');
const fd = openSync('plain.txt', 'r');
const t = koffiTransport();
const r = t.ioctl(fd, 0x8008af00, new Uint8Array(8)); // VHOST_GET_FEATURES on a regular file
console.log(ioctlError(t, { fd: 99, fdKind: 'vhost-vdpa', request: 'VHOST_GET_FEATURES', number: 0x8008af00, arg: null }, r).message);
`);
    const r = ok(run(process.execPath, ['runtime.mjs'], consumer), 'node runtime.mjs');
    expect(r.stdout).toBe('VHOST_GET_FEATURES (0x8008af00) on vhost-vdpa fd 99: ENOTTY\n');
  });

  it('"ioctl-abi/vduse" with "ioctl-abi/runtime": a typed client sends its request through a transport', () => {
    writeFileSync(join(consumer, 'bindings.mjs'), `import { VduseControlFd, VDUSE_REQUEST_NUMBERS, vduseDevConfigCodec } from 'ioctl-abi/vduse';
import { VhostVdpaNetDevice, describeVirtioNetFeatures } from 'ioctl-abi/vhost';
import { VfioDeviceFd } from 'ioctl-abi/vfio';
import { RecordingTransport } from 'ioctl-abi/runtime';

const t = new RecordingTransport();
const control = new VduseControlFd(t, 5, 'x86_64');
control.destroyDev('blk0');
const config = { name: 'blk0', vendorId: 0, deviceId: 2, features: 1n << 32n, vqNum: 1, vqAlign: 4096, ngroups: 0, nas: 0, configSize: 0, config: new Uint8Array(0) };
control.createDev(config);
console.log(t.calls.map((c) => c.request.toString(16) + ':' + c.arg.length).join(' '));
console.log(VDUSE_REQUEST_NUMBERS.x86_64.VDUSE_CREATE_DEV === t.calls[1].request, vduseDevConfigCodec.s390x.size);
console.log(typeof new VhostVdpaNetDevice(t, 6, 'ppc64').vdpaGetVringNum, typeof new VfioDeviceFd(t, 7, 'x86_64').deviceReset);
console.log(describeVirtioNetFeatures(1n << 5n).join(','));
`);
    const r = ok(run(process.execPath, ['bindings.mjs'], consumer), 'node bindings.mjs');
    // _IOW(0x81, 3, char[256]) and _IOW(0x81, 2, struct vduse_dev_config): gcc's sizeof is 336 on x86_64 and s390x (7.3 headers).
    expect(r.stdout).toBe('41008103:256 41508102:336\ntrue 336\nfunction function\nVIRTIO_NET_F_MAC\n');
  });

  it('the bindings\' declarations type-check under strict, exactOptionalPropertyTypes and erasableSyntaxOnly, without @types/node', () => {
    writeFileSync(join(consumer, 'bindings.mts'), `import { VhostVdpaNetDevice, type VhostVringAddr } from 'ioctl-abi/vhost';
import { VduseDeviceFd, type VduseDevRequest } from 'ioctl-abi/vduse';
import { VfioDeviceFd } from 'ioctl-abi/vfio';
import type { Transport } from 'ioctl-abi/runtime';
declare const t: Transport;
const addr: VhostVringAddr = { index: 0, flags: 0n, descUserAddr: 0n, usedUserAddr: 0n, availUserAddr: 0n, logGuestAddr: 0n };
const n: number = new VhostVdpaNetDevice(t, 3, 'x86_64').setVringAddr(addr);
const req: VduseDevRequest = new VduseDeviceFd(t, 4, 'x86_64').readVduseDevRequest();
const info = new VfioDeviceFd(t, 5, 'x86_64').deviceReset();
export { n, req, info };
`);
    const compilerOptions = { noEmit: true, strict: true, exactOptionalPropertyTypes: true, erasableSyntaxOnly: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [] };
    writeFileSync(join(consumer, 'tsconfig.bindings.json'), JSON.stringify({ compilerOptions, files: ['bindings.mts'] }));
    const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.bindings.json'], consumer);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('its declarations type-check in a strict NodeNext consumer, without @types/node', () => {
    writeFileSync(join(consumer, 'check.mts'), `import { ABIS, findAbi, openSpec, type AbiView, type Spec } from 'ioctl-abi';
const r = openSpec('spec');
const spec: Spec | undefined = r.ok ? r.spec : undefined;
const view: AbiView | undefined = spec?.at(spec.newest);
const n: number | undefined = view && view.number(view.request('VHOST_SET_OWNER')!, findAbi('x86_64') ?? ABIS[0]!);
export { n };
`);
    // skipLibCheck stays off: the package's .d.ts files are checked too.
    const compilerOptions = { noEmit: true, strict: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', types: [] };
    writeFileSync(join(consumer, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['check.mts'] }));
    const r = run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', '.'], consumer);
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });
});
