// `ioctl-abi diff` as a user runs it: exit codes, --fail-on, formats, acknowledgements, and
// one-line errors for bad input.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/run.ts';
import { chain, DEMO, specCopy, sub } from './support.ts';

// A wire break (nr of DEMO_SET), a behaviour change (a gate removed) and compatible additions.
const head = specCopy(DEMO, chain(sub('nr: 0x01', 'nr: 0x09'), sub('      - requests: [DEMO_GET]\n        owner: true\n        error: EPERM\n', ''), sub('  - { define: DEMO_OLD_NAME, value: 7 }\n', '  - { define: DEMO_OLD_NAME, value: 7 }\n  - { define: DEMO_EXTRA, value: 8 }\n')));

describe('exit codes and --fail-on', () => {
  it('exits 0 on a spec compared with itself', () => {
    const r = cli(['diff', DEMO, DEMO]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok: no findings');
  });
  it('exits 1 on a wire break, grouped by severity, worst first', () => {
    const r = cli(['diff', DEMO, head]);
    expect(r.status).toBe(1);
    const wire = r.stdout.indexOf('wire-break (1)');
    const change = r.stdout.indexOf('behaviour-change (1) - does not fail the run');
    const compat = r.stdout.indexOf('compatible (1) - does not fail the run');
    expect(wire).toBeGreaterThan(0);
    expect(change).toBeGreaterThan(wire);
    expect(compat).toBeGreaterThan(change);
    expect(r.stdout).toContain('DEMO_SET is 0x4018d001 -> 0x4018d009 on x86_64 (nr 0x1 -> 0x9)');
    expect(r.stdout).not.toContain('\x1b['); // no colour off a terminal
  });
  it('--fail-on picks the severities that fail', () => {
    expect(cli(['diff', DEMO, head, '--fail-on', 'behaviour-break']).status).toBe(0);
    expect(cli(['diff', DEMO, head, '--fail-on', 'behaviour-change']).status).toBe(1);
    expect(cli(['diff', DEMO, head, '--fail-on', 'none']).status).toBe(0);
  });
});

describe('usage and input errors: one line, exit 2, no stack trace', () => {
  const oneLine = (r: { status: number; stderr: string }, text: RegExp): void => {
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(text);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  };
  it('no base', () => oneLine(cli(['diff']), /diff needs a BASE/));
  it('an unknown format or severity', () => {
    oneLine(cli(['diff', DEMO, DEMO, '--format', 'xml']), /--format must be one of/);
    oneLine(cli(['diff', DEMO, DEMO, '--fail-on', 'wire']), /'wire' is not a severity/);
  });
  it('a side that is neither a spec nor a ref', () => oneLine(cli(['diff', 'no-such-thing', DEMO], { cwd: '/' }), /'no-such-thing' is not a spec folder or file/));
  it('a version the spec does not know', () => oneLine(cli(['diff', `${DEMO}@5.4`, DEMO]), /does not know kernel 5.4 \(known: 6.1, 6.12, 7.2\)/));
  it('an invalid spec: its diagnostics with file:line:col, exit 2', () => {
    const bad = specCopy(DEMO, sub('nr: 0x01', 'nr: 0x1ff'));
    const r = cli(['diff', DEMO, bad]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/demo\.yaml:\d+:\d+: error \[spec-out-of-range\]/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('acknowledgements', () => {
  // Not in the spec folder: every YAML file there is a spec file.
  const acks = (_dir: string, text: string): string => {
    const file = join(mkdtempSync(join(tmpdir(), 'ioctl-abi-acks-')), 'abi-acks.yaml');
    writeFileSync(file, text);
    return file;
  };
  it('an acknowledged break does not fail; the report says why', () => {
    const file = acks(head, 'acknowledgements:\n  - rule: request-number-changed\n    item: DEMO_SET\n    abis: all\n    reason: never released\n');
    const r = cli(['diff', DEMO, head, '--acks', file]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('acknowledged (1)');
    expect(r.stdout).toContain('never released');
  });
  it('an acknowledgement for other ABIs does not match, and is stale: fails', () => {
    const file = acks(head, 'acknowledgements:\n  - rule: request-number-changed\n    item: DEMO_SET\n    abis: [i386]\n    reason: only i386\n');
    const r = cli(['diff', DEMO, head, '--acks', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('stale acknowledgements (1)');
  });
  it('a stale acknowledgement fails even when nothing else does', () => {
    const file = acks(head, 'acknowledgements:\n  - rule: constant-removed\n    item: DEMO_GONE\n    abis: all\n    reason: was never used\n');
    const r = cli(['diff', DEMO, DEMO, '--acks', file]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/abi-acks\.yaml:2:5: constant-removed DEMO_GONE/);
  });
  it('a bad file is an error at its line: unknown rule, TODO reason, unknown ABI', () => {
    const rule = cli(['diff', DEMO, head, '--acks', acks(head, 'acknowledgements:\n  - rule: number-changed\n    item: X\n    abis: all\n    reason: r\n')]);
    expect(rule.status).toBe(2);
    expect(rule.stderr).toMatch(/abi-acks\.yaml:2:11: unknown rule 'number-changed'/);
    const todo = cli(['diff', DEMO, head, '--acks', acks(head, 'acknowledgements:\n  - rule: request-number-changed\n    item: DEMO_SET\n    abis: all\n    reason: "TODO: say why"\n')]);
    expect(todo.status).toBe(2);
    expect(todo.stderr).toMatch(/abi-acks\.yaml:5:13: the reason still says TODO/);
    const abi = cli(['diff', DEMO, head, '--acks', acks(head, 'acknowledgements:\n  - rule: request-number-changed\n    item: DEMO_SET\n    abis: [vax]\n    reason: r\n')]);
    expect(abi.status).toBe(2);
    expect(abi.stderr).toMatch(/unknown ABI in abis \(vax\)/);
  });
  it('--write-acks writes one entry per failing finding, with a TODO reason to fill in', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ioctl-abi-acks-')), 'written.yaml');
    const r = cli(['diff', DEMO, head, '--acks', file, '--write-acks']);
    expect(r.status).toBe(0);
    expect(existsSync(file)).toBe(true);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('  - rule: request-number-changed\n    item: "DEMO_SET"\n    abis: all\n    reason: "TODO: say why this change is acceptable"');
    expect(text).not.toContain('gate-removed'); // behaviour-change does not fail by default
    expect(cli(['diff', DEMO, head, '--acks', file]).status).toBe(2); // until the reason is written
    writeFileSync(file, text.replace('TODO: say why this change is acceptable', 'DEMO_SET was never released'));
    expect(cli(['diff', DEMO, head, '--acks', file]).status).toBe(0);
  });
});

describe('formats', () => {
  it('json: the documented, stable schema', () => {
    const r = cli(['diff', DEMO, head, '--format', 'json']);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['format', 'base', 'head', 'abis', 'pairs', 'failOn', 'failed', 'summary', 'findings', 'staleAcknowledgements']);
    expect(doc.format).toBe('ioctl-abi-diff/1');
    expect(doc.summary['wire-break']).toEqual({ open: 1, acknowledged: 0 });
    const f = doc.findings[0];
    expect(Object.keys(f)).toEqual(['rule', 'severity', 'item', 'message', 'abis', 'witnesses', 'versions', 'base', 'head']);
    expect(f.head.file).toMatch(/demo\.yaml$/);
    expect(f.versions).toEqual([{ base: '6.1', head: '6.1' }, { base: '6.12', head: '6.12' }, { base: '7.2', head: '7.2' }]);
    expect(cli(['diff', DEMO, head, '--format', 'json']).stdout).toBe(r.stdout); // stable
  });
  it('markdown: a summary table and the breaks', () => {
    const r = cli(['diff', DEMO, head, '--format', 'markdown']);
    expect(r.stdout).toContain('| severity | open | acknowledged | fails the run |');
    expect(r.stdout).toContain('| wire-break | 1 | 0 | yes |');
    expect(r.stdout).toContain('#### wire-break (1)');
    expect(r.stdout).toContain('<details><summary>compatible (1)</summary>');
  });
  it('--output writes the report to a file', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ioctl-abi-out-')), 'report.md');
    const r = cli(['diff', DEMO, head, '--format', 'markdown', '--output', file]);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toContain('#### wire-break (1)');
  });
});
