// One side of a diff as the user names it: a spec folder or file, a git ref (read from that
// commit without a checkout), either with an optional version projection `@6.1`.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';
import type { SourceText } from '../model/index.ts';
import { readSpecFolder, repoPath, repoRoot, resolveCommit } from './git.ts';

export class SideError extends Error {}

export interface SideSource {
  /** As the user wrote it. */
  label: string;
  /** Where the spec was read, for humans: 'spec' or 'origin/main:spec'. */
  source: string;
  /** The version projection (`spec@6.1`), if any. */
  version?: string;
  /** Git sides: the ref as written and the commit it named. */
  ref?: string;
  commit?: string;
  /** The spec files, each with the path diagnostics and findings show. */
  sources: SourceText[];
  /** The path findings show for a spec file named by its basename (as snapshot `at` names it). */
  fileOf(name: string): string;
}

const VERSION = /^(.*)@(\d+\.\d+)$/;

/**
 * Reads one side. `defaultSpec` is the folder a bare git ref means (the head side's spec folder,
 * so `--base origin/main` compares like with like).
 */
export function readSide(arg: string, defaultSpec: string, cwd: string): SideSource {
  const m = VERSION.exec(arg);
  const target = m ? (m[1] as string) : arg;
  const version = m ? (m[2] as string) : undefined;
  if (target === '') throw new SideError(`'${arg}': no spec before @${version}`);
  if (existsSync(join(cwd, target)) || existsSync(target)) return withVersion(fromFolder(arg, target, cwd), version);
  return withVersion(fromGit(arg, target, defaultSpec, cwd), version);
}

function withVersion(s: SideSource, version: string | undefined): SideSource {
  return version === undefined ? s : { ...s, version };
}

function fromFolder(label: string, target: string, cwd: string): SideSource {
  const abs = existsSync(join(cwd, target)) ? join(cwd, target) : target;
  const folder = statSync(abs).isFile() ? dirname(abs) : abs;
  const files = readdirSync(folder)
    .filter((f) => ['.yaml', '.yml'].includes(extname(f)))
    .sort()
    .map((f) => join(folder, f));
  if (files.length === 0) throw new SideError(`'${label}': no spec files (*.yaml) in ${folder}`);
  const shown = (file: string): string => {
    const rel = relative(cwd, file);
    return rel.startsWith('..') ? file : rel;
  };
  const byName = new Map(files.map((f) => [basename(f), shown(f)]));
  return {
    label,
    source: shown(folder) || '.',
    sources: files.map((f) => ({ path: shown(f), text: readFileSync(f, 'utf8'), cache: true })),
    fileOf: (name) => byName.get(name) ?? name,
  };
}

function fromGit(label: string, target: string, defaultSpec: string, cwd: string): SideSource {
  const root = repoRoot(cwd);
  if (!root) throw new SideError(`'${label}' is not a spec folder or file, and ${cwd} is not in a git repository to read a ref from`);
  // REF:path names a folder at that ref; a bare REF means the same folder as the other side.
  const colon = target.indexOf(':');
  const ref = colon > 0 ? target.slice(0, colon) : target;
  const folder = colon > 0 ? target.slice(colon + 1).replace(/^\.\//, '') : repoPath(defaultSpec, root, cwd);
  const commit = resolveCommit(ref, root);
  if (!commit) throw new SideError(`'${label}' is neither a spec folder or file nor a git ref`);
  const files = readSpecFolder(commit, folder, root);
  if (files.length === 0) throw new SideError(`'${label}': no spec files (*.yaml) in ${folder || '.'} at ${ref} (${commit.slice(0, 12)})`);
  const byName = new Map(files.map((f) => [basename(f.path), f.path]));
  return {
    label,
    source: `${ref}:${folder}`,
    ref,
    commit,
    // Diagnostics name the ref, so an error in the base spec is not mistaken for the work tree's.
    sources: files.map((f) => ({ path: `${ref}:${f.path}`, text: f.text })),
    fileOf: (name) => byName.get(name) ?? name,
  };
}
