// Real UAPI headers of several kernel versions, and gcc as an independent oracle.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { debUnpacked } from '../support/debian.ts';
import type { HeaderItem, Member } from '../../src/cheader/index.ts';

export const HEADERS = [
  'vhost.h', 'vhost_types.h', 'vduse.h', 'vfio.h', 'virtio_config.h',
  'virtio_net.h', 'virtio_scsi.h', 'virtio_ids.h', 'virtio_ring.h',
] as const;

export interface Kernel {
  label: string;
  /** The include root holding linux/, asm-generic/ and <arch-triplet>/asm. */
  include: string;
}

let kernels: Kernel[] | undefined;

/** 6.1 from this machine's /usr/include, the others from Debian linux-libc-dev packages. */
export function allKernels(): Kernel[] {
  kernels ??= [
    { label: '5.10', include: join(debUnpacked('linux-libc-dev', '5.10.223-1'), 'usr/include') },
    { label: '6.1', include: '/usr/include' },
    { label: '6.12', include: join(debUnpacked('linux-libc-dev', '6.12.117-1'), 'usr/include') },
    { label: '7.2', include: join(debUnpacked('linux-libc-dev', '7.2.13-1'), 'usr/include') },
  ];
  return kernels;
}

export const KERNEL_LABELS = ['5.10', '6.1', '6.12', '7.2'] as const;

export function kernel(label: string): Kernel {
  const k = allKernels().find((x) => x.label === label);
  if (!k) throw new Error(`no kernel ${label}`);
  return k;
}

export function headerPath(k: Kernel, header: string): string {
  return join(k.include, 'linux', header);
}

/** The headers this kernel ships (vduse.h appeared in 5.15). */
export function presentHeaders(k: Kernel): string[] {
  return HEADERS.filter((h) => existsSync(headerPath(k, h)));
}

export function readHeader(k: Kernel, header: string): string {
  return readFileSync(headerPath(k, header), 'utf8');
}

function gccIncludeFlags(k: Kernel): string[] {
  const gccInclude = execFileSync('gcc', ['-print-file-name=include'], { encoding: 'utf8' }).trim();
  // The kernel's own headers first; libc (5.10's virtio_ring.h includes <stdint.h>) only after them.
  return [
    '-nostdinc', '-I', k.include, '-I', join(k.include, 'x86_64-linux-gnu'),
    '-idirafter', gccInclude, '-idirafter', '/usr/include/x86_64-linux-gnu', '-idirafter', '/usr/include',
  ];
}

export interface GccMacro {
  name: string;
  params?: string[];
  body: string;
}

/**
 * Macros gcc sees #defined while preprocessing a TU that includes every present header,
 * attributed to the file they were defined in (from the line markers), in definition order.
 */
export function gccDefines(k: Kernel): Map<string, GccMacro[]> {
  const tu = presentHeaders(k).map((h) => `#include <linux/${h}>\n`).join('');
  const out = execFileSync('gcc', ['-E', '-dD', ...gccIncludeFlags(k), '-x', 'c', '-'], {
    input: tu, encoding: 'utf8', maxBuffer: 64 << 20,
  });
  const byFile = new Map<string, GccMacro[]>();
  let file = '';
  for (const line of out.split('\n')) {
    const marker = /^# \d+ "([^"]*)"/.exec(line);
    if (marker) {
      file = marker[1] ?? '';
      continue;
    }
    const def = /^#define (\w+)(?:\(([^)]*)\))?(?: (.*))?$/.exec(line);
    if (!def) continue;
    const list = byFile.get(file) ?? [];
    const m: GccMacro = { name: def[1] as string, body: def[3] ?? '' };
    if (def[2] !== undefined) m.params = def[2] === '' ? [] : def[2].split(',').map((p) => p.trim());
    list.push(m);
    byFile.set(file, list);
  }
  return byFile;
}

/** Comment-free text of a header as gcc sees it, without macro expansion or includes. */
export function gccStripComments(path: string): string {
  return execFileSync('gcc', ['-fpreprocessed', '-dD', '-E', '-P', '-x', 'c', path], { encoding: 'utf8' });
}

/** Compiles a C translation unit against the kernel's headers; returns gcc's diagnostics ('' when clean). */
export function gccCompile(k: Kernel, source: string): { ok: boolean; stderr: string } {
  const dir = mkdtempSync(join(tmpdir(), 'cheader-'));
  try {
    const file = join(dir, 'check.c');
    writeFileSync(file, source);
    const r = spawnSync('gcc', ['-fsyntax-only', '-std=gnu11', '-Werror', ...gccIncludeFlags(k), file], { encoding: 'utf8' });
    return { ok: r.status === 0, stderr: r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every define item, including those inside struct bodies, in source order. */
export function allDefines(items: HeaderItem[]): Array<{ name: string; params?: string[]; body: string; line: number }> {
  const out: Array<{ name: string; params?: string[]; body: string; line: number }> = [];
  const walk = (members: Member[]): void => {
    for (const m of members) {
      if (m.kind === 'define') out.push(m);
      else if (m.kind === 'struct' || m.kind === 'union') walk(m.members);
    }
  };
  for (const it of items) {
    if (it.kind === 'define') out.push(it);
    else if (it.kind === 'struct' || it.kind === 'union') walk(it.members);
  }
  return out.sort((a, b) => a.line - b.line);
}

export function findStruct(items: HeaderItem[], name: string): Extract<HeaderItem, { kind: 'struct' | 'union' }> {
  const s = items.find((i): i is Extract<HeaderItem, { kind: 'struct' | 'union' }> =>
    (i.kind === 'struct' || i.kind === 'union') && i.name === name);
  if (!s) throw new Error(`struct ${name} not parsed`);
  return s;
}

/** Field and aggregate members only (no defines), one level deep. */
export function dataMembers(members: Member[]): Member[] {
  return members.filter((m) => m.kind === 'field' || m.kind === 'struct' || m.kind === 'union');
}
