// Shared C printing for every emitter that writes C: spacing, comments and kernel-doc,
// preprocessor blocks.
export { cSpacing, continued, displayWidth } from './spacing.ts';
export { comment, commentSafe, kernelDoc, splitBrief, wrapDoc, COMMENT_COLUMNS, type DocMember } from './comment.ts';
export { defineLines, guarded, includeGuard, withIncludeGuard } from './preprocessor.ts';
