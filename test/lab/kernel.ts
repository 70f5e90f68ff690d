// A lab kernel's image, config and modules, unpacked once per kernel into the cache
// (one tree per Debian package, test/support/debian.ts).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debLatestAll } from './apt-version.ts';
import { type KernelId, labKernel } from './config.ts';
import { step } from './run.ts';

export interface KernelTree {
  id: KernelId;
  release: string;
  vmlinuz: string;
  config: string;
  /** .../lib/modules/<release>, the one holding kernel/ */
  modulesDir: string;
  /** modules.builtin: kernel/<path>.ko of each built-in module */
  builtin: string;
}

/** The first of `rels` that exists under one of `roots`. */
function findIn(roots: string[], rels: string[]): string | undefined {
  for (const root of roots) for (const rel of rels) if (existsSync(join(root, rel))) return join(root, rel);
  return undefined;
}

export function kernelTree(id?: KernelId): KernelTree {
  const k = labKernel(id);
  const roots = debLatestAll(k.packages);
  // trixie keeps vmlinuz and config in /boot; sid's split packages keep them in /usr/lib/modules/<release>
  const mods = [`usr/lib/modules/${k.release}`, `lib/modules/${k.release}`];
  const vmlinuz = findIn(roots, [`boot/vmlinuz-${k.release}`, ...mods.map((m) => `${m}/vmlinuz`)]);
  const config = findIn(roots, [`boot/config-${k.release}`, ...mods.map((m) => `${m}/config`)]);
  const kernelDir = findIn(roots, mods.map((m) => `${m}/kernel`));
  const builtin = findIn(roots, mods.map((m) => `${m}/modules.builtin`));
  if (!vmlinuz || !config || !kernelDir || !builtin) {
    const missing = Object.entries({ vmlinuz, config, 'modules (kernel/)': kernelDir, 'modules.builtin': builtin })
      .filter(([, v]) => !v).map(([n]) => n);
    throw new Error(`kernel ${k.id} (${k.packages.join(', ')}) unpacked in ${roots.join(', ')} lacks ${missing.join(', ')}`);
  }
  return { id: k.id, release: k.release, vmlinuz, config, modulesDir: join(kernelDir, '..'), builtin };
}

/** CONFIG_* values of a lab kernel. */
export function kernelConfig(id?: KernelId): Map<string, string> {
  const text = readFileSync(kernelTree(id).config, 'utf8');
  return new Map([...text.matchAll(/^(CONFIG_\w+)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]));
}

/** name -> path of every loadable module (.ko.xz) of a lab kernel. */
export function moduleFiles(id?: KernelId): Map<string, string> {
  const { modulesDir } = kernelTree(id);
  const found = step('listing kernel modules', 'find', [join(modulesDir, 'kernel'), '-name', '*.ko.xz'], { timeoutMs: 60_000 });
  return new Map(found.split('\n').filter(Boolean).map((f) => [f.slice(f.lastIndexOf('/') + 1, -'.ko.xz'.length), f]));
}

/** Names of the built-in modules (modules.builtin lists kernel/fs/foo/foo.ko). */
export function builtinModules(id?: KernelId): Set<string> {
  const text = readFileSync(kernelTree(id).builtin, 'utf8');
  return new Set(text.split('\n').filter(Boolean).map((l) => l.slice(l.lastIndexOf('/') + 1).replace(/\.ko$/, '')));
}

/** modinfo's `depends` of a module file (what depmod turns into modules.dep). */
export function moduleDepends(ko: string): string[] {
  return step(`modinfo ${ko}`, 'modinfo', ['-F', 'depends', ko], { timeoutMs: 60_000 }).trim().split(',').filter(Boolean);
}

/**
 * Why `order` cannot be insmod'ed one after another on this kernel: a module that is missing
 * or built in, or one whose dependency is neither built in nor loaded before it. [] when fine.
 */
export function moduleOrderProblems(order: string[], id?: KernelId): string[] {
  const files = moduleFiles(id);
  const builtin = builtinModules(id);
  const problems: string[] = [];
  order.forEach((m, i) => {
    const ko = files.get(m);
    if (!ko) {
      problems.push(builtin.has(m) ? `${m} is built in (drop it from the load order)` : `${m} is neither a module nor built in`);
      return;
    }
    for (const dep of moduleDepends(ko)) {
      if (!builtin.has(dep) && !order.slice(0, i).includes(dep)) problems.push(`${m} needs ${dep}, which is not loaded before it`);
    }
  });
  return problems;
}

/** Names of the functions in one module of a lab kernel (symbol table of the .ko). */
export function moduleFunctions(name: string, id?: KernelId): Set<string> {
  const xz = moduleFiles(id).get(name);
  if (!xz) throw new Error(`module ${name} not in ${kernelTree(id).modulesDir}`);
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
