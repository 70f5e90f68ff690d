// The emitter framework: the contract every generator implements, the banner, shared C printing.
export type { EmitOptions, Emitter, GeneratedFile, HistorySpec, Syntax } from './contract.ts';
export { BANNER_MARK, bannerLines, regenCommand, renderFile } from './banner.ts';
export { EmitterError, runEmitters } from './run.ts';
