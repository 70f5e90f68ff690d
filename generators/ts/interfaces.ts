// The TypeScript interface of a struct or union, from its widest shape (x86_64's: every long and
// pointer at 8 bytes), so one type serves every ABI. Reserved fields and padding are not in it.
import type { PropertySignatureStructure, OptionalKind } from 'ts-morph';
import { alternatives, visible } from './codec.ts';
import { typeName } from './names.ts';
import type { Node, Shape } from './shape.ts';
import { isBig } from './scalars.ts';

export type Property = OptionalKind<PropertySignatureStructure>;

/** Whether the property at a C path holds a bigint: 64-bit values and masks. */
export function bigPaths(shape: Shape): Set<string> {
  const out = new Set<string>();
  const visit = (n: Node): void => {
    if (n.kind === 'scalar' && (n.mask || isBig(n.scalar))) out.add(n.cPath);
    if (n.kind === 'inline') n.children.forEach(visit);
  };
  shape.children.forEach(visit);
  return out;
}

function valueType(n: Node, big: ReadonlySet<string>): string {
  const many = n.count !== undefined;
  switch (n.kind) {
    case 'text':
      return 'string';
    case 'bytes':
      return 'Uint8Array';
    case 'scalar': {
      const t = big.has(n.cPath) ? 'bigint' : 'number';
      return many ? `readonly ${t}[]` : t;
    }
    case 'type':
      return many ? `readonly ${typeName(n.key)}[]` : typeName(n.key);
    case 'inline': {
      const t = `{ ${properties(n.children, n.union, big).map((p) => `readonly ${p.name}${p.hasQuestionToken ? '?' : ''}: ${String(p.type)}`).join('; ')} }`;
      return many ? `readonly ${t}[]` : t;
    }
  }
}

const docOf = (n: Node, fallback?: string): string[] => {
  const text = [n.doc ?? fallback, n.since ? `@since ${n.since}` : undefined].filter((x): x is string => x !== undefined);
  return text.length ? [text.join('\n')] : [];
};

/** Properties of the members of a struct (or, with union, the alternatives of a union). */
export function properties(children: readonly Node[], union: boolean, big: ReadonlySet<string>, optional = false): Property[] {
  const choice = union && alternatives({ children }).length > 1;
  return children.filter(visible).flatMap((n): Property[] => {
    const opt = optional || choice;
    if (n.kind === 'inline' && !n.prop) return properties(n.children, n.union, big, opt);
    // An argsz field may be left out: the codec writes the size of what it encodes.
    const argsz = n.kind === 'scalar' && n.argsz === true;
    return [{ name: n.prop, type: valueType(n, big), isReadonly: true, hasQuestionToken: opt || argsz, docs: docOf(n, argsz ? 'size of the whole argument in bytes' : undefined).map((d) => (argsz ? `${d}\n\nLeft out, the encoded size is written.` : d)) }];
  });
}
