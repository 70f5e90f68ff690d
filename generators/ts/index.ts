// generators/ts: typed TypeScript bindings, generated/ts/<family>.ts for one kernel version:
// constants, sets, an interface and per-ABI codecs for every struct and union, request numbers
// per ABI, a function per request and a client class per fd kind and device profile. Built as
// ts-morph statement structures, printed in one call per file. generated/ts/abi.ts and client.ts hold what the family modules share;
// generated/ts/api/<name>.ts gathers the modules of one fd family for a package subpath.
import { printStructure, StructureKind } from './morph.ts';
import type { StatementStructures } from 'ts-morph';
import type { Emitter, GeneratedFile } from '../../src/emit/index.ts';
import type { AbiView, Family } from '../../src/model/index.ts';
import { clientStatements } from './clients.ts';
import { clientSupportStatements } from './client-support.ts';
import { familyModule } from './names.ts';
import { numberStatements, requestFunction } from './requests.ts';
import { ImportScope } from './scope.ts';
import { constantStatements, setStatements } from './sets.ts';
import { supportStatements } from './support.ts';
import { typeStatements } from './types.ts';
import { Variants } from './variants.ts';
import { entryFiles } from './entries.ts';
import { messageStatements } from './messages.ts';
import { messageSupportStatements } from './message-support.ts';

function familyStatements(view: AbiView, family: Family, variants: Variants): StatementStructures[] | string[] {
  const scope = new ImportScope(familyModule(family.name));
  const body: (StatementStructures | string)[] = [
    ...constantStatements(view, family.name),
    ...[...view.sets.values()].filter((s) => s.family === family.name).flatMap((s) => setStatements(view, s, scope)),
    ...[...view.types.values()].filter((t) => t.family === family.name).flatMap((t) => typeStatements(view, t.key, variants, scope)),
  ];
  const requests = view.requests.filter((r) => r.family === family.name);
  if (requests.length > 0) {
    body.push(...numberStatements(view, family.name, requests, scope));
    body.push(...requests.map((r) => requestFunction(view, family.name, r, scope, variants)));
  }
  body.push(...clientStatements(view, family.name, scope));
  body.push(...messageStatements(view, family.name, scope));
  return [...scope.declarations(), ...body] as StatementStructures[];
}

/** A blank line after the imports and before every top-level doc comment (the printer puts them around blocks only). */
const spaced = (text: string): string => text.replace(/^(import .*\n)(?!import |\n)/m, '$1\n').replace(/([^\n{])\n(\/\*\*)/g, '$1\n\n$2');

export const tsEmitter: Emitter = {
  name: 'ts',
  owns: 'ts',
  emit(view): GeneratedFile[] {
    const variants = new Variants(view);
    // One call per file: the whole statement list printed at once (printStructure writes the text
    // without building a syntax tree; createSourceFile would also parse it, add* calls per declaration far slower).
    const render = (_path: string, statements: readonly (StatementStructures | string)[]): string =>
      spaced(printStructure({ kind: StructureKind.SourceFile, statements: [...statements] }, { indentNumberOfSpaces: 2, useSingleQuote: true }));
    const files: GeneratedFile[] = [
      { path: 'ts/abi.ts', syntax: 'ts', sources: ['project.yaml'], mode: `TypeScript support, kernel ${view.version}`, body: render('abi.ts', supportStatements()) },
      { path: 'ts/client.ts', syntax: 'ts', sources: ['project.yaml'], mode: `TypeScript support, kernel ${view.version}`, body: render('client.ts', clientSupportStatements()) },
      ...(view.protocols.size > 0 ? [{ path: 'ts/message.ts', syntax: 'ts' as const, sources: ['project.yaml'], mode: `TypeScript support, kernel ${view.version}`, body: render('message.ts', messageSupportStatements()) }] : []),
    ];
    for (const family of view.families) {
      files.push({
        path: `ts/${family.name}.ts`,
        syntax: 'ts',
        sources: [family.file],
        mode: `TypeScript bindings, kernel ${view.version}`,
        body: render(`${family.name}.ts`, familyStatements(view, family, variants)),
      });
    }
    return [...files, ...entryFiles(view, render)];
  },
};
