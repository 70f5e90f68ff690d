// The vocabulary of the ABI diff: severities, findings and where they point.

/** From worst to mildest; `--fail-on` picks some of them. */
export const SEVERITIES = ['wire-break', 'source-break', 'behaviour-break', 'behaviour-change', 'compatible'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** What fails a run unless acknowledged, when `--fail-on` is not given. */
export const DEFAULT_FAIL_ON: readonly Severity[] = ['wire-break', 'source-break', 'behaviour-break'];

export function isSeverity(s: string): s is Severity {
  return (SEVERITIES as readonly string[]).includes(s);
}

/** A place in a spec file; `ref` is the git ref it was read from, if any. */
export interface Location {
  file: string;
  line: number;
  col: number;
  ref?: string;
}

/** Old and new value on one ABI (absent `abi`: the same on every ABI). */
export interface Witness {
  abi?: string;
  old?: string;
  new?: string;
}

/** The versions compared: the same version on both sides, or a transition. */
export interface VersionPair {
  base: string;
  head: string;
}

export interface Finding {
  rule: string;
  severity: Severity;
  /** What the finding is about: a request, 'struct x', 'struct x.field', a constant, 'REQ@fd', 'device d', ... */
  item: string;
  message: string;
  /** The ABIs it holds on (every compared ABI for ABI-independent findings), sorted by the model's order. */
  abis: string[];
  witnesses: Witness[];
  /** Version pairs it was seen at, oldest first. */
  versions: VersionPair[];
  base?: Location;
  head?: Location;
  /** The head location is the item's tombstone (its entry with until:). */
  tombstone?: true;
  hint?: string;
}

export interface SideSummary {
  /** As the user wrote it: 'spec', 'origin/main', 'spec@6.1'. */
  label: string;
  /** Where the spec was read: a folder, or REF:folder. */
  source: string;
  /** The commit a git side was read from. */
  commit?: string;
  /** The versions it was compared at. */
  versions: string[];
}

export interface DiffResult {
  base: SideSummary;
  head: SideSummary;
  /** Every ABI compared, in the model's order. */
  abis: string[];
  pairs: VersionPair[];
  findings: Finding[];
}
