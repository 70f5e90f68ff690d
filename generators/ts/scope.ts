// The imports of one generated module: each name used is recorded with the module that exports
// it, type-only or not (verbatimModuleSyntax wants the difference spelled out).
import { StructureKind } from './morph.ts';
import type { ImportDeclarationStructure } from 'ts-morph';

export class ImportScope {
  private readonly used = new Map<string, Map<string, boolean>>();

  constructor(private readonly self: string) {}

  /** Records name as used from module (a path relative to this module); returns name. */
  value(name: string, module: string): string {
    return this.add(name, module, false);
  }

  type(name: string, module: string): string {
    return this.add(name, module, true);
  }

  private add(name: string, module: string, typeOnly: boolean): string {
    if (module === this.self) return name;
    let names = this.used.get(module);
    if (!names) this.used.set(module, (names = new Map()));
    names.set(name, (names.get(name) ?? true) && typeOnly);
    return name;
  }

  declarations(): ImportDeclarationStructure[] {
    return [...this.used].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([module, names]) => {
      const all = [...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      const typeOnly = all.every(([, t]) => t);
      return {
        kind: StructureKind.ImportDeclaration,
        moduleSpecifier: module,
        isTypeOnly: typeOnly,
        namedImports: all.map(([name, t]) => ({ name, ...(t && !typeOnly ? { isTypeOnly: true } : {}) })),
      };
    });
  }
}
