// Which spec version describes the running kernel: the newest known version at or below its
// release (6.12.117+deb13-amd64 -> 6.12). The spec's versions are passed in; nothing of the
// model is imported.
import { release } from 'node:os';

const parts = (v: string): number[] => (v.match(/^\d+(?:\.\d+)*/)?.[0] ?? '').split('.').filter(Boolean).map(Number);

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/** The newest of `versions` not after the kernel `kernelRelease` (default: this machine's), or undefined. */
export function specVersionFor(versions: readonly string[], kernelRelease: string = release()): string | undefined {
  const running = parts(kernelRelease).slice(0, 2);
  if (running.length === 0) return undefined;
  return [...versions].filter((v) => compare(parts(v), running) <= 0).sort((a, b) => compare(parts(a), parts(b))).at(-1);
}
