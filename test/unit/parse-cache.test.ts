// The parse cache must be invisible: a spec read from the cache gives the same diagnostics,
// positions and model as one parsed from its YAML.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ABIS, snapshot, snapshotJson } from '../../src/model/index.ts';
import { openOk, viewAt, layoutOk, uapiFiles, diagnosticsOf } from '../support/spec.ts';

describe('parse cache', () => {
  it('a second load (from the cache) equals the first, positions included', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-cache-'));
    cpSync(join(import.meta.dirname, '../../spec'), dir, { recursive: true });
    // A fresh edit makes sure the first load parses (nothing cached for this text yet).
    const file = join(dir, 'vhost.yaml');
    writeFileSync(file, `${readFileSync(file, 'utf8')}# ${Date.now()} ${Math.random()}\n`);
    const broken = join(dir, 'zz-broken.yaml');
    writeFileSync(broken, readFileSync(join(import.meta.dirname, '../fixtures/broken/unknown-key.yaml'), 'utf8').replace('family: broken', `family: broken-${process.pid}`));
    const first = diagnosticsOf(dir);
    const second = diagnosticsOf(dir);
    expect(second).toEqual(first);
    expect(first.map((d) => [d.rule, d.line, d.col])).toEqual([['spec-unknown-key', 9, 5]]);
    rmSync(broken);
    const clean = openOk(dir);
    expect(snapshotJson(snapshot(viewAt(clean, '6.12'), ABIS))).toBe(snapshotJson(snapshot(viewAt(openOk(dir), '6.12'), ABIS)));
  });
});
