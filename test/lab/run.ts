// execFile with a timeout and an error that says which step failed and why.
import { execFileSync } from 'node:child_process';

export function step(what: string, file: string, args: string[], opts: { timeoutMs: number; cwd?: string; env?: NodeJS.ProcessEnv }): string {
  try {
    return execFileSync(file, args, {
      cwd: opts.cwd, env: opts.env, timeout: opts.timeoutMs, encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20, killSignal: 'SIGKILL',
    });
  } catch (err) {
    const e = err as { code?: string; signal?: string; stdout?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT') throw new Error(`${what}: ${file} is not installed (bash scripts/install-deps.sh installs scripts/deps/lab.txt)`);
    const why = e.signal === 'SIGKILL' ? `timed out after ${opts.timeoutMs / 1000} s` : e.message.split('\n')[0];
    const tail = `${e.stdout ?? ''}${e.stderr ?? ''}`.trim().split('\n').slice(-25).join('\n');
    throw new Error(`${what} failed (${why})\n${tail}`);
  }
}
