// Statements for the structs and unions of one family: an interface, a writer and a reader per
// layout variant, a codec per variant and the codec of each ABI.
import { StructureKind, VariableDeclarationKind } from './morph.ts';
import type { StatementStructures } from 'ts-morph';
import { ABIS, type AbiView } from '../../src/model/index.ts';
import { flexElementSize, readerBody, writerBody, type VariantNames } from './codec.ts';
import { bigPaths, properties } from './interfaces.ts';
import { camel, codecName, familyModule, typeName } from './names.ts';
import type { ImportScope } from './scope.ts';
import type { Variants } from './variants.ts';
import { docs, SUPPORT } from './docs.ts';

export const writerName = (key: string, suffix: string): string => `write${typeName(key)}${suffix}`;
export const readerName = (key: string, suffix: string): string => `read${typeName(key)}${suffix}`;

export function typeStatements(view: AbiView, key: string, variants: Variants, scope: ImportScope): StatementStructures[] {
  const entry = view.types.get(key);
  if (!entry) throw new Error(`ts: ${key} is not defined`);
  const name = typeName(key);
  const widest = variants.on(key, (ABIS[0] as { name: string }).name).shape;
  const big = bigPaths(widest);
  const out: StatementStructures[] = [{
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: docs(entry.item.doc ?? `${key}.`, entry.item, view, entry.family),
    properties: properties(widest.children, widest.union, big),
  }];
  const ref = (k: string, fn: (k: string, suffix: string) => string, abi: string): string => {
    const family = view.types.get(k)?.family as string;
    return scope.value(fn(k, variants.on(k, abi).suffix), familyModule(family));
  };
  const codecType = scope.type('Codec', SUPPORT);
  for (const v of variants.of(key)) {
    const abi = v.abis[0] as string;
    const names: VariantNames = {
      writer: (k) => ref(k, writerName, abi),
      reader: (k) => ref(k, readerName, abi),
      big: (cPath) => big.has(cPath),
    };
    const write = writerBody(v.shape, names);
    const read = readerBody(v.shape, names);
    const used = (fn: string): void => {
      if ([...write, ...read].some((l) => l.includes(`${fn}(`))) scope.value(fn, SUPPORT);
    };
    ['badValue', 'putText', 'getText', 'putBytes', 'getBytes'].forEach(used);
    const elem = flexElementSize(v.shape);
    out.push({
      kind: StructureKind.Function,
      name: writerName(key, v.suffix),
      isExported: true,
      docs: [`Writes ${key} in the layout of ${v.abis.join(', ')} at view[at...]; the bytes must be zero.`],
      parameters: [{ name: 'view', type: 'DataView' }, { name: 'at', type: 'number' }, { name: 'v', type: name }],
      returnType: 'void',
      statements: [write.length ? write.join('\n') : '// Nothing but reserved bytes: they stay zero.\nvoid view;\nvoid at;\nvoid v;'],
    }, {
      kind: StructureKind.Function,
      name: readerName(key, v.suffix),
      isExported: true,
      docs: [`Reads ${key} in the layout of ${v.abis.join(', ')} from view[at...].`],
      parameters: [{ name: 'view', type: 'DataView' }, { name: 'at', type: 'number' }, ...(elem !== undefined ? [{ name: 'end', type: 'number' }] : [])],
      returnType: name,
      statements: [read.join('\n')],
    }, {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [`${key} on ${v.abis.join(', ')}: ${v.shape.size} bytes${elem !== undefined ? ` and ${elem} per element of ${v.shape.flex?.prop}` : ''}.`],
      declarations: [{
        name: `${camel(key.replace(/^(struct|union) /, ''))}${v.suffix}`,
        type: `${codecType}<${name}>`,
        initializer: elem === undefined
          ? `${scope.value('fixedCodec', SUPPORT)}('${key}', ${v.shape.size}, ${writerName(key, v.suffix)}, ${readerName(key, v.suffix)})`
          : `${scope.value('flexCodec', SUPPORT)}('${key}', ${v.shape.size}, ${elem}, (v) => v.${v.shape.flex?.prop}.length${elem > 1 && v.shape.flex?.kind === 'bytes' ? ` / ${elem}` : ''}, ${writerName(key, v.suffix)}, ${readerName(key, v.suffix)})`,
      }],
    });
  }
  out.push({
    kind: StructureKind.VariableStatement,
    declarationKind: VariableDeclarationKind.Const,
    isExported: true,
    docs: [`The codec of ${key} on each ABI.`],
    declarations: [{
      name: codecName(key),
      type: `${scope.type('PerAbi', SUPPORT)}<${codecType}<${name}>>`,
      initializer: `{ ${ABIS.map((a) => `${a.name}: ${camel(key.replace(/^(struct|union) /, ''))}${variants.on(key, a.name).suffix}`).join(', ')} }`,
    }],
  });
  return out;
}
