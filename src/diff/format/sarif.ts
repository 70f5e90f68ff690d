// SARIF 2.1.0 output for code scanning: one result per finding, at its head spec line (or the
// base line when the head has none), rule metadata from the catalog, and a fingerprint of
// rule + item + ABIs so a finding keeps its identity across runs. Acknowledged findings are
// results with an external suppression carrying the reason.
import { createHash } from 'node:crypto';
import { RULES, type RuleId } from '../rules.ts';
import type { DiffReport } from '../report.ts';
import type { Finding, Location, Severity } from '../types.ts';
import { abisText, versionsText } from './common.ts';

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { 'wire-break': 'error', 'source-break': 'error', 'behaviour-break': 'warning', 'behaviour-change': 'note', compatible: 'note' };

export function fingerprint(f: Pick<Finding, 'rule' | 'item' | 'abis'>): string {
  return createHash('sha256').update(`${f.rule}\0${f.item}\0${[...f.abis].sort().join(',')}`).digest('hex').slice(0, 32);
}

function physical(l: Location) {
  return { physicalLocation: { artifactLocation: { uri: l.file.split('\\').join('/') }, region: { startLine: l.line, startColumn: l.col } } };
}

export function formatSarif(report: DiffReport, toolVersion: string): string {
  const ids = Object.keys(RULES) as RuleId[];
  const index = new Map(ids.map((id, i) => [id, i]));
  const result = (f: Finding, reason?: string) => {
    const primary = f.head && !f.head.ref ? f.head : f.base && !f.base.ref ? f.base : (f.head ?? f.base);
    const related = [f.head, f.base].filter((l): l is Location => l !== undefined && l !== primary);
    return {
      ruleId: f.rule,
      ruleIndex: index.get(f.rule as RuleId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: `${f.message} (on ${abisText(f.abis, report.abis)}, ${versionsText(f, report.pairs)})` },
      ...(primary ? { locations: [physical(primary)] } : {}),
      ...(related.length ? { relatedLocations: related.map((l, i) => ({ id: i + 1, ...physical(l), message: { text: l.ref ? `as it was at ${l.ref}` : f.tombstone ? 'tombstone' : 'before' } })) } : {}),
      partialFingerprints: { 'ioctlAbiFinding/v1': fingerprint(f) },
      properties: { severity: f.severity, item: f.item, abis: f.abis, witnesses: f.witnesses, versions: f.versions },
      ...(reason !== undefined ? { suppressions: [{ kind: 'external', status: 'accepted', justification: reason }] } : {}),
    };
  };
  const sarif = {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [{
      tool: {
        driver: {
          name: 'ioctl-abi diff',
          version: toolVersion,
          rules: ids.map((id) => ({
            id,
            name: id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
            shortDescription: { text: RULES[id].title },
            fullDescription: { text: `${RULES[id].title}: ${RULES[id].why}.` },
            help: { text: `Fix: ${RULES[id].fix}.` },
            defaultConfiguration: { level: LEVEL[RULES[id].severity] },
            properties: { severity: RULES[id].severity },
          })),
        },
      },
      columnKind: 'unicodeCodePoints',
      results: [...report.open.map((f) => result(f)), ...report.acknowledged.map(({ finding, ack }) => result(finding, ack.reason))],
      properties: { base: report.base, head: report.head, failOn: report.failOn, failed: report.failed },
    }],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}
