// How the model is put into words, shared by the reference pages (generators/docs) and
// `ioctl-abi explain`, so both say the same thing the same way.
import type { PathCheck, StatusRule } from '../model/index.ts';

const contiguous = (idx: readonly number[]): boolean => idx.every((i, k) => k === 0 || i === (idx[k - 1] as number) + 1);

/** Versions as a range when they are contiguous among the listed ones ('6.1 – 7.3'), else a list. */
export function versionRange(live: readonly string[], listed: readonly string[]): string {
  const idx = live.map((v) => listed.indexOf(v));
  if (live.length > 2 && !idx.includes(-1) && contiguous(idx)) return `${live[0]} – ${live[live.length - 1]}`;
  return live.join(', ');
}

/**
 * The versions an item lives at, among a source's listed versions: a range when they are
 * contiguous, and whether it is new or gone within them.
 */
export function versionSpan(live: readonly string[], listed: readonly string[]): string {
  if (live.length === 0) return 'none';
  const idx = live.map((v) => listed.indexOf(v));
  if (idx.some((i) => i < 0)) return live.join(', '); // a version before the listed ones (5.7)
  const first = live[0] as string;
  const span = live.length === 2 && contiguous(idx) ? `${first} – ${live[1]}` : versionRange(live, listed);
  if (live.length === listed.length) return listed.length === 1 ? span : `${span} (all)`;
  const notes: string[] = [];
  const together = contiguous(idx);
  if (together && idx[0] !== 0) notes.push(`new in ${first}`);
  const after = listed[(idx[idx.length - 1] as number) + 1];
  if (together && after) notes.push(`gone in ${after}`);
  return notes.length ? `${span} (${notes.join(', ')})` : span;
}

/** What a status rule asks of the caller's state, in words. */
export function ruleCondition(rule: StatusRule): string {
  const parts: string[] = [];
  if (rule.owner) parts.push('the caller must be the owner');
  if (rule.unowned) parts.push('the device must have no owner yet');
  if (rule.requires.length) parts.push(`status must have ${rule.requires.join(' and ')}`);
  if (rule.forbids.length) parts.push(`status must not have ${rule.forbids.join(' or ')}`);
  if (rule.transition === 'only-add-bits-or-reset') parts.push('a new status may only add bits, or be 0 (reset)');
  if (rule.transition === 'any') parts.push('any status transition');
  return parts.join('; ') || 'always';
}

/** What a step answers when it decides: an errno, 0 (an early accept), or '' (it never decides: a filter on the answer). */
export function checkResult(c: PathCheck): string {
  if (c.kind === 'accept') return '0';
  if (c.kind === 'feature-filter' && c.filter === 'answer') return '';
  return c.error ?? 'EINVAL';
}

/** What one step of a request's path does, in words (its errno is shown beside it). */
export function checkText(c: PathCheck, expr: (s: string) => string = (s) => s): string {
  switch (c.kind) {
    case 'owner':
      return c.owner === 'required' ? 'the caller must be the owner' : 'the device must have no owner yet';
    case 'status': {
      const parts = [c.requires.length ? `status must have ${c.requires.join(' and ')}` : '', c.forbids.length ? `status must not have ${c.forbids.join(' or ')}` : ''];
      return parts.filter(Boolean).join('; ');
    }
    case 'transition':
      return 'a new status may only add bits, or be 0 (reset)';
    case 'read':
      if (c.read === 'argsz') return 'reads the mandatory part of the argument (minsz bytes; argsz says how much the caller passed)';
      return c.read === 'head' ? 'reads the leading __u32 of the argument' : 'reads the argument';
    case 'write':
      return 'writes the answer to the argument';
    case 'refuse':
      return `refused when ${expr(c.expr)}`;
    case 'accept':
      return `answers 0 at once when ${expr(c.expr)}`;
    case 'fd':
      return `${expr(c.expr)} must be an open ${c.fdKind}${c.unbind !== undefined ? ` (or ${c.unbind} to unbind)` : ''}`;
    case 'always':
      return 'always refused';
    case 'feature-filter':
      return c.filter === 'answer' ? "the answer is masked by the profile's feature filter" : "refused when the argument has a bit the profile's feature filter hides";
  }
}
