// Property: whatever bytes a spec file holds, the pipeline answers with diagnostics, never an
// exception, and every diagnostic has a position and a rule id.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runSpec, viewAt, uapiFiles } from '../support/spec.ts';

const project = { path: 'project.yaml', text: 'project: fuzz\nversions: [6.1, 6.12]\n' };
const seeds = [
  ...readdirSync(join(import.meta.dirname, '../fixtures/broken')).map((f) => readFileSync(join(import.meta.dirname, '../fixtures/broken', f), 'utf8')),
  readFileSync(join(import.meta.dirname, '../fixtures/layout/cases.yaml'), 'utf8'),
];
const RUNS = Number(process.env.FUZZ_RUNS ?? 2000);

function wellFormed(text: string): void {
  const p = runSpec([project, { path: 'fuzz.yaml', text }]);
  for (const d of p.diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(0);
    expect(d.col).toBeGreaterThanOrEqual(0);
    expect(d.rule).toMatch(/^[a-z]+(-[a-z0-9]+)*$/);
  }
}

// Mutations a hand edit might make: delete, duplicate or swap lines, change a character,
// splice in a token that means something to YAML or to the spec.
const TOKENS = ['- ', ': ', '{', '}', '[', ']', '0x', '-1', '18446744073709551616', 'struct ', 'since: 6.1', 'until: 5.10', '&a', '*a', '!!binary', '"', "'", '\t', '#', 'request: X', 'value: X_B', 'arg: struct x', 'count: []', 'null', '~'];
const mutation = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('dup' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), ch: fc.string({ minLength: 1, maxLength: 1 }) }),
  fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom(...TOKENS) }),
);

function mutate(text: string, ms: Array<{ kind: string; at: number; ch?: string; token?: string }>): string {
  let lines = text.split('\n');
  for (const m of ms) {
    const i = lines.length ? m.at % lines.length : 0;
    if (m.kind === 'delete') lines.splice(i, 1);
    else if (m.kind === 'dup') lines.splice(i, 0, lines[i] ?? '');
    else if (m.kind === 'swap' && lines.length > 1) [lines[i], lines[(i + 1) % lines.length]] = [lines[(i + 1) % lines.length] as string, lines[i] as string];
    else {
      const flat = lines.join('\n');
      const pos = flat.length ? m.at % flat.length : 0;
      lines = (flat.slice(0, pos) + (m.ch ?? m.token ?? '') + flat.slice(pos + (m.kind === 'char' ? 1 : 0))).split('\n');
    }
  }
  return lines.join('\n');
}

describe('the loader never throws', () => {
  it(`on ${RUNS} mutated spec files`, () => {
    let cases = 0;
    fc.assert(
      fc.property(fc.constantFrom(...seeds), fc.array(mutation, { minLength: 1, maxLength: 6 }), (seed, ms) => {
        cases++;
        wellFormed(mutate(seed, ms));
      }),
      { numRuns: RUNS },
    );
    console.log(`loader fuzz: ${cases} mutated specs`);
    expect(cases).toBe(RUNS);
  });

  it(`on ${RUNS} random documents`, () => {
    let cases = 0;
    const yamlish = fc.stringMatching(/^[a-z:\-\[\]{}0-9 \n#'"x.]{0,200}$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), yamlish, fc.jsonValue().map((v) => JSON.stringify(v))), (text) => {
        cases++;
        wellFormed(text);
      }),
      { numRuns: RUNS },
    );
    console.log(`loader fuzz: ${cases} random documents`);
    expect(cases).toBe(RUNS);
  });
});

describe('the C expression evaluator', () => {
  it(`answers a value or an EvalError for ${RUNS} random expressions`, async () => {
    const { evaluate, EvalError } = await import('../../src/model/cexpr.ts');
    const token = fc.constantFrom('1', '0', '31', '32', '63', '64', '0x7fffffff', '0xffffffffffffffff', '18446744073709551616', '019', '1U', '1ULL', "';'", 'X', '(', ')', '+', '-', '*', '/', '%', '<<', '>>', '&', '|', '^', '~', '!', '?', ':', '==', '(__u64)', '(unsigned char)', 'sizeof', '(int)');
    let cases = 0;
    fc.assert(
      fc.property(fc.array(token, { maxLength: 12 }), (toks) => {
        cases++;
        try {
          const v = evaluate(toks.join(' '), { lookup: (n) => (n === 'X' ? { value: 5n, unsigned: false } : undefined) });
          expect(typeof v.value).toBe('bigint');
          expect(v.value >= -(2n ** 63n) && v.value < 2n ** 64n).toBe(true);
        } catch (e) {
          if (!(e instanceof EvalError)) throw e;
        }
      }),
      { numRuns: RUNS },
    );
    console.log(`cexpr fuzz: ${cases} expressions`);
  });
});
