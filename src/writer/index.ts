// Output writer: atomic, deterministic writing of generated files, drift checking, unified diffs.

export { WriterError, type OutputFile, type WritePlan } from './paths.ts';
export { writeOutputs, type WriteOptions, type WriteResult } from './write.ts';
export { checkOutputs, type FileDrift } from './check.ts';
export { unifiedDiff } from './diff.ts';
