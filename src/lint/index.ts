// Runs every lint rule at every listed version and applies the spec's suppressions.
import type { Diagnostic } from '../diagnostics.ts';
import type { Pipeline } from '../pipeline.ts';
import { isLive } from '../model/version.ts';
import { RULES, type Finding } from './rules.ts';

export interface LintResult {
  findings: Diagnostic[];
  suppressed: number;
  /** Suppressions that matched nothing at any version: stale, so they are reported too. */
  unused: Diagnostic[];
}

export function lint(p: Pipeline, versions: readonly string[] = p.model.versions): LintResult {
  const findings = new Map<string, { f: Finding; versions: string[] }>();
  let suppressed = 0;
  const used = new Set<object>();
  for (const v of versions) {
    const vm = p.versions.at(v);
    const suppressions = vm.families.flatMap((f) => f.suppressions);
    for (const rule of RULES) {
      for (const f of rule.check(vm)) {
        const s = suppressions.find((x) => x.rule === f.rule && x.item === f.item && isLive(x, v) && (!x.abis || (f.abis ?? []).every((a) => x.abis?.includes(a))));
        if (s) {
          used.add(s);
          suppressed++;
          continue;
        }
        const key = `${f.rule}\0${f.item}\0${f.message}`;
        const seen = findings.get(key);
        if (seen) seen.versions.push(v);
        else findings.set(key, { f, versions: [v] });
      }
    }
  }
  const all = versions.length;
  const out: Diagnostic[] = [...findings.values()].map(({ f, versions: vs }) => ({
    ...f.pos, rule: f.rule, severity: f.severity, hint: f.hint,
    message: vs.length === all ? f.message : `${f.message} (at ${vs.join(', ')})`,
  }));
  const unused: Diagnostic[] = p.model.families.flatMap((fam) => fam.suppressions)
    .filter((s) => !used.has(s) && versions.some((v) => isLive(s, v)))
    .map((s) => ({ ...s.pos, rule: 'stale-suppression', severity: 'warning' as const, message: `suppression of ${s.rule} for ${s.item} matches nothing`, hint: 'remove it: the finding it silenced is gone' }));
  return { findings: out, suppressed, unused };
}
