#!/usr/bin/env node
// Entry point. In a clone (src/cli/main.ts present and tsx installed) it runs the TypeScript
// source through tsx, so a developer never runs a stale dist/. An installed package has no
// sources and no tsx: it runs the JavaScript built into dist/ (npm run build).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// `ioctl-abi dump --json | head` closes the pipe early: that is not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

const source = new URL('../src/cli/main.ts', import.meta.url);

/** tsx's loader API, or undefined when tsx is not installed (an installed package). */
async function tsxApi() {
  try {
    return await import('tsx/esm/api');
  } catch (e) {
    if (e?.code === 'ERR_MODULE_NOT_FOUND' && /'tsx'/.test(e.message)) return undefined;
    throw e;
  }
}

let entry = new URL('../dist/src/cli/main.js', import.meta.url);
const tsx = existsSync(fileURLToPath(source)) ? await tsxApi() : undefined;
if (tsx) {
  tsx.register();
  entry = source;
}
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
