import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { pathProblem, resolvePlan, WriterError } from '../../src/writer/paths.ts';

describe('pathProblem', () => {
  it('accepts plain relative POSIX paths', () => {
    for (const p of ['uapi/linux/vhost.h', 'a', 'ts/x.d.ts', '.hidden/file', 'a/..b/c..', 'with space/x']) expect(pathProblem(p)).toBeNull();
  });
  it('rejects everything else, saying why', () => {
    const cases: [unknown, string][] = [
      ['', 'is empty'],
      ['/abs/x', 'is absolute'],
      ['a\\b', 'contains a backslash'],
      ['a//b', 'has an empty segment'],
      ['a/', 'has an empty segment'],
      ['..', "has a '..' segment"],
      ['a/../b', "has a '..' segment"],
      ['./a', "has a '.' segment"],
      ['a\0b', 'contains a NUL character'],
      [42, 'is not a string'],
    ];
    for (const [p, why] of cases) expect(pathProblem(p)).toBe(why);
  });
});

describe('resolvePlan', () => {
  it('groups files by owned subtree, sorted by code unit, with an absolute root', () => {
    const r = resolvePlan({
      root: 'relative/generated',
      owned: ['uapi', 'ts', 'kernel/gen'],
      files: [
        { path: 'uapi/b.h', content: 'b' },
        { path: 'uapi/B.h', content: 'B' },
        { path: 'ts/x.ts', content: 'x' },
        { path: 'uapi/a/z.h', content: 'z' },
      ],
    });
    expect(r.root).toBe(path.resolve('relative/generated'));
    expect(r.subtrees.map((s) => [s.name, s.files.map((f) => f.path)])).toEqual([
      ['kernel/gen', []],
      ['ts', ['ts/x.ts']],
      ['uapi', ['uapi/B.h', 'uapi/a/z.h', 'uapi/b.h']],
    ]);
  });

  it('throws WriterError naming every problem', () => {
    let err: unknown;
    try {
      resolvePlan({
        root: '/tmp/x',
        owned: ['uapi', 'uapi', 'uapi/sub', '.aside-1-x'],
        files: [{ path: 'uapi/a', content: '' }, { path: 'uapi/a', content: '' }, { path: 'other/a', content: '' }, { path: 'uapi/n', content: 5 as unknown as string }],
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WriterError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/^invalid write plan \(6 problems\):/);
    expect(msg).toContain('owned subtree "uapi" is listed twice');
    expect(msg).toContain('owned subtree "uapi/sub" is nested inside owned subtree "uapi"');
    expect(msg).toContain('".aside-1-x" uses a name reserved');
    expect(msg).toContain('file "uapi/a" appears more than once');
    expect(msg).toContain('file "other/a" is not inside any owned subtree');
    expect(msg).toContain('file "uapi/n" has non-string content');
    expect((err as Error).name).toBe('WriterError');
  });
});
