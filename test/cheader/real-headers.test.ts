// The parser over the real UAPI headers of 5.10, 6.1, 6.12 and 7.2, cross-checked
// against regexes that do not share its code and against gcc's preprocessor.
import { beforeAll, describe, expect, it } from 'vitest';
import { parseHeader, tokenize, type HeaderItem, type ParsedHeader } from '../../src/cheader/index.ts';
import {
  allDefines, gccDefines, gccStripComments, headerPath, HEADERS, kernel, KERNEL_LABELS, presentHeaders, readHeader,
  type GccMacro, type Kernel,
} from './support.ts';

function regexAll(text: string, re: RegExp): Array<{ m: RegExpExecArray; line: number }> {
  const out: Array<{ m: RegExpExecArray; line: number }> = [];
  for (const m of text.matchAll(re)) out.push({ m, line: text.slice(0, m.index).split('\n').length });
  return out;
}

describe.each(KERNEL_LABELS)('linux %s headers', (label) => {
  const k: Kernel = kernel(label); // downloads the package on first use
  let gcc: Map<string, GccMacro[]>;
  beforeAll(() => {
    gcc = gccDefines(k);
  });

  it('has the headers this test expects (vduse.h only from 5.15)', () => {
    expect(presentHeaders(k)).toEqual(label === '5.10' ? HEADERS.filter((h) => h !== 'vduse.h') : [...HEADERS]);
  });

  describe.each(presentHeaders(k))('%s', (header) => {
    let text: string;
    let parsed: ParsedHeader;
    beforeAll(() => {
      text = readHeader(k, header);
      parsed = parseHeader(text, headerPath(k, header));
    });

    it('parses without diagnostics', () => {
      expect(parsed.diagnostics).toEqual([]);
    });

    it('finds the include guard', () => {
      const m = /^#ifndef[ \t]+(\w+)[ \t]*\n#define[ \t]+\1\b/m.exec(text);
      expect(m).not.toBeNull();
      expect(parsed.guard).toBe(m?.[1]);
      // The guard's #ifndef is not part of any item's conditions.
      expect(parsed.items.every((i) => i.conds.every((c) => c.expr !== parsed.guard))).toBe(true);
    });

    it('has a define item for every #define line, in order, with line numbers', () => {
      const expected = regexAll(text, /^[ \t]*#[ \t]*define[ \t]+(\w+)/gm).map(({ m, line }) => [m[1], line]);
      expect(expected.length).toBeGreaterThan(5);
      expect(allDefines(parsed.items).map((d) => [d.name, d.line])).toEqual(expected);
    });

    it('agrees with gcc -dD on every macro the header defines (name, parameters, body)', () => {
      const fromGcc = gcc.get(headerPath(k, header)) ?? [];
      expect(fromGcc.length).toBeGreaterThan(5);
      const mine = allDefines(parsed.items);
      for (const g of fromGcc) {
        const candidates = mine.filter((d) => d.name === g.name);
        expect(candidates.length, g.name).toBeGreaterThan(0);
        const want = { name: g.name, params: g.params, body: tokenize(g.body).join(' ') };
        expect(candidates.map((d) => ({ name: d.name, params: d.params, body: d.body }))).toContainEqual(want);
      }
      // Every unconditional define reached gcc; conditional ones that did not are under a condition.
      const gccNames = new Set(fromGcc.map((g) => g.name));
      const topLevel = parsed.items.filter((i): i is Extract<HeaderItem, { kind: 'define' }> => i.kind === 'define');
      for (const d of topLevel) if (!gccNames.has(d.name)) expect(d.conds.length, d.name).toBeGreaterThan(0);
    });

    it('has a struct/union item for every top-level definition, in order', () => {
      const expected = regexAll(text, /^(struct|union)[ \t]+(\w+)[ \t]*\{/gm).map(({ m }) => `${m[1]} ${m[2]}`);
      const got = parsed.items.filter((i) => i.kind === 'struct' || i.kind === 'union').map((i) => `${i.kind} ${'name' in i ? i.name : ''}`);
      expect(got).toEqual(expected);
    });

    it('has an enum item for every enum definition, with one enumerator per name', () => {
      const expected = regexAll(text, /^enum\b[ \t]*(\w*)[ \t]*\{/gm).map(({ m }) => m[1] || undefined);
      const enums = parsed.items.filter((i): i is Extract<HeaderItem, { kind: 'enum' }> => i.kind === 'enum');
      expect(enums.map((e) => e.name)).toEqual(expected);
      for (const e of enums) {
        const body = text.split('\n').slice(e.line - 1).join('\n');
        const block = body.slice(body.indexOf('{') + 1, body.indexOf('}'));
        const names = [...block.replace(/\/\*[\s\S]*?\*\//g, '').matchAll(/^[ \t]*(\w+)/gm)].map((m) => m[1]);
        expect(e.enumerators.map((x) => x.name)).toEqual(names);
      }
    });

    it('has an include item for every #include line', () => {
      const expected = regexAll(text, /^#include[ \t]+<([^>]+)>/gm).map(({ m, line }) => ({ path: m[1], line }));
      const got = parsed.items.filter((i) => i.kind === 'include').map((i) => ({ path: 'path' in i ? i.path : '', line: i.line }));
      expect(got).toEqual(expected);
    });

    it('parses the comment-stripped text (gcc -fpreprocessed) to the same declarations', () => {
      const stripped = parseHeader(gccStripComments(headerPath(k, header)));
      expect(stripped.diagnostics).toEqual([]);
      expect(stripped.guard).toBe(parsed.guard);
      expect(dropLines(stripped.items)).toEqual(dropLines(parsed.items));
    });
  });
});

/** Items without line numbers, which comment stripping shifts. */
function dropLines(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropLines);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => k !== 'line').map(([k, v]) => [k, dropLines(v)]));
  }
  return value;
}
