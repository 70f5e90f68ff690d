// The emitters `gen` runs, in order. Each owns one subtree of generated/ (src/emit/contract.ts).
import type { Emitter } from '../src/emit/index.ts';

export async function loadEmitters(): Promise<Emitter[]> {
  const [{ uapiEmitter }, { docsEmitter }, { abiEmitter }, { kdispatchEmitter }, { tsEmitter }] = await Promise.all([
    import('./uapi/index.ts'), import('./docs/index.ts'), import('./abi/index.ts'), import('./kdispatch/index.ts'), import('./ts/index.ts'),
  ]);
  return [uapiEmitter, docsEmitter, abiEmitter, kdispatchEmitter, tsEmitter];
}
