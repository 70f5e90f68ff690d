// Every `source:` in the spec must point at something a reader can find: upstream commits and
// files with a kernel version, mailing-list Message-IDs, or files of this repository. Nothing
// on a developer's machine, and no tags of notes that live outside the repository.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMap, isPair, isScalar, LineCounter, parseDocument, visit } from 'yaml';

const ROOT = join(import.meta.dirname, '../..');
const SPEC = join(ROOT, 'spec');

interface Citation { file: string; line: number; text: string }

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFiles(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** Every value of a `source` key, at any depth, with its line. */
function citations(path: string): Citation[] {
  const lc = new LineCounter();
  const doc = parseDocument(readFileSync(path, 'utf8'), { lineCounter: lc });
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors[0]?.message}`);
  const out: Citation[] = [];
  visit(doc, {
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || pair.key.value !== 'source') return;
      const v = pair.value;
      if (isScalar(v) && typeof v.value === 'string') {
        out.push({ file: relative(ROOT, path), line: lc.linePos(v.range?.[0] ?? 0).line, text: v.value });
      } else if (!isMap(v)) {
        out.push({ file: relative(ROOT, path), line: 0, text: String(v) });
      }
    },
  });
  return out;
}

// Paths of this repository a citation may name (the kernel tree has no top-level docs/, test/ or spec/).
const REPO_PATH = /(?<![\w./-])((?:docs|test|spec)\/[\w.*/-]*[\w*/])/g;

/** Does `path` (relative to the repository, '*' allowed within a segment) name something that exists? */
function repoPathExists(path: string): boolean {
  const parts = path.split('/').filter(Boolean);
  const walk = (dir: string, i: number): boolean => {
    if (i === parts.length) return true;
    const seg = parts[i] as string;
    if (!seg.includes('*')) return existsSync(join(dir, seg)) && walk(join(dir, seg), i + 1);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return false;
    const re = new RegExp(`^${seg.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
    return readdirSync(dir).some((name) => re.test(name) && walk(join(dir, name), i + 1));
  };
  return walk(ROOT, 0);
}

/** What is wrong with one citation text; empty when it is fine. */
function problems(text: string): string[] {
  const found: string[] = [];
  const flat = text.replace(/\s+/g, ' ');
  if (/(^|[\s(<"'`,;=])\/[\w.~-]/.test(flat)) found.push('absolute path');
  if (/(^|[^\w])~\/|\$HOME\b|\$TMPDIR\b|\/home\/|\/tmp\/|\/root\//.test(flat)) found.push('home or tmp path');
  if (flat.includes('../')) found.push("'../' path");
  // Section tags of private notes: (V4), (S2-S4), (S3/S4 - ...), (S0, ...), (FS).
  if (/\(\s*(?:[SV]\d+|FS)(?=[\s,;/)\-–])/.test(flat)) found.push('private section tag');
  if (/abi-notes|§|stored source id/i.test(flat)) found.push('reference to notes outside the repository');
  for (const m of flat.matchAll(REPO_PATH)) {
    const path = (m[1] as string).replace(/[.]+$/, '');
    if (!repoPathExists(path)) found.push(`missing repository path ${path}`);
  }
  return found;
}

const files = yamlFiles(SPEC);
const all = files.flatMap(citations);

describe('spec citations', () => {
  it('finds the spec files and their source values', () => {
    expect(files.map((f) => relative(ROOT, f))).toContain('spec/vhost-backends.yaml');
    expect(files.some((f) => f.includes('/history/'))).toBe(true);
    // One per family file at least, plus the rules, quirks and profiles of vhost-backends.
    expect(all.length).toBeGreaterThanOrEqual(files.length);
    expect(all.filter((c) => c.file === 'spec/vhost-backends.yaml').length).toBeGreaterThan(30);
  });

  it('every source value is a string', () => {
    expect(all.filter((c) => c.line === 0).map((c) => `${c.file}: ${c.text}`)).toEqual([]);
  });

  it('cites nothing a reader cannot find', () => {
    const bad = all.flatMap((c) => problems(c.text).map((p) => `${c.file}:${c.line}: ${p}: ${c.text}`));
    expect(bad).toEqual([]);
  });

  it('vhost-vdpa behaviour citations name a kernel version', () => {
    const kernel = all.filter((c) => c.file === 'spec/vhost-backends.yaml' && /drivers\/vhost\/(vdpa|vhost)\.c/.test(c.text));
    expect(kernel.length).toBeGreaterThan(25);
    expect(kernel.filter((c) => !/\bv\d+\.\d+\b/.test(c.text)).map((c) => `${c.file}:${c.line}: ${c.text}`)).toEqual([]);
  });

  it('the checks catch what they are meant to', () => {
    const cases: Array<[string, string]> = [
      ['drivers/vhost/vhost.c vhost_dev_ioctl (V4)', 'private section tag'],
      ['drivers/vhost/vdpa.c vhost_vdpa_open (S0-S4)', 'private section tag'],
      ['vhost_vdpa_get_features (S3/S4 - ops->get_device_features)', 'private section tag'],
      ['fs/ioctl.c vfs_ioctl (FS)', 'private section tag'],
      ['as read for /work/shared/abi-notes.md section 5', 'absolute path'],
      ['notes in ~/abi.md', 'home or tmp path'],
      ['see ../shared/notes.md', "'../' path"],
      ['measured, docs/no-such-file.md', 'missing repository path docs/no-such-file.md'],
      ['archive (stored source id 37779500413)', 'reference to notes outside the repository'],
    ];
    for (const [text, want] of cases) expect(problems(text), text).toContain(want);
    const fine = [
      'drivers/vhost/vdpa.c vhost_vdpa_vring_ioctl (v6.12); measured on 6.12.117 (docs/lab.md)',
      'commit 4c8cf31885f6, Message-ID <20191029100734.9861-1-tiwei.bie@intel.com>',
      'spec/history/vhost-mdev-v*/ and test/lab/lab.test.ts',
      'Debian linux-libc-dev 6.12 (usr/include/linux/vhost.h), tools/testing/selftests/x.c',
    ];
    for (const text of fine) expect(problems(text), text).toEqual([]);
  });
});
