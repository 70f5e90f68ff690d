// Compiles the behaviour probe on the host (the guest chroots into the host root,
// so host glibc is fine) against the 6.12 UAPI headers; cached by source hash.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cachePath } from '../support/cache.ts';
import { debUnpacked } from '../support/debian.ts';
import { LIBC_DEV } from './config.ts';
import { step } from './run.ts';

export const PROBE_SRC = fileURLToPath(new URL('./probe/vdpa_probe.c', import.meta.url));

export function uapiInclude(): string {
  return join(debUnpacked(LIBC_DEV.pkg, LIBC_DEV.version), 'usr', 'include');
}

export function buildProbe(): string {
  const inc = uapiInclude();
  const key = createHash('sha256').update(readFileSync(PROBE_SRC)).update(inc).digest('hex').slice(0, 16);
  const out = join(cachePath('lab', 'probe'), `vdpa_probe-${key}`);
  if (existsSync(out)) return out;
  step('compiling the vdpa probe', 'gcc', [
    '-O2', '-Wall', '-Wextra', '-Werror', '-pthread', `-I${inc}`, `-I${join(inc, 'x86_64-linux-gnu')}`,
    '-o', `${out}.tmp`, PROBE_SRC,
  ], { timeoutMs: 120_000 });
  renameSync(`${out}.tmp`, out);
  return out;
}
