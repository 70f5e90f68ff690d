// The emitters `gen` runs, in order. Each owns one subtree of generated/ (src/emit/contract.ts).
import type { Emitter } from '../src/emit/index.ts';

export async function loadEmitters(): Promise<Emitter[]> {
  const { uapiEmitter } = await import('./uapi/index.ts');
  return [uapiEmitter];
}
