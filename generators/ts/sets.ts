// Constants and sets of one family. Sets are `as const` objects with a type of the same name
// (no TS enum: the output must run with types stripped): flags and status as bigint masks,
// features as bit numbers, enumerations as numbers; describe* turn a value back into names.
import { StructureKind, VariableDeclarationKind } from './morph.ts';
import type { StatementStructures } from 'ts-morph';
import type { AbiView, Constant, ConstantSet } from '../../src/model/index.ts';
import { docs, SUPPORT } from './docs.ts';
import { setName } from './names.ts';
import type { ImportScope } from './scope.ts';

const SAFE = 2n ** 53n;

const literal = (v: bigint, big: boolean): string => {
  const hex = v < 0n ? `-0x${(-v).toString(16)}` : `0x${v.toString(16)}`;
  const text = v >= -9n && v <= 9n ? v.toString() : hex;
  return big ? `${text}n` : text;
};

const byFamily = new WeakMap<AbiView, Map<string, Constant[]>>();

/** The view's constants grouped by family, once per view (each family's file asks). */
function constantsOf(view: AbiView, family: string): readonly Constant[] {
  let groups = byFamily.get(view);
  if (!groups) {
    groups = new Map();
    for (const c of view.constants.values()) groups.set(c.family, [...(groups.get(c.family) ?? []), c]);
    byFamily.set(view, groups);
  }
  return groups.get(family) ?? [];
}

export function constantStatements(view: AbiView, family: string): StatementStructures[] {
  const out: StatementStructures[] = [];
  for (const c of constantsOf(view, family)) {
    if (c.kind === 'external') continue;
    const initializer = c.string !== undefined ? JSON.stringify(c.string) : c.value !== undefined ? literal(c.value, c.value >= SAFE || c.value <= -SAFE) : undefined;
    if (initializer === undefined) continue;
    out.push({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: docs(c.item.doc ?? `${c.name}: ${c.spelling} in the header.`, 'since' in c.item || 'until' in c.item ? c.item : {}, view, family),
      declarations: [{ name: c.name, initializer }],
    });
  }
  return out;
}

export function setStatements(view: AbiView, set: ConstantSet, scope: ImportScope): StatementStructures[] {
  const { item } = set;
  const name = setName(item.id);
  const members = item.values.filter((v) => !v.sentinel && !v.aliasOf && view.value(v.name) !== undefined);
  const kind = item.set;
  const big = kind === 'flags' || kind === 'status';
  const entries = members.map((v) => `  /** ${(v.doc ?? v.name).replaceAll('*/', '*\\/')} */\n  ${v.name}: ${literal(view.value(v.name) as bigint, big)},`);
  const out: StatementStructures[] = [
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: docs(`${item.doc ?? item.id} (${kind === 'features' ? 'bit numbers' : big ? 'masks' : 'values'})`, item, view, set.family),
      declarations: [{ name, initializer: `{\n${entries.join('\n')}\n} as const` }],
    },
    { kind: StructureKind.TypeAlias, name, isExported: true, type: `(typeof ${name})[keyof typeof ${name}]` },
  ];
  const describe = kind === 'features'
    ? { param: `mask: bigint | ${scope.type('FeatureWords', SUPPORT)}`, body: `${scope.value('describeFeatures', SUPPORT)}(${name}, mask)`, doc: 'The names of the feature bits set in mask (a 64-bit mask or 64-bit words).' }
    : big
      ? { param: 'mask: bigint', body: `${scope.value('describeMask', SUPPORT)}(${name}, mask)`, doc: 'The names of the masks set in mask; unnamed bits as hex.' }
      : { param: 'value: number | bigint', body: `${scope.value('nameOf', SUPPORT)}(${name}, value)`, doc: 'The name of a value, or undefined.' };
  out.push({
    kind: StructureKind.Function,
    name: `describe${name}`,
    isExported: true,
    docs: [describe.doc],
    parameters: [{ name: describe.param.split(':')[0] as string, type: describe.param.split(': ')[1] as string }],
    returnType: kind === 'features' || big ? 'string[]' : 'string | undefined',
    statements: [`return ${describe.body};`],
  });
  return out;
}
