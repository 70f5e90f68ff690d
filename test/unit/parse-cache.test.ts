// The parse cache must be invisible: a spec read from the cache gives the same diagnostics,
// positions and model as one parsed from its YAML.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, snapshot, snapshotJson } from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';

describe('parse cache', () => {
  it('a second load (from the cache) equals the first, positions included', () => {
    // A cache of this test's own (XDG_CACHE_HOME), so that the entries it reads are the ones it wrote.
    const saved = { XDG_CACHE_HOME: process.env.XDG_CACHE_HOME, IOCTL_ABI_CACHE: process.env.IOCTL_ABI_CACHE };
    const cacheHome = mkdtempSync(join(tmpdir(), 'ioctl-abi-xdg-'));
    delete process.env.IOCTL_ABI_CACHE;
    process.env.XDG_CACHE_HOME = cacheHome;
    try {
      sameFromCache(join(cacheHome, 'ioctl-abi', 'parsed'));
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      rmSync(cacheHome, { recursive: true, force: true });
    }
  });
});

function sameFromCache(entries: string): void {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-cache-'));
  cpSync(join(import.meta.dirname, '../../spec'), dir, { recursive: true });
  const broken = join(dir, 'zz-broken.yaml');
  writeFileSync(broken, readFileSync(join(import.meta.dirname, '../fixtures/broken/unknown-key.yaml'), 'utf8').replace('family: broken', `family: broken-${process.pid}`));
  const first = diagnosticsOf(dir);
  const cached = readdirSync(entries);
  // One entry per file that parsed and passed the schema (the broken one is parsed again each
  // time: the cache only holds valid files, so a hit may skip validation).
  expect(cached.length).toBe(readdirSync(dir).filter((f) => f.endsWith('.yaml')).length - 1);
  const second = diagnosticsOf(dir);
  expect(readdirSync(entries)).toEqual(cached);
  expect(second).toEqual(first);
  expect(first.map((d) => [d.rule, d.line, d.col])).toEqual([['spec-unknown-key', 9, 5]]);
  rmSync(broken);
  const clean = openOk(dir);
  expect(snapshotJson(snapshot(viewAt(clean, '6.12'), ABIS))).toBe(snapshotJson(snapshot(viewAt(openOk(dir), '6.12'), ABIS)));
  rmSync(dir, { recursive: true, force: true });
}
