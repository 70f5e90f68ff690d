// ts-morph is CommonJS with all of TypeScript behind it. Required rather than imported, so Node
// does not run its CommonJS export scanner over it (loading it alone: 0.56-0.64 s against
// 0.71-0.85 s imported; inside a whole `gen` the gain is within the run-to-run noise).
import { createRequire } from 'node:module';
import type * as Morph from 'ts-morph';

const morph = createRequire(import.meta.url)('ts-morph') as typeof Morph;

export const { printStructure, StructureKind, VariableDeclarationKind } = morph;
