import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkOutputs, writeOutputs, WriterError, type OutputFile, type WritePlan } from '../../src/writer/index.ts';
import { ageTree, hashTree, tempDir, tempLeftovers, treeListing } from './helpers.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function newRoot(tag: string): string {
  const parent = tempDir(tag);
  dirs.push(parent);
  return path.join(parent, 'generated');
}

const HEADER = ['/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */', '#ifndef _UAPI_LINUX_VHOST_H', '#define _UAPI_LINUX_VHOST_H', '', '#include <linux/ioctl.h>', '#define VHOST_VIRTIO 0xAF', '#define VHOST_GET_FEATURES _IOR(VHOST_VIRTIO, 0x00, __u64)', '#define VHOST_SET_FEATURES _IOW(VHOST_VIRTIO, 0x00, __u64)', '#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x01)', '#define VHOST_RESET_OWNER _IO(VHOST_VIRTIO, 0x02)', '', '#endif'];

function baseFiles(): OutputFile[] {
  return [
    { path: 'uapi/linux/vhost.h', content: HEADER.join('\n') + '\n' },
    { path: 'uapi/linux/vduse.h', content: '#define VDUSE 1\r\n#define CRLF_KEPT 2\r\n' },
    { path: 'uapi/README', content: 'no trailing newline' },
    { path: 'ts/index.ts', content: "export const VHOST_VIRTIO = 0xaf;\n// ünïcödé ✓\n" },
    { path: 'ts/empty.ts', content: '' },
  ];
}

function plan(root: string, files: OutputFile[] = baseFiles(), owned = ['uapi', 'ts']): WritePlan {
  return { root, owned, files };
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('writeOutputs / checkOutputs', () => {
  it('writes every file byte for byte; a check right after reports no drift', () => {
    const root = newRoot('roundtrip');
    const files = baseFiles();
    expect(checkOutputs(plan(root, files)).map((d) => [d.path, d.status])).toEqual(files.map((f) => [f.path, 'added']).sort((a, b) => ((a[0] as string) < (b[0] as string) ? -1 : 1)));
    expect(fs.existsSync(root)).toBe(false); // check never writes

    const r = writeOutputs(plan(root, files));
    expect(r).toEqual({ written: files.length, unchanged: 0, removed: 0, notes: [] });
    for (const f of files) expect(fs.readFileSync(path.join(root, f.path))).toEqual(Buffer.from(f.content, 'utf8'));
    expect(treeListing(root).filter((l) => l.startsWith('file')).map((l) => l.split(' ')[1]).sort()).toEqual(files.map((f) => f.path).sort());
    expect(checkOutputs(plan(root, files))).toEqual([]);
    expect(tempLeftovers(root)).toEqual([]);
  });

  it('a hand edit is reported as exactly that file, with a diff naming the edited line', () => {
    const root = newRoot('handedit');
    writeOutputs(plan(root));
    const target = path.join(root, 'uapi/linux/vhost.h');
    const edited = fs.readFileSync(target, 'utf8').replace('#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x01)', '#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x7f) /* hand edit */');
    fs.writeFileSync(target, edited);
    const before = hashTree(root);

    const drift = checkOutputs(plan(root));
    expect(drift).toHaveLength(1);
    const d = drift[0]!;
    expect(d.path).toBe('uapi/linux/vhost.h');
    expect(d.status).toBe('changed');
    expect(d.diff.startsWith('--- a/uapi/linux/vhost.h\n+++ b/uapi/linux/vhost.h\n@@ ')).toBe(true);
    // The on-disk text is the old side, the plan the new side.
    expect(d.diff).toContain('\n-#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x7f) /* hand edit */\n');
    expect(d.diff).toContain('\n+#define VHOST_SET_OWNER _IO(VHOST_VIRTIO, 0x01)\n');
    expect(d.diff.split('\n').filter((l) => /^[-+](?![-+]{2} )/.test(l))).toHaveLength(2);
    expect(hashTree(root)).toBe(before); // check never writes

    expect(writeOutputs(plan(root))).toEqual({ written: 1, unchanged: 4, removed: 0, notes: [] });
    expect(checkOutputs(plan(root))).toEqual([]);
  });

  it('reports files to add and entries to remove, with diffs', () => {
    const root = newRoot('addremove');
    writeOutputs(plan(root));
    fs.writeFileSync(path.join(root, 'ts/stale.ts'), 'export const OLD = 1;\n');
    fs.symlinkSync('index.ts', path.join(root, 'ts/link.ts'));
    const files = [...baseFiles(), { path: 'uapi/linux/vfio.h', content: '#define VFIO_TYPE 0x3b\n' }];
    const drift = checkOutputs(plan(root, files));
    expect(drift.map((d) => [d.path, d.status])).toEqual([
      ['ts/link.ts', 'removed'],
      ['ts/stale.ts', 'removed'],
      ['uapi/linux/vfio.h', 'added'],
    ]);
    expect(drift[1]!.diff).toBe('--- a/ts/stale.ts\n+++ b/ts/stale.ts\n@@ -1,1 +0,0 @@\n-export const OLD = 1;\n');
    expect(drift[2]!.diff).toBe('--- a/uapi/linux/vfio.h\n+++ b/uapi/linux/vfio.h\n@@ -0,0 +1,1 @@\n+#define VFIO_TYPE 0x3b\n');

    expect(writeOutputs(plan(root, files))).toEqual({ written: 1, unchanged: 5, removed: 2, notes: [] });
    expect(checkOutputs(plan(root, files))).toEqual([]);
    expect(fs.existsSync(path.join(root, 'ts/link.ts'))).toBe(false);
  });

  it('removes stale files in owned subtrees and never touches anything outside them', () => {
    const root = newRoot('stale');
    writeOutputs(plan(root));
    // Outside the owned subtrees: a sibling file, an unowned directory, a file next to an owned subtree.
    fs.writeFileSync(path.join(root, 'NOTES.md'), 'keep me\n');
    fs.mkdirSync(path.join(root, 'kernel/sub'), { recursive: true });
    fs.writeFileSync(path.join(root, 'kernel/sub/vhost.c'), 'int x;\n');
    fs.writeFileSync(path.join(root, 'uapi-extra.h'), '/* not in uapi/ */\n');
    // Inside: stale files, an empty directory left behind.
    fs.mkdirSync(path.join(root, 'uapi/old/deeper'), { recursive: true });
    fs.writeFileSync(path.join(root, 'uapi/old/deeper/gone.h'), 'stale\n');
    fs.writeFileSync(path.join(root, 'ts/gone.ts'), 'stale\n');
    ageTree(root);
    const outside = (): string[] => treeListing(root, true).filter((l) => / (NOTES\.md|kernel[^ ]*|uapi-extra\.h)( |$)/.test(l));
    const outsideBefore = outside();
    expect(outsideBefore).toHaveLength(5);

    const files = baseFiles().filter((f) => f.path !== 'uapi/README');
    expect(writeOutputs(plan(root, files))).toEqual({ written: 0, unchanged: 4, removed: 3, notes: [] });
    expect(outside()).toEqual(outsideBefore);
    const listing = treeListing(root).map((l) => l.split(' ').slice(0, 2).join(' '));
    expect(listing.filter((l) => l.includes('uapi/') || l.includes('ts/'))).toEqual(['file ts/empty.ts', 'file ts/index.ts', 'dir uapi/linux', 'file uapi/linux/vduse.h', 'file uapi/linux/vhost.h']);
    expect(tempLeftovers(root)).toEqual([]);
  });

  it('an identical rewrite touches nothing: mtimes and directory inodes are kept', () => {
    const root = newRoot('identical');
    writeOutputs(plan(root));
    ageTree(root);
    const before = hashTree(root, true);
    const inode = fs.statSync(path.join(root, 'uapi')).ino;
    expect(writeOutputs(plan(root))).toEqual({ written: 0, unchanged: 5, removed: 0, notes: [] });
    expect(hashTree(root, true)).toBe(before);
    expect(fs.statSync(path.join(root, 'uapi')).ino).toBe(inode);
    expect(fs.statSync(path.join(root, 'uapi/linux/vhost.h')).mtime.toISOString()).toBe('2001-02-03T04:05:06.000Z');
  });

  it('when one file changes, the subtree is swapped but unchanged files keep their mtimes', () => {
    const root = newRoot('partial');
    writeOutputs(plan(root));
    ageTree(root);
    const tsBefore = hashTree(path.join(root, 'ts'), true);
    const files = baseFiles().map((f) => (f.path === 'uapi/README' ? { ...f, content: 'changed\n' } : f));
    expect(writeOutputs(plan(root, files))).toEqual({ written: 1, unchanged: 4, removed: 0, notes: [] });
    expect(hashTree(path.join(root, 'ts'), true)).toBe(tsBefore);
    const old = new Date('2001-02-03T04:05:06Z').getTime();
    expect(fs.statSync(path.join(root, 'uapi/linux/vhost.h')).mtimeMs).toBe(old);
    expect(fs.statSync(path.join(root, 'uapi/linux/vduse.h')).mtimeMs).toBe(old);
    expect(fs.statSync(path.join(root, 'uapi/README')).mtimeMs).toBeGreaterThan(old);
    expect(fs.readFileSync(path.join(root, 'uapi/README'), 'utf8')).toBe('changed\n');
    expect(tempLeftovers(root)).toEqual([]);
  });

  describe('refused plans leave root byte-identical and no staging directories', () => {
    const bad: [string, WritePlan['files'], string[]?][] = [
      ['a path escaping the root', [{ path: '../escape.h', content: 'x' }]],
      ['a .. segment inside an owned subtree', [{ path: 'uapi/linux/../../../x.h', content: 'x' }]],
      ['an absolute path', [{ path: '/etc/passwd', content: 'x' }]],
      ['a backslash', [{ path: 'uapi\\linux\\x.h', content: 'x' }]],
      ['an empty segment', [{ path: 'uapi//x.h', content: 'x' }]],
      ['a trailing slash', [{ path: 'uapi/x/', content: 'x' }]],
      ['a . segment', [{ path: 'uapi/./x.h', content: 'x' }]],
      ['an empty path', [{ path: '', content: 'x' }]],
      ['the same path twice', [{ path: 'uapi/dup.h', content: 'a' }, { path: 'uapi/dup.h', content: 'b' }]],
      ['a path outside every owned subtree', [{ path: 'kernel/vhost.c', content: 'x' }]],
      ['a path equal to an owned subtree', [{ path: 'uapi', content: 'x' }]],
      ['a file that is also a directory', [{ path: 'uapi/x', content: 'x' }, { path: 'uapi/x/y.h', content: 'y' }]],
      ['nested owned subtrees', [], ['uapi', 'uapi/linux']],
      ['an owned subtree escaping the root', [], ['../elsewhere']],
      ['an owned name reserved for staging', [], ['.staging-1-uapi']],
      ['an owned name reserved for the lock', [], ['.ioctl-abi.lock']],
      ['an owned name reserved for a lock being taken over', [], ['.ioctl-abi.lock.stale-1/x']],
    ];
    for (const [what, extra, owned] of bad) {
      it(what, () => {
        const root = newRoot('invalid');
        writeOutputs(plan(root));
        fs.writeFileSync(path.join(root, 'outside.txt'), 'untouched\n');
        const before = hashTree(root, true);
        const files = [...baseFiles().map((f) => ({ ...f, content: f.content + 'changed\n' })), ...extra];
        const err = catchError(() => writeOutputs(plan(root, files, owned ?? ['uapi', 'ts'])));
        expect(err).toBeInstanceOf(WriterError);
        expect((err as Error).message).toMatch(/invalid write plan/);
        expect(hashTree(root, true)).toBe(before);
        expect(tempLeftovers(root)).toEqual([]);
        // checkOutputs refuses the same plans.
        expect(() => checkOutputs(plan(root, files, owned ?? ['uapi', 'ts']))).toThrow(WriterError);
        expect(fs.existsSync(path.join(path.dirname(root), 'escape.h'))).toBe(false);
      });
    }

    it('lists several problems in one message', () => {
      const root = newRoot('many');
      const err = catchError(() => writeOutputs(plan(root, [{ path: '../a', content: '' }, { path: 'zz/b', content: '' }])));
      expect((err as Error).message).toContain('"../a" has a \'..\' segment');
      expect((err as Error).message).toContain('"zz/b" is not inside any owned subtree');
      expect(fs.existsSync(root)).toBe(false);
    });
  });

  it('a write error while staging (name too long) changes nothing', () => {
    const root = newRoot('enametoolong');
    writeOutputs(plan(root));
    fs.writeFileSync(path.join(root, 'outside.txt'), 'untouched\n');
    ageTree(root);
    const before = hashTree(root, true);
    // 'ts' sorts before 'uapi': the ts staging tree is complete when the uapi one fails.
    const files = [...baseFiles().map((f) => ({ ...f, content: f.content + '// new\n' })), { path: `uapi/${'x'.repeat(300)}.h`, content: 'x' }];
    const err = catchError(() => writeOutputs(plan(root, files)));
    expect(err).toBeInstanceOf(WriterError);
    expect((err as Error).message).toBe(`cannot write ${root}/uapi: name too long (ENAMETOOLONG); nothing was changed`);
    expect(hashTree(root, true)).toBe(before);
    expect(tempLeftovers(root)).toEqual([]);
  });

  it('a write error into a root that did not exist leaves no root behind', () => {
    const root = newRoot('noroot');
    const err = catchError(() => writeOutputs(plan(root, [{ path: `ts/${'y'.repeat(300)}`, content: '' }])));
    expect(err).toBeInstanceOf(WriterError);
    expect(fs.existsSync(root)).toBe(false);
  });

  it('a file where a folder above an owned subtree should be is refused before anything is staged', () => {
    const root = newRoot('fileparent');
    writeOutputs(plan(root));
    // 'x' is a regular file, so owned subtree 'x/y' cannot be moved into place. (The rollback of a swap
    // that fails half-way is tested in robustness.test.ts with a real cross-device rename.)
    fs.writeFileSync(path.join(root, 'x'), 'a file where a directory is needed\n');
    ageTree(root);
    const before = hashTree(root, true);
    const files = [...baseFiles().map((f) => ({ ...f, content: f.content + '// new\n' })), { path: 'x/y/z.h', content: 'z' }];
    const err = catchError(() => writeOutputs(plan(root, files, ['ts', 'uapi', 'x/y'])));
    expect(err).toBeInstanceOf(WriterError);
    expect((err as Error).message).toBe(`cannot write ${root}/x/y: ${root}/x is a file, not a folder; move it away or pass --out DIR`);
    expect(hashTree(root, true)).toBe(before);
    expect(tempLeftovers(root)).toEqual([]);
    // --check says the same instead of pretending the subtree is merely missing.
    expect(() => checkOutputs(plan(root, files, ['ts', 'uapi', 'x/y']))).toThrow(`cannot read ${root}/x/y: ${root}/x is a file, not a folder; move it away`);
  });

  it('writes nested owned subtrees, creating their parents', () => {
    const root = newRoot('nested');
    const files = [{ path: 'kernel/gen/vhost_abi.c', content: 'int vhost_abi;\n' }];
    expect(writeOutputs(plan(root, files, ['kernel/gen']))).toEqual({ written: 1, unchanged: 0, removed: 0, notes: [] });
    expect(fs.readFileSync(path.join(root, 'kernel/gen/vhost_abi.c'), 'utf8')).toBe('int vhost_abi;\n');
    expect(checkOutputs(plan(root, files, ['kernel/gen']))).toEqual([]);
  });

  it('refuses an owned subtree reached through a symlinked parent', () => {
    const root = newRoot('symparent');
    const elsewhere = newRoot('elsewhere');
    fs.mkdirSync(root, { recursive: true });
    fs.mkdirSync(elsewhere, { recursive: true });
    fs.symlinkSync(elsewhere, path.join(root, 'kernel'));
    const before = hashTree(path.dirname(root), true);
    expect(() => writeOutputs(plan(root, [{ path: 'kernel/gen/a.c', content: '' }], ['kernel/gen']))).toThrow(/symlink/);
    expect(hashTree(path.dirname(root), true)).toBe(before);
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('cleans temporary directories of crashed runs and restores a subtree left aside', () => {
    const root = newRoot('crash');
    writeOutputs(plan(root));
    const dead = 999_999_999; // above any pid_max
    // A crashed run: staging trees, an aside copy of 'ts' whose swap never finished, a stale aside copy of 'uapi'.
    fs.mkdirSync(path.join(root, `.staging-${dead}-uapi/linux`), { recursive: true });
    fs.writeFileSync(path.join(root, `.staging-${dead}-uapi/linux/half.h`), 'half written');
    fs.renameSync(path.join(root, 'ts'), path.join(root, `.aside-${dead}-ts`));
    fs.mkdirSync(path.join(root, `.aside-${dead}-uapi`));

    const r = writeOutputs(plan(root));
    expect({ ...r, notes: [] }).toEqual({ written: 0, unchanged: 5, removed: 0, notes: [] });
    expect(r.notes).toEqual([
      `restored ${root}/ts from leftover .aside-${dead}-ts (left by interrupted run pid ${dead}, mid-swap)`,
      `removed leftover ${root}/.aside-${dead}-uapi (left by interrupted run pid ${dead})`,
      `removed leftover ${root}/.staging-${dead}-uapi (left by interrupted run pid ${dead})`,
    ]);
    expect(tempLeftovers(root)).toEqual([]);
    expect(checkOutputs(plan(root))).toEqual([]);
  });
});
