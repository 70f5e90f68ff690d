// Request numbers of one family on every ABI, and one function per request that encodes its
// argument exactly as the spec sizes it, calls the transport and decodes what comes back.
import { StructureKind, VariableDeclarationKind } from './morph.ts';
import type { StatementStructures, OptionalKind, ParameterDeclarationStructure } from 'ts-morph';
import { ABIS, type AbiView, type CType, type Request } from '../../src/model/index.ts';
import { CLIENT, docs, SUPPORT } from './docs.ts';
import { camel, codecName, familyModule, pascal, typeName } from './names.ts';
import { accessor, cName, isBig, outOfRange, scalarOf, tsType, type Scalar } from './scalars.ts';
import type { ImportScope } from './scope.ts';
import type { Variants } from './variants.ts';

/** What a request's argument is in TypeScript. */
export type Argument =
  | { readonly kind: 'none' }
  | { readonly kind: 'value'; readonly scalar: Scalar }
  | { readonly kind: 'c-string' }
  | { readonly kind: 'scalar'; readonly scalar: Scalar }
  | { readonly kind: 'text'; readonly length: number }
  | { readonly kind: 'codec'; readonly key: string; readonly flexible: boolean };

/** The request's argument; its size on every ABI must agree where the code assumes one. */
export function argumentOf(view: AbiView, r: Request): Argument {
  const t = r.item.argType;
  if (r.item.pass === 'none' || !t) return { kind: 'none' };
  const sizes = (c: CType): number[] => ABIS.map((abi) => {
    const l = view.layout(abi, c);
    if (!l.ok) throw new Error(`ts: ${r.item.name}: ${l.error}`);
    return l.layout.size;
  });
  const same = (c: CType): number => {
    const s = sizes(c);
    if (s.some((x) => x !== s[0])) throw new Error(`ts: ${r.item.name}: the argument's size differs between ABIs`);
    return s[0] as number;
  };
  if (r.item.pass === 'value') {
    if (t.kind === 'pointer' && t.to.kind === 'prim' && t.to.name === 'char') return { kind: 'c-string' };
    return { kind: 'value', scalar: scalarOf(t, same(t)) };
  }
  if (t.kind === 'struct' || t.kind === 'union') {
    const key = `${t.kind} ${t.tag}`;
    const l = view.layout(ABIS[0] as (typeof ABIS)[number], key);
    return { kind: 'codec', key, flexible: l.ok && l.layout.flexible };
  }
  if (t.kind === 'array') {
    if (t.of.kind === 'prim' && t.of.name === 'char') return { kind: 'text', length: same(t) };
    throw new Error(`ts: ${r.item.name}: array arguments other than char[] are not supported`);
  }
  return { kind: 'scalar', scalar: scalarOf(t, same(t)) };
}

/** In: the kernel reads the argument; out: it writes it; a flexible struct is sized by the caller, so it goes both ways. */
export function direction(r: Request, arg: Argument): 'none' | 'in' | 'out' | 'inout' {
  if (arg.kind === 'none') return 'none';
  const d = r.item.data;
  if (d === 'out' && arg.kind === 'codec' && arg.flexible) return 'inout';
  return d === 'none' ? 'in' : d;
}

export const requestFunctionName = (r: Request): string => camel(r.item.name);
export const numbersName = (family: string): string => `${family.replace(/-/g, '_').toUpperCase()}_REQUEST_NUMBERS`;
const numbersType = (family: string): string => `${pascal(family)}RequestNumbers`;

export function numberStatements(view: AbiView, family: string, requests: readonly Request[], scope: ImportScope): StatementStructures[] {
  const tables = new Map<string, { abis: string[]; body: string }>();
  for (const abi of ABIS) {
    const body = requests.map((r) => `  ${r.item.name}: 0x${view.number(r, abi).toString(16)},`).join('\n');
    const t = tables.get(body);
    if (t) t.abis.push(abi.name);
    else tables.set(body, { abis: [abi.name], body });
  }
  const tableName = (abis: readonly string[]): string => `${camel(family)}Numbers_${abis[0] as string}`;
  const type = numbersType(family);
  return [
    {
      kind: StructureKind.Interface,
      name: type,
      isExported: true,
      docs: [`The request numbers of ${family} on one ABI.`],
      properties: requests.map((r) => ({ name: r.item.name, type: 'number', isReadonly: true, docs: docs(r.item.doc ?? r.item.name, r.item, view, r.family) })),
    },
    ...[...tables.values()].map((t): StatementStructures => ({
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      docs: [`On ${t.abis.join(', ')}.`],
      declarations: [{ name: tableName(t.abis), type, initializer: `{\n${t.body}\n}` }],
    })),
    {
      kind: StructureKind.VariableStatement,
      declarationKind: VariableDeclarationKind.Const,
      isExported: true,
      docs: [`The request numbers of ${family} on each ABI (the _IOC encoding and the argument sizes differ).`],
      declarations: [{
        name: numbersName(family),
        type: `${scope.type('PerAbi', SUPPORT)}<${type}>`,
        initializer: `{ ${ABIS.map((a) => `${a.name}: ${tableName([...tables.values()].find((t) => t.abis.includes(a.name))?.abis ?? [])}`).join(', ')} }`,
      }],
    },
  ];
}

/** The TypeScript type of what a request takes (undefined: nothing) and returns. */
export function signature(view: AbiView, r: Request, scope: ImportScope): { param?: string; result: string } {
  const arg = argumentOf(view, r);
  const dir = direction(r, arg);
  const typeOf = (): string => {
    switch (arg.kind) {
      case 'none': return 'void';
      case 'value': case 'scalar': return tsType(arg.scalar);
      case 'c-string': case 'text': return 'string';
      case 'codec': return scope.type(typeName(arg.key), familyModule(view.types.get(arg.key)?.family as string));
    }
  };
  const t = typeOf();
  const data = dir === 'out' || dir === 'inout';
  return {
    ...(dir === 'in' || dir === 'inout' ? { param: t } : {}),
    // A request that returns something (a new fd) and fills its argument gives both.
    result: data && r.item.returns ? `{ result: number; value: ${t} }` : data ? t : 'number',
  };
}

const endian = (s: Scalar, scope: ImportScope): string => (s.order ? String(s.order === 'le') : `${scope.value('isLittleEndian', SUPPORT)}(target.abi)`);

export function requestFunction(view: AbiView, family: string, r: Request, scope: ImportScope, variants: Variants): StatementStructures {
  const name = r.item.name;
  const arg = argumentOf(view, r);
  const dir = direction(r, arg);
  const sig = signature(view, r, scope);
  const target = scope.type('IoctlTarget', CLIENT);
  const call = scope.value('call', CLIENT);
  const body: string[] = [`const number = ${numbersName(family)}[target.abi].${name};`];
  const params: OptionalKind<ParameterDeclarationStructure>[] = [{ name: 'target', type: target }];
  if (sig.param) params.push({ name: 'arg', type: sig.param });
  const finish = (bytes: string): void => {
    body.push(`const result = ${call}(target, '${name}', number, ${bytes});`);
  };
  switch (arg.kind) {
    case 'none':
      finish('null');
      body.push('return result;');
      break;
    case 'value': {
      const s = arg.scalar;
      body.push(`if (${outOfRange(s, 'arg')}) throw ${scope.value('badValue', SUPPORT)}('${name} argument', arg, '${cName(s)}');`);
      finish(isBig(s) ? 'arg' : 'BigInt(arg)');
      body.push('return result;');
      break;
    }
    case 'c-string':
      finish(`${scope.value('cString', SUPPORT)}(arg, '${name} argument')`);
      body.push('return result;');
      break;
    case 'text':
      body.push(`const bytes = new Uint8Array(${arg.length});`);
      body.push(`${scope.value('putText', SUPPORT)}(new DataView(bytes.buffer), 0, ${arg.length}, arg, '${name} argument');`);
      finish('bytes');
      body.push('return result;');
      break;
    case 'scalar': {
      const s = arg.scalar;
      if (dir === 'in') body.push(`if (${outOfRange(s, 'arg')}) throw ${scope.value('badValue', SUPPORT)}('${name} argument', arg, '${cName(s)}');`);
      body.push(`const bytes = new Uint8Array(${s.size});`);
      if (dir === 'in') {
        body.push(`new DataView(bytes.buffer).set${accessor(s)}(0, arg${s.size > 1 ? `, ${endian(s, scope)}` : ''});`);
      }
      finish('bytes');
      const value = `new DataView(bytes.buffer).get${accessor(s)}(0${s.size > 1 ? `, ${endian(s, scope)}` : ''})`;
      body.push(dir === 'in' ? 'return result;' : r.item.returns ? `return { result, value: ${value} };` : `return ${value};`);
      break;
    }
    case 'codec': {
      const codec = scope.value(codecName(arg.key), familyModule(view.types.get(arg.key)?.family as string));
      variants.of(arg.key); // every ABI has a variant (throws otherwise)
      body.push(`const codec = ${codec}[target.abi];`);
      body.push(dir === 'out' ? 'const bytes = new Uint8Array(codec.size);' : 'const bytes = codec.encode(arg);');
      finish('bytes');
      body.push(dir === 'in' ? 'return result;' : r.item.returns ? 'return { result, value: codec.decode(bytes) };' : 'return codec.decode(bytes);');
      break;
    }
  }
  // `const result = call(...); return result;` reads better as one return; a decoding request drops the result.
  const at = body.findIndex((l) => l.startsWith('const result = '));
  const line = body[at] as string;
  if (body[at + 1] === 'return result;') body.splice(at, 2, line.replace('const result = ', 'return '));
  else if (!body.slice(at + 1).some((l) => /\bresult\b/.test(l))) body.splice(at, 1, line.replace('const result = ', ''));
  return {
    kind: StructureKind.Function,
    name: requestFunctionName(r),
    isExported: true,
    docs: docs(`${name}: ${r.item.doc ?? ''}${r.item.returns ? `\n\nReturns ${r.item.returns}.` : ''}`, r.item, view, r.family),
    parameters: params,
    returnType: sig.result,
    statements: [body.join('\n')],
  };
}
