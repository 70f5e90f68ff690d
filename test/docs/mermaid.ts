// Mermaid's own parser (the `mermaid` package, as GitHub renders diagrams) in Node: it wants a
// DOM for its sanitiser, which jsdom gives. parseState returns what the parser understood: the
// states with their labels and every transition, nested and concurrent regions included.
import { JSDOM } from 'jsdom';

export interface ParsedState {
  readonly states: ReadonlyMap<string, string>;
  readonly transitions: readonly { readonly from: string; readonly to: string; readonly label: string }[];
}

type Mermaid = typeof import('mermaid').default;
let loaded: Promise<Mermaid> | undefined;

async function mermaid(): Promise<Mermaid> {
  if (!loaded) {
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    Object.assign(globalThis, { window, document: window.document });
    loaded = import('mermaid').then((m) => m.default);
  }
  return loaded;
}

interface Stmt {
  stmt: string;
  id?: string;
  description?: string;
  doc?: Stmt[];
  state1?: Stmt;
  state2?: Stmt;
}

/** Parses a diagram (throws on a syntax error, with Mermaid's message) and walks its tree. */
export async function parseState(text: string): Promise<ParsedState> {
  const m = await mermaid();
  const r = await m.parse(text);
  if (!r || r.diagramType !== 'stateDiagram') throw new Error(`not a state diagram: ${JSON.stringify(r)}`);
  const diagram = await m.mermaidAPI.getDiagramFromText(text);
  const root = (diagram.db as unknown as { getRootDocV2(): Stmt }).getRootDocV2();
  const states = new Map<string, string>();
  const transitions: { from: string; to: string; label: string }[] = [];
  const walk = (list: readonly Stmt[] | undefined): void => {
    for (const s of list ?? []) {
      if (s.stmt === 'state' && s.id && s.description && !states.get(s.id)) states.set(s.id, s.description);
      if (s.stmt === 'relation' && s.state1?.id && s.state2?.id) transitions.push({ from: s.state1.id, to: s.state2.id, label: s.description ?? '' });
      walk(s.doc);
    }
  };
  walk(root.doc);
  return { states, transitions };
}
