// The bindings' sources compile under the strictest settings a consumer may use:
// strict, exactOptionalPropertyTypes, erasableSyntaxOnly (they run with types stripped),
// noUncheckedIndexedAccess, and neither @types/node nor lib.dom.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { GENERATED } from './generated.ts';

it('generated/ts type-checks under strict, exactOptionalPropertyTypes and erasableSyntaxOnly, without Node or DOM types', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-ts-strict-'));
  try {
    const files = readdirSync(join(GENERATED, 'api')).map((f) => join(GENERATED, 'api', f));
    const compilerOptions = {
      noEmit: true, strict: true, exactOptionalPropertyTypes: true, erasableSyntaxOnly: true, noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true, allowImportingTsExtensions: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', lib: ['es2022'], types: [],
    };
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
    const r = spawnSync(process.execPath, [join(GENERATED, '../../node_modules/typescript/bin/tsc'), '-p', dir], { encoding: 'utf8', timeout: 300_000 });
    // Only the bindings' own files are judged here (the runtime's imports are checked by its own tests).
    const ours = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.startsWith('generated/ts/') || l.includes('/generated/ts/'));
    expect(ours).toEqual([]);
    expect(readdirSync(join(GENERATED, 'api')).sort()).toEqual(['vduse.ts', 'vfio.ts', 'vhost-user.ts', 'vhost.ts']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 300_000);
