// tokenize(): comments and layout never change the token list; and parsing is fast.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lex, parseHeader, tokenize } from '../../src/cheader/index.ts';
import { gccStripComments, headerPath, kernel, KERNEL_LABELS, presentHeaders, readHeader } from './support.ts';

describe('tokenize', () => {
  it('splits C tokens, keeps header names whole, drops comments and splices', () => {
    expect(tokenize('#include <linux/types.h>\n#define A(x) ((x)<<=2)->b... /* c */ 0x1fULL 1e+5 .5 L"w" \\\n  end // x\n'))
      .toEqual(['#', 'include', '<linux/types.h>', '#', 'define', 'A', '(', 'x', ')', '(', '(', 'x', ')', '<<=', '2', ')',
        '->', 'b', '...', '0x1fULL', '1e+5', '.5', 'L"w"', 'end']);
    expect(tokenize('VHOST_\\\nSET x < y')).toEqual(['VHOST_SET', 'x', '<', 'y']);
  });

  it('marks directive ends on request', () => {
    expect(tokenize('#define A 1 \\\n + 2\nint x;\n#endif', { directiveEnds: true }))
      .toEqual(['#', 'define', 'A', '1', '+', '2', '\n', 'int', 'x', ';', '#', 'endif', '\n']);
  });

  it('reports physical line numbers across splices and multi-line comments', () => {
    const toks = lex('a /* 1\n2 */ b \\\n c\n  d').tokens;
    expect(toks.map((t) => [t.text, t.line, t.col, t.bol])).toEqual([
      ['a', 1, 1, true], ['b', 2, 6, false], ['c', 3, 2, false], ['d', 4, 3, true],
    ]);
  });
});

describe.each(KERNEL_LABELS)('linux %s: tokens are independent of comments and layout', (label) => {
  const k = kernel(label);

  it.each(presentHeaders(k))('%s equals gcc\'s comment-stripped text token for token', (header) => {
    const text = readHeader(k, header);
    const stripped = gccStripComments(headerPath(k, header));
    expect(stripped).not.toBe(text);
    const mine = tokenize(text, { directiveEnds: true });
    expect(mine.length).toBeGreaterThan(100);
    expect(tokenize(stripped, { directiveEnds: true })).toEqual(mine);
    // Comments really were in the original and are gone from the tokens.
    expect(text).toContain('/*');
    expect(mine.some((t) => t.startsWith('/*') || t.startsWith('//'))).toBe(false);
  });

  it.each(presentHeaders(k))('%s reflowed with random whitespace, comments and splices gives the same tokens and items', (header) => {
    const text = readHeader(k, header);
    const tokens = lex(text).tokens;
    const expected = tokenize(text, { directiveEnds: true });
    const original = stripLines(parseHeader(text).items);
    const inDirective = [' ', '\t', '/* c */', '/* two\n lines */', ' \\\n'];
    const inCode = [...inDirective, '\n', '// line comment\n', '\n\n\t'];
    fc.assert(fc.property(fc.integer(), (seed) => {
      const next = lcg(seed);
      let out = '';
      let directive = false;
      let inLine = 0; // index of the token within its directive
      for (const t of tokens) {
        inLine++;
        if (t.bol) {
          if (directive) out += next(2) ? ' // end\n' : '\n';
          directive = t.text === '#' && t.kind === 'punct';
          inLine = 0;
          out += next(2) ? '\n' : '/* before */\n  ';
        } else if (directive && inLine === 3 && t.text === '(' && !t.space) {
          // '#define F(x)': whitespace before '(' would make F object-like.
        } else {
          const seps = directive ? inDirective : inCode;
          out += seps[next(seps.length)] as string;
        }
        // Splice some identifiers in the middle: phase 2 joins them back.
        out += t.kind === 'ident' && t.text.length > 3 && next(8) === 0 ? `${t.text.slice(0, 2)}\\\n${t.text.slice(2)}` : t.text;
      }
      out += '\n';
      expect(tokenize(out, { directiveEnds: true })).toEqual(expected);
      const reparsed = parseHeader(out);
      expect(reparsed.diagnostics).toEqual([]);
      expect(stripLines(reparsed.items)).toEqual(original);
    }), { numRuns: 5 });
  });
});

/** A small deterministic generator: next(n) is in [0, n). */
function lcg(seed: number): (n: number) => number {
  let state = seed >>> 0;
  return (n) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state >>> 8) % n;
  };
}

function stripLines(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripLines);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([key]) => key !== 'line').map(([key, v]) => [key, stripLines(v)]));
  }
  return value;
}

describe('speed', () => {
  it('parses all nine headers of one version in well under 50 ms after warm-up', () => {
    const k = kernel('7.2');
    const texts = presentHeaders(k).map((h) => readHeader(k, h));
    expect(texts).toHaveLength(9);
    const run = (): number => {
      const t0 = performance.now();
      for (const t of texts) parseHeader(t);
      return performance.now() - t0;
    };
    for (let i = 0; i < 5; i++) run();
    const times = Array.from({ length: 9 }, run).sort((a, b) => a - b);
    const median = times[4] as number;
    expect(median).toBeLessThan(50);
  });
});
