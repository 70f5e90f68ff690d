// No code is ever loaded from a cache folder, and the data cache lives only in a folder that is
// the user's own: created 0700, ignored when another user owns it or could write to it.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { validatorModule } from '../../scripts/build-schema.ts';
import { cacheDir, cacheRead, cacheWrite, contentHash } from '../../src/load/cache.ts';
import { SCHEMA_HASH as prebuiltHash } from '../../src/load/schema-validator.gen.js';
import { SCHEMA_PATH, validatorFor } from '../../src/load/schema.ts';
import { openSpec } from '../../src/model/index.ts';

const ROOT = join(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/ioctl-abi.mjs');
// A small self-contained spec nobody edits day to day (spec/ itself may be mid-edit).
const SPEC = join(ROOT, 'spec/history/vhost-mdev-v1');
const FOREIGN_UID = 4242;
const schemaText = readFileSync(SCHEMA_PATH, 'utf8');

let work: string;
const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, IOCTL_ABI_CACHE: process.env.IOCTL_ABI_CACHE };

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'ioctl-abi-cachesec-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** Points the cache at a fresh XDG_CACHE_HOME; returns the ioctl-abi root inside it. */
function freshCacheHome(): string {
  const xdg = mkdtempSync(join(work, 'xdg-'));
  delete process.env.IOCTL_ABI_CACHE;
  process.env.XDG_CACHE_HOME = xdg;
  return join(xdg, 'ioctl-abi');
}

function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

function filesBelow(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('prebuilt schema validator', () => {
  it('src/load/schema-validator.gen.js is the one the schema compiles to now (else: npm run build:schema)', () => {
    const committed = readFileSync(join(ROOT, 'src/load/schema-validator.gen.js'), 'utf8');
    // Compared as booleans: a diff of 220 KB of generated code would say nothing more.
    expect(committed.includes(`export const SCHEMA_HASH = ${JSON.stringify(contentHash(schemaText))};`), 'stale hash: run npm run build:schema').toBe(true);
    expect(committed === validatorModule(schemaText), 'stale code: run npm run build:schema').toBe(true);
  });

  it('is used while its hash matches; an edited schema is compiled in memory, with the same verdicts', () => {
    const fresh = prebuiltHash === contentHash(schemaText);
    const built = validatorFor(schemaText);
    const edited = validatorFor(`${schemaText}\n`);
    expect([built.prebuilt, edited.prebuilt]).toEqual([fresh, false]);
    const bad = { family: 'x', items: [{ request: 'X', bogus: 1 }] };
    const good = { project: 'x', versions: ['6.12'] };
    for (const doc of [bad, good]) {
      expect(edited.validate(doc)).toBe(built.validate(doc));
      expect(edited.validate.errors ?? null).toEqual(built.validate.errors ?? null);
    }
  });
});

describe('no code from cache folders', () => {
  const marker = (): string => join(work, 'planted-code-ran');
  const planted: string[] = [];
  // What the old loader required: schema-<hash>.cjs in node_modules/.cache/ioctl-abi or tmp.
  const oldName = `schema-${contentHash(schemaText)}.cjs`;

  function plant(dir: string, name: string): void {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileSync(file, `require('node:fs').writeFileSync(${JSON.stringify(marker())}, __filename);\nmodule.exports = () => true;\n`);
    planted.push(file);
  }

  afterEach(() => {
    for (const f of planted.splice(0)) rmSync(f, { force: true });
    rmSync(marker(), { force: true });
  });

  it('a planted validator in the old and new cache locations never runs (CLI and in-process)', () => {
    const cacheRoot = freshCacheHome();
    for (const dir of [join(ROOT, 'node_modules/.cache/ioctl-abi'), join(tmpdir(), 'ioctl-abi-cache'), cacheRoot, join(cacheRoot, 'parsed')]) {
      plant(dir, oldName);
      plant(dir, oldName.replace(/\.cjs$/, '.js'));
    }
    // Control: the planted file does run when something requires it.
    const control = spawnSync(process.execPath, ['-e', `require(${JSON.stringify(planted[0])})`]);
    expect(control.status).toBe(0);
    expect(existsSync(marker())).toBe(true);
    rmSync(marker());

    const r = spawnSync(process.execPath, [BIN, 'validate', SPEC], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XDG_CACHE_HOME: join(cacheRoot, '..') } });
    expect(r.stderr + r.stdout).toMatch(/spec ok/);
    expect(r.status).toBe(0);
    // Both paths of the schema check, in this process.
    expect(openSpec(SPEC).ok).toBe(true);
    expect(validatorFor(`${schemaText} `).validate({ project: 'x', versions: ['6.12'] })).toBe(true);
    expect(existsSync(marker())).toBe(false);
    // What the runs cached is JSON data only.
    const written = filesBelow(cacheRoot).filter((f) => !planted.includes(f));
    expect(written.length).toBeGreaterThan(0);
    for (const f of written) {
      expect(f).toMatch(/\.json$/);
      expect(() => JSON.parse(readFileSync(f, 'utf8'))).not.toThrow();
    }
  });

  it('entries that are not plain .json names are neither written nor read', () => {
    const root = freshCacheHome();
    for (const name of ['x.cjs', 'x.js', 'x.mjs', '../escape.json', 'sub/x.json', '.hidden.json']) {
      cacheWrite(name, '{}');
      expect(cacheRead(name)).toBeUndefined();
    }
    expect(filesBelow(root)).toEqual([]);
    expect(existsSync(join(root, '..', 'escape.json'))).toBe(false);
  });
});

describe('cache folder', () => {
  beforeEach(() => {
    freshCacheHome();
  });

  it('is created 0700 under $XDG_CACHE_HOME/ioctl-abi, entries 0600', () => {
    const root = join(process.env.XDG_CACHE_HOME as string, 'ioctl-abi');
    cacheWrite('yaml-test.json', '{"a":1}');
    expect(cacheDir()).toBe(join(root, 'parsed'));
    expect(mode(root)).toBe(0o700);
    expect(mode(join(root, 'parsed'))).toBe(0o700);
    expect(mode(join(root, 'parsed', 'yaml-test.json'))).toBe(0o600);
    expect(cacheRead('yaml-test.json')).toBe('{"a":1}');
  });

  it('defaults to ~/.cache/ioctl-abi; a relative XDG_CACHE_HOME is ignored, as XDG says', () => {
    const home = mkdtempSync(join(work, 'home-'));
    const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', `import('${join(ROOT, 'src/load/cache.ts')}').then((m) => console.log(m.cacheDir()))`], {
      cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home, XDG_CACHE_HOME: 'relative/dir' },
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe(join(home, '.cache/ioctl-abi/parsed'));
    expect(mode(join(home, '.cache/ioctl-abi'))).toBe(0o700);
  });

  const cases: Array<[string, (root: string) => void]> = [
    ['the root is owned by another uid', (root) => chownSync(root, FOREIGN_UID, FOREIGN_UID)],
    ['parsed/ is owned by another uid', (root) => chownSync(join(root, 'parsed'), FOREIGN_UID, FOREIGN_UID)],
    ['the root is group-writable', (root) => chmodSync(root, 0o770)],
    ['parsed/ is world-writable', (root) => chmodSync(join(root, 'parsed'), 0o777)],
  ];
  for (const [what, spoil] of cases) {
    it(`is not used when ${what}; the spec still loads`, () => {
      const root = join(process.env.XDG_CACHE_HOME as string, 'ioctl-abi');
      mkdirSync(join(root, 'parsed'), { recursive: true, mode: 0o700 });
      // An entry someone else could have put there: it must not be read.
      writeFileSync(join(root, 'parsed', 'yaml-planted.json'), '{"planted":true}');
      spoil(root);
      expect(cacheDir()).toBeUndefined();
      expect(cacheRead('yaml-planted.json')).toBeUndefined();
      cacheWrite('yaml-new.json', '{}');
      expect(readdirSync(join(root, 'parsed'))).toEqual(['yaml-planted.json']);
      expect(openSpec(SPEC).ok).toBe(true);
      expect(readdirSync(join(root, 'parsed'))).toEqual(['yaml-planted.json']);
    });
  }
});
