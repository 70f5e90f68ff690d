// kernel-doc comments for generated functions (Documentation/doc-guide/kernel-doc.rst):
// `name() - brief`, one `@param:` each, a description, then Context: and Return: sections.
import { commentSafe, wrapDoc } from '../../src/emit/c/index.ts';
import { WIDTH } from './wrap.ts';

export interface FuncDoc {
  readonly name: string;
  readonly brief: string;
  readonly params: ReadonlyArray<readonly [string, string]>;
  readonly description?: readonly string[];
  readonly context?: string;
  readonly returns: string;
}

const ROOM = WIDTH - 3;

/** `@tag: text`, continued on lines indented by a tab (kernel-doc joins them). */
function tagged(tag: string, text: string): string[] {
  const head = `${tag}: `;
  return wrapDoc(text, ROOM - 8, ROOM - head.length).map((l, i) => (i === 0 ? ` * ${head}${l}` : ` *\t${l}`));
}

function paragraphs(texts: readonly string[]): string[] {
  return texts.flatMap((t) => [' *', ...wrapDoc(commentSafe(t), ROOM).map((l) => (l ? ` * ${l}` : ' *'))]);
}

export function funcDoc(d: FuncDoc): string[] {
  const head = `${d.name}() - `;
  const brief = wrapDoc(d.brief, ROOM, ROOM - head.length);
  return [
    '/**',
    ...brief.map((l, i) => (i === 0 ? ` * ${head}${l}` : ` * ${l}`)),
    ...d.params.flatMap(([p, text]) => tagged(`@${p}`, text)),
    ...paragraphs(d.description ?? []),
    ' *',
    ...(d.context ? tagged('Context', d.context) : []),
    ...tagged('Return', d.returns),
    ' */',
  ];
}

/** A struct's kernel-doc: `struct tag - brief`, its members, then a description. */
export function structDoc(tag: string, brief: string, members: ReadonlyArray<readonly [string, string]>, description: readonly string[] = []): string[] {
  const head = `struct ${tag} - `;
  return [
    '/**',
    ...wrapDoc(brief, ROOM, ROOM - head.length).map((l, i) => (i === 0 ? ` * ${head}${l}` : ` * ${l}`)),
    ...members.flatMap(([m, text]) => tagged(`@${m}`, text)),
    ...paragraphs(description),
    ' */',
  ];
}
