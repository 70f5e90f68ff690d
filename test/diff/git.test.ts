// Git refs as diff sides, in a real repository made in a temp folder with a few commits: read
// with git (ls-tree, cat-file), never checked out.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.ts';
import { DEMO } from './support.ts';

const env = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_NOSYSTEM: '1', HOME: tmpdir() };

function repo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-git-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...env }, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  cpSync(DEMO, join(dir, 'spec'), { recursive: true });
  writeFileSync(join(dir, 'README'), 'demo\n');
  git('add', '.');
  git('commit', '-q', '-m', 'first');
  const edit = (from: string, to: string): void => {
    const file = join(dir, 'spec/demo.yaml');
    const text = readFileSync(file, 'utf8');
    if (!text.includes(from)) throw new Error(`edit: ${from}`);
    writeFileSync(file, text.replace(from, to));
  };
  edit('nr: 0x01', 'nr: 0x09'); // a wire break in the second commit
  git('commit', '-q', '-am', 'renumber DEMO_SET');
  git('tag', 'v2');
  edit('{ define: DEMO_OLD_NAME, value: 7 }', '{ define: DEMO_OLD_NAME, value: 9 }'); // uncommitted
  return dir;
}

describe('git refs as sides', () => {
  const dir = repo();
  const status = (): string => execFileSync('git', ['status', '--porcelain'], { cwd: dir, encoding: 'utf8' });
  const before = status();
  const run = (...args: string[]) => cli(['diff', ...args, '--format', 'json', '--fail-on', 'none'], { cwd: dir });
  const items = (r: { stdout: string }): string[] => (JSON.parse(r.stdout) as { findings: Array<{ rule: string; item: string }> }).findings.map((f) => `${f.rule} ${f.item}`).sort();

  it('between two commits', () => {
    const r = run('HEAD~1', 'v2');
    expect(r.status).toBe(0);
    expect(items(r)).toEqual(['request-number-changed DEMO_SET']);
    const doc = JSON.parse(r.stdout);
    expect(doc.base.source).toBe('HEAD~1:spec');
    expect(doc.base.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(doc.findings[0].base).toEqual({ file: 'spec/demo.yaml', line: 63, col: 5, ref: 'HEAD~1' });
  });
  it('a ref against the work tree (the default head), as CI runs it with --base', () => {
    expect(items(run('--base', 'HEAD~1'))).toEqual(['constant-value-changed DEMO_OLD_NAME', 'request-number-changed DEMO_SET']);
    expect(items(run('--base', 'main'))).toEqual(['constant-value-changed DEMO_OLD_NAME']);
    const r = run('--base', 'main');
    expect(JSON.parse(r.stdout).findings[0].head).toEqual({ file: 'spec/demo.yaml', line: 10, col: 5 });
  });
  it('REF:path and a version projection of a ref', () => {
    expect(items(run('HEAD~1:spec', 'v2:spec'))).toEqual(['request-number-changed DEMO_SET']);
    const r = run('HEAD~1@6.1', 'v2@6.12');
    expect(JSON.parse(r.stdout).pairs).toEqual([{ base: '6.1', head: '6.12' }]);
    expect(items(r)).toContain('request-number-changed DEMO_SET');
  });
  it('exit codes: the break fails by default', () => {
    expect(cli(['diff', 'HEAD~1', 'v2'], { cwd: dir }).status).toBe(1);
    expect(cli(['diff', 'v2', 'v2'], { cwd: dir }).status).toBe(0);
  });
  it('a ref that names no commit, or a folder missing at the ref: one line, exit 2', () => {
    const bad = cli(['diff', 'no-such-ref'], { cwd: dir });
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim()).toBe("ioctl-abi: 'no-such-ref' is neither a spec folder or file nor a git ref");
    const missing = cli(['diff', 'HEAD~1:nothing-here'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/no spec files \(\*\.yaml\) in nothing-here at HEAD~1/);
  });
  it('never touches the work tree', () => {
    expect(status()).toBe(before);
  });
});
