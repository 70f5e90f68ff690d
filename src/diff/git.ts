// Reading a spec folder as it was at a git commit: `git ls-tree` for its files and one
// `git cat-file --batch` for their contents. Nothing is checked out, the work tree is untouched.
import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';

export class GitError extends Error {}

function git(args: string[], cwd: string, input?: Buffer): Buffer {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new GitError(`git ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) throw new GitError(`git ${args.join(' ')}: ${r.stderr.toString().trim().split('\n')[0] ?? `exit ${r.status}`}`);
  return r.stdout;
}

/** The top of the work tree holding `cwd`, or undefined outside a git repository. */
export function repoRoot(cwd: string): string | undefined {
  const r = spawnSync('git', ['rev-parse', '--show-toplevel'], { cwd });
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

/** The commit a ref names, or undefined when it names none. */
export function resolveCommit(ref: string, cwd: string): string | undefined {
  if (ref.startsWith('-')) return undefined; // never let a ref read as an option
  const r = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd });
  return r.status === 0 ? r.stdout.toString().trim() : undefined;
}

/** A path as git names it inside the repository (relative to its top, forward slashes). */
export function repoPath(path: string, root: string, cwd: string): string {
  return relative(root, resolve(cwd, path)).split('\\').join('/');
}

export interface GitFile {
  /** Path inside the repository. */
  path: string;
  text: string;
}

/**
 * The spec files (*.yaml, *.yml) directly inside `folder` at `commit`; a folder that is a file
 * at that commit gives that file's folder. Empty when the folder does not exist there.
 */
export function readSpecFolder(commit: string, folder: string, root: string): GitFile[] {
  const clean = folder.replace(/\/+$/, '');
  const list = (dir: string): Array<{ sha: string; path: string }> =>
    git(['ls-tree', '-z', commit, '--', dir === '' || dir === '.' ? '.' : `${dir}/`], root)
      .toString()
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [, type, sha] = meta.split(' ') as [string, string, string];
        return { type, sha, path };
      })
      .filter((e) => e.type === 'blob' && /\.ya?ml$/.test(e.path));
  let entries = list(clean);
  if (entries.length === 0 && /\.ya?ml$/.test(clean)) entries = list(clean.includes('/') ? clean.slice(0, clean.lastIndexOf('/')) : '.');
  if (entries.length === 0) return [];
  return catFiles(entries, root);
}

/** Contents of several blobs through one `git cat-file --batch`. */
function catFiles(entries: Array<{ sha: string; path: string }>, root: string): GitFile[] {
  const out = git(['cat-file', '--batch'], root, Buffer.from(entries.map((e) => `${e.sha}\n`).join('')));
  const files: GitFile[] = [];
  let at = 0;
  for (const e of entries) {
    const eol = out.indexOf(10, at);
    const header = out.subarray(at, eol).toString();
    const size = Number(header.split(' ')[2]);
    if (!Number.isFinite(size)) throw new GitError(`git cat-file: unexpected answer '${header}' for ${e.path}`);
    files.push({ path: e.path, text: out.subarray(eol + 1, eol + 1 + size).toString('utf8') });
    at = eol + 1 + size + 1; // the content is followed by a newline
  }
  return files;
}
