// A client class per fd kind and per device profile: one method per request it accepts, named
// after the request, typed by the request's real data direction, plus read/write methods for the
// records of the message channels on that fd. A profile's class has only its profile's requests.
import { StructureKind } from './morph.ts';
import type { ClassDeclarationStructure, MethodDeclarationStructure, OptionalKind, StatementStructures } from 'ts-morph';
import type { AbiView, Channel, Request } from '../../src/model/index.ts';
import { CLIENT, docs, SUPPORT } from './docs.ts';
import { codecName, familyModule, methodName, pascal, typeName } from './names.ts';
import { requestFunctionName, signature } from './requests.ts';
import type { ImportScope } from './scope.ts';
import { RUNTIME } from './client-support.ts';

export const fdClassName = (fd: string): string => `${pascal(fd)}Fd`;
export const deviceClassName = (device: string): string => `${pascal(device)}Device`;

function requestMethod(view: AbiView, r: Request, scope: ImportScope): OptionalKind<MethodDeclarationStructure> {
  const sig = signature(view, r, scope);
  const fn = scope.value(requestFunctionName(r), familyModule(r.family));
  return {
    name: methodName(r.item.name),
    docs: docs(`${r.item.name}: ${r.item.doc ?? ''}`, r.item, view, r.family),
    parameters: sig.param ? [{ name: 'arg', type: sig.param }] : [],
    returnType: sig.result,
    statements: [`return ${fn}(this${sig.param ? ', arg' : ''});`],
  };
}

function channelMethods(view: AbiView, family: string, channels: readonly Channel[], scope: ImportScope): OptionalKind<MethodDeclarationStructure>[] {
  return channels.flatMap((ch) => ch.records.map((rec): OptionalKind<MethodDeclarationStructure> => {
    const key = rec.type;
    const typeFamily = view.types.get(key)?.family as string;
    const type = scope.type(typeName(key), familyModule(typeFamily));
    const codec = `${scope.value(codecName(key), familyModule(typeFamily))}[this.abi]`;
    const doc = `${rec.direction === 'read' ? 'Reads' : 'Writes'} one ${key} of the ${ch.name} channel${rec.when ? ` (with ${rec.when})` : ''}.${rec.doc ? ` ${rec.doc}` : ''}`;
    return rec.direction === 'read'
      ? { name: `read${typeName(key)}`, docs: docs(doc, ch, view, family), returnType: type, statements: [`return ${scope.value('readRecord', CLIENT)}(this, ${codec}, '${key}');`] }
      : { name: `write${typeName(key)}`, docs: docs(doc, ch, view, family), parameters: [{ name: 'record', type }], returnType: 'number', statements: [`return ${scope.value('writeRecord', CLIENT)}(this, ${codec}, record, '${key}');`] };
  }));
}

function clientClass(view: AbiView, family: string, name: string, fdKind: string, doc: string, lived: { since?: string; until?: string }, requests: readonly Request[], scope: ImportScope): ClassDeclarationStructure {
  const channels = [...view.channels.values()].filter((c) => c.fds.includes(fdKind));
  const methods = [...requests.map((r) => requestMethod(view, r, scope)), ...channelMethods(view, family, channels, scope)];
  const seen = new Set<string>();
  for (const m of methods) {
    if (seen.has(m.name)) throw new Error(`ts: ${name} would have two methods named ${m.name}`);
    seen.add(m.name);
  }
  const abiName = scope.type('AbiName', SUPPORT);
  return {
    kind: StructureKind.Class,
    name,
    isExported: true,
    implements: [scope.type('IoctlTarget', CLIENT)],
    docs: docs(doc, lived, view, family),
    properties: [
      { name: 'transport', type: scope.type('Transport', RUNTIME), isReadonly: true },
      { name: 'fd', type: 'number', isReadonly: true },
      { name: 'fdKind', initializer: `'${fdKind}'`, isReadonly: true },
      { name: 'abi', type: abiName, isReadonly: true },
    ],
    ctors: [{
      docs: ['fd: an open fd of this kind; abi: the ABI of the kernel it talks to (default: this process\'s, which throws on a platform the bindings do not know).'],
      parameters: [{ name: 'transport', type: 'Transport' }, { name: 'fd', type: 'number' }, { name: 'abi', type: abiName, initializer: `${scope.value('hostAbi', SUPPORT)}()` }],
      statements: ['this.transport = transport;', 'this.fd = fd;', 'this.abi = abi;'],
    }],
    methods,
  };
}

export function clientStatements(view: AbiView, family: string, scope: ImportScope): StatementStructures[] {
  const fam = view.families.find((f) => f.name === family);
  if (!fam) return [];
  const out: StatementStructures[] = [];
  for (const fd of fam.fds) {
    const requests = view.requests.filter((r) => r.item.scope.includes(fd.name));
    out.push(clientClass(view, family, fdClassName(fd.name), fd.name, `A ${fd.name} fd: every request of that kind. ${fd.doc}`, fd, requests, scope));
  }
  for (const d of fam.devices) {
    const accepted = view.accepted(d.name);
    const requests = view.requests.filter((r) => accepted.has(r.item.name));
    out.push(clientClass(view, family, deviceClassName(d.name), d.fd, `A ${d.fd} fd of the ${d.name} profile: only the requests it accepts. ${d.doc}`, d, requests, scope));
  }
  return out;
}
