// Every broken spec in test/fixtures/broken names the rule and the position of its error in a
// leading `# expect: RULE at LINE:COL` comment, worked out by hand from the YAML.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSpec, viewAt, uapiFiles } from '../support/spec.ts';

const dir = join(import.meta.dirname, '../fixtures/broken');
const project = { path: 'project.yaml', text: 'project: broken\nversions: [6.1, 6.12]\n' };

describe('broken specs', () => {
  for (const name of readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort()) {
    it(name, () => {
      const text = readFileSync(join(dir, name), 'utf8');
      const m = /^# expect: (\S+) at (\d+):(\d+)/.exec(text);
      expect(m, 'fixture lacks an expect line').not.toBeNull();
      const [, rule, line, col] = m as RegExpExecArray;
      const { diagnostics } = runSpec([project, { path: name, text }]);
      const errors = diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((d) => `${d.rule} at ${d.line}:${d.col}`)).toContain(`${rule} at ${line}:${col}`);
      for (const d of errors) {
        expect(d.file).toBe(name);
        expect(d.message.length).toBeGreaterThan(5);
        expect(d.hint ?? '').not.toBe('');
      }
    });
  }

  it('reports an import cycle once, at the family that closes it', () => {
    const a = { path: 'a.yaml', text: 'family: a\ndoc: A.\nimports: [b]\nitems: []\n' };
    const b = { path: 'b.yaml', text: 'family: b\ndoc: B.\nimports: [a]\nitems: []\n' };
    const { diagnostics } = runSpec([project, a, b]);
    const cycles = diagnostics.filter((d) => d.rule === 'spec-import-cycle');
    expect(cycles).toHaveLength(1);
    expect(cycles[0]?.message).toMatch(/a -> b -> a/);
    expect([cycles[0]?.file, cycles[0]?.line, cycles[0]?.col]).toEqual(['a.yaml', 3, 10]);
  });

  it('reports all errors of a run at once, across files', () => {
    const one = { path: 'one.yaml', text: readFileSync(join(dir, 'unknown-key.yaml'), 'utf8') };
    const two = { path: 'two.yaml', text: readFileSync(join(dir, 'bad-version.yaml'), 'utf8').replace('family: broken', 'family: broken-two') };
    const { diagnostics } = runSpec([project, one, two]);
    expect(diagnostics.map((d) => `${d.file}:${d.rule}`)).toEqual(expect.arrayContaining(['one.yaml:spec-unknown-key', 'two.yaml:spec-pattern']));
  });

  it('keeps a u64 above 2^53 exact', () => {
    const text = 'family: big\ndoc: Big.\nitems:\n  - define: BIG\n    value: 18446744073709551615\n  - define: BIG_HEX\n    value: 0xfffffffffffffffe\n';
    const p = runSpec([project, { path: 'big.yaml', text }]);
    expect(p.diagnostics).toEqual([]);
    const vm = viewAt(p, '6.12');
    expect(vm.value('BIG')).toBe(2n ** 64n - 1n);
    expect(vm.value('BIG_HEX')).toBe(2n ** 64n - 2n);
  });

  it('reads 6.10 as a version, not the number 6.1', () => {
    const text = 'family: v\ndoc: V.\nitems:\n  - define: NEW_IN_610\n    value: 1\n    since: 6.10\n';
    const p = runSpec([{ path: 'project.yaml', text: 'project: v\nversions: [6.1, 6.10]\n' }, { path: 'v.yaml', text }]);
    expect(p.diagnostics).toEqual([]);
    expect(viewAt(p, '6.1').value('NEW_IN_610')).toBeUndefined();
    expect(viewAt(p, '6.10').value('NEW_IN_610')).toBe(1n);
  });
});

describe('inputs the fuzzer found', () => {
  const run = (text: string): string[] => runSpec([project, { path: 'f.yaml', text }]).diagnostics.map((d) => `${d.rule}@${d.line}`);
  it('an integer where a version belongs is a schema error, not a crash', () => {
    expect(run('family: f\ndoc: F.\nitems:\n  - define: X\n    value: 1\n    since: 601\n')).toEqual(['spec-type@6']);
  });
  it('a malformed octal literal is an expression error, not a crash', () => {
    expect(run('family: f\ndoc: F.\nitems:\n  - define: X\n    value: 018446744073709551616x58\n')).toEqual(['spec-bad-expression@5']);
  });
});

describe('C expression edge cases the fuzzer found', () => {
  const run = (value: string): string[] => runSpec([project, { path: 'f.yaml', text: `family: f\ndoc: F.\nitems:\n  - define: X\n    value: "${value}"\n` }]).diagnostics.map((d) => d.rule);
  it('rejects shifts past the operand width and too-large literals', () => {
    expect(run('(1 << 18446744073709551616)')).toEqual(['spec-bad-expression']);
    expect(run('(1 << 32)')).toEqual(['spec-bad-expression']);
    expect(run('(1ULL << 63)')).toEqual([]);
    expect(run('18446744073709551616')).toEqual(['spec-bad-expression']);
  });
});

describe('imports', () => {
  const a = { path: 'a.yaml', text: 'family: a\ndoc: A.\nitems:\n  - { define: A_TYPE, value: 0xA0, ioctl-type: true }\n  - { define: A_LEN, value: 4 }\n  - struct: a_args\n    members:\n      - { field: x, type: __u32 }\n' };
  const b = (imports: string): { path: string; text: string } => ({
    path: 'b.yaml',
    text: `family: b\ndoc: B.\n${imports}items:\n  - { define: B_LEN, value: A_LEN * 2 }\n  - { request: B_GET, type: A_TYPE, nr: 1, encoding: read, arg: struct a_args }\n`,
  });
  it('a name from a family that is not imported is an error at the use, with the fix as hint', () => {
    const d = runSpec([project, a, b('')]).diagnostics;
    expect(d.map((x) => `${x.file}:${x.line}:${x.col} ${x.rule}`)).toEqual(['b.yaml:4:29 spec-not-imported', 'b.yaml:5:29 spec-not-imported', 'b.yaml:5:65 spec-not-imported']);
    expect(d[0]?.hint).toBe('add a to imports: of b');
  });
  it('importing the family makes its names visible', () => {
    expect(runSpec([project, a, b('imports: [a]\n')]).diagnostics).toEqual([]);
  });
});
