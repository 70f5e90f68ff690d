// ts-morph is CommonJS with all of TypeScript behind it. Required rather than imported, so Node
// does not run its CommonJS export scanner over it on every `gen` (about 0.15 s of a run).
import { createRequire } from 'node:module';
import type * as Morph from 'ts-morph';

const morph = createRequire(import.meta.url)('ts-morph') as typeof Morph;

export const { printStructure, StructureKind, VariableDeclarationKind } = morph;
