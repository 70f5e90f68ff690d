// Runs every lint rule at the chosen versions and applies the spec's suppressions.
import type { Diagnostic } from '../diagnostics.ts';
import { isLive, type KnownVersion, type Spec } from '../model/index.ts';
import { RULES, type Finding } from './rules.ts';

export { RULES, type Finding, type Rule } from './rules.ts';

export interface LintResult {
  findings: Diagnostic[];
  suppressed: number;
  /** Suppressions that matched nothing at any version they live at: stale, so reported too. */
  unused: Diagnostic[];
}

export function lint(spec: Spec, versions: readonly KnownVersion[] = spec.versions): LintResult {
  const findings = new Map<string, { f: Finding; versions: string[] }>();
  let suppressed = 0;
  const used = new Set<object>();
  for (const v of versions) {
    const vm = spec.at(v);
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
  // A suppression is judged stale only when every listed version it lives at was linted:
  // `lint --at 5.10` cannot know whether a suppression matches at 7.3.
  const judged = (s: { since?: string; until?: string }): boolean => {
    const life = spec.versions.filter((v) => isLive(s, v));
    return life.length > 0 && life.every((v) => versions.includes(v));
  };
  const unused: Diagnostic[] = spec.model.families.flatMap((fam) => fam.suppressions)
    .filter((s) => !used.has(s) && judged(s))
    .map((s) => ({ ...s.pos, rule: 'stale-suppression', severity: 'warning' as const, message: `suppression of ${s.rule} for ${s.item} matches nothing`, hint: 'remove it: the finding it silenced is gone' }));
  return { findings: out, suppressed, unused };
}

/** Error-severity findings that no suppression covers, at one version: these block `gen`. */
export function blockingFindings(spec: Spec, version: KnownVersion): Diagnostic[] {
  return lint(spec, [version]).findings.filter((d) => d.severity === 'error');
}
