// Which spec the CLI reads when none is given (src/cli/spec-location.ts), and where the package
// finds its own files from src/ (the clone) — the built dist/ is covered by package.test.ts.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { packagedSpecNotice, resolveSpecTarget } from '../../src/cli/spec-location.ts';
import { SCHEMA_PATH } from '../../src/load/schema.ts';
import { packagePath, packageRoot } from '../../src/package-root.ts';

const ROOT = join(import.meta.dirname, '../..');
const work = mkdtempSync(join(tmpdir(), 'ioctl-abi-specloc-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('package root', () => {
  it('is the clone from src/', () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packagePath('spec', 'project.yaml')).toBe(join(ROOT, 'spec/project.yaml'));
    expect(SCHEMA_PATH).toBe(join(ROOT, 'spec/schema/ioctl-abi.schema.json'));
  });
});

describe('resolveSpecTarget', () => {
  it('a given spec is used as given, wherever it is', () => {
    expect(resolveSpecTarget('some/where', work)).toEqual({ path: 'some/where', packaged: false });
    expect(resolveSpecTarget('spec/vhost.yaml', work)).toEqual({ path: 'spec/vhost.yaml', packaged: false });
  });

  it('spec/ in the working directory comes first, relative when below the process cwd', () => {
    expect(resolveSpecTarget(undefined, process.cwd())).toEqual({ path: 'spec', packaged: false });
    const project = mkdtempSync(join(work, 'project-'));
    mkdirSync(join(project, 'spec'));
    expect(resolveSpecTarget(undefined, project)).toEqual({ path: join(project, 'spec'), packaged: false });
  });

  it('without spec/ (or with a file called spec) the packaged spec is used', () => {
    const empty = mkdtempSync(join(work, 'empty-'));
    expect(resolveSpecTarget(undefined, empty)).toEqual({ path: join(ROOT, 'spec'), packaged: true });
    writeFileSync(join(empty, 'spec'), 'not a folder');
    expect(resolveSpecTarget(undefined, empty)).toEqual({ path: join(ROOT, 'spec'), packaged: true });
  });

  it('says so in one stderr line', () => {
    expect(packagedSpecNotice('/x/node_modules/ioctl-abi/spec')).toBe('ioctl-abi: no spec/ here; using the packaged spec /x/node_modules/ioctl-abi/spec\n');
  });
});
