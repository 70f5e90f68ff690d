// The generated bindings as the tests load them: every module of generated/ts, and the codec
// tables by their type keys.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Codec, PerAbi } from '../../generated/ts/abi.ts';

export const GENERATED = join(import.meta.dirname, '../../generated/ts');

/** Every exported name of every family module. */
export async function generatedExports(): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  for (const file of readdirSync(GENERATED).filter((f) => f.endsWith('.ts'))) {
    const mod = (await import(join(GENERATED, file))) as Record<string, unknown>;
    for (const [k, v] of Object.entries(mod)) out.set(k, v);
  }
  return out;
}

/** The codec table's name of a type key ('struct vhost_vring_addr' -> 'vhostVringAddrCodec'), as the bindings document it. */
export const codecName = (key: string): string => {
  const words = key.replace(/^(struct|union) /, '').split('_').filter(Boolean);
  return `${words.map((w, i) => (i === 0 ? w.toLowerCase() : w[0]!.toUpperCase() + w.slice(1).toLowerCase())).join('')}Codec`;
};

export async function codecsOf(): Promise<Map<string, PerAbi<Codec<Record<string, unknown>>>>> {
  const all = await generatedExports();
  return new Map([...all].filter(([k]) => k.endsWith('Codec')) as [string, PerAbi<Codec<Record<string, unknown>>>][]);
}
