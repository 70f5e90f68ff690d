// Debian's trixie kernel image + modules, fetched once into the cache.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debLatest } from './apt-version.ts';
import { IMAGE_PKG, KERNEL_RELEASE } from './config.ts';
import { step } from './run.ts';

export interface KernelTree {
  vmlinuz: string;
  modulesDir: string; // .../lib/modules/<release>
}

export function kernelTree(): KernelTree {
  const root = debLatest(IMAGE_PKG);
  const vmlinuz = join(root, 'boot', `vmlinuz-${KERNEL_RELEASE}`);
  const modulesDir = [join(root, 'usr', 'lib', 'modules', KERNEL_RELEASE), join(root, 'lib', 'modules', KERNEL_RELEASE)]
    .find((d) => existsSync(d));
  if (!existsSync(vmlinuz) || !modulesDir) {
    throw new Error(`${IMAGE_PKG} unpacked in ${root} lacks boot/vmlinuz or modules (has: ${readdirSync(root).join(' ')})`);
  }
  return { vmlinuz, modulesDir };
}

/** CONFIG_* values of the lab kernel (boot/config-<release>). */
export function kernelConfig(): Map<string, string> {
  const root = debLatest(IMAGE_PKG);
  const text = readFileSync(join(root, 'boot', `config-${KERNEL_RELEASE}`), 'utf8');
  return new Map([...text.matchAll(/^(CONFIG_\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** Names of the functions in one module of the lab kernel (symbol table of the .ko). */
export function moduleFunctions(name: string): Set<string> {
  const { modulesDir } = kernelTree();
  const xz = step('finding a module', 'find', [modulesDir, '-name', `${name}.ko.xz`], { timeoutMs: 60_000 }).trim().split('\n')[0];
  if (!xz) throw new Error(`module ${name} not in ${modulesDir}`);
  const dir = mkdtempSync(join(tmpdir(), 'ioctl-abi-ko-'));
  try {
    copyFileSync(xz, join(dir, 'm.ko.xz'));
    step('xz -d', 'xz', ['-d', join(dir, 'm.ko.xz')], { timeoutMs: 60_000 });
    const nm = step(`nm ${name}.ko`, 'nm', [join(dir, 'm.ko')], { timeoutMs: 60_000 });
    return new Set([...nm.matchAll(/^\S*\s+[tT]\s+(\S+)$/gm)].map((m) => m[1]!));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
