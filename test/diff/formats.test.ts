// SARIF 2.1.0 against the published JSON Schema, and the GitHub annotation limits.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { applyAcks, type Ack } from '../../src/diff/acks.ts';
import { formatGithub, PER_RUN, PER_SEVERITY } from '../../src/diff/format/github.ts';
import { fingerprint, formatSarif } from '../../src/diff/format/sarif.ts';
import { makeReport } from '../../src/diff/report.ts';
import { RULES } from '../../src/diff/rules.ts';
import { DEFAULT_FAIL_ON, type DiffResult, type Finding } from '../../src/diff/types.ts';
import { diff } from './support.ts';

const require = createRequire(import.meta.url);

/**
 * The SARIF 2.1.0 schema as Microsoft publishes it (SchemaStore's sarif-2.1.0-rtm.5.json, JSON
 * Schema draft-04), shipped in the npm package @microsoft/jest-sarif; no npm package ships the
 * OASIS errata copy (sarif-schema-2.1.0.json). Validated with ajv's draft-04 class and formats.
 */
function sarifValidator() {
  const Ajv04 = require('ajv-draft-04') as typeof import('ajv-draft-04').default;
  const addFormats = require('ajv-formats') as typeof import('ajv-formats').default;
  const schema = require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as object;
  // The schema's language pattern ("^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") is not valid with the u flag.
  const ajv = new Ajv04({ allErrors: true, strict: false, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe('SARIF', async () => {
  const validate = sarifValidator();
  const result = await diff('spec/history/vhost-mdev-v2', 'spec/history/vhost-mdev-v3');
  const acks: Ack[] = [{ rule: 'request-removed', item: 'VHOST_MDEV_GET_QUEUE_NUM', abis: 'all', reason: 'dropped after review', at: 'acks.yaml:2:5' }];
  const report = makeReport(result, applyAcks(result.findings, acks, result.abis), DEFAULT_FAIL_ON);
  const sarif = JSON.parse(formatSarif(report, '0.1.0'));

  it('validates against the published SARIF 2.1.0 schema', () => {
    const ok = validate(sarif);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
  it('the schema catches a broken log (the validator is not vacuous)', () => {
    expect(validate({ ...sarif, version: '2.0.0' })).toBe(false);
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });
  it('carries every rule, levels by severity, and fingerprints from rule + item + ABIs', () => {
    const run = sarif.runs[0];
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(Object.keys(RULES));
    const renumbered = run.results.find((r: { ruleId: string; properties: { item: string } }) => r.ruleId === 'request-number-changed' && r.properties.item === 'VHOST_MDEV_GET_STATUS');
    expect(renumbered.level).toBe('error');
    expect(renumbered.partialFingerprints['ioctlAbiFinding/v1']).toBe(fingerprint({ rule: 'request-number-changed', item: 'VHOST_MDEV_GET_STATUS', abis: result.abis }));
    expect(renumbered.locations[0].physicalLocation.artifactLocation.uri).toBe('spec/history/vhost-mdev-v3/vhost-mdev-v3.yaml');
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === 'gate-errno-changed').level).toBe('warning');
    const acked = run.results.find((r: { ruleId: string; properties: { item: string } }) => r.ruleId === 'request-removed');
    expect(acked.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'dropped after review' }]);
  });
  it('a fingerprint does not depend on the order of the ABIs', () => {
    expect(fingerprint({ rule: 'r', item: 'i', abis: ['i386', 'm68k'] })).toBe(fingerprint({ rule: 'r', item: 'i', abis: ['m68k', 'i386'] }));
  });
});

describe('GitHub annotations', () => {
  const finding = (i: number, severity: Finding['severity']): Finding => ({
    rule: 'constant-value-changed', severity, item: `C${i}`, message: `C${i} is 1 -> 2, 100%`, abis: ['x86_64'], witnesses: [], versions: [{ base: '7.2', head: '7.3' }],
    head: { file: 'spec/vfio.yaml', line: i + 1, col: 5 },
  });
  const result = (findings: Finding[]): DiffResult => ({ base: { label: 'b', source: 'b', versions: [] }, head: { label: 'h', source: 'h', versions: [] }, abis: ['x86_64', 'i386'], pairs: [{ base: '7.2', head: '7.3' }], findings });

  it('annotate head spec lines, escaped, with the command per severity', () => {
    const out = formatGithub(makeReport(result([finding(1, 'wire-break'), finding(2, 'behaviour-break'), finding(3, 'compatible')]), { open: [finding(1, 'wire-break'), finding(2, 'behaviour-break'), finding(3, 'compatible')], acknowledged: [], stale: [] }, DEFAULT_FAIL_ON)).trim().split('\n');
    expect(out[0]).toBe('::error file=spec/vfio.yaml,line=2,col=5,title=wire-break%3A constant-value-changed C1::C1 is 1 -> 2, 100%25 (on x86_64 only, at 7.2 -> 7.3)');
    expect(out[1]?.startsWith('::warning ')).toBe(true);
    expect(out[2]?.startsWith('::notice ')).toBe(true);
  });
  it('at most 10 per severity and 50 per run, then one "N more" notice', () => {
    const many = [...Array.from({ length: 15 }, (_, i) => finding(i, 'wire-break')), ...Array.from({ length: 15 }, (_, i) => finding(i, 'source-break')), ...Array.from({ length: 15 }, (_, i) => finding(i, 'behaviour-break')), ...Array.from({ length: 15 }, (_, i) => finding(i, 'behaviour-change')), ...Array.from({ length: 15 }, (_, i) => finding(i, 'compatible'))];
    const lines = formatGithub(makeReport(result(many), { open: many, acknowledged: [], stale: [] }, DEFAULT_FAIL_ON)).trim().split('\n');
    expect(PER_SEVERITY).toBe(10);
    expect(PER_RUN).toBe(50);
    expect(lines.filter((l) => l.startsWith('::error ')).length).toBe(20);
    expect(lines.filter((l) => l.startsWith('::warning ')).length).toBe(10);
    expect(lines.length).toBe(51);
    expect(lines[50]).toMatch(/^::notice title=ioctl-abi diff::25 more finding\(s\) not annotated/);
  });
  it('nothing to say: no output', () => {
    expect(formatGithub(makeReport(result([]), { open: [], acknowledged: [], stale: [] }, DEFAULT_FAIL_ON))).toBe('');
  });
});
