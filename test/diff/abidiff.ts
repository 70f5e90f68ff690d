// The kernel's own UAPI guard, scripts/check-uapi.sh, reproduced for one header pair: compile a
// stub that includes the header with -g (the script's flags), run libabigail's abidiff
// (Debian abigail-tools) with the script's suppressions, and judge its exit code and summary
// the way the script does. Used side by side with `ioctl-abi diff` on the same pairs.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** check-uapi.sh gen_suppressions: enum sentinels by name, and padding fields by name. */
const ENUM_SENTINELS = ['.*_AFTER_LAST$', '.*_CNT$', '.*_COUNT$', '.*_END$', '.*_LAST$', '.*_MASK$', '.*_MAX$', '.*_MAX_BIT$', '.*_MAX_BPF_ATTACH_TYPE$', '.*_MAX_ID$', '.*_MAX_SHIFT$', '.*_NBITS$', '.*_NETDEV_NUMHOOKS$', '.*_NFT_META_IIFTYPE$', '.*_NL80211_ATTR$', '.*_NLDEV_NUM_OPS$', '.*_NUM$', '.*_NUM_ELEMS$', '.*_NUM_IRQS$', '.*_SIZE$', '.*_TLSMAX$', '^MAX_.*', '^NUM_.*'];
const PADDING = ['.*end$', '.*pad$', '.*pad[0-9]?$', '.*pad_[0-9]?$', '.*padding$', '.*padding[0-9]?$', '.*padding_[0-9]?$', '.*res$', '.*resv$', '.*resv[0-9]?$', '.*resv_[0-9]?$', '.*reserved$', '.*reserved[0-9]?$', '.*reserved_[0-9]?$', '.*rsvd[0-9]?$', '.*unused$'];

/**
 * libabigail 2.2 (Debian bookworm's abigail-tools; check-uapi.sh asks for 2.4) crashes on a
 * bracket expression inside offset_of_first_data_member_regexp(): each `[0-9]?` pattern is
 * written as its alternatives, none and each digit, which match the same names.
 */
function withoutBrackets(p: string): string[] {
  if (!p.includes('[0-9]?')) return [p];
  return [p.replace('[0-9]?', ''), ...'0123456789'.split('').map((d) => p.replace('[0-9]?', d))];
}

export function suppressions(): string {
  return [
    '[suppress_type]', '  type_kind = enum', `  changed_enumerators_regexp = ${ENUM_SENTINELS.join(',')}`,
    ...[...new Set(PADDING.flatMap(withoutBrackets))].flatMap((p) => ['[suppress_type]', '  type_kind = struct', `  has_data_member_inserted_at = offset_of_first_data_member_regexp(${p})`]),
    '',
  ].join('\n');
}

export function abidiffVersion(): string | undefined {
  const r = spawnSync('abidiff', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** check-uapi.sh do_compile: a shared object whose DWARF holds every type of the header. */
export function compileHeader(cc: string, includeDirs: readonly string[], header: string, out: string): void {
  execFileSync(cc, ['-shared', '-nostdlib', '-fPIC', '-o', out, '-x', 'c', '-O0', '-std=c90', '-fno-eliminate-unused-debug-types', '-g', ...includeDirs.map((d) => `-I${d}`), '-include', header, '-'], { input: 'int f(void) { return 0; }\n', stdio: ['pipe', 'ignore', 'pipe'] });
}

export type Verdict = 'compatible' | 'incompatible';

export interface AbidiffRun {
  verdict: Verdict;
  /** abidiff's report, summary lines dropped (as the script prints it). */
  report: string;
}

/** check-uapi.sh compare_abi: abidiff's exit code, and "only additions" counts as compatible. */
export function runAbidiff(workDir: string, past: string, base: string, withSuppressions = true): AbidiffRun {
  mkdirSync(workDir, { recursive: true });
  const supp = join(workDir, 'suppressions.txt');
  writeFileSync(supp, suppressions());
  const r = spawnSync('abidiff', ['--non-reachable-types', ...(withSuppressions ? ['--suppressions', supp] : []), past, base], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status === null || (r.status & 2) !== 0) throw new Error(`abidiff did not run properly (exit ${r.status ?? r.signal}): ${r.stderr}`);
  const report = r.stdout.split('\n').filter((l) => !/summary:/.test(l) && !/changed type/.test(l) && l.trim() !== '').join('\n');
  if (r.status === 0) return { verdict: 'compatible', report };
  const summary = r.stdout.split('\n').find((l) => l.includes('Unreachable types summary')) ?? '';
  if (/\b0 removed\b/.test(summary) && /\b0 changed\b/.test(summary)) return { verdict: 'compatible', report };
  return { verdict: 'incompatible', report };
}
